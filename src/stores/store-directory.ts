import type { Db } from '../db/client.ts';
import type { SqlPool } from '../db/sql.ts';
import type { EmptyRun } from '../db/warm-up.ts';
import { decryptSecret, encryptSecret } from './secret-box.ts';
import { STORE_CHANGES_CHANNEL, type StoreChangeFeed } from './change-feed.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import type { PublicConfig, StoreConfig, StoreSecrets } from './escalation-config.ts';

const KEY_FIELDS = { id: true, prefix: true, createdAt: true, revokedAt: true } as const;

export interface StoreRecord {
  id: string;
  name: string;
  /** Its helpdesk calls go to the local sandbox (src/integrations/base-urls.ts). */
  sandbox: boolean;
  config: StoreConfig;
  updatedAt: Date;
}

/**
 * Keys are cached for at most this long: a key revoked through any process is refused by every
 * process within a second (DESIGN §3), with no message bus to depend on.
 */
export const KEY_CACHE_TTL_MS = 500;
/** While the store change feed is trusted (it has heard every change up to ~0.7 s ago), entries live this long. */
export const FEED_CACHE_TTL_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface Cached<T> {
  value: T;
  expires: number;
  /** Until when it may be used while the change feed is trusted (0: only until `expires`). */
  expiresWithFeed: number;
}

/** The key and store look-ups of a request through plain pg (named: each session plans them once). */
const KEY_LOOK_UP = {
  name: 'store-key',
  text: `SELECT "storeId"::text AS "storeId", "revokedAt" IS NOT NULL AS revoked FROM api_keys WHERE "keyHash" = $1`,
};
const STORE_LOOK_UP = {
  name: 'store-record',
  text: `SELECT name, sandbox, "updatedAt"::text AS version,
    CASE WHEN "updatedAt"::text = $2 THEN NULL ELSE config END AS config,
    CASE WHEN "updatedAt"::text = $2 THEN NULL ELSE secrets END AS secrets
   FROM stores WHERE id = $1::uuid`,
};

/** Both look-ups for a key and a store that do not exist: the API's start prepares them so (src/escalations/warm-up.ts). */
export const STORE_LOOK_UPS_OF_NOTHING: EmptyRun[] = [
  (sql) => sql.query({ ...KEY_LOOK_UP, values: [''] }),
  (sql) => sql.query({ ...STORE_LOOK_UP, values: ['00000000-0000-0000-0000-000000000000', null] }),
];

/**
 * Stores and their keys, with a read-through cache so the hot path (auth + config on every POST
 * /escalate) does not cost two queries. Postgres stays the truth. With a store change feed
 * (change-feed.ts), every process hears of a revoked key or a saved config as it commits, and entries
 * live a minute while the feed is trusted; without one (or while it is away) they expire after
 * KEY_CACHE_TTL_MS (keys) and a few seconds (stores), so a change made through another process is
 * seen within that time.
 */
export class StoreDirectory {
  private readonly keys = new Map<string, Cached<string | null>>();
  private readonly keyIds = new Map<string, Cached<boolean>>();
  private readonly stores = new Map<string, Cached<StoreRecord | null>>();
  // One read per entry at a time: when an entry expires under load, the requests that find it
  // expired share one query instead of each sending its own.
  private readonly keyReads = new Map<string, Promise<string | null>>();
  private readonly storeReads = new Map<string, Promise<StoreRecord | null>>();

  /** Moved by a revocation or a config change: reads that started before it are not cached. */
  private keyGeneration = 0;
  private storeGeneration = 0;

  constructor(
    private readonly db: Db,
    private readonly encryptionKey: Buffer,
    private readonly ttlMs = 5000,
    /**
     * Plain pg for the reads of the request path (a key per request once its second is up, a store
     * every few seconds): through Prisma each cost the API about a millisecond of CPU.
     */
    private readonly sql?: SqlPool,
    private readonly feed?: StoreChangeFeed,
  ) {
    feed?.onChange((storeId) => this.forget(storeId));
  }

  /** How many reads went to Postgres (keys, stores): what the cache did not answer. */
  readonly reads = { key: 0, store: 0 };

  /** A change of `storeId` (null: of anything) heard from the feed: its entries go, reads under way are not cached. */
  private forget(storeId: string | null) {
    this.keyGeneration++;
    this.storeGeneration++;
    this.keyIds.clear();
    if (storeId === null) {
      this.keys.clear();
      this.keyReads.clear();
      this.stores.clear();
      this.storeReads.clear();
      return;
    }
    for (const [hash, entry] of this.keys) if (entry.value === storeId) this.keys.delete(hash);
    this.stores.delete(storeId);
    this.storeReads.delete(storeId);
  }

