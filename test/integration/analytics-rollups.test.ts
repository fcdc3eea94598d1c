// Analytics from day rollups (src/analytics/rollups.ts) against the direct SQL computation over the
// cases (src/analytics/direct.ts), on a varied data set seeded by Postgres: equal counts, percentiles
// within the stated bucket accuracy, before and after folds, after late changes, at range edges.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../../bench/analytics-seed.ts';
import { type AnalyticsQuery, analyticsSources, computeAnalytics } from '../../src/analytics/analytics.ts';
import { DAY_MS, floorDay } from '../../src/analytics/day-aggregate.ts';
import { computeAnalyticsDirect } from '../../src/analytics/direct.ts';
import { foldAnalytics } from '../../src/analytics/rollups.ts';
import type { Db } from '../../src/db/client.ts';
import { expectSameAnalytics } from '../helpers/analytics.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const HOUR = 3600_000;

describe('analytics from day rollups', () => {
  let t: TestApp;
  let db: Db;
  let pool: pg.Pool;
  let key: string;
  let storeId: string;
  const now = new Date();
  const today = floorDay(now).getTime();
  // From three days before the month before last up to an hour ago: whole finished months (folded
  // into month rows), finished days, yesterday's and today's cases with SLA targets still running,
  // and another store's cases on the same days.
  const nowDate = new Date(today);
  const fullMonth = Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth() - 2, 1);
  const start = new Date(fullMonth - 3 * DAY_MS);
  const days = (now.getTime() - HOUR - start.getTime()) / DAY_MS;

  const query = (from: number, to: number, interval: 'day' | 'week' = 'day'): AnalyticsQuery => ({ storeId, from: new Date(from), to: new Date(to), interval });
  const expectSame = async (q: AnalyticsQuery, at = new Date()) =>
    expectSameAnalytics(await computeAnalytics(db, q, at), await computeAnalyticsDirect(db, q, at));
  const rows = () =>
    db.$queryRaw<
      object[]
    >`SELECT day, escalated, evaluated, counts, histogram, "pendingFirstResponse", "pendingResolution" FROM analytics_days WHERE "storeId" = ${storeId}::uuid ORDER BY day`;
  const dirtyDays = async () =>
    (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM analytics_dirty_days WHERE "storeId" = ${storeId}::uuid`)[0]!.n;
  /** A case of the seeded store created on the day `daysAgo` days before today. */
  const caseOn = async (daysAgo: number, where: string) =>
    (
      await pool.query(
        `SELECT id, "createdAt" FROM escalations WHERE "storeId" = $1 AND "createdAt" >= $2 AND "createdAt" < $3 AND ${where} ORDER BY id LIMIT 1`,
        [storeId, new Date(today - daysAgo * DAY_MS), new Date(today - (daysAgo - 1) * DAY_MS)],
      )
    ).rows[0] as { id: string; createdAt: Date };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.ctx.db;
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    const store = await t.createStore();
    key = store.apiKey;
    storeId = store.id;
    await seedStore(pool, storeId, 4000, start, days);
    await seedStore(pool, (await t.createStore()).id, 500, start, days);
  }, 120_000);
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('answers like the direct computation before and after the fold, on whole and partial days', async () => {
    const ranges = [
      query(start.getTime(), now.getTime()),
      query(start.getTime(), now.getTime(), 'week'),
      query(start.getTime() + 2 * DAY_MS + 12 * HOUR + 17_000, today - 3 * DAY_MS + 7 * HOUR, 'week'),
      query(today - DAY_MS + 5 * HOUR, now.getTime()),
      query(today - 5 * DAY_MS, today - 4 * DAY_MS),
      query(today - 5 * DAY_MS + 1, today - 4 * DAY_MS - 1),
    ];
    for (const q of ranges) await expectSame(q);

    const fold = await foldAnalytics(db, { storeIds: [storeId] });
    // Every finished day from the first case on (yesterday too once it has been over for an hour); the
    // seed's feedback and breach actions marked most of them changed, so they count as refolded.
    expect(fold.folded + fold.refolded).toBeGreaterThanOrEqual(11);
    for (const q of ranges) await expectSame(q);

    // The whole range reads folded days; only its partial days and the unfinished ones are computed from the cases.
    const sources = await analyticsSources(db, ranges[0]!);
    expect(sources.foldedDays).toBeGreaterThanOrEqual(60);
    expect(sources.liveSpans.length).toBeLessThanOrEqual(4);
    const months = await db.$queryRaw<{ month: Date }[]>`SELECT month FROM analytics_months WHERE "storeId" = ${storeId}::uuid ORDER BY month`;
    expect(months[0]?.month.getTime()).toBe(fullMonth);
    // A range of one whole month and its neighbours' edges: the month row and two partial days.
    await expectSame(query(fullMonth - 5 * HOUR, fullMonth + 31 * DAY_MS + 5 * HOUR, 'week'));
  });

  it('takes time zones and mid-day edges in the query string', async () => {
    await foldAnalytics(db, { storeIds: [storeId] });
    const from = `${new Date(today - 9 * DAY_MS).toISOString().slice(0, 10)}T10:30:00+05:30`;
    const to = new Date(today - 2 * DAY_MS + 13 * HOUR + 1234).toISOString().replace('Z', '+00:00');
    const at = new Date();
    const res = await t.call(key, { method: 'GET', url: `/escalations/analytics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&interval=week` });
    expect(res.statusCode, res.body).toBe(200);
    const direct = await computeAnalyticsDirect(db, query(Date.parse(from), Date.parse(to), 'week'), at);
    expect(res.json().from).toBe(new Date(Date.parse(from)).toISOString());
    expect(direct.totals.escalated).toBeGreaterThan(200);
    expectSameAnalytics(res.json(), direct);
  });

  it('stays exact when cases, feedback, breach actions and evaluations change after their day was folded', async () => {
    await foldAnalytics(db, { storeIds: [storeId] });
    const before = await rows();
    const open = await caseOn(8, `"assignedAt" IS NULL AND "resolvedAt" IS NULL`);
    const inProgress = await caseOn(7, `status = 'IN_PROGRESS'`);
    const resolved = await caseOn(6, `status = 'RESOLVED'`);
    const other = await caseOn(5, 'true');
    const gone = await caseOn(4, 'true');
    // One in the whole month folded into a month row.
    const inMonth = await caseOn((today - fullMonth) / DAY_MS - 10, `status = 'IN_PROGRESS'`);
    // Through the API where there is one, in SQL otherwise (the SLA worker, the breach actions).
    const call = (url: string, payload: object) => t.call(key, { method: 'POST', url, payload });
    expect((await call(`/escalations/${open.id}/assign`, { assignedTo: 'late agent' })).statusCode).toBe(200);
    expect((await call(`/escalations/${inProgress.id}/resolve`, { summary: 'done at last' })).statusCode).toBe(200);
    expect((await call(`/escalations/${resolved.id}/reopen`, { reason: 'not fixed' })).statusCode).toBe(200);
    expect((await call(`/escalations/${inMonth.id}/resolve`, { summary: 'month later' })).statusCode).toBe(200);
    expect((await call(`/escalations/${other.id}/feedback`, { warranted: false })).statusCode).toBe(201);
    await pool.query(`UPDATE escalations SET priority = 'URGENT', triggers = triggers || '{RULE_MATCH}', keywords = '{lawyer,sue}' WHERE id = $1`, [other.id]);
    await pool.query(
      `INSERT INTO sla_breach_actions ("escalationId", "storeId", kind, policy, actions) VALUES ($1, $2, 'resolution', 7, '{"mention":"@lead"}')`,
      [other.id, storeId],
    );
    await pool.query('DELETE FROM escalations WHERE id = $1', [gone.id]);
    // An evaluation moves to another (folded) day, another one is deleted.
    await pool.query(
      `UPDATE evaluations SET "createdAt" = "createdAt" - interval '2 days' WHERE id = (SELECT min(id) FROM evaluations WHERE "storeId" = $1 AND "createdAt" >= $2)`,
      [storeId, new Date(today - 3 * DAY_MS)],
    );
    await pool.query(`DELETE FROM evaluations WHERE id = (SELECT max(id) FROM evaluations WHERE "storeId" = $1 AND "createdAt" < $2)`, [
      storeId,
      new Date(today - 9 * DAY_MS),
    ]);
    expect(await dirtyDays()).toBeGreaterThanOrEqual(7);

    // Right away (the changed days are computed from the cases), then after the job folded them again.
    const whole = query(start.getTime(), now.getTime());
    await expectSame(whole);
    await expectSame(query(today - 9 * DAY_MS + 3 * HOUR, today - 3 * DAY_MS, 'week'));
    const fold = await foldAnalytics(db, { storeIds: [storeId] });
    expect(fold.refolded).toBeGreaterThanOrEqual(7);
    expect(await dirtyDays()).toBe(0);
    await expectSame(whole);
    await expectSame(query(today - 9 * DAY_MS + 3 * HOUR, today - 3 * DAY_MS, 'week'));
    expect(await rows()).not.toEqual(before);
  });

  it('counts SLA targets running at the fold as breached once they fall due, still from the rollups', async () => {
    const foldedAt = new Date();
    // The seed's running targets on folded days are random, and fewer the later it is in the UTC day
    // (only yesterday's last hours still have one): make sure one open case of two days ago has one.
    const opened = await pool.query(
      `UPDATE escalations SET "resolutionDueAt" = $3, "resolutionBreachedAt" = NULL WHERE id = (SELECT id FROM escalations WHERE "storeId" = $1 AND "createdAt" >= $2 AND "createdAt" < $2::timestamp + interval '1 day' AND "resolvedAt" IS NULL ORDER BY id LIMIT 1)`,
      [storeId, new Date(today - 2 * DAY_MS), new Date(foldedAt.getTime() + DAY_MS)],
    );
    expect(opened.rowCount).toBe(1);
    await pool.query(`INSERT INTO analytics_dirty_days ("storeId", day) SELECT "storeId", day FROM analytics_days WHERE "storeId" = $1`, [storeId]);
    await foldAnalytics(db, { storeIds: [storeId], now: foldedAt });
    const running = await db.$queryRaw<{ n: number }[]>`
      SELECT sum(length("pendingFirstResponse") + length("pendingResolution"))::int / 8 AS n FROM analytics_days WHERE "storeId" = ${storeId}::uuid`;
    expect(running[0]!.n, 'the seed leaves targets running on folded days').toBeGreaterThan(0);
    const q = query(start.getTime(), now.getTime());
    const atFold = await analyticsSources(db, q, foldedAt);
    for (const later of [new Date(foldedAt.getTime() + 2 * HOUR), new Date(foldedAt.getTime() + 3 * DAY_MS)]) {
      expect((await analyticsSources(db, q, later)).foldedDays).toBe(atFold.foldedDays);
      await expectSame(q, later);
    }
    // Three days on every target has an outcome: the answer counts more breaches than at the fold.
    const muchLater = await computeAnalytics(db, q, new Date(foldedAt.getTime() + 3 * DAY_MS));
    expect(muchLater.sla.breached).toBeGreaterThan((await computeAnalytics(db, q, foldedAt)).sla.breached);
    // A moment before the fold the folded days do not apply: they are computed from the cases.
    const before = new Date(foldedAt.getTime() - 1);
    expect((await analyticsSources(db, q, before)).foldedDays).toBe(0);
    await expectSame(q, before);
  });

  it('folds idempotently: twice in a row, and twice at once, write the same rows', async () => {
    // One moment for every fold here: the SLA outcomes of running targets depend on it.
    const at = new Date();
    const refoldAll = () =>
      pool.query(`INSERT INTO analytics_dirty_days ("storeId", day) SELECT "storeId", day FROM analytics_days WHERE "storeId" = $1`, [storeId]);
    await foldAnalytics(db, { storeIds: [storeId], now: at });
    await refoldAll();
    await foldAnalytics(db, { storeIds: [storeId], now: at });
    const first = await rows();
    expect(first.length).toBeGreaterThanOrEqual(11);
    expect(await foldAnalytics(db, { storeIds: [storeId], now: at })).toEqual({ refolded: 0, folded: 0 });
    expect(await rows()).toEqual(first);
    await refoldAll();
    const [a, b] = await Promise.all([foldAnalytics(db, { storeIds: [storeId], now: at }), foldAnalytics(db, { storeIds: [storeId], now: at })]);
    expect(a.refolded + b.refolded).toBe(first.length);
    expect(await rows()).toEqual(first);
    await expectSame(query(start.getTime(), now.getTime()));
  });
});
