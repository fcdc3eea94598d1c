import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MAX_BLOCKS_JSON_CHARS, validateBlocks } from './blockkit.ts';
import { slackSection } from './page.ts';
import { defineSandboxModule } from './module.ts';
import { now, type SlackMessage, type SlackState } from './state.ts';

interface Store {
  state: SlackState;
  nextTs(): string;
}

type Args = Record<string, unknown>;
type Result = Record<string, unknown>;

const BOT = { user: 'USANDBOXBOT', bot_id: 'BSANDBOX', team: 'TSANDBOX' };
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const MAX_TEXT = 40_000;

const fail = (error: string, extra: Result = {}): Result => ({ ok: false, error, ...extra });

/**
 * Slack's chat.postMessage limit: about one message a second per channel, short bursts tolerated
 * (a token bucket of `burst`, refilled `perSecond`). The default of SlackState.channelLimit.
 */
export const SLACK_CHANNEL_RATE = { perSecond: 1, burst: 3 } as const;

/** Token buckets per channel, beside the state (reset() empties them too). */
class ChannelLimits {
  private readonly buckets = new WeakMap<SlackState, Map<string, { tokens: number; at: number }>>();

  /** Takes a token of the channel: 0 = allowed, else ms until one is there. */
  take(state: SlackState, limit: { perSecond: number; burst: number }, channel: string, nowMs: number): number {
    let channels = this.buckets.get(state);
    if (!channels) this.buckets.set(state, (channels = new Map()));
    const bucket = channels.get(channel) ?? { tokens: limit.burst, at: nowMs };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * limit.perSecond);
    bucket.at = nowMs;
    channels.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return ((1 - bucket.tokens) / limit.perSecond) * 1000;
  }
}
const channelLimits = new ChannelLimits();

/** Names map to a stable ID (same name → same ID across restarts); IDs pass through. */
function resolveChannel(state: SlackState, raw: unknown, allowName: boolean): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (CHANNEL_ID.test(raw)) return raw;
  const name = raw.replace(/^#/, '').toLowerCase();
  if (!allowName || name === '' || name.startsWith('missing')) return undefined;
  state.channels[name] ??= `C${createHash('sha1').update(name).digest('hex').slice(0, 10).toUpperCase()}`;
  return state.channels[name];
}

/** The SDK form-encodes objects as JSON strings; JSON bodies carry them as-is. */
function jsonArg(value: unknown): { value?: unknown[]; bad?: true } {
  if (value === undefined || value === null || value === '') return {};
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return Array.isArray(parsed) ? { value: parsed } : { bad: true };
  } catch {
    return { bad: true };
  }
}

/** `metadata` as the SDK sends it (a JSON string in a form body) or as JSON: event_type + event_payload. */
function metadataArg(value: unknown): { value?: SlackMessage['metadata']; bad?: true } {
  if (value === undefined || value === null || value === '') return {};
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    const m = parsed as { event_type?: unknown; event_payload?: unknown };
    const payloadOk = typeof m.event_payload === 'object' && m.event_payload !== null && !Array.isArray(m.event_payload);
    if (typeof m.event_type !== 'string' || m.event_type === '' || !payloadOk) return { bad: true };
    return { value: { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> } };
  } catch {
    return { bad: true };
  }
}

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

/** Slack's paging: `limit` (default 100, at most 999) and an opaque `next_cursor`. */
function page<T>(items: T[], args: Args): { items: T[]; next_cursor: string } {
  const limit = Math.min(999, Math.max(1, Number(args.limit) || 100));
  const offset =
    typeof args.cursor === 'string' && args.cursor
      ? Number(
          Buffer.from(args.cursor, 'base64')
            .toString()
            .replace(/^offset:/, ''),
        ) || 0
      : 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next_cursor: next };
}

