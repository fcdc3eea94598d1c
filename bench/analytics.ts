// npm run bench -- analytics: one store's whole year of analytics on 1,000,000 cases.
// Seeds once per bench database (bench/analytics-seed.ts), then times, warm, best-of and median of N,
// the direct SQL computation (the reference) and the rollup-backed one the API serves.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { computeAnalytics } from '../src/analytics/analytics.ts';
import { aggregateDays, withoutJit } from '../src/analytics/day-aggregate.ts';
import { computeAnalyticsDirect } from '../src/analytics/direct.ts';
import { foldAnalytics } from '../src/analytics/rollups.ts';
import { createDb } from '../src/db/client.ts';
import { ensureAnalyticsData } from './analytics-seed.ts';
import { BENCH_DATABASE_URL } from './env.ts';

const DAY = 86_400_000;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ best: number; median: number; last: T }> {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, last };
}

export async function benchAnalytics() {
  const cases = Number(process.env.ANALYTICS_BENCH_CASES ?? 1_000_000);
  const runs = Number(process.env.ANALYTICS_BENCH_RUNS ?? 5);
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 4 });
  const db = createDb(BENCH_DATABASE_URL, { statementTimeoutMs: 300_000, queryTimeoutMs: 310_000 });
  try {
    console.log(`\n## Analytics, one store's whole year (${fmt(cases)} cases)`);
    const seeded = await ensureAnalyticsData(pool, cases);
    // The last 365 days up to now, starting mid-day: partial edge days and the live tail included.
    const to = new Date();
    const from = new Date(Math.floor(to.getTime() / DAY) * DAY - 365 * DAY + 12 * 3600_000);
    const query = { storeId: seeded.storeId, from, to, interval: 'week' as const };
    const inRange = await pool.query(`SELECT count(*)::int AS n FROM escalations WHERE "storeId" = $1 AND "createdAt" >= $2 AND "createdAt" < $3`, [
      seeded.storeId,
      from,
      to,
    ]);
    console.log(`range ${from.toISOString()} → ${to.toISOString()}: ${fmt(inRange.rows[0].n)} cases of this store`);

    await pool.query('VACUUM ANALYZE analytics_days');
    console.log('| computation | best ms | median ms | runs |\n|---|---|---|---|');
    await computeAnalyticsDirect(db, query); // warm
    const directRuns = Math.min(runs, 2);
    const direct = await timed(directRuns, () => computeAnalyticsDirect(db, query));
    console.log(`| direct SQL over escalations + evaluations (before) | ${fmt(direct.best)} | ${fmt(direct.median)} | ${directRuns} |`);

    if (process.env.ANALYTICS_BENCH_LIVE) {
      // What a query costs before any fold: a minute or more, so only on request.
      const live = await timed(1, () => withoutJit(db, (tx) => aggregateDays(tx, seeded.storeId, [{ from, to }], new Date()), 600_000));
      console.log(`| the day aggregates of the whole range from the cases (nothing folded) | ${fmt(live.best)} | | 1 |`);
    }

    const t0 = performance.now();
    const fold = await foldAnalytics(db);
    if (fold.folded + fold.refolded > 0) {
      console.log(
        `| fold job catching up (${fmt(fold.folded)} new day rows, ${fmt(fold.refolded)} refolded, all stores) | ${fmt(performance.now() - t0)} | | 1 |`,
      );
      await pool.query('VACUUM ANALYZE analytics_days');
    }
    const t1 = performance.now();
    await foldAnalytics(db);
    console.log(`| fold job with nothing to do | ${fmt(performance.now() - t1)} | | 1 |`);

    await computeAnalytics(db, query); // warm
    const rolled = await timed(runs, () => computeAnalytics(db, query));
    console.log(`| rollups + live edges and today (after) | ${fmt(rolled.best)} | ${fmt(rolled.median)} | ${runs} |`);
    const daily = await timed(runs, () => computeAnalytics(db, { ...query, interval: 'day' }));
    console.log(`| the same, interval=day | ${fmt(daily.best)} | ${fmt(daily.median)} | ${runs} |`);
    await cpuPerQuery(query, runs);
    await triggerCost(pool, seeded.storeId, runs);
    await foldAnalytics(db); // the day the trigger measurement marked
    const now = new Date();
    const same = sameAnswer(await computeAnalytics(db, query, now), await computeAnalyticsDirect(db, query, now));
    console.log(`rollup answer vs direct answer: ${same}`);
  } finally {
    await pool.end();
    await db.$disconnect();
  }
}