  /** A new key for the store; the key itself is returned once and only its hash is kept. */
  async createKey(storeId: string): Promise<ApiKeyInfo & { apiKey: string }> {
    const { key, hash, prefix } = generateApiKey();
    const row = await this.db.apiKey.create({ data: { storeId, keyHash: hash, prefix }, select: KEY_FIELDS });
    return { ...row, apiKey: key };
  }

  async listKeys(storeId: string): Promise<ApiKeyInfo[]> {
    return this.db.apiKey.findMany({ where: { storeId }, select: KEY_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Revokes a key of the store (again is a no-op); false when the store has no such key. */
  async revokeKey(storeId: string, keyId: string): Promise<boolean> {
    const key = await this.db.apiKey.findFirst({ where: { id: keyId, storeId }, select: { id: true, revokedAt: true } });
    if (!key) return false;
    if (!key.revokedAt)
      await this.db.$transaction(async (tx) => {
        await tx.apiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: new Date() } });
        // In the same transaction: the other processes hear of it exactly when it commits.
        await tx.$executeRaw`SELECT pg_notify(${STORE_CHANGES_CHANNEL}, ${storeId})`;
      });
    // This process refuses it at once; the others as they hear of it, or when their cache entry expires.
    this.keyGeneration++;
    this.keyReads.clear();
    this.keys.clear();
    this.keyIds.delete(keyId);
    return true;
  }

  async create(name: string, options: { sandbox?: boolean } = {}): Promise<{ id: string; name: string; apiKey: string }> {
    const { key, hash, prefix } = generateApiKey();
    const store = await this.db.store.create({
      data: { name, sandbox: options.sandbox ?? false, apiKeys: { create: { keyHash: hash, prefix } } },
    });
    return { id: store.id, name: store.name, apiKey: key };
  }

  /** The store a key belongs to, or null for an unknown or revoked key. */
  storeIdForKey(key: string): Promise<string | null> {
    return this.storeIdForKeyHash(hashApiKey(key));
  }

  /** The same, by the key's hash (the request path hashes a token once). */
  storeIdForKeyHash(hash: string): Promise<string | null> {
    const hit = this.cachedStoreIdForKeyHash(hash);
    return hit === undefined ? this.readKey(hash) : Promise.resolve(hit);
  }

  /** The cached answer for a key's hash, or undefined when it must be read (storeIdForKeyHash). */
  cachedStoreIdForKeyHash(hash: string): string | null | undefined {
    return this.fresh(this.keys.get(hash));
  }

  private readKey(hash: string): Promise<string | null> {
    let read = this.keyReads.get(hash);
    if (!read) {
      const generation = this.keyGeneration;
      read = this.readKeyRow(hash)
        .then((row) => {
          const storeId = row && !row.revoked ? row.storeId : null;
          // A revocation made while this read was out must not be undone by its answer.
          if (generation === this.keyGeneration) this.remember(this.keys, hash, storeId, Math.min(this.ttlMs, KEY_CACHE_TTL_MS), storeId !== null);
          return storeId;
        })
        .finally(() => this.keyReads.delete(hash));
      this.keyReads.set(hash, read);
    }
    return read;
  }

  private async readKeyRow(hash: string): Promise<{ storeId: string; revoked: boolean } | null> {
    this.reads.key++;
    if (!this.sql) {
      const row = await this.db.apiKey.findUnique({ where: { keyHash: hash }, select: { storeId: true, revokedAt: true } });
      return row && { storeId: row.storeId, revoked: !!row.revokedAt };
    }
    const { rows } = await this.sql.query<{ storeId: string; revoked: boolean }>({ ...KEY_LOOK_UP, values: [hash] });
    return rows[0] ?? null;
  }

