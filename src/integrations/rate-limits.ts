// Helpdesk rate limits per destination, shared by every worker process through Redis: a Slack channel
// (per bot token: about one chat.postMessage a second, short bursts tolerated), a Zendesk subdomain, a
// Freshdesk domain, a Gorgias account (per store config, defaults from the vendors' docs).
//
// Why a small Lua GCRA and not rate-limiter-flexible: a limit here is a wait, never a failure, and
// Slack messages must leave in the order the cases came in. rate-limiter-flexible answers "no, retry in
// N ms" to whoever asks first, so waiters race for each freed slot and long waits are mis-estimated.
// Here each destination keeps, besides its GCRA clock (TAT), a queue of waiting requests ordered by
// their case's creation time: only the head may take a conforming slot, and everyone else learns how
// long until its turn (the slots of those ahead, less what the burst still allows), so a long wait
// can leave the worker (SettleWait, no attempt used) and come back just before its turn. A waiter
// that never comes back (a crashed worker) loses its place when its lease runs out. When nobody waits,
// a request takes its slot with one script call that does not touch the queue.
//
// Two steps, so that what a delivery does between deciding to send and sending (saving "about to
// send" in Postgres) does not bunch requests up at the helpdesk, nor let a later case's request
// overtake: throttle() waits for the turn before the adapter marks the send (a wait there leaves
// nothing marked) and holds it, and throttleRequest() takes the slot right before the request.
// Slack's own tolerance (a burst of 3 against our 2.5) covers half a second of further jitter. A
// request without a marker to save can do both at once (throttleRequest(ctx, dest, lane)). When nobody
// waits, throttle() takes the slot at once, one Redis call instead of two: a case message in an idle
// Slack channel (nothing sent for a while, its whole burst free: most channels, most of the time), a
// thread reply whenever its slot conforms. The request leaves a marker save later (milliseconds), which
// the burst margin absorbs. Such a case message is "in flight" until its request leaves (a set beside
// the queue, with a lease; the request removes it without waiting for Redis' answer): a case message
// created after it waits for it while its marker save stalls (up to the lease, 15 s), not only for its
// order window. An account (Zendesk, Freshdesk, Gorgias) counts requests per minute and its GCRA keeps
// a second's margin for late requests, so there throttle() takes the slot at once and the request
// needs no second call.
//
// The limiter learns which delivery a request belongs to from its DeliveryContext (the adapters pass
// it), not from AsyncLocalStorage: that would turn on async hooks for every promise of the worker.
//
// Lanes: a case's top-level message ('first') goes before thread replies and follow-ups ('later') of
// cases created up to a minute earlier, so a burst of cases is not held behind their history replies,
// while replies still cannot starve for longer than that. In a Slack channel a 'later' request also
// leaves one slot free (SLACK_LATER_RESERVE): a case message that comes a moment after another
// case's reply does not wait behind it; messages wait only when messages alone exceed the limit.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { DEFAULT_ACCOUNT_LIMITS, type AccountRateLimit } from './rate-limit-config.ts';
import { slackToken } from './slack/client.ts';
import { DeliveryError, SettleWait, type DeliveryContext, type IntegrationAdapter } from './types.ts';

export interface Destination {
  /** e.g. `slack:<token hash>:C0123ABCD`, `zendesk:acme`, `freshdesk:acme.freshdesk.com`. */
  key: string;
  /** One request per interval on average… */
  intervalMs: number;
  /** …and at most this many at once after a quiet spell. */
  burst: number;
  /** A Slack channel given by name: once its ID is known, the ID's limiter is the one used. */
  slackName?: { tokenHash: string; name: string };
}

/** 'first' = a case's top-level message or ticket; 'later' = replies, notes, status changes. */
export type Lane = 'first' | 'later';

/**
 * Slack: 1 message a second per channel. Slack allows "short bursts" without a number; the sandbox
 * allows 3. We use 2.5: half a second of margin for requests that leave late or travel slowly, and
 * a thread reply, which keeps one slot free for the next case message, waits at most half a second
 * after its own case message (with a burst of 2 it would be a whole second per case, holding a worker).
 */
