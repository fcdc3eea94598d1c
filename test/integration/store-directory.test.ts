// The store directory's cache under concurrency (real Postgres): requests that find an entry missing
// or expired share one read, and a revocation or config change made while a read is out is not
// undone by that read's answer.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { hashApiKey } from '../../src/stores/api-keys.ts';
import { StoreChangeFeed } from '../../src/stores/change-feed.ts';
import { KEY_CACHE_TTL_MS, StoreDirectory } from '../../src/stores/store-directory.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitUntil } from '../helpers/pipeline.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** The app's Prisma client, counting the reads of api_keys and stores (each call still goes to Postgres). */
function countingDb(db: Db) {
  const reads = { apiKey: 0, store: 0 };
  const counted = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'apiKey' && prop !== 'store') return value;
      return new Proxy(value, {
        get(model, method, r) {
          const fn = Reflect.get(model, method, r);
          if (method !== 'findUnique' || typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            reads[prop]++;
            return fn.apply(model, args);
          };
        },
      });
    },
  });
  return { db: counted as Db, reads };
}

describe('store directory', () => {
  it('concurrent look-ups of a key and a store that are not cached share one read each', async () => {
    const { db, reads } = countingDb(t.app.db);
    const directory = new StoreDirectory(db, t.config.encryptionKey);
    const store = await directory.create(`dir-${randomBytes(3).toString('hex')}`);

    const ids = await Promise.all(Array.from({ length: 20 }, () => directory.storeIdForKey(store.apiKey)));
    expect(ids).toEqual(Array(20).fill(store.id));
    expect(reads.apiKey).toBe(1);

    const records = await Promise.all(Array.from({ length: 20 }, () => directory.get(store.id)));
    expect(new Set(records.map((r) => r?.id))).toEqual(new Set([store.id]));
    expect(reads.store).toBe(1);
    // Cached now: no read at all.
    expect(directory.cachedStoreIdForKeyHash(hashApiKey(store.apiKey))).toBe(store.id);
  });

  it('a key revoked while its look-up is out is refused afterwards (the look-up does not cache it as valid)', async () => {
    const directory = new StoreDirectory(t.app.db, t.config.encryptionKey);
    const store = await directory.create(`dir-${randomBytes(3).toString('hex')}`);
    const [key] = await directory.listKeys(store.id);

    const lookup = directory.storeIdForKey(store.apiKey);
    expect(await directory.revokeKey(store.id, key!.id)).toBe(true);
    await lookup; // may still see the key as valid: it was read before the revocation
    expect(await directory.storeIdForKey(store.apiKey)).toBeNull();
  });
});

