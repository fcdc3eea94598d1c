// The store directory's cache under concurrency (real Postgres): requests that find an entry missing
// or expired share one read, and a revocation or config change made while a read is out is not
// undone by that read's answer.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { hashApiKey } from '../../src/stores/api-keys.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

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