export const SLACK_CHANNEL_LIMIT = { intervalMs: 1000, burst: 2.5 } as const;
/** Slots a thread reply or follow-up ('later') leaves free in a Slack channel: one, for a new case's message. */
const SLACK_LATER_RESERVE = 1;
/** A request with others ahead of it in the queue asks again after at least this long. */
const QUEUED_POLL_MS = 50;
/** Waits up to this long stay in the worker; longer ones leave it as a delayed job. */
const IN_PROCESS_MAX_MS = 2000;
/** A delayed job comes back this much before its turn (job pick-up and the case's reads take time). */
const COME_BACK_EARLY_MS = 1000;
/** How long past its expected turn a waiter keeps its place in the queue. */
const LEASE_GRACE_MS = 15_000;
/** A 'later' request queues as if its case were created this much later. */
const LATER_LANE_OFFSET_MS = 60_000;
/**
 * In a channel already posting (its burst partly used), a case message waits until its case is this
 * old, so that an earlier case whose job is a little slower still goes first. A quiet channel posts at once.
 */
const ORDER_WINDOW_MS = 150;
const PREFIX = 'reva:rl:';
const ALIAS_TTL_S = 7 * 24 * 3600;

/** A wait for a helpdesk's limit: the worker delays the job without using up an attempt. */
export class RateLimitWait extends SettleWait {
  constructor(
    untilMs: number,
    readonly destination?: string,
  ) {
    super(untilMs);
    this.name = 'RateLimitWait';
    this.message = `waiting for the rate limit of ${destination ?? 'the helpdesk'} until ${new Date(untilMs).toISOString()}`;
  }
}

// ── Destinations ─────────────────────────────────────────────────────────────────────────────────

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
/** Token hashes, computed once per token (a Slack post asks for its channel's limiter twice). */
const tokenHashes = new Map<string, string>();
function hash(s: string): string {
  let h = tokenHashes.get(s);
  if (h === undefined) {
    h = createHash('sha256').update(s).digest('hex').slice(0, 16);
    if (tokenHashes.size >= 1000) tokenHashes.clear();
    tokenHashes.set(s, h);
  }
  return h;
}