describe('store directory over plain pg (the API request path)', () => {
  const expired = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('keeps the record it holds while the row is unchanged, and reads a changed one again', async () => {
    const directory = new StoreDirectory(t.app.db, t.config.encryptionKey, 10, t.app.sql);
    const other = new StoreDirectory(t.app.db, t.config.encryptionKey, 10, t.app.sql);
    const store = await directory.create(`dir-${randomBytes(3).toString('hex')}`);
    expect(await directory.storeIdForKey(store.apiKey)).toBe(store.id);

    const first = await directory.get(store.id);
    expect(first).toMatchObject({ id: store.id, name: store.name, sandbox: false, config: { secrets: {} } });
    await expired();
    // Unchanged: the same object, so what is derived from its config stays built.
    expect(await directory.get(store.id)).toBe(first);

    // Changed through another process: seen once the entry expires, secrets decrypted.
    await other.saveConfig(store.id, { slack: { enabled: true, channel: '#ops' } } as never, { slack: { botToken: 'xoxb-1' } } as never);
    await expired();
    const changed = await directory.get(store.id);
    expect(changed).not.toBe(first);
    expect(changed!.config).toMatchObject({ slack: { enabled: true, channel: '#ops' }, secrets: { slack: { botToken: 'xoxb-1' } } });
    expect(changed!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime() - 1);
    await expired();
    expect(await directory.get(store.id)).toBe(changed);
    expect(await directory.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('a key revoked through another process is refused once the entry expires', async () => {
    const directory = new StoreDirectory(t.app.db, t.config.encryptionKey, 10, t.app.sql);
    const other = new StoreDirectory(t.app.db, t.config.encryptionKey, 10, t.app.sql);
    const store = await directory.create(`dir-${randomBytes(3).toString('hex')}`);
    const [key] = await directory.listKeys(store.id);
    expect(await directory.storeIdForKey(store.apiKey)).toBe(store.id);
    expect(await other.revokeKey(store.id, key!.id)).toBe(true);
    await expired();
    expect(await directory.storeIdForKey(store.apiKey)).toBeNull();
    expect(await directory.storeIdForKey('no-such-key')).toBeNull();
  });
});

describe('store directory with the store change feed (LISTEN/NOTIFY)', () => {
  const feeds: StoreChangeFeed[] = [];
  afterAll(async () => {
    for (const feed of feeds) await feed.close();
  });
  /** A directory as an API process builds it: its own feed, listening before it is used. */
  async function process() {
    const feed = new StoreChangeFeed(t.config.databaseUrl);
    feeds.push(feed);
    feed.start();
    await waitUntil('the feed to hear its own ping', () => feed.trusted(), 5000, 20);
    return { feed, directory: new StoreDirectory(t.app.db, t.config.encryptionKey, undefined, t.app.sql, feed) };
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Polls until `done` and returns how long it took (ms). */
  async function timeUntil(done: () => Promise<boolean>) {
    const start = Date.now();
    while (!(await done())) {
      if (Date.now() - start > 5000) throw new Error('not within 5 s');
      await sleep(5);
    }
    return Date.now() - start;
  }

  it('keeps a key past the short lifetime (no read per request) and refuses it as soon as another process revokes it', async () => {
    const one = await process();
    const two = await process();
    const store = await one.directory.create(`feed-${randomBytes(3).toString('hex')}`);
    const [key] = await one.directory.listKeys(store.id);

    expect(await two.directory.storeIdForKey(store.apiKey)).toBe(store.id);
    await sleep(KEY_CACHE_TTL_MS + 200);
    expect(await two.directory.storeIdForKey(store.apiKey)).toBe(store.id);
    expect(two.directory.reads.key).toBe(1);

    expect(await one.directory.revokeKey(store.id, key!.id)).toBe(true);
    // Far sooner than any cache lifetime: the notification, not an expiry, dropped it.
    const took = await timeUntil(async () => (await two.directory.storeIdForKey(store.apiKey)) === null);
    expect(took).toBeLessThan(250);
  });

  it('a config saved through another process is read again at once; unchanged stores are not read again', async () => {
    const one = await process();
    const two = await process();
    const store = await one.directory.create(`feed-${randomBytes(3).toString('hex')}`);
    const untouched = await one.directory.create(`feed-${randomBytes(3).toString('hex')}`);
    const before = await two.directory.get(store.id);
    await two.directory.get(untouched.id);
    const reads = two.directory.reads.store;

    await one.directory.saveConfig(store.id, { slack: { enabled: true, channel: '#feed' } } as never, {} as never);
    const took = await timeUntil(async () => (await two.directory.get(store.id))?.config.slack?.channel === '#feed');
    expect(took).toBeLessThan(250);
    expect(await two.directory.get(store.id)).not.toBe(before);
    expect(two.directory.reads.store).toBeGreaterThan(reads);
    const afterChange = two.directory.reads.store;
    await sleep(200);
    await two.directory.get(untouched.id);
    await two.directory.get(store.id);
    expect(two.directory.reads.store).toBe(afterChange);
  });

  it('a lost feed connection: the cache is dropped and short-lived until the feed is back, so a revocation is still refused within a second', async () => {
    const one = await process();
    const two = await process();
    const store = await one.directory.create(`feed-${randomBytes(3).toString('hex')}`);
    const [key] = await one.directory.listKeys(store.id);
    expect(await two.directory.storeIdForKey(store.apiKey)).toBe(store.id);
    const reads = two.directory.reads.key;

    // Every feed's connection (this test's and the app's): they reconnect by themselves.
    await t.app.sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reva-store-changes'`);
    await waitUntil('the feed to notice', () => !two.feed.trusted(), 2000, 5);
    // Dropped: the key is read again, and kept only for the short lifetime.
    expect(await two.directory.storeIdForKey(store.apiKey)).toBe(store.id);
    expect(two.directory.reads.key).toBe(reads + 1);

    expect(await one.directory.revokeKey(store.id, key!.id)).toBe(true);
    const took = await timeUntil(async () => (await two.directory.storeIdForKey(store.apiKey)) === null);
    expect(took).toBeLessThan(1000);

    await waitUntil('the feed to be back', () => two.feed.trusted(), 5000, 20);
    const other = await one.directory.create(`feed-${randomBytes(3).toString('hex')}`);
    expect(await two.directory.storeIdForKey(other.apiKey)).toBe(other.id);
    const readsBack = two.directory.reads.key;
    await sleep(KEY_CACHE_TTL_MS + 200);
    expect(await two.directory.storeIdForKey(other.apiKey)).toBe(other.id);
    expect(two.directory.reads.key).toBe(readsBack);
  });
});