/** `oldest`/`latest` bounds on a ts, exclusive unless `inclusive`. */
function inRange(ts: string, args: Args): boolean {
  const t = Number(ts);
  const inclusive = truthy(args.inclusive);
  if (args.oldest !== undefined && args.oldest !== '' && (inclusive ? t < Number(args.oldest) : t <= Number(args.oldest))) return false;
  if (args.latest !== undefined && args.latest !== '' && (inclusive ? t > Number(args.latest) : t >= Number(args.latest))) return false;
  return true;
}

interface Content {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** Shared by postMessage, postEphemeral and update: parse and validate text/blocks/attachments. */
function content(args: Args): { content: Content } | { error: Result } {
  const blocks = jsonArg(args.blocks);
  if (blocks.bad) return { error: fail('invalid_blocks_format') };
  const attachments = jsonArg(args.attachments);
  if (attachments.bad) return { error: fail('invalid_attachments') };
  const text = args.text === undefined || args.text === null ? undefined : String(args.text);
  if (!text && !blocks.value?.length && !attachments.value?.length) return { error: fail('no_text') };
  if (blocks.value) {
    const errors = validateBlocks(blocks.value);
    if (errors.length) {
      return { error: fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }) };
    }
    if (JSON.stringify(blocks.value).length > MAX_BLOCKS_JSON_CHARS) return { error: fail('msg_blocks_too_long') };
  }
  return { content: { text: text?.slice(0, MAX_TEXT), blocks: blocks.value, attachments: attachments.value } };
}

const publicMessage = (m: SlackMessage, withMetadata = true): Result => ({
  type: 'message',
  ...BOT,
  text: m.text,
  ts: m.ts,
  ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  ...(m.blocks ? { blocks: m.blocks } : {}),
  ...(m.attachments ? { attachments: m.attachments } : {}),
  ...(m.updatedAt ? { edited: { user: BOT.user, ts: m.updatedAt } } : {}),
});

const findMessage = (state: SlackState, channel: string, ts: unknown) => state.messages.find((m) => m.channel === channel && m.ts === ts);

type Method = (args: Args, store: Store, origin: string) => Result;

const LISTED_CHANNELS = ['general', 'random', 'support', 'support-escalations', 'support-urgent', 'escalations'];

const channelInfo = (id: string, name: string): Result => ({
  id,
  name,
  is_channel: true,
  is_private: false,
  is_archived: false,
  is_member: true,
  created: 1_700_000_000,
});