/** The limiter of a Slack channel (ID or name) for the store's bot token. */
export function slackChannel(ctx: DeliveryContext, channel: string): Destination {
  const tokenHash = hash(slackToken(ctx.config, ctx.store) ?? '');
  if (CHANNEL_ID.test(channel)) return { key: `slack:${tokenHash}:${channel}`, ...SLACK_CHANNEL_LIMIT };
  const name = channel.replace(/^#/, '').toLowerCase();
  return { key: `slack:${tokenHash}:#${name}`, ...SLACK_CHANNEL_LIMIT, slackName: { tokenHash, name } };
}

/**
 * GCRA parameters that keep any window of `perSeconds` (plus a second, for requests that leave late
 * or travel slowly) at or under `requests`, with a tenth of them as burst.
 */
export function accountLimit(limit: AccountRateLimit): Pick<Destination, 'intervalMs' | 'burst'> {
  const burst = Math.max(1, Math.floor(limit.requests / 10));
  return { intervalMs: (limit.perSeconds * 1000 + 1000) / (limit.requests - burst + 1), burst };
}

/** The account limiter of the delivery's helpdesk (Zendesk, Freshdesk, Gorgias); undefined for the others. */
export function accountDestination(ctx: DeliveryContext): Destination | undefined {
  const c = ctx.store.config;
  switch (ctx.delivery.type) {
    case 'ZENDESK':
      return c.zendesk && { key: `zendesk:${c.zendesk.subdomain}`, ...accountLimit(c.zendesk.rateLimit ?? DEFAULT_ACCOUNT_LIMITS.ZENDESK) };
    case 'FRESHDESK':
      return c.freshdesk && { key: `freshdesk:${c.freshdesk.domain}`, ...accountLimit(c.freshdesk.rateLimit ?? DEFAULT_ACCOUNT_LIMITS.FRESHDESK) };
    case 'GORGIAS':
      return c.gorgias && { key: `gorgias:${c.gorgias.account}`, ...accountLimit(c.gorgias.rateLimit ?? DEFAULT_ACCOUNT_LIMITS.GORGIAS) };
    default:
      return undefined;
  }
}

// ── Redis ────────────────────────────────────────────────────────────────────────────────────────

// KEYS: tat, queue, leases, alias, in flight. ARGV: member, score, interval, burst, grace, check alias,
// order window, peek, reserve, queued poll, hint reserve, take if free. → {1, 0} go now (peek: your
// turn, the slot is kept for you until you take it); {3, 0} (a peek with `take if free`) nobody waits
// and the slot is free: taken now (in an idle destination with an order window, the member is then in
// flight until released); {0, ms} wait about that long; {2, id} the channel name is known as id: use that.
// `reserve`: slots the request must leave free (a thread reply keeps one for the next case message).
// `hint reserve` ≥ 0: a slot taken answers {1 or 3, 0, ms}, how long until a request with that reserve
// would conform (the case message's thread reply asks no sooner than that).
const TAKE = `
if ARGV[6] == '1' then
  local id = redis.call('GET', KEYS[4])
  if id then return {2, id} end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member, score = ARGV[1], tonumber(ARGV[2])
local interval, grace = tonumber(ARGV[3]), tonumber(ARGV[5])
local tau = (tonumber(ARGV[4]) - 1) * interval
local reserve = tonumber(ARGV[9])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local busy = tat > now
if tat < now then tat = now end
-- How long until the request conforms with 'ahead' requests taking their slots first.
local function after(ahead) return math.max(0, tat + (ahead + reserve) * interval - tau - now) end
local ready = after(0)
local window = tonumber(ARGV[7])
if window > 0 and busy then
  -- (bounded: the score is the app's clock, now is Redis')
  ready = math.max(ready, math.min(window, score + window - now))
end
local peek = ARGV[8] == '1'
local poll = tonumber(ARGV[10])
-- An earlier case's message that took its slot and has not left yet: this one waits for it. (Its slot
-- is counted already, so it is not one of the queue's ranks.) An expired lease no longer counts.
if window > 0 then
  while true do
    local f = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
    if #f == 0 or tonumber(f[2]) >= score then break end
    if tonumber(redis.call('HGET', KEYS[3], f[1] .. '|fly') or '0') >= now then
      ready = math.max(ready, poll, 1)
      break
    end
    redis.call('ZREM', KEYS[5], f[1])
    redis.call('HDEL', KEYS[3], f[1] .. '|fly')
  end
end
local hint = tonumber(ARGV[11])
local function taken(verdict)
  redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now) + 600000)
  if hint < 0 then return {verdict, 0} end
  return {verdict, 0, math.ceil(math.max(0, tat + interval + hint * interval - tau - now))}
end
-- Nobody waiting: one SET, the queue is not touched.
-- A peek with 'take if free' takes the slot too when nobody waits: '1' if the destination is idle (its
-- whole burst free), '2' whenever the slot conforms.
local takeNow = ARGV[12] == '2' or (ARGV[12] == '1' and not busy)
if ready == 0 and (not peek or takeNow) and redis.call('EXISTS', KEYS[2]) == 0 then
  if peek and window > 0 then
    redis.call('ZADD', KEYS[5], score, member)
    -- (its own lease field: a second run of the delivery may hold a place in the queue under the same member)
    redis.call('HSET', KEYS[3], member .. '|fly', now + grace)
    redis.call('PEXPIRE', KEYS[5], grace + 600000)
    redis.call('PEXPIRE', KEYS[3], grace + 600000)
  end
  return taken(peek and 3 or 1)
end
redis.call('ZADD', KEYS[2], 'NX', score, member)
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if (not head) or head == member then break end
  if tonumber(redis.call('HGET', KEYS[3], head) or '0') >= now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
local rank = redis.call('ZRANK', KEYS[2], member)
if rank == 0 and ready == 0 and peek then
  redis.call('HSET', KEYS[3], member, now + grace)
  redis.call('PEXPIRE', KEYS[2], grace + 600000)
  redis.call('PEXPIRE', KEYS[3], grace + 600000)
  return {1, 0}
end
if rank == 0 and ready == 0 then
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
  return taken(1)
end
-- Behind others: my slot comes after theirs (the burst may hold us all), and no sooner than a short
-- poll, since those ahead may be taking theirs right now.
local wait = ready + rank * interval
if rank > 0 and poll > 0 then wait = math.max(ready, after(rank), poll) end
wait = math.ceil(wait)
redis.call('HSET', KEYS[3], member, now + wait + grace)
redis.call('PEXPIRE', KEYS[2], wait + grace + 600000)
redis.call('PEXPIRE', KEYS[3], wait + grace + 600000)
return {0, wait}
`;

// KEYS: tat. ARGV: wait ms, interval, burst. The next request conforms no earlier than now + wait.
const PUSH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local want = now + tonumber(ARGV[1]) + (tonumber(ARGV[3]) - 1) * tonumber(ARGV[2])
if want > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], want, 'PX', math.ceil(want - now) + 600000)
end
return 1
`;

// KEYS: alias, name tat, name queue, name leases, id tat, id queue, id leases, name in flight, id in
// flight. ARGV: id, alias ttl. The name's clock, waiters and messages in flight move to the ID,
// atomically, so the channel never has two limiters.
const LEARN = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local a = tonumber(redis.call('GET', KEYS[2]) or '0')
if a > tonumber(redis.call('GET', KEYS[5]) or '0') then redis.call('SET', KEYS[5], a, 'PX', 600000) end
local waiting = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
for i = 1, #waiting, 2 do redis.call('ZADD', KEYS[6], 'NX', waiting[i + 1], waiting[i]) end
local flying = redis.call('ZRANGE', KEYS[8], 0, -1, 'WITHSCORES')
for i = 1, #flying, 2 do redis.call('ZADD', KEYS[9], 'NX', flying[i + 1], flying[i]) end
local leases = redis.call('HGETALL', KEYS[4])
for i = 1, #leases, 2 do redis.call('HSETNX', KEYS[7], leases[i], leases[i + 1]) end
redis.call('PEXPIRE', KEYS[6], 1200000)
redis.call('PEXPIRE', KEYS[7], 1200000)
if #flying > 0 then redis.call('PEXPIRE', KEYS[9], 1200000) end
redis.call('DEL', KEYS[3], KEYS[4], KEYS[8])
return 1
`;

