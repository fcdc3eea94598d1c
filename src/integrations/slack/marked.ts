// Exactly once on Slack (DESIGN §3): every message we post carries metadata naming the case and the
// delivery (and, for thread replies, which reply it is), so a retry can find what an earlier attempt
// posted, and a duplicate that landed late can be found and deleted.
import type { MessageMetadata, WebClient } from '@slack/web-api';
import type { DeliveryContext } from '../types.ts';

export const EVENT_TYPE = 'reva_case';
/** Clocks differ (ours, Postgres', Slack's): the channel search starts this long before the case. */
const CLOCK_SKEW_S = 120;
/** A channel search reads at most this many pages of 200 messages (busy channels, old cases). */
const MAX_PAGES = 25;
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export interface MarkedMessage {
  ts: string;
  /** The thread reply's key (`h0`… for the history, `e<eventId>` for timeline events); absent on the case message. */
  reply?: string;
}

/** `{ caseId, deliveryId }` on the case message; `reply` added on thread replies. */
export function marker(ctx: DeliveryContext, reply?: string): MessageMetadata {
  return {
    event_type: EVENT_TYPE,
    event_payload: { caseId: ctx.escalation.id, deliveryId: ctx.delivery.id, ...(reply ? { reply } : {}) },
  };
}

interface ListedMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

function ours(ctx: DeliveryContext, m: ListedMessage): MarkedMessage | undefined {
  const payload = m.metadata?.event_payload;
  if (m.metadata?.event_type !== EVENT_TYPE || !m.ts || payload?.deliveryId !== ctx.delivery.id) return undefined;
  return { ts: m.ts, ...(typeof payload.reply === 'string' ? { reply: payload.reply } : {}) };
}

const byTs = (a: MarkedMessage, b: MarkedMessage) => Number(a.ts) - Number(b.ts);

/** This delivery's case messages in the channel (not replies), oldest first, posted since the case was created. */
export async function caseMessagesIn(client: WebClient, ctx: DeliveryContext, channel: string): Promise<MarkedMessage[]> {
  const oldest = String(Math.floor(ctx.escalation.createdAt.getTime() / 1000) - CLOCK_SKEW_S);
  const found: MarkedMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
    for (const m of (res.messages ?? []) as ListedMessage[]) {
      const mine = ours(ctx, m);
      if (mine && !mine.reply) found.push(mine);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found.sort(byTs);
}

/** This delivery's replies in the thread of `threadTs`, oldest first. */
export async function repliesIn(client: WebClient, ctx: DeliveryContext, channel: string, threadTs: string): Promise<MarkedMessage[]> {
  const found: MarkedMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.replies({ channel, ts: threadTs, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
    for (const m of (res.messages ?? []) as ListedMessage[]) {
      const mine = ours(ctx, m);
      if (mine?.reply) found.push(mine);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found.sort(byTs);
}

const channelIds = new Map<string, string>();

/**
 * conversations.history wants the channel ID; a store may configure a name. Known IDs pass through;
 * names are looked up once per token (IDs never change). Undefined when the bot cannot see it.
 */
export async function channelId(client: WebClient, token: string, channel: string): Promise<string | undefined> {
  if (CHANNEL_ID.test(channel)) return channel;
  const name = channel.replace(/^#/, '').toLowerCase();
  const key = `${token}|${name}`;
  const cached = channelIds.get(key);
  if (cached) return cached;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const hit = res.channels?.find((c) => c.name?.toLowerCase() === name);
    if (hit?.id) {
      if (channelIds.size > 10_000) channelIds.clear();
      channelIds.set(key, hit.id);
      return hit.id;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return undefined;
}

/** Deletes our message; one already gone is fine. */
export async function deleteMessage(client: WebClient, channel: string, ts: string): Promise<void> {
  try {
    await client.chat.delete({ channel, ts });
  } catch (err) {
    if ((err as { data?: { error?: string } }).data?.error !== 'message_not_found') throw err;
  }
}

/** Slack answered and refused (ok:false, 429, other 4xx): nothing was posted. Timeouts and 5xx may have posted. */
export function surelyNotPosted(err: unknown): boolean {
  const e = err as { code?: string; statusCode?: number };
  if (e.code === 'slack_webapi_platform_error' || e.code === 'slack_webapi_rate_limited_error') return true;
  return e.code === 'slack_webapi_http_error' && (e.statusCode ?? 500) < 500;
}
