import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** One store, a range of case creation times [from, to), and the series' bucket. */
export interface AnalyticsQuery {
  storeId: string;
  from: Date;
  to: Date;
  interval: 'day' | 'week';
}

type Counts = Record<string, number>;

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

function toCounts(rows: { key: string; count: unknown }[]): Counts {
  return Object.fromEntries(rows.map((r) => [r.key, num(r.count)]));
}

/**
 * Escalation analytics for one store and time range, computed in SQL over the cases (DESIGN §3,
 * merchants' side): the reference for the rollup-backed computeAnalytics (src/analytics/analytics.ts),
 * which the API serves; exact percentiles, but seconds on a year of a large store.
 * Every figure counts escalated cases created in [from, to), except `evaluated`, which counts
 * evaluations, and the series, which buckets both.
 */
export async function computeAnalyticsDirect(db: Db, q: AnalyticsQuery, now = new Date()) {
  const inRange = Prisma.sql`e."storeId" = ${q.storeId}::uuid AND e."createdAt" >= ${q.from} AND e."createdAt" < ${q.to}`;

  const [summary] = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT
      count(*) AS escalated,
      count(*) FILTER (WHERE e."resolvedAt" IS NOT NULL) AS resolved,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e."assignedAt" - e."createdAt")) FILTER (WHERE e."assignedAt" IS NOT NULL) AS ttfr_median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e."assignedAt" - e."createdAt")) FILTER (WHERE e."assignedAt" IS NOT NULL) AS ttfr_p90,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e."resolvedAt" - e."createdAt")) FILTER (WHERE e."resolvedAt" IS NOT NULL) AS ttr_median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e."resolvedAt" - e."createdAt")) FILTER (WHERE e."resolvedAt" IS NOT NULL) AS ttr_p90,
      count(*) FILTER (WHERE e."firstResponseBreachedAt" IS NULL AND COALESCE(e."assignedAt", e."resolvedAt") <= e."firstResponseDueAt") AS fr_met,
      count(*) FILTER (WHERE e."firstResponseBreachedAt" IS NOT NULL
                          OR COALESCE(e."assignedAt", e."resolvedAt") > e."firstResponseDueAt"
                          OR (COALESCE(e."assignedAt", e."resolvedAt") IS NULL AND e."firstResponseDueAt" < ${now})) AS fr_breached,
      count(*) FILTER (WHERE e."resolutionBreachedAt" IS NULL AND e."resolvedAt" <= e."resolutionDueAt") AS res_met,
      count(*) FILTER (WHERE e."resolutionBreachedAt" IS NOT NULL
                          OR e."resolvedAt" > e."resolutionDueAt"
                          OR (e."resolvedAt" IS NULL AND e."resolutionDueAt" < ${now})) AS res_breached,
      count(*) FILTER (WHERE e."slaTimeZone" IS NOT NULL) AS business_time_cases,
      count(*) FILTER (WHERE e."expectedFirstResponseAt" IS NOT NULL AND e."assignedAt" IS NOT NULL) AS ew_cases,
      count(*) FILTER (WHERE e."assignedAt" <= e."expectedFirstResponseAt") AS ew_kept,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(extract(epoch FROM e."assignedAt" - e."expectedFirstResponseAt")))
        FILTER (WHERE e."expectedFirstResponseAt" IS NOT NULL AND e."assignedAt" IS NOT NULL) AS ew_mae,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e."expectedFirstResponseAt" - e."createdAt"))
        FILTER (WHERE e."expectedFirstResponseAt" IS NOT NULL AND e."assignedAt" IS NOT NULL) AS ew_predicted
    FROM escalations e WHERE ${inRange}`;

  const [evaluated, dimensions, byTrigger, topKeywords, precision, series, breachActions] = await Promise.all([
    db.$queryRaw<{ count: unknown }[]>`
      SELECT count(*) AS count FROM evaluations v
      WHERE v."storeId" = ${q.storeId}::uuid AND v."createdAt" >= ${q.from} AND v."createdAt" < ${q.to}`,
    // One scan for the four breakdowns (GROUPING SETS) instead of one scan each.
    db.$queryRaw<{ priority: string | null; channel: string | null; intent: string | null; status: string | null; count: unknown }[]>`
      SELECT e.priority::text AS priority, e.channel::text AS channel, e.intent, e.status::text AS status, count(*) AS count
      FROM escalations e WHERE ${inRange}
      GROUP BY GROUPING SETS ((e.priority), (e.channel), (e.intent), (e.status)) ORDER BY count DESC`,
    db.$queryRaw<{ key: string; count: unknown }[]>`
      SELECT t AS key, count(*) AS count FROM escalations e, unnest(e.triggers) AS t WHERE ${inRange} GROUP BY 1 ORDER BY 2 DESC`,
    db.$queryRaw<{ keyword: string; count: unknown }[]>`
      SELECT k AS keyword, count(*) AS count FROM escalations e, unnest(e.keywords) AS k WHERE ${inRange}
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`,
    // The latest feedback on each case rates every trigger the case had.
    db.$queryRaw<{ trigger: string; warranted: unknown; rated: unknown }[]>`
      WITH latest AS (
        SELECT DISTINCT ON (f."escalationId") f."escalationId", f.warranted
        FROM feedback f WHERE f."storeId" = ${q.storeId}::uuid
        ORDER BY f."escalationId", f."createdAt" DESC
      )
      SELECT t AS trigger, count(*) FILTER (WHERE l.warranted) AS warranted, count(*) AS rated
      FROM escalations e JOIN latest l ON l."escalationId" = e.id, unnest(e.triggers) AS t
      WHERE ${inRange} GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ start: Date; evaluated: unknown; escalated: unknown }[]>`
      WITH buckets AS (
        SELECT generate_series(date_trunc(${q.interval}, ${q.from}::timestamp), ${q.to}::timestamp - interval '1 microsecond', ${`1 ${q.interval}`}::interval) AS start
      ),
      ev AS (
        SELECT date_trunc(${q.interval}, v."createdAt") AS start, count(*) AS n FROM evaluations v
        WHERE v."storeId" = ${q.storeId}::uuid AND v."createdAt" >= ${q.from} AND v."createdAt" < ${q.to} GROUP BY 1
      ),
      es AS (
        SELECT date_trunc(${q.interval}, e."createdAt") AS start, count(*) AS n FROM escalations e WHERE ${inRange} GROUP BY 1
      )
      SELECT b.start, COALESCE(ev.n, 0) AS evaluated, COALESCE(es.n, 0) AS escalated
      FROM buckets b LEFT JOIN ev ON ev.start = b.start LEFT JOIN es ON es.start = b.start ORDER BY b.start`,
    // Breach actions taken on the cases of the range (src/sla/breach-actions.ts), by target.
    db.$queryRaw<{ kind: string; taken: unknown; raised: unknown; rerouted: unknown; reassigned: unknown }[]>`
      SELECT a.kind, count(*) AS taken,
        count(*) FILTER (WHERE a.actions -> 'raisedPriority' IS NOT NULL) AS raised,
        count(*) FILTER (WHERE a.actions -> 'slackChannel' IS NOT NULL OR a.actions -> 'mention' IS NOT NULL) AS rerouted,
        count(*) FILTER (WHERE a.actions -> 'assignedTo' IS NOT NULL) AS reassigned
      FROM sla_breach_actions a JOIN escalations e ON e.id = a."escalationId"
      WHERE a."storeId" = ${q.storeId}::uuid AND ${inRange} GROUP BY a.kind`,
  ]);

  const breakdown = (dimension: 'priority' | 'channel' | 'intent' | 'status') =>
    toCounts(dimensions.filter((r) => r[dimension] !== null).map((r) => ({ key: r[dimension]!, count: r.count })));
  const escalated = num(summary?.escalated);
  const evaluatedCount = num(evaluated[0]?.count);
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    interval: q.interval,
    totals: {
      evaluated: evaluatedCount,
      escalated,
      escalationRate: evaluatedCount ? Math.round((escalated / evaluatedCount) * 10_000) / 10_000 : 0,
      resolved: num(summary?.resolved),
    },
    byTrigger: toCounts(byTrigger),
    byPriority: breakdown('priority'),
    byChannel: breakdown('channel'),
    byIntent: breakdown('intent'),
    byStatus: breakdown('status'),
    timeToFirstResponse: { medianSeconds: seconds(summary?.ttfr_median), p90Seconds: seconds(summary?.ttfr_p90) },
    timeToResolution: { medianSeconds: seconds(summary?.ttr_median), p90Seconds: seconds(summary?.ttr_p90) },
    sla: {
      met: num(summary?.fr_met) + num(summary?.res_met),
      breached: num(summary?.fr_breached) + num(summary?.res_breached),
    },
    topKeywords: topKeywords.map((k) => ({ keyword: k.keyword, count: num(k.count) })),
    triggerPrecision: Object.fromEntries(
      precision.map((p) => {
        const rated = num(p.rated);
        const warranted = num(p.warranted);
        return [p.trigger, { warranted, rated, precision: rated ? Math.round((warranted / rated) * 10_000) / 10_000 : null }];
      }),
    ),
    series: series.map((s) => ({ start: new Date(s.start).toISOString(), evaluated: num(s.evaluated), escalated: num(s.escalated) })),
    // ── Issue #11, additive ──
    slaAttainment: slaAttainment(summary),
    breachActions: breachActionCounts(breachActions),
    expectedWaitAccuracy: {
      cases: num(summary?.ew_cases),
      medianAbsoluteErrorSeconds: seconds(summary?.ew_mae),
      medianPredictedSeconds: seconds(summary?.ew_predicted),
      kept: num(summary?.ew_kept),
      keptRate: rate(num(summary?.ew_kept), num(summary?.ew_cases)),
    },
  };
}

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * Met ÷ known outcomes per target. Due times count open time when the store had business hours
 * when the case was opened (`businessTimeCases` of them), wall-clock time otherwise.
 */
function slaAttainment(summary: Record<string, unknown> | undefined) {
  const kind = (met: unknown, breached: unknown) => ({ met: num(met), breached: num(breached), rate: rate(num(met), num(met) + num(breached)) });
  const firstResponse = kind(summary?.fr_met, summary?.fr_breached);
  const resolution = kind(summary?.res_met, summary?.res_breached);
  const met = firstResponse.met + resolution.met;
  return {
    rate: rate(met, met + firstResponse.breached + resolution.breached),
    firstResponse,
    resolution,
    businessTimeCases: num(summary?.business_time_cases),
  };
}

function breachActionCounts(rows: { kind: string; taken: unknown; raised: unknown; rerouted: unknown; reassigned: unknown }[]) {
  const total = (k: 'taken' | 'raised' | 'rerouted' | 'reassigned') => rows.reduce((n, r) => n + num(r[k]), 0);
  return {
    taken: total('taken'),
    byKind: Object.fromEntries(rows.map((r) => [r.kind, num(r.taken)])),
    raisedPriority: total('raised'),
    rerouted: total('rerouted'),
    reassigned: total('reassigned'),
  };
}
