// The start-up warm-ups (src/escalations/warm-up.ts, src/delivery/warm-up.ts): before a process takes
// work, its Postgres sessions are open with the hot statements prepared on each, and the rate limiter's
// scripts are in Redis. Real Postgres and Redis.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createSqlPool, type SqlPool } from '../../src/db/sql.ts';
import { warmUpPool } from '../../src/db/warm-up.ts';
import { createAsyncCommitPool, createDeliveryPool } from '../../src/delivery/pool.ts';
import { warmUpDeliveries } from '../../src/delivery/warm-up.ts';
import { warmUpStatements } from '../../src/escalations/warm-up.ts';
import { closeRateLimits } from '../../src/integrations/rate-limits.ts';
import { testConfig } from '../helpers/app.ts';
import { startRedis } from '../helpers/pipeline.ts';

/** The named statements prepared on each session the pool holds (every one checked out at once, so each is asked). */
async function preparedBySession(pool: SqlPool): Promise<string[][]> {
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (c) => (await c.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name)),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

describe('start-up warm-up', () => {
  const config = testConfig();
  const pools: SqlPool[] = [];
  const pool = (make: () => SqlPool) => {
    const p = make();
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await closeRateLimits(config.redisUrl);
  });

  it('opens the sessions asked for (no more than the pool allows) and prepares every statement on each', async () => {
    const sql = pool(() => createSqlPool(config.databaseUrl, 3));
    const probe = (name: string) => (s: SqlPool) => s.query({ name, text: 'SELECT 1 WHERE false' });
    await warmUpPool(sql, 5, [probe('warm-probe-a'), probe('warm-probe-b')]);
    expect(sql.totalCount).toBe(3);
    expect(await preparedBySession(sql)).toEqual([
      ['warm-probe-a', 'warm-probe-b'],
      ['warm-probe-a', 'warm-probe-b'],
      ['warm-probe-a', 'warm-probe-b'],
    ]);
  });

  it("the API's: the key and store look-ups and the case statements, on two sessions", async () => {
    const sql = pool(() => createSqlPool(config.databaseUrl, config.db, 'cached-index-only'));
    expect(await warmUpStatements(sql)).toBeGreaterThan(0);
    const expected = ['count-evaluations', 'follow-up-append', 'insert-cases', 'store-key', 'store-record'];
    expect(await preparedBySession(sql)).toEqual([expected, expected]);
  });

  it("the worker's: its claims, records and marker saves on two sessions of each pool, and the limiter's scripts in Redis", async () => {
    // A private Redis: no script loaded by anyone else.
    const server = await startRedis();
    const redis = new Redis(server.url);
    try {
      const sql = pool(() => createDeliveryPool(config.databaseUrl, config.db));
      const asyncSql = pool(() => createAsyncCommitPool(config.databaseUrl, config.db));
      await warmUpDeliveries(sql, asyncSql, server.url);
      const claimsAndRecords = ['delivery-claim', 'delivery-claim-relay', 'delivery-extend-leases', 'delivery-record-delivered'];
      expect(await preparedBySession(asyncSql)).toEqual([claimsAndRecords, claimsAndRecords]);
      expect(await preparedBySession(sql)).toEqual([['delivery-save-metadata'], ['delivery-save-metadata']]);
      // The limiter's four scripts (rate-limits.ts): its first request gets no NOSCRIPT back.
      expect(await redis.info('memory')).toMatch(/number_of_cached_scripts:4\r?\n/);
    } finally {
      redis.disconnect();
      await closeRateLimits(server.url);
      await server.stop();
    }
  });
});