const methods: Record<string, Method> = {
  'auth.test': (_args, _store, origin) => ({
    ok: true,
    url: `${origin}/slack/`,
    team: 'Sandbox',
    user: 'reva-bot',
    team_id: BOT.team,
    user_id: BOT.user,
    bot_id: BOT.bot_id,
  }),

  // Channel checks (POST /stores/:id/integrations/slack/test). conversations.info takes IDs only, like
  // Slack. The sandbox's channels are every name not starting with "missing": a list cannot hold them
  // all, so it holds the usual support channels plus every channel used so far.
  'conversations.info': (args, { state }) => {
    const id = typeof args.channel === 'string' ? args.channel : '';
    if (!CHANNEL_ID.test(id) || id.startsWith('CMISSING')) return fail('channel_not_found');
    const name = Object.entries(state.channels).find(([, known]) => known === id)?.[0] ?? id.toLowerCase();
    return { ok: true, channel: channelInfo(id, name) };
  },

  'chat.postMessage': (args, { state, nextTs }) => {
    const channel = resolveChannel(state, args.channel, true);
    if (!channel) return fail('channel_not_found');
    const parsed = content(args);
    if ('error' in parsed) return parsed.error;
    const metadata = metadataArg(args.metadata);
    if (metadata.bad) return fail('invalid_metadata_format');
    // Like Slack: an unknown thread_ts posts to the channel; a reply's ts threads under its parent.
    const parent = args.thread_ts ? findMessage(state, channel, String(args.thread_ts)) : undefined;
    const message: SlackMessage = {
      channel,
      ts: nextTs(),
      ...(parent ? { thread_ts: parent.thread_ts ?? parent.ts } : {}),
      text: parsed.content.text ?? '',
      ...(parsed.content.blocks ? { blocks: parsed.content.blocks } : {}),
      ...(parsed.content.attachments ? { attachments: parsed.content.attachments } : {}),
      ...(metadata.value ? { metadata: metadata.value } : {}),
      postedAt: now(),
    };
    state.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: publicMessage(message) };
  },

  'chat.update': (args, { state }) => {
    const channel = resolveChannel(state, args.channel, false);
    if (!channel) return fail('channel_not_found');
    const message = findMessage(state, channel, args.ts);
    if (!message) return fail('message_not_found');
    const parsed = content(args);
    if ('error' in parsed) return parsed.error;
    const { text, blocks, attachments } = parsed.content;
    if (text !== undefined) message.text = text;
    if (blocks) message.blocks = blocks;
    if (attachments) message.attachments = attachments;
    message.updatedAt = now();
    return { ok: true, channel, ts: message.ts, text: message.text, message: publicMessage(message) };
  },

  'chat.delete': (args, { state }) => {
    const channel = resolveChannel(state, args.channel, false);
    if (!channel) return fail('channel_not_found');
    const message = findMessage(state, channel, args.ts);
    if (!message) return fail('message_not_found');
    state.messages.splice(state.messages.indexOf(message), 1);
    state.deleted.push({ ...message, deletedAt: now() });
    return { ok: true, channel, ts: message.ts };
  },

  // Channel IDs only, like Slack: a name is channel_not_found. Thread replies are not listed (only
  // their parents), newest first.
  'conversations.history': (args, { state }) => {
    const channel = resolveChannel(state, args.channel, false);
    if (!channel) return fail('channel_not_found');
    const withMetadata = truthy(args.include_all_metadata);
    // One pass over the messages: counting each listed message's replies with a pass of its own made a
    // page cost 200 × every message the sandbox holds (seconds, once a long run had posted 50,000).
    const top: SlackMessage[] = [];
    const replyCounts = new Map<string, number>();
    for (const m of state.messages) {
      if (m.channel !== channel) continue;
      if (m.thread_ts && m.thread_ts !== m.ts) replyCounts.set(m.thread_ts, (replyCounts.get(m.thread_ts) ?? 0) + 1);
      else if (inRange(m.ts, args)) top.push(m);
    }
    top.sort((a, b) => Number(b.ts) - Number(a.ts));
    const { items, next_cursor } = page(top, args);
    return {
      ok: true,
      messages: items.map((m) => {
        const replies = replyCounts.get(m.ts) ?? 0;
        return { ...publicMessage(m, withMetadata), ...(replies ? { thread_ts: m.ts, reply_count: replies } : {}) };
      }),
      has_more: next_cursor !== '',
      pin_count: 0,
      response_metadata: { next_cursor },
    };
  },

  // The parent first, then its replies oldest first; oldest/latest bound the replies.
  'conversations.replies': (args, { state }) => {
    const channel = resolveChannel(state, args.channel, false);
    if (!channel) return fail('channel_not_found');
    const parent = findMessage(state, channel, args.ts);
    if (!parent) return fail('thread_not_found');
    const root = parent.thread_ts ?? parent.ts;
    const head = findMessage(state, channel, root);
    const replies = state.messages
      .filter((m) => m.channel === channel && m.thread_ts === root && m.ts !== root && inRange(m.ts, args))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    const withMetadata = truthy(args.include_all_metadata);
    const { items, next_cursor } = page([...(head ? [head] : []), ...replies], args);
    return {
      ok: true,
      messages: items.map((m) => ({ ...publicMessage(m, withMetadata), thread_ts: root })),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  },

  'conversations.list': (args, { state }) => {
    for (const name of LISTED_CHANNELS) resolveChannel(state, name, true);
    const names = Object.fromEntries(Object.entries(state.channels).map(([name, id]) => [id, name]));
    const ids = [...new Set([...Object.values(state.channels), ...state.messages.map((m) => m.channel)])].sort();
    const { items, next_cursor } = page(ids, args);
    return {
      ok: true,
      channels: items.map((id) => channelInfo(id, names[id] ?? id.toLowerCase())),
      response_metadata: { next_cursor },
    };
  },

  'chat.getPermalink': (args, { state }, origin) => {
    const channel = resolveChannel(state, args.channel, false);
    if (!channel) return fail('channel_not_found');
    const message = findMessage(state, channel, args.message_ts);
    if (!message) return fail('message_not_found');
    const thread = message.thread_ts ? `?thread_ts=${message.thread_ts}&cid=${channel}` : '';
    return { ok: true, channel, permalink: `${origin}/slack/archives/${channel}/p${message.ts.replace('.', '')}${thread}` };
  },

  'chat.postEphemeral': (args, { state, nextTs }) => {
    const channel = resolveChannel(state, args.channel, true);
    if (!channel) return fail('channel_not_found');
    if (typeof args.user !== 'string' || args.user === '') return fail('user_not_in_channel');
    const parsed = content(args);
    if ('error' in parsed) return parsed.error;
    const message_ts = nextTs();
    state.ephemeral.push({
      channel,
      user: args.user,
      message_ts,
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
      text: parsed.content.text ?? '',
      ...(parsed.content.blocks ? { blocks: parsed.content.blocks } : {}),
      postedAt: now(),
    });
    return { ok: true, message_ts };
  },
};

