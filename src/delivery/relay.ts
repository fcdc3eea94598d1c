// The outbox relay: a new case's first attempts start from Postgres, not from a queue. The statement
// that writes a case and its PENDING deliveries (src/escalations/hot-path.ts) also announces their
// ids with pg_notify, delivered to listeners when it commits. Every worker process listens; each one
// with room claims what it hears (claimForRelay: only deliveries nobody has taken, so one worker wins)
// and runs the first attempts as the fan-out job did, failures going on as retry jobs. A request
// costs the API no Redis call and the worker no job to fetch, lock and complete (three Redis
// scripts per case, and the ioredis and BullMQ work around them).
//
// In a worker process each helpdesk has its own lane (DELIVERY_RELAY_LANES, src/config-shape.ts): an
// announcement names each delivery's helpdesk (`SLACK:<id>`), and a case's deliveries are claimed and
// attempted per helpdesk, each lane with its own room. Without lanes (by default where the API runs
// too) one lane takes whole cases. With lanes a case's Zendesk ticket does not wait for a place that
// the case's Slack message holds while it waits for its channel (measured: a burst of 1,500 cases over
// 40 Slack channels made 33 Zendesk tickets a second without, at the pace of Slack's waits; see the
// README). Deliveries of a case are claimed in one statement when their lanes have room together,
// apart (the case read by each) when they do not.
//
// Nothing depends on the announcement arriving: what is not heard (the listening connection was
// down, every worker was busy) is found by a look for unannounced deliveries when the relay
// (re)connects or drops an announcement, and in any case by the outbox sweeper, which enqueues
// jobs for deliveries left PENDING. A claimed delivery is leased: the claiming worker renews the lease
// while the attempt runs, and the sweeper leaves it alone until the lease runs out (a crashed worker,
// like BullMQ's lock on a job).
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import { letGo, listeningClient, reconnectDelayMs } from '../db/listen.ts';
import type { SqlPool } from '../db/sql.ts';
import { type RelayLoad, unwatchRelay, watchRelay } from '../metrics.ts';
import { ClaimBatcher } from './claim-batch.ts';
import { claimForRelay, type DeliveryRow, extendLeases, unannounced } from './rows.ts';

export const NEW_DELIVERIES_CHANNEL = 'reva_new_deliveries';
/**
 * How often the listening connection is checked with a query of its own: a connection that died
 * without closing (a half-open TCP session) would otherwise hear nothing for good, with the sweeper
 * sending every new case 5–20 s late. A check that gets no answer in time ends the connection.
 */
const CHECK_MS = 5000;
const CHECK_TIMEOUT_MS = 3000;

export interface RelayOptions {
  /** How long a claimed delivery is the claiming worker's alone; renewed at half of it while it runs. */
  leaseMs: number;
  /** Per helpdesk, cases whose first attempts this process runs at once; past it they wait in its lane's backlog. */
  maxCases: number;
  /** Per helpdesk, announcements kept waiting at most; past it they are dropped and looked for once there is room. */
  maxBacklog: number;
  /** A lane per helpdesk; without, one lane of whole cases (a case's first attempts start together). */
  lanes: boolean;
}

/** Announced deliveries of one helpdesk (`type`), claimed and attempted apart from the other helpdesks'. */
interface Lane {
  type: string;
  /** Announced cases (their delivery ids for this helpdesk) not yet claimed, oldest first. */
  backlog: { ids: string[]; at: number }[];
  inFlight: number;
  /** Announcements were lost or dropped: look for unannounced deliveries once there is room. */
  missed: boolean;
}

/** The lane of whole cases: every one without lanes, and an announcement without types (an API from before the lanes). */
const UNTYPED = '';

/** `SLACK:<id>,ZENDESK:<id>` → ids by helpdesk; an entry without a type goes to the untyped lane. */
export function parseAnnouncement(payload: string): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const entry of payload.split(',')) {
    const colon = entry.indexOf(':');
    const type = colon < 0 ? UNTYPED : entry.slice(0, colon);
    const id = colon < 0 ? entry : entry.slice(colon + 1);
    if (id === '') continue;
    const ids = byType.get(type);
    if (ids) ids.push(id);
    else byType.set(type, [id]);
  }
  return byType;
}

