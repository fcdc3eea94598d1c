// The delivery writes a retry repairs (claims, DELIVERED records) commit without waiting for the WAL
// flush; the marker saves, which must be on disk before the request they announce, wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createAsyncCommitPool, createDeliveryPool } from '../../src/delivery/pool.ts';
import { ASYNC_COMMIT_APPLICATION_NAME } from '../../src/db/sql.ts';
import { seedConversation, startPipeline, type Pipeline } from '../helpers/pipeline.ts';

describe("the delivery worker's pools", () => {
  const durable = createDeliveryPool(process.env.DATABASE_URL!, 1);
  const relaxed = createAsyncCommitPool(process.env.DATABASE_URL!, 10);
  afterAll(() => Promise.all([durable.end(), relaxed.end()]));

  it('the async-commit pool does not wait for the flush, has at most 4 connections and names its sessions; the other pool waits', async () => {
    expect((await durable.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    const { rows } = await relaxed.query('SELECT current_setting($1) AS commit, current_setting($2) AS name', ['synchronous_commit', 'application_name']);
    expect(rows[0]).toEqual({ commit: 'off', name: ASYNC_COMMIT_APPLICATION_NAME });
    expect(relaxed.options.max).toBe(4);
  });
});

describe('a delivered case', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline();
    p.startWorkers();
  });
  afterAll(() => p?.close());

  it('was claimed and recorded through the async-commit sessions, its markers never', async () => {
    const store = await p.createStore({ webhook: null });
    const admin = new pg.Client({ connectionString: p.config.databaseUrl });
    await admin.connect();
    const isClaim = (q: string) => q.includes('SET attempts = attempts + 1');
    const isRecord = (q: string) => q.includes("SET status = 'DELIVERED'");
    const isMarker = (q: string) => /SET metadata = v\.m, "updatedAt"/.test(q);
    try {
      // Each session shows only the last statement it ran, and the relay's periodic look may follow a
      // record: a few cases, until one is seen.
      let seen = false;
      for (let i = 0; i < 3 && !seen; i++) {
        const { id } = await p.escalate(store, seedConversation(`async-commits-${i}`));
        await p.waitForCase(store, id, 'Slack, Zendesk and Freshdesk delivered', (c) =>
          c.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'),
        );
        const { rows } = await admin.query<{ app: string; query: string }>(
          `SELECT application_name AS app, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        const asyncQueries = rows.filter((r) => r.app === ASYNC_COMMIT_APPLICATION_NAME).map((r) => r.query);
        const otherQueries = rows.filter((r) => r.app !== ASYNC_COMMIT_APPLICATION_NAME).map((r) => r.query);
        expect(asyncQueries.length).toBeGreaterThan(0);
        expect(asyncQueries.some(isMarker)).toBe(false);
        expect(otherQueries.some((q) => isClaim(q) || isRecord(q))).toBe(false);
        seen = asyncQueries.some((q) => isClaim(q) || isRecord(q));
      }
      expect(seen).toBe(true);
    } finally {
      await admin.end();
    }
  });
});