function args(req: FastifyRequest): Args {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Args) : {};
  return { ...(req.query as Args), ...body };
}

export const slack = defineSandboxModule<SlackState>({
  service: 'slack',
  emptyState: () => ({ channels: {}, messages: [], deleted: [], ephemeral: [], rateLimited: [], channelLimit: { ...SLACK_CHANNEL_RATE } }),
  page: slackSection,

  routes(app, ctx) {
    app.route({
      method: ['GET', 'POST'],
      url: '/api/:method',
      handler: async (req) => {
        const method = methods[(req.params as { method: string }).method];
        return method ? method(args(req), { state: ctx.state(), nextTs: ctx.nextTs }, ctx.origin(req)) : fail('unknown_method');
      },
    });
  },

  target: (req, path) => ({ verb: req.method, path: path.replace(/^\/api\//, '') }),

  // Counted on arrival, like Slack: a post the sandbox carries out late (commitAfterMs) took its slot when it came in.
  admit(req, path, state) {
    if (path !== '/api/chat.postMessage' || !state.channelLimit) return undefined;
    const channel = resolveChannel(state, args(req).channel, true);
    const waitMs = channel ? channelLimits.take(state, state.channelLimit, channel, Date.now()) : 0;
    if (!channel || waitMs <= 0) return undefined;
    // HTTP 429, Retry-After in whole seconds, nothing posted.
    const retryAfter = Math.ceil(waitMs / 1000);
    state.rateLimited.push({ channel, at: now(), retryAfter });
    return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: fail('ratelimited') };
  },

  authenticate(req) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Slack also takes `token` as a form field, but never inside a JSON body.
    const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const formToken = isForm ? (req.body as Args | undefined)?.token : undefined;
    const token = bearer ?? (typeof formToken === 'string' ? formToken : undefined);
    if (!token) return { status: 200, body: fail('not_authed') };
    if (!token.startsWith('xox') || token === 'xoxb-invalid') return { status: 200, body: fail('invalid_auth') };
    return undefined;
  },

  failure(status, error) {
    // Slack answers malformed requests with HTTP 200 and an error code.
    if (error && status < 500) return { status: 200, body: fail(status === 415 ? 'invalid_post_type' : 'invalid_json') };
    return { status, body: fail(status === 429 ? 'ratelimited' : 'fatal_error') };
  },
});
