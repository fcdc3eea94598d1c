import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { DeliveryError, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { eventText, truncate } from '../render.ts';
import { caseBlocks, escapeMrkdwn, historyReplies, slaReroutePost } from './format.ts';
import { slackClient, slackError, slackToken } from './client.ts';

interface SlackState {
  channel?: string;
  ts?: string;
  /** Thread replies of the history already posted, so a retry continues where it stopped. */
  historyReplies?: number;
  historyPosted?: boolean;
  permalink?: string;
  /** SLA breach action event id → ts of its post in the re-route channel, so a retry posts it once. */
  slaPosts?: Record<string, string>;
}

function channelFor(ctx: DeliveryContext): string {
  const slack = ctx.store.config.slack;
  const routed = ctx.context.slackChannel ?? slack?.channelsByPriority?.[ctx.escalation.priority] ?? slack?.channel;
  if (!routed) throw new DeliveryError('Slack is enabled but no channel is configured', true);
  return routed;
}

function clientFor(ctx: DeliveryContext) {
  const token = slackToken(ctx.config, ctx.store);
  if (!token) throw new DeliveryError('No Slack bot token: set slack.botToken in the store config or SLACK_BOT_TOKEN', true);
  return slackClient(ctx.config, ctx.store, token, ctx.requestTimeoutMs);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw slackError(err);
  }
}

export const slackAdapter: IntegrationAdapter = {
  type: 'SLACK',

  async create(ctx): Promise<CreateResult> {
    const client = clientFor(ctx);
    const state = { ...(ctx.delivery.metadata as SlackState) };
    // The stored ts makes a retried create skip what already happened (no duplicate message).
    if (!state.ts) {
      const { text, blocks } = caseBlocks(ctx);
      const channel = channelFor(ctx);
      const posted = await call(() => client.chat.postMessage({ channel, text, blocks, unfurl_links: false }));
      state.channel = posted.channel!;
      state.ts = posted.ts!;
      await ctx.saveProgress({ ...state });
    }
    if (!state.historyPosted) {
      const replies = historyReplies(ctx);
      for (let i = state.historyReplies ?? 0; i < replies.length; i++) {
        await call(() => client.chat.postMessage({ channel: state.channel!, thread_ts: state.ts!, text: replies[i]!, mrkdwn: true }));
        state.historyReplies = i + 1;
        await ctx.saveProgress({ ...state });
      }
      state.historyPosted = true;
      await ctx.saveProgress({ ...state });
    }
    const link = await call(() => client.chat.getPermalink({ channel: state.channel!, message_ts: state.ts! }));
    state.permalink = link.permalink;
    return { externalId: state.ts!, externalUrl: link.permalink ?? null, metadata: { ...state } };
  },

  async update(ctx, event: EscalationEvent) {
    const client = clientFor(ctx);
    const state = ctx.delivery.metadata as SlackState;
    if (!state.channel || !state.ts) throw new DeliveryError('Slack message not created yet', false);
    // The edit first: it can be repeated, the thread reply cannot, so a retry after a failure posts it once.
    if (event.type === 'assigned' || event.type === 'resolved' || event.type === 'reopened' || event.type === 'status_changed' || event.type === 'sla_action') {
      const { text: fallback, blocks } = caseBlocks(ctx);
      await call(() => client.chat.update({ channel: state.channel!, ts: state.ts!, text: fallback, blocks }));
    }
    const data = event.data as Record<string, unknown>;
    const key = event.id.toString();
    if (event.type === 'sla_action' && typeof data.slackChannel === 'string' && !state.slaPosts?.[key]) {
      const posted = await call(() => client.chat.postMessage({ channel: data.slackChannel as string, text: slaReroutePost(ctx, data), unfurl_links: false }));
      await ctx.saveProgress({ ...state, slaPosts: { ...state.slaPosts, [key]: posted.ts! } });
    }
    const text = eventText(event.type, event.actor, data);
    // A breach action without its own channel pages in the thread (the mention was validated on save).
    const page = event.type === 'sla_action' && !data.slackChannel && typeof data.mention === 'string' ? ` ${data.mention}` : '';
    await call(() => client.chat.postMessage({ channel: state.channel!, thread_ts: state.ts!, text: truncate(escapeMrkdwn(text), 3800) + page }));
  },
};