// KEYS: in flight, leases, alias. ARGV: member, check alias. A message in flight has left: {1};
// {2, id} the channel name is known as id (its messages in flight moved there, see LEARN): use that.
const LAND = `
if ARGV[2] == '1' then
  local id = redis.call('GET', KEYS[3])
  if id then return {2, id} end
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1] .. '|fly')
return {1}
`;

type Reply = [number, number | string, number?];
interface LimiterRedis extends Redis {
  rlTake(tat: string, queue: string, leases: string, alias: string, flight: string, ...argv: (string | number)[]): Promise<Reply>;
  rlPush(tat: string, ...argv: (string | number)[]): Promise<number>;
  rlLearn(...keysAndArgv: (string | number)[]): Promise<number>;
  rlLand(flight: string, leases: string, alias: string, member: string, checkAlias: string): Promise<[number, string?]>;
}

const clients = new Map<string, LimiterRedis>();

/** One connection per Redis URL and process, made on first use. */
function redisFor(url: string): LimiterRedis {
  let client = clients.get(url);
  if (!client) {
    // Bounded: an unreachable Redis must not hold a delivery; the limiter then lets requests through
    // and the helpdesk's own 429 (a wait, see withRateLimits) is the backstop.
    client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 2000 }) as LimiterRedis;
    client.on('error', () => {});
    client.defineCommand('rlTake', { numberOfKeys: 5, lua: TAKE });
    client.defineCommand('rlPush', { numberOfKeys: 1, lua: PUSH });
    client.defineCommand('rlLearn', { numberOfKeys: 9, lua: LEARN });
    client.defineCommand('rlLand', { numberOfKeys: 3, lua: LAND });
    clients.set(url, client);
  }
  return client;
}