/** CPU of one whole-year query after: its Postgres backend (one connection) and this process. */
async function cpuPerQuery(query: Parameters<typeof computeAnalytics>[1], runs: number) {
  const single = createDb(BENCH_DATABASE_URL, { poolSize: 1, statementTimeoutMs: 300_000, queryTimeoutMs: 310_000 });
  try {
    const pid = (await single.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
    const backend = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    await computeAnalytics(single, query);
    const pgMs: number[] = [];
    const nodeMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c0 = backend();
      const u0 = process.cpuUsage();
      await computeAnalytics(single, query);
      const u = process.cpuUsage(u0);
      pgMs.push(backend() - c0);
      nodeMs.push((u.user + u.system) / 1000);
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    console.log(`CPU per whole-year query (after, median of ${runs}): Postgres backend ${fmt(median(pgMs))} ms + Node ${fmt(median(nodeMs))} ms`);
  } finally {
    await single.$disconnect();
  }
}

/**
 * What the triggers add to an UPDATE of a case (the lifecycle's assign/resolve, the
 * SLA worker's marks): the same UPDATE with the triggers on and off, on today's case (marks nothing)
 * and on a case of a folded day (marks it). INSERTs, the accept path, have no trigger.
 */
export async function triggerCost(pool: pg.Pool, storeId: string, runs: number) {
  const client = await pool.connect();
  let madeForToday: string | undefined;
  try {
    const pick = async (where: string) =>
      (
        await client.query(`SELECT id FROM escalations WHERE "storeId" = $1 AND "assignedAt" IS NOT NULL AND ${where} ORDER BY "createdAt" DESC LIMIT 1`, [
          storeId,
        ])
      ).rows[0]?.id as string | undefined;
    const old = await pick(`"createdAt" < date_trunc('day', now() AT TIME ZONE 'UTC') - interval '30 days'`);
    if (old === undefined) throw new Error('triggerCost: the seeded store has no assigned case older than 30 days');
    // The seed ends at its own time: a run on a later day (or in the hour after midnight UTC) finds no case
    // of today, so it measures a copy of an old case made today, deleted afterwards.
    let today = await pick(`"createdAt" >= date_trunc('day', now() AT TIME ZONE 'UTC')`);
    if (today === undefined) {
      madeForToday = (
        await client.query(
          `INSERT INTO escalations
           SELECT (jsonb_populate_record(e, jsonb_build_object('id', gen_random_uuid(), 'createdAt', now() AT TIME ZONE 'UTC', 'openConversationId', NULL))).*
           FROM escalations e WHERE id = $1 RETURNING id`,
          [old],
        )
      ).rows[0].id as string;
      today = madeForToday;
    }
    const n = 1000;
    // CPU of this connection's Postgres backend (utime + stime, in clock ticks of 10 ms): steadier than wall time on a shared machine.
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const backendCpuMs = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    const perUpdate = async (id: string) => {
      const c0 = backendCpuMs();
      for (let i = 0; i < n; i++) await client.query(`UPDATE escalations SET "assignedAt" = "assignedAt" + interval '1 millisecond' WHERE id = $1`, [id]);
      return ((backendCpuMs() - c0) / n) * 1000;
    };
    const results: Record<string, number[]> = {
      'today, triggers on': [],
      'today, triggers off': [],
      'folded day, triggers on': [],
      'folded day, triggers off': [],
    };
    for (let r = 0; r < Math.max(3, Math.min(runs, 5)); r++) {
      results['today, triggers on']!.push(await perUpdate(today));
      results['folded day, triggers on']!.push(await perUpdate(old));
      await client.query('ALTER TABLE escalations DISABLE TRIGGER analytics_escalations_updated');
      results['today, triggers off']!.push(await perUpdate(today));
      results['folded day, triggers off']!.push(await perUpdate(old));
      await client.query('ALTER TABLE escalations ENABLE TRIGGER analytics_escalations_updated');
    }
    await client.query(`UPDATE escalations SET "assignedAt" = "assignedAt" - $2 * interval '1 millisecond' WHERE id = ANY($1)`, [
      [today, old],
      n * results['today, triggers on']!.length * 2,
    ]);
    console.log(
      `UPDATE of one case (Postgres backend CPU µs per statement, best of ${results['today, triggers on']!.length} × ${n}): ${Object.entries(results)
        .map(([k, v]) => `${k} ${fmt(Math.min(...v))}`)
        .join('; ')}`,
    );
  } finally {
    await client.query('ALTER TABLE escalations ENABLE TRIGGER analytics_escalations_updated');
    if (madeForToday !== undefined) await client.query('DELETE FROM escalations WHERE id = $1', [madeForToday]);
    client.release();
  }
}

/** Counts equal, percentiles within the stated 1% (+ rounding): "equal", or the first difference. */
function sameAnswer(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const close = (x: unknown, y: unknown) => typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= 0.01 * Math.abs(y) + 0.25;
  const walk = (x: unknown, y: unknown, path: string): string | null => {
    if (/Seconds$/.test(path)) return x === y || close(x, y) ? null : `${path}: ${x} vs ${y}`;
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) {
        const d = walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
        if (d) return d;
      }
      return null;
    }
    return x === y ? null : `${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
  };
  return walk(a, b, '') ?? 'equal (counts exact, percentiles within 1%)';
}