  /** The store and key id of a valid key, uncached (sign-in: a dashboard session remembers the key id). */
  async keyIdentity(key: string): Promise<{ storeId: string; keyId: string } | null> {
    const row = await this.db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, select: { id: true, storeId: true, revokedAt: true } });
    return row && !row.revokedAt ? { storeId: row.storeId, keyId: row.id } : null;
  }

  /** Whether a key (by id) is still valid; cached like keys, so a revocation ends its sessions within a second. */
  async isKeyActive(keyId: string): Promise<boolean> {
    const hit = this.fresh(this.keyIds.get(keyId));
    if (hit !== undefined) return hit;
    const row = await this.db.apiKey.findUnique({ where: { id: keyId }, select: { revokedAt: true } });
    const active = !!row && !row.revokedAt;
    this.remember(this.keyIds, keyId, active, Math.min(this.ttlMs, KEY_CACHE_TTL_MS), active);
    return active;
  }

  get(storeId: string): Promise<StoreRecord | null> {
    const hit = this.fresh(this.stores.get(storeId));
    if (hit !== undefined) return Promise.resolve(hit);
    let read = this.storeReads.get(storeId);
    if (!read) {
      const generation = this.storeGeneration;
      read = this.readStore(storeId)
        .then((record) => {
          if (generation === this.storeGeneration) this.remember(this.stores, storeId, record, this.ttlMs, record !== null);
          return record;
        })
        .finally(() => this.storeReads.delete(storeId));
      this.storeReads.set(storeId, read);
    }
    return read;
  }

  private async readStore(storeId: string): Promise<StoreRecord | null> {
    this.reads.store++;
    if (this.sql) return this.readStoreSql(storeId);
    const row = await this.db.store.findUnique({ where: { id: storeId } });
    return row
      ? {
          id: row.id,
          name: row.name,
          sandbox: row.sandbox,
          updatedAt: row.updatedAt,
          config: { ...(row.config as PublicConfig), secrets: this.open(row.secrets) },
        }
      : null;
  }

  /**
   * The store through plain pg. Its config and secrets come back only when the row changed since the
   * record this process holds (same updatedAt: the same record is kept, so what is derived from its
   * config object — compiled detection settings, the calendar — stays built, and nothing is decrypted again).
   */
  private async readStoreSql(storeId: string): Promise<StoreRecord | null> {
    const held = this.stores.get(storeId)?.value ?? null;
    const heldVersion = held ? versionOf(held.updatedAt) : null;
    const { rows } = await this.sql!.query<{ name: string; sandbox: boolean; version: string; config: PublicConfig | null; secrets: string | null }>({
      ...STORE_LOOK_UP,
      values: [storeId, heldVersion],
    });
    const row = rows[0];
    if (!row) return null;
    if (held && row.version === heldVersion) return held;
    return {
      id: storeId,
      name: row.name,
      sandbox: row.sandbox,
      updatedAt: dateOfVersion(row.version),
      config: { ...(row.config as PublicConfig), secrets: this.open(row.secrets) },
    };
  }

  async saveConfig(storeId: string, config: PublicConfig, secrets: StoreSecrets): Promise<StoreRecord> {
    await this.db.$transaction(async (tx) => {
      await tx.store.update({
        where: { id: storeId },
        data: { config: config as object, secrets: encryptSecret(JSON.stringify(secrets), this.encryptionKey) },
      });
      await tx.$executeRaw`SELECT pg_notify(${STORE_CHANGES_CHANNEL}, ${storeId})`;
    });
    this.storeGeneration++;
    this.storeReads.delete(storeId);
    this.stores.delete(storeId);
    return (await this.get(storeId))!;
  }

  async list(): Promise<{ id: string; name: string }[]> {
    return this.db.store.findMany({ select: { id: true, name: true }, orderBy: { createdAt: 'asc' } });
  }

  private open(sealed: string | null): StoreSecrets {
    return sealed ? (JSON.parse(decryptSecret(sealed, this.encryptionKey)) as StoreSecrets) : {};
  }

  /** Only what exists is kept longer with the feed: an unknown key or store is asked again soon. */
  private remember<T>(map: Map<string, Cached<T>>, key: string, value: T, ttlMs: number, keepWithFeed: boolean) {
    if (map.size > 10_000) map.clear();
    const now = Date.now();
    map.set(key, { value, expires: now + ttlMs, expiresWithFeed: this.feed && keepWithFeed ? now + FEED_CACHE_TTL_MS : 0 });
  }

  private fresh<T>(hit: Cached<T> | undefined): T | undefined {
    if (!hit) return undefined;
    const now = Date.now();
    if (hit.expires > now) return hit.value;
    return hit.expiresWithFeed > now && this.feed?.trusted(now) ? hit.value : undefined;
  }
}

// updatedAt is timestamp(3) without time zone holding UTC; its text form is what the query compares.
const versionOf = (d: Date) =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '')
    .replace(/\.?0+$/, '');
const dateOfVersion = (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