/** Found deliveries (by case and helpdesk, oldest first) as whole cases, in the order of their first. */
function idsByCase(found: readonly { caseId: string; ids: string[] }[]): string[][] {
  const byCase = new Map<string, string[]>();
  for (const f of found) {
    const ids = byCase.get(f.caseId);
    if (ids) ids.push(...f.ids);
    else byCase.set(f.caseId, [...f.ids]);
  }
  return [...byCase.values()];
}

export class OutboxRelay {
  private client: pg.Client | undefined;
  private readonly claims: ClaimBatcher<DeliveryRow>;
  /** By helpdesk type (created as announcements name them). */
  private readonly lanes = new Map<string, Lane>();
  /** Deliveries this process holds a lease on (their attempt is running). */
  private readonly leased = new Set<string>();
  /** Every lane's announcements may have been missed (the connection was down): look for all of them. */
  private missedAll = false;
  private lookingUp = false;
  private leaseTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private readonly running = new Set<Promise<void>>();
  private listening!: () => void;
  /** Resolves once the relay first listens. */
  readonly ready = new Promise<void>((resolve) => (this.listening = resolve));

  constructor(
    private readonly databaseUrl: string,
    private readonly sql: SqlPool,
    /** Runs the first attempts of one case's claimed deliveries; never rejects. */
    private readonly attempt: (rows: DeliveryRow[]) => Promise<void>,
    private readonly log: FastifyBaseLogger,
    private readonly options: RelayOptions,
  ) {
    this.claims = new ClaimBatcher((ids) => claimForRelay(this.sql, ids, this.options.leaseMs));
  }

  /** Per helpdesk, cases' first attempts running or being claimed here and announcements waiting (the oldest for how long). */
  load(now = Date.now()): RelayLoad {
    let oldest = now;
    for (const lane of this.lanes.values()) if (lane.backlog.length > 0) oldest = Math.min(oldest, lane.backlog[0]!.at);
    const lanes = [...this.lanes.values()].map((lane) => ({
      integration: lane.type === UNTYPED ? 'all' : lane.type,
      inFlight: lane.inFlight,
      waiting: lane.backlog.length,
    }));
    return { lanes, oldestWaitingMs: now - oldest };
  }

  private lane(type: string): Lane {
    let lane = this.lanes.get(type);
    if (!lane) {
      lane = { type, backlog: [], inFlight: 0, missed: false };
      this.lanes.set(type, lane);
    }
    return lane;
  }

