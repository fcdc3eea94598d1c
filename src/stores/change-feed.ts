// Store changes (a key revoked, a config saved) reach every process through Postgres LISTEN/NOTIFY,
// so a StoreDirectory may keep what it read for a minute instead of half a second: with many stores,
// each sending now and then, a 500 ms key cache missed on nearly every request and auth cost a query.
//
// What makes a long cache safe is knowing that no change was missed. Postgres delivers notifications
// to a listener in commit order, so once this process hears a ping it sent at time S, it has heard
// every change committed before S. The feed pings itself every PING_MS on a channel of its own and
// is trusted for TRUST_MS after the sending time of the last ping it heard: a change committed at T is
// applied, or the cache stops being trusted, by T + TRUST_MS (DESIGN §3: a revoked key is refused by
// every process within a second). A lost connection, a stalled one (the ping's query times out) or a
// slow one all end in the same place: the directory falls back to its short TTLs until pings are heard
// again, and everything cached is dropped on reconnecting. The argument needs a session of its own:
// behind a transaction-pooling PgBouncer the LISTEN stays on one server connection while the pings may
// run on others, so a ping answered by another backend turns the feed off for good (and
// STORE_CHANGE_FEED=off says so up front).
import { randomBytes } from 'node:crypto';
import { letGo, listeningClient, reconnectDelayMs } from '../db/listen.ts';
import type pg from 'pg';

export const STORE_CHANGES_CHANNEL = 'reva_store_changes';
const PING_MS = 250;
const TRUST_MS = 700;

export interface FeedLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** The statement that announces a change of a store (its keys, its config): run it in the change's transaction. */
export const notifyStoreChange = (storeIdParam: string) => `pg_notify('${STORE_CHANGES_CHANNEL}', ${storeIdParam})`;

export class StoreChangeFeed {
  private client: pg.Client | undefined;
  private readonly pingChannel = `reva_ping_${randomBytes(8).toString('hex')}`;
  /** When the last ping this process heard back was sent (ms; 0: none since connecting). */
  private heardSentAt = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  /** The backend that LISTENs: every ping must be answered by it. */
  private listenerPid = 0;
  private readonly listeners: ((storeId: string | null) => void)[] = [];

  constructor(
    private readonly databaseUrl: string,
    private readonly log?: FeedLog,
    private readonly timing = { pingMs: PING_MS, trustMs: TRUST_MS },
  ) {}

  /** `storeId` changed; null: anything may have changed (the feed was away), forget everything. */
  onChange(listener: (storeId: string | null) => void): void {
    this.listeners.push(listener);
  }

  /** Whether every change committed more than trustMs ago has reached this process. */
  trusted(now = Date.now()): boolean {
    return this.heardSentAt > 0 && now - this.heardSentAt <= this.timing.trustMs;
  }

  start(): void {
    if (this.closed || this.client) return;
    // A ping that gets no answer in time ends the connection (and the trust: see above).
    const client = listeningClient(this.databaseUrl, 'reva-store-changes', Math.max(1000, this.timing.trustMs));
    this.client = client;
    client.on('notification', (msg) => {
      if (msg.channel === this.pingChannel) {
        const sentAt = Number(msg.payload);
        if (sentAt > this.heardSentAt) this.heardSentAt = sentAt;
      } else if (msg.channel === STORE_CHANGES_CHANNEL && msg.payload) this.emit(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client
      .connect()
      .then(() => client.query(`LISTEN ${STORE_CHANGES_CHANNEL}; LISTEN ${this.pingChannel}`))
      .then(() => client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      .then(({ rows }) => {
        if (this.client !== client) return;
        this.listenerPid = rows[0]!.pid;
        // Whatever changed while nobody listened is unknown: start from nothing.
        this.emit(null);
        if (this.failures > 0) this.log?.info({}, 'store change feed: listening again');
        this.failures = 0;
        this.ping(client);
      })
      .catch((err: unknown) => this.lost(client, err));
  }

  private ping(client: pg.Client) {
    if (this.client !== client) return;
    client
      .query<{ pid: number }>('SELECT pg_notify($1, $2), pg_backend_pid() AS pid', [this.pingChannel, String(Date.now())])
      .then(({ rows }) => {
        if (this.client !== client) return;
        if (rows[0]!.pid !== this.listenerPid) return this.pooled();
        this.pingTimer = setTimeout(() => this.ping(client), this.timing.pingMs).unref();
      })
      .catch((err: unknown) => this.lost(client, err));
  }

  private lost(client: pg.Client, err: unknown) {
    if (this.client !== client) return;
    this.client = undefined;
    this.heardSentAt = 0;
    clearTimeout(this.pingTimer);
    void letGo(client);
    if (this.closed) return;
    this.emit(null);
    if (this.failures === 0) this.log?.warn({ err: (err as Error)?.message }, 'store change feed lost; caches fall back to short lifetimes until it is back');
    const delay = reconnectDelayMs(this.failures);
    this.failures++;
    this.reconnectTimer = setTimeout(() => this.start(), delay).unref();
  }

  /** Not a session of our own (a transaction-pooling proxy): notifications could reach someone else. */
  private pooled() {
    this.log?.warn({}, 'store change feed off: the database connection is pooled per transaction (set STORE_CHANGE_FEED=off); caches keep short lifetimes');
    void this.close();
    this.emit(null);
  }

  private emit(storeId: string | null) {
    for (const listener of this.listeners) listener(storeId);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.pingTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.heardSentAt = 0;
    if (client) await letGo(client);
  }
}