/**
 * Opens the limiter's connection and loads its scripts, so the first throttled request neither
 * connects nor gets NOSCRIPT back before sending the script itself (src/delivery/warm-up.ts).
 */
export async function loadRateLimitScripts(redisUrl: string): Promise<void> {
  const client = redisFor(redisUrl);
  await Promise.all([TAKE, PUSH, LEARN, LAND].map((lua) => client.script('LOAD', lua)));
}

/** Closes the limiter's connections (all, or the one to `redisUrl`): src/workers.ts calls it on close. */
export async function closeRateLimits(redisUrl?: string): Promise<void> {
  const urls = redisUrl ? [redisUrl] : [...clients.keys()];
  await Promise.all(
    urls.map(async (url) => {
      const client = clients.get(url);
      clients.delete(url);
      await client?.quit().catch(() => client.disconnect());
    }),
  );
}

const keysOf = (key: string) => ({ tat: `${PREFIX}${key}:tat`, queue: `${PREFIX}${key}:q`, leases: `${PREFIX}${key}:lease`, flight: `${PREFIX}${key}:fly` });
const aliasKey = (n: { tokenHash: string; name: string }) => `${PREFIX}alias:slack:${n.tokenHash}:${n.name}`;
/** Channel names already known by ID, per Redis URL (a name's ID does not change; a rename shows after the alias TTL). */
const knownIds = new Map<string, string>();

function resolved(url: string, dest: Destination): Destination {
  const id = dest.slackName && knownIds.get(`${url}|${aliasKey(dest.slackName)}`);
  return id ? { key: `slack:${dest.slackName!.tokenHash}:${id}`, intervalMs: dest.intervalMs, burst: dest.burst } : dest;
}

interface Ticket {
  dest: Destination;
  lane: Lane;
  /** One place per delivery and lane: a delivery's requests are sequential, and a job that comes back finds its place again. */
  member: string;
  /** Queue order: the case's creation time ('later' requests as if a minute younger). */
  score: number;
  orderWindowMs: number;
  /** Slots this request leaves free for others (see SLACK_LATER_RESERVE). */
  reserve: number;
}

function ticketFor(ctx: DeliveryContext, dest: Destination, lane: Lane): Ticket {
  return {
    dest,
    lane,
    member: `${ctx.delivery.id}:${lane}`,
    score: ctx.escalation.createdAt.getTime() + (lane === 'later' ? LATER_LANE_OFFSET_MS : 0),
    orderWindowMs: lane === 'first' && dest.key.startsWith('slack:') ? ORDER_WINDOW_MS : 0,
    reserve: lane === 'later' && dest.key.startsWith('slack:') ? SLACK_LATER_RESERVE : 0,
  };
}

/** When a peek takes the slot at once (nobody waiting): never, in an idle destination only, or whenever it conforms. */
type TakeIfFree = 'no' | 'idle' | 'conforming';

/**
 * One try: `wait` 0 = go (peek: your turn, kept for you; `took`: the slot is taken), else about how
 * long until this ticket's turn. A case message's slot taken comes with `later`: how long until its
 * thread reply would conform. A peek with `takeIfFree` takes the slot at once when nobody waits.
 */