  start(): void {
    if (this.closed || this.client) return;
    const client = listeningClient(this.databaseUrl, 'reva-relay', CHECK_TIMEOUT_MS);
    this.client = client;
    client.on('notification', (msg) => {
      if (msg.channel === NEW_DELIVERIES_CHANNEL && msg.payload) this.announced(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client
      .connect()
      .then(() => client.query(`LISTEN ${NEW_DELIVERIES_CHANNEL}`))
      .then(() => {
        if (this.client !== client) return;
        if (this.failures > 0) this.log.info({}, 'outbox relay: listening again');
        this.failures = 0;
        this.listening();
        watchRelay(this);
        this.check(client);
        // Whatever was announced while nobody here listened.
        this.missedAll = true;
        this.pump();
      })
      .catch((err: unknown) => this.lost(client, err));
    this.leaseTimer ??= setInterval(() => this.renewLeases(), Math.max(50, this.options.leaseMs / 2)).unref();
  }

  private announced(payload: string) {
    const at = Date.now();
    const byType = parseAnnouncement(payload);
    for (const [type, ids] of this.options.lanes ? byType : [[UNTYPED, [...byType.values()].flat()] as const]) {
      const lane = this.lane(type);
      if (lane.backlog.length >= this.options.maxBacklog) lane.missed = true;
      else lane.backlog.push({ ids, at });
    }
    this.pump();
  }

  /** Starts the first attempts waiting in each lane while it has room; looks for missed ones after. */
  private pump() {
    if (this.closed) return;
    for (const lane of this.lanes.values()) {
      while (lane.inFlight < this.options.maxCases && lane.backlog.length > 0) this.run(lane, lane.backlog.shift()!.ids);
    }
    if (!this.lookingUp) {
      const look = this.toLookUp();
      if (look) void this.lookUp(look);
    }
  }

  /**
   * What to look for, if anything: the helpdesks whose lanes missed announcements and have room with
   * nothing waiting (what waits is older than what was missed); every helpdesk once every lane has room,
   * after a reconnect or when the untyped lane missed some.
   */
  private toLookUp(): Lane[] | 'all' | undefined {
    const room = (lane: Lane) => lane.backlog.length === 0 && lane.inFlight < this.options.maxCases;
    const lanes = [...this.lanes.values()];
    if (this.missedAll || this.lanes.get(UNTYPED)?.missed) return lanes.every(room) ? 'all' : undefined;
    const missed = lanes.filter((lane) => lane.missed && room(lane));
    return missed.length > 0 ? missed : undefined;
  }

  private run(lane: Lane, ids: string[]) {
    lane.inFlight++;
    const task: Promise<void> = this.claimAndAttempt(lane, ids).finally(() => {
      lane.inFlight--;
      this.running.delete(task);
      this.pump();
    });
    this.running.add(task);
  }

  private async claimAndAttempt(lane: Lane, ids: string[]) {
    let rows: DeliveryRow[];
    try {
      rows = await this.claims.submit(ids);
    } catch (err) {
      // Not claimed (Postgres away): the deliveries have no lease, so the look-up or the sweeper finds them.
      lane.missed = true;
      this.log.warn({ err: (err as Error).message }, 'outbox relay: claim failed; the deliveries are looked for again');
      return;
    }
    if (rows.length === 0) return; // another worker took them
    for (const r of rows) this.leased.add(r.id);
    try {
      await this.attempt(rows);
    } finally {
      for (const r of rows) this.leased.delete(r.id);
    }
  }

  /** Unannounced deliveries, oldest first, into their lanes: up to four times the room of the lanes looked for. */
  private async lookUp(look: Lane[] | 'all') {
    const lanes = look === 'all' ? [...this.lanes.values()] : look;
    this.lookingUp = true;
    if (look === 'all') this.missedAll = false;
    for (const lane of lanes) lane.missed = false;
    const room = look === 'all' ? this.options.maxCases : lanes.reduce((n, lane) => n + this.options.maxCases - lane.inFlight, 0);
    const limit = Math.max(1, room * 4);
    try {
      const found = await unannounced(this.sql, limit, look === 'all' ? null : lanes.map((lane) => lane.type));
      if (found.reduce((n, f) => n + f.ids.length, 0) >= limit) {
        // More where these came from.
        if (look === 'all') this.missedAll = true;
        else for (const lane of lanes) lane.missed = true;
      }
      const at = Date.now();
      if (this.options.lanes) for (const f of found) this.lane(f.type).backlog.push({ ids: f.ids, at });
      else for (const ids of idsByCase(found)) this.lane(UNTYPED).backlog.push({ ids, at });
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'outbox relay: looking for unannounced deliveries failed; the sweeper sends them');
    } finally {
      this.lookingUp = false;
    }
    this.pump();
  }

  private renewLeases() {
    if (this.leased.size === 0) return;
    extendLeases(this.sql, [...this.leased], this.options.leaseMs).catch((err: unknown) =>
      this.log.warn({ err: (err as Error).message }, 'outbox relay: renewing leases failed'),
    );
  }

  private check(client: pg.Client) {
    this.checkTimer = setTimeout(() => {
      if (this.client !== client) return;
      client.query('SELECT 1').then(
        () => this.check(client),
        (err: unknown) => this.lost(client, err),
      );
    }, CHECK_MS).unref();
  }

  private lost(client: pg.Client, err: unknown) {
    if (this.client !== client) return;
    this.client = undefined;
    clearTimeout(this.checkTimer);
    void letGo(client);
    if (this.closed) return;
    if (this.failures === 0) this.log.warn({ err: (err as Error)?.message }, 'outbox relay lost its connection; new cases are looked for when it is back');
    const delay = reconnectDelayMs(this.failures);
    this.failures++;
    this.reconnectTimer = setTimeout(() => this.start(), delay).unref();
  }

  /** Stops listening and waits for the attempts under way (their outcomes are recorded). */
  async close(): Promise<void> {
    this.closed = true;
    unwatchRelay(this);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.checkTimer);
    const client = this.client;
    this.client = undefined;
    if (client) await letGo(client);
    for (const lane of this.lanes.values()) lane.backlog.length = 0;
    while (this.running.size > 0) await Promise.all([...this.running]);
    clearInterval(this.leaseTimer);
  }
}
