import type { WebClient } from '@slack/web-api';
import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { DeliveryError, SettleWait, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { eventText, truncate } from '../render.ts';
import { caseBlocks, escapeMrkdwn, historyReplies, slaReroutePost } from './format.ts';
import { slackClient, slackError, slackToken } from './client.ts';
import { slackApiUrl } from '../base-urls.ts';
import { slackChannel, slackChannelSeen, throttle, throttleRequest } from '../rate-limits.ts';
import { caseMessagesIn, channelId, deleteMessage, marker, repliesIn, surelyNotPosted } from './marked.ts';
import { slackCall } from './post.ts';

interface SlackState {
  channel?: string;
  ts?: string;
  /** Thread replies of the history already posted, so a retry continues where it stopped. */
  historyReplies?: number;
  historyPosted?: boolean;
  permalink?: string;
  /** SLA breach action event id → ts of its post in the re-route channel, so a retry posts it once. */
  slaPosts?: Record<string, string>;
  /**
   * Saved before each post: which part (`case`, or a reply key) went to which channel. Found on a
   * retry, it means an earlier attempt may have posted it without us hearing back: look before posting.
   */
  sending?: { part: string; channel: string; at: number };
}

const CASE = 'case';

function channelFor(ctx: DeliveryContext): string {
  const slack = ctx.store.config.slack;
  const routed = ctx.context.slackChannel ?? slack?.channelsByPriority?.[ctx.escalation.priority] ?? slack?.channel;
  if (!routed) throw new DeliveryError('Slack is enabled but no channel is configured', true);
  return routed;
}

function tokenOf(ctx: DeliveryContext): string {
  const token = slackToken(ctx.config, ctx.store);
  if (!token) throw new DeliveryError('No Slack bot token: set slack.botToken in the store config or SLACK_BOT_TOKEN', true);
  return token;
}

function clientFor(ctx: DeliveryContext): { client: WebClient; token: string } {
  const token = tokenOf(ctx);
  return { client: slackClient(ctx.config, ctx.store, token, ctx.requestTimeoutMs), token };
}

/** chat.postMessage, the call of every delivery (src/integrations/slack/post.ts). */
const postMessage = (ctx: DeliveryContext, token: string, args: Record<string, unknown>) =>
  slackCall<{ channel?: string; ts?: string }>(slackApiUrl(ctx.config, ctx.store), token, 'chat.postMessage', args, ctx.requestTimeoutMs);

async function call<T>(ctx: DeliveryContext, fn: () => Promise<T>): Promise<T> {
  await throttleRequest(ctx);
  try {
    return await fn();
  } catch (err) {
    throw slackError(err);
  }
}

/**
 * Posts one part of the case at most once. If an earlier attempt sent this part and never recorded
 * the answer, the marked message is looked for first and adopted; if it is not there (yet), the
 * part is sent again and a reconciliation is booked, which deletes the copy that lands second.
 */
async function postOnce(
  ctx: DeliveryContext,
  state: SlackState,
  part: string,
  channel: string,
  lookUp: () => Promise<{ channel: string; ts: string } | undefined>,
  post: () => Promise<{ channel?: string; ts?: string }>,
): Promise<{ channel: string; ts: string }> {
  const earlier = state.sending?.part === part ? state.sending : undefined;
  if (earlier) {
    // A bot without the history scopes (or a channel it cannot read) cannot look: then a retry posts
    // again rather than fail the case, and the reconciliation (which needs the same scopes) is best effort.
    const found = await call(ctx, lookUp).catch((err: unknown) => {
      if (err instanceof DeliveryError && err.permanent) return undefined;
      throw err;
    });
    if (found) return found;
    await ctx.reconcileLater();
  }
  // The turn is waited for before the marker is saved: a wait between the two would let a concurrent
  // attempt (a lapsed job lock) find the marker, see nothing posted and post too, after which this one
  // posts without saving again. The slot is taken right before the post.
  try {
    await throttle(ctx, slackChannel(ctx, channel), part === CASE ? 'first' : 'later');
  } catch (err) {
    // A long wait for the slot: the job leaves and comes back. What the parts before this one returned
    // (the case message's ts) is saved first, so the job that comes back does not have to look for them.
    if (err instanceof SettleWait && !earlier && JSON.stringify(state) !== JSON.stringify(ctx.delivery.metadata)) {
      await ctx.saveProgress({ ...state }).catch(() => {});
    }
    throw err;
  }
  state.sending = { part, channel, at: Date.now() };
  await ctx.saveProgress({ ...state });
  try {
    await throttleRequest(ctx);
    const posted = await post();
    await slackChannelSeen(ctx, channel, posted.channel);
    return { channel: posted.channel!, ts: posted.ts! };
  } catch (err) {
    // Refused for sure, or a long wait for the slot (a case message came first), and nothing sent
    // before: no need to look next time.
    const waited = err instanceof SettleWait;
    if (!earlier && (waited || surelyNotPosted(err))) {
      state.sending = undefined;
      await ctx.saveProgress({ ...state }).catch(() => {});
    }
    throw waited ? err : slackError(err);
  }
}

export const slackAdapter: IntegrationAdapter = {
  type: 'SLACK',

  async create(ctx): Promise<CreateResult> {
    const token = tokenOf(ctx);
    // The SDK's client only for look-ups after an earlier attempt, and a permalink it cannot build.
    const client = () => slackClient(ctx.config, ctx.store, token, ctx.requestTimeoutMs);
    const state = { ...(ctx.delivery.metadata as SlackState) };
    // Asked once per token and process, alongside the post: the permalink is then built, not fetched.
    const workspace = workspaceUrl(ctx, token);
    // The stored ts makes a retried create skip what already happened (no duplicate message). Each
    // post saves its marker first (which also carries what the previous post returned); the results of
    // the last post are saved with DELIVERED (a crash in between: the retry looks for it by its marker).
    if (!state.ts) {
      const { text, blocks } = caseBlocks(ctx);
      const target = state.sending?.part === CASE ? state.sending.channel : channelFor(ctx);
      const lookUp = async () => {
        // Slack answers with the channel ID, and only takes IDs in the calls that follow.
        const id = await channelId(client(), token, target);
        const ts = id ? (await caseMessagesIn(client(), ctx, id))[0]?.ts : undefined;
        return id && ts ? { channel: id, ts } : undefined;
      };
      const posted = await postOnce(ctx, state, CASE, target, lookUp, () =>
        postMessage(ctx, token, { channel: target, text, blocks, unfurl_links: false, metadata: marker(ctx) }),
      );
      state.channel = posted.channel;
      state.ts = posted.ts;
      state.sending = undefined;
    }
    if (!state.historyPosted) {
      const replies = historyReplies(ctx);
      for (let i = state.historyReplies ?? 0; i < replies.length; i++) {
        const key = `h${i}`;
        await postOnce(
          ctx,
          state,
          key,
          state.channel!,
          () => findReply(client(), ctx, state, key),
          () => postMessage(ctx, token, { channel: state.channel!, thread_ts: state.ts!, text: replies[i]!, mrkdwn: true, metadata: marker(ctx, key) }),
        );
        state.historyReplies = i + 1;
        state.sending = undefined;
      }
      state.historyPosted = true;
    }
    state.permalink ??= await permalink(client, await workspace, state.channel!, state.ts!);
    return { externalId: state.ts!, externalUrl: state.permalink ?? null, metadata: { ...state } };
  },

  async update(ctx, event: EscalationEvent) {
    const { client, token } = clientFor(ctx);
    const state = { ...(ctx.delivery.metadata as SlackState) };
    if (!state.channel || !state.ts) throw new DeliveryError('Slack message not created yet', false);
    // The edit first: it can be repeated, the thread reply cannot, so a retry after a failure posts it once.
    if (event.type === 'assigned' || event.type === 'resolved' || event.type === 'reopened' || event.type === 'status_changed' || event.type === 'sla_action') {
      const { text: fallback, blocks } = caseBlocks(ctx);
      await call(ctx, () => client.chat.update({ channel: state.channel!, ts: state.ts!, text: fallback, blocks }));
    }
    const data = event.data as Record<string, unknown>;
    if (event.type === 'sla_action' && typeof data.slackChannel === 'string' && !state.slaPosts?.[event.id.toString()]) {
      await throttleRequest(ctx, slackChannel(ctx, data.slackChannel), 'first');
      const posted = await call(ctx, () =>
        postMessage(ctx, token, {
          channel: data.slackChannel as string,
          text: slaReroutePost(ctx, data),
          unfurl_links: false,
          metadata: marker(ctx, `s${event.id}`),
        }),
      );
      state.slaPosts = { ...state.slaPosts, [event.id.toString()]: posted.ts! };
      await ctx.saveProgress({ ...state });
    }
    // A breach action without its own channel pages in the thread (the mention was validated on save).
    const page = event.type === 'sla_action' && !data.slackChannel && typeof data.mention === 'string' ? ` ${data.mention}` : '';
    const text = truncate(escapeMrkdwn(eventText(event.type, event.actor, data)), 3800) + page;
    const key = `e${event.id}`;
    await postOnce(
      ctx,
      state,
      key,
      state.channel,
      () => findReply(client, ctx, state, key),
      () => postMessage(ctx, token, { channel: state.channel!, thread_ts: state.ts!, text, metadata: marker(ctx, key) }),
    );
  },

  /** Keeps the recorded case message and the first copy of each thread reply; deletes the rest. */
  async reconcile(ctx) {
    const state = ctx.delivery.metadata as SlackState;
    if (!state.channel || !state.ts) return 'not-yet';
    const { client } = clientFor(ctx);
    await call(ctx, async () => {
      for (const m of await caseMessagesIn(client, ctx, state.channel!)) {
        if (m.ts !== state.ts) await deleteMessage(client, state.channel!, m.ts);
      }
      const seen = new Set<string>();
      for (const m of await repliesIn(client, ctx, state.channel!, state.ts!)) {
        if (seen.has(m.reply!)) await deleteMessage(client, state.channel!, m.ts);
        seen.add(m.reply!);
      }
    });
    return 'done';
  },
};

/** Workspace URLs (auth.test `url`) by API URL and token; a failed look-up is asked again next time. */
const workspaces = new Map<string, Promise<string | undefined>>();

function workspaceUrl(ctx: DeliveryContext, token: string): Promise<string | undefined> {
  const apiUrl = slackApiUrl(ctx.config, ctx.store);
  const key = `${apiUrl}|${token}`;
  let url = workspaces.get(key);
  if (!url) {
    url = slackCall<{ url?: unknown }>(apiUrl, token, 'auth.test', {}, ctx.requestTimeoutMs).then(
      (r) => (typeof r.url === 'string' && r.url ? r.url : undefined),
      () => undefined,
    );
    if (workspaces.size > 1000) workspaces.clear();
    workspaces.set(key, url);
    void url.then((u) => u || workspaces.delete(key));
  }
  return url;
}

/**
 * The message's permalink, as Slack builds it (`{workspace}archives/{channel}/p{ts without the dot}`),
 * without a call; chat.getPermalink only when the workspace URL is unknown. The message is posted
 * either way: a link that cannot be had is left out rather than failing the delivery.
 */
async function permalink(client: () => WebClient, workspace: string | undefined, channel: string, ts: string): Promise<string | undefined> {
  if (workspace) return `${workspace.endsWith('/') ? workspace : `${workspace}/`}archives/${channel}/p${ts.replace('.', '')}`;
  return client()
    .chat.getPermalink({ channel, message_ts: ts })
    .then(
      (r) => r.permalink,
      () => undefined,
    );
}

async function findReply(client: WebClient, ctx: DeliveryContext, state: SlackState, key: string) {
  const ts = (await repliesIn(client, ctx, state.channel!, state.ts!)).find((m) => m.reply === key)?.ts;
  return ts ? { channel: state.channel!, ts } : undefined;
}