async function takeSlot(url: string, t: Ticket, peek: boolean, takeIfFree: TakeIfFree = 'no'): Promise<{ wait: number; took: boolean; later?: number }> {
  const redis = redisFor(url);
  for (;;) {
    const d = resolved(url, t.dest);
    const k = keysOf(d.key);
    const alias = d.slackName ? aliasKey(d.slackName) : k.tat;
    const argv = [
      t.member,
      t.score,
      d.intervalMs,
      d.burst,
      LEASE_GRACE_MS,
      d.slackName ? '1' : '0',
      t.orderWindowMs,
      peek ? '1' : '0',
      t.reserve,
      // The account limits keep the earlier estimate (rank × interval) until measured with this one.
      d.key.startsWith('slack:') ? QUEUED_POLL_MS : 0,
      t.lane === 'first' && d.key.startsWith('slack:') ? SLACK_LATER_RESERVE : -1,
      takeIfFree === 'idle' ? '1' : takeIfFree === 'conforming' ? '2' : '0',
    ];
    const [verdict, value, later] = await redis.rlTake(k.tat, k.queue, k.leases, alias, k.flight, ...argv);
    if (verdict === 2) {
      knownIds.set(`${url}|${alias}`, String(value));
      continue;
    }
    if (verdict === 0) return { wait: Number(value), took: false };
    return { wait: 0, took: verdict === 3 || !peek, later };
  }
}

/** Gives up a place kept by a peek that no request followed. */
async function release(url: string, t: Ticket): Promise<void> {
  const k = keysOf(resolved(url, t.dest).key);
  await redisFor(url).multi().zrem(k.queue, t.member).hdel(k.leases, t.member).exec();
}

/** The case message in flight (its slot taken in an idle channel) is leaving or will not: later ones may go. */
async function land(url: string, t: Ticket): Promise<void> {
  for (;;) {
    const d = resolved(url, t.dest);
    const k = keysOf(d.key);
    const [verdict, id] = await redisFor(url).rlLand(k.flight, k.leases, d.slackName ? aliasKey(d.slackName) : k.flight, t.member, d.slackName ? '1' : '0');
    if (verdict !== 2) return;
    knownIds.set(`${url}|${aliasKey(d.slackName!)}`, String(id));
  }
}

/**
 * Slack answered a post to channel `channel` (a name) with the channel's ID: from now on the ID's
 * limiter counts for both, and replies (which go to the ID) share it. Never throws.
 */
export async function slackChannelSeen(ctx: DeliveryContext, channel: string, id: string | undefined): Promise<void> {
  const named = slackChannel(ctx, channel).slackName;
  if (!named || !id || !CHANNEL_ID.test(id)) return;
  const url = ctx.config.redisUrl;
  const alias = aliasKey(named);
  if (knownIds.get(`${url}|${alias}`) === id) return;
  const from = keysOf(`slack:${named.tokenHash}:#${named.name}`);
  const to = keysOf(`slack:${named.tokenHash}:${id}`);
  try {
    await redisFor(url).rlLearn(alias, from.tat, from.queue, from.leases, to.tat, to.queue, to.leases, from.flight, to.flight, id, ALIAS_TTL_S);
    knownIds.set(`${url}|${alias}`, id);
  } catch {
    // Learned on a later post.
  }
}

// ── Waiting for a slot ───────────────────────────────────────────────────────────────────────────

/** What the limiter knows about the adapter call in progress (see withRateLimits). */
interface Frame {
  phase: 'create' | 'update' | 'reconcile';
  /** The destination of the latest request: the one a 429 pushes back. */
  last?: Destination;
  /** The turn throttle() waited for: the next request takes its slot. */
  turn?: Ticket;
  /** throttle() took the slot already (an account's, or a quiet Slack channel's): the next request needs none. */
  prepaid?: boolean;
  /** A case message whose slot throttle() took in an idle channel: in flight until its request leaves. */
  flying?: Ticket;
  /** Set when a wait left the adapter, whatever error the adapter turned it into. */
  waitUntil?: number;
  /** When a thread reply after the case message just posted to `key` would first conform. */
  replyFrom?: { key: string; at: number };
}
/** The frame of each adapter call in progress, by the DeliveryContext the worker made for it. */
const frames = new WeakMap<DeliveryContext, Frame>();

