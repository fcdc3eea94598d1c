// The outbox relay: a new case's first attempts start from Postgres, not from a queue. The statement
// that writes a case and its PENDING deliveries (src/escalations/hot-path.ts) also announces their
// ids with pg_notify, delivered to listeners when it commits. Every worker process listens; each one
// with room claims what it hears (claimForRelay: only deliveries nobody has taken, so one worker wins)
// and runs the first attempts as the fan-out job did, failures going on as retry jobs. A request
// costs the API no Redis call and the worker no job to fetch, lock and complete (three Redis
// scripts per case, and the ioredis and BullMQ work around them).
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
  /** Cases whose first attempts this process runs at once; an announcement past it waits in the backlog. */
  maxCases: number;
  /** Announcements kept waiting at most; past it they are dropped and looked for once there is room. */
  maxBacklog: number;
}

export class OutboxRelay {
  private client: pg.Client | undefined;
  private readonly claims: ClaimBatcher<DeliveryRow>;
  /** Announced cases (their delivery ids, when heard) not yet claimed, oldest first. */
  private readonly backlog: { ids: string[]; at: number }[] = [];
  private inFlight = 0;
  /** Deliveries this process holds a lease on (their attempt is running). */
  private readonly leased = new Set<string>();
  /** Announcements were lost or dropped: look for unannounced deliveries once there is room. */
  private missed = false;
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

  /** Cases whose first attempts are running or being claimed here, and announcements waiting (the oldest for how long). */
  load(now = Date.now()): RelayLoad {
    const oldest = this.backlog[0];
    return { inFlight: this.inFlight, waiting: this.backlog.length, oldestWaitingMs: oldest ? now - oldest.at : 0 };
  }

  start(): void {
    if (this.closed || this.client) return;
    const client = listeningClient(this.databaseUrl, 'reva-relay', CHECK_TIMEOUT_MS);
    this.client = client;
    client.on('notification', (msg) => {
      if (msg.channel === NEW_DELIVERIES_CHANNEL && msg.payload) this.announced(msg.payload.split(','));
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
        this.missed = true;
        this.pump();
      })
      .catch((err: unknown) => this.lost(client, err));
    this.leaseTimer ??= setInterval(() => this.renewLeases(), Math.max(50, this.options.leaseMs / 2)).unref();
  }

  private announced(ids: string[]) {
    if (this.backlog.length >= this.options.maxBacklog) this.missed = true;
    else this.backlog.push({ ids, at: Date.now() });
    this.pump();
  }

  /** Starts the first attempts of waiting cases while there is room; looks for missed ones after. */
  private pump() {
    if (this.closed) return;
    while (this.inFlight < this.options.maxCases && this.backlog.length > 0) this.run(this.backlog.shift()!.ids);
    if (this.missed && this.backlog.length === 0 && this.inFlight < this.options.maxCases && !this.lookingUp) void this.lookUp();
  }

  private run(ids: string[]) {
    this.inFlight++;
    const task: Promise<void> = this.claimAndAttempt(ids).finally(() => {
      this.inFlight--;
      this.running.delete(task);
      this.pump();
    });
    this.running.add(task);
  }

  private async claimAndAttempt(ids: string[]) {
    let rows: DeliveryRow[];
    try {
      rows = await this.claims.submit(ids);
    } catch (err) {
      // Not claimed (Postgres away): the deliveries have no lease, so the look-up or the sweeper finds them.
      this.missed = true;
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

  private async lookUp() {
    this.lookingUp = true;
    this.missed = false;
    const limit = Math.max(1, (this.options.maxCases - this.inFlight) * 4);
    try {
      const cases = await unannounced(this.sql, limit);
      if (cases.reduce((n, ids) => n + ids.length, 0) >= limit) this.missed = true; // more where these came from
      const at = Date.now();
      this.backlog.push(...cases.map((ids) => ({ ids, at })));
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
    this.backlog.length = 0;
    while (this.running.size > 0) await Promise.all([...this.running]);
    clearInterval(this.leaseTimer);
  }
}