/**
 * Waits until it is this delivery's turn at `dest` (default: the delivery's helpdesk account), in the
 * order the cases came in: short waits here, longer ones by throwing a RateLimitWait (the job comes
 * back just before its turn without using up an attempt). Put it before the adapter records that it
 * is about to send; the request itself then takes the slot (throttleRequest), so the time spent
 * recording neither bunches requests up at the helpdesk nor lets a later case's request go first.
 */
export async function throttle(ctx: DeliveryContext, dest?: Destination, lane?: Lane): Promise<void> {
  const frame = frames.get(ctx);
  const target = dest ?? accountDestination(ctx);
  if (!target) return;
  const ticket = ticketFor(ctx, target, lane ?? (frame?.phase === 'create' ? 'first' : 'later'));
  if (!frame) {
    await acquire(ctx, ticket, undefined, false);
    return;
  }
  if (!target.key.startsWith('slack:')) {
    // An account's limit counts requests per minute with a second's margin for late ones
    // (accountLimit): its slot can be taken now, one Redis call instead of a peek and a take.
    await acquire(ctx, ticket, frame, false);
    frame.prepaid = true;
    return;
  }
  // Nobody waiting and the slot free: taken at once, so the request that follows the marker save needs
  // no second call. A case message only in an idle channel (order); a thread reply whenever its slot
  // conforms (a thread's replies go one by one, and it leaves a slot free). Else the turn is kept.
  if (await acquire(ctx, ticket, frame, true, ticket.lane === 'first' ? 'idle' : 'conforming')) {
    frame.prepaid = true;
    return;
  }
  frame.turn = ticket;
}

/**
 * Right before a helpdesk request (in the client's single request path, e.g. the adapter's `call`):
 * takes a slot at `dest` in `lane` when given (in its turn: waits here, or leaves as a RateLimitWait
 * when the wait is long), else the slot throttle() waited for, else one of the delivery's helpdesk
 * account (Zendesk, Freshdesk, Gorgias). When nobody waits at the destination, that is one Redis
 * call. Does nothing outside withRateLimits (ctx undefined: a call outside any delivery).
 */
export async function throttleRequest(ctx: DeliveryContext | undefined, dest?: Destination, lane?: Lane): Promise<void> {
  const frame = ctx && frames.get(ctx);
  if (!ctx || !frame) return;
  const defaultLane = frame.phase === 'create' ? 'first' : 'later';
  if (dest) {
    await acquire(ctx, ticketFor(ctx, dest, lane ?? defaultLane), frame, false);
    return;
  }
  if (frame.prepaid) {
    frame.prepaid = false;
    // Sent before the request on this process' one connection, and not awaited: the request does not
    // wait for Redis, and whoever waits on this message hears of it only as the request leaves.
    landFlight(ctx, frame);
    return;
  }
  const turn = frame.turn;
  frame.turn = undefined;
  const target = turn?.dest ?? accountDestination(ctx);
  if (!target) return;
  await acquire(ctx, turn ?? ticketFor(ctx, target, defaultLane), frame, false);
}

/** Waits for the ticket's turn (peek) or slot; true when the slot was taken (a take, or a peek whose `takeIfFree` found it free). */
async function acquire(ctx: DeliveryContext, ticket: Ticket, frame: Frame | undefined, peek: boolean, takeIfFree: TakeIfFree = 'no'): Promise<boolean> {
  const url = ctx.config.redisUrl;
  if (frame) {
    frame.last = ticket.dest;
    frame.waitUntil = undefined;
    // The thread reply of the case message just posted: its first ask would only hear how long to
    // wait (about half a second, see SLACK_CHANNEL_LIMIT), so it waits that long before asking.
    const replyFrom = frame.replyFrom;
    frame.replyFrom = undefined;
    if (replyFrom && ticket.lane === 'later' && replyFrom.key === resolved(url, ticket.dest).key) {
      const early = replyFrom.at - Date.now();
      if (early > 0 && early <= IN_PROCESS_MAX_MS) await (ctx.idle ? ctx.idle(() => sleep(early)) : sleep(early));
    }
  }
  // A case message taking an idle channel's slot is put in flight with it (see TAKE).
  const mayFly = frame && peek && takeIfFree === 'idle' && ticket.orderWindowMs > 0;
  for (;;) {
    let wait: number;
    let took: boolean;
    try {
      const slot = await takeSlot(url, ticket, peek, takeIfFree);
      wait = slot.wait;
      took = slot.took;
      if (wait <= 0 && slot.later !== undefined && frame) frame.replyFrom = { key: resolved(url, ticket.dest).key, at: Date.now() + slot.later };
    } catch {
      // Redis unreachable: let the request go (see redisFor). A call that timed out may still have run
      // and put this case message in flight: it is cleared all the same when the delivery's call ends.
      if (mayFly) frame.flying = ticket;
      return false;
    }
    if (wait <= 0) {
      if (took && mayFly) frame.flying = ticket;
      return took;
    }
    if (wait > IN_PROCESS_MAX_MS) {
      const until = Date.now() + wait - COME_BACK_EARLY_MS;
      if (frame) frame.waitUntil = until;
      throw new RateLimitWait(until, ticket.dest.key.replace(/^slack:[0-9a-f]+:/, 'slack:'));
    }
    // The helpdesk slot is lent out meanwhile: a busy destination must not hold up the others.
    await (ctx.idle ? ctx.idle(() => sleep(wait)) : sleep(wait));
  }
}

function landFlight(ctx: DeliveryContext, frame: Frame): void {
  const flying = frame.flying;
  if (!flying) return;
  frame.flying = undefined;
  void land(ctx.config.redisUrl, flying).catch(() => {}); // else its lease runs out
}

/** The helpdesk answered 429: nobody sends to `dest` before Retry-After has passed. */
async function pushBack(url: string, dest: Destination, waitMs: number): Promise<void> {
  const d = resolved(url, dest);
  await redisFor(url).rlPush(keysOf(d.key).tat, Math.ceil(waitMs), d.intervalMs, d.burst);
}

/** Turns what left an adapter into a wait when it was a rate limit (ours, or the helpdesk's 429). */
async function asWait(ctx: DeliveryContext, frame: Frame, err: unknown): Promise<unknown> {
  if (err instanceof SettleWait) return err;
  if (frame.waitUntil !== undefined) return new RateLimitWait(frame.waitUntil);
  if (err instanceof DeliveryError && err.status === 429) {
    const waitMs = Math.max(250, err.retryAfterMs ?? frame.last?.intervalMs ?? 1000);
    if (frame.last) await pushBack(ctx.config.redisUrl, frame.last, waitMs).catch(() => {});
    return new RateLimitWait(Date.now() + waitMs, frame.last?.key);
  }
  return err;
}

/**
 * The adapter with the limits applied: its calls know their delivery (for throttleRequest), and a
 * rate limit that stops it — a long wait of ours, or the helpdesk's 429 with Retry-After — leaves as a
 * SettleWait, which the worker turns into a delayed job without using up an attempt.
 */
export function withRateLimits(adapter: IntegrationAdapter): IntegrationAdapter {
  const run = async <T>(ctx: DeliveryContext, phase: Frame['phase'], fn: () => Promise<T>): Promise<T> => {
    const frame: Frame = { phase };
    frames.set(ctx, frame);
    try {
      return await fn();
    } catch (err) {
      throw await asWait(ctx, frame, err);
    } finally {
      frames.delete(ctx);
      // A turn no request followed (the adapter stopped in between): let the next one have it.
      if (frame.turn) await release(ctx.config.redisUrl, frame.turn).catch(() => {});
      landFlight(ctx, frame);
    }
  };
  const reconcile = adapter.reconcile?.bind(adapter);
  return {
    type: adapter.type,
    create: (ctx) => run(ctx, 'create', () => adapter.create(ctx)),
    update: (ctx, event) => run(ctx, 'update', () => adapter.update(ctx, event)),
    ...(reconcile ? { reconcile: (ctx: DeliveryContext) => run(ctx, 'reconcile', () => reconcile(ctx)) } : {}),
  };
}
