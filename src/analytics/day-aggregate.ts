import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { bucketKeySql, METRIC } from './histogram.ts';

export const DAY_MS = 24 * 3600 * 1000;

/** [from, to) in time; analytics ranges and folded days are both such spans. */
export interface Span {
  from: Date;
  to: Date;
}

/**
 * One store's analytics for one UTC day of case creation (evaluations by their own day), in a form
 * that adds up: what analytics_days stores, and what the live part of a query computes.
 * `counts` keys: `p:`/`c:`/`i:`/`s:` + priority/channel/intent/status, `t:` + trigger, `k:` +
 * keyword, `resolved`, SLA outcomes `frm`/`frb`/`rsm`/`rsb`, `btc` (business-time cases), expected
 * wait `ewc` (cases) / `ewk` (kept), feedback `pr:`/`pw:` + trigger (rated / warranted), breach
 * actions `bk:` + kind, `bar`/`bae`/`baa` (raised priority / rerouted / reassigned).
 */
export interface DayAggregate {
  day: Date;
  escalated: number;
  evaluated: number;
  counts: Record<string, number>;
  /** (bucket key, count) pairs, big-endian int4 (src/analytics/histogram.ts). */
  histogram: Uint8Array;
  /** Due times (big-endian int8 epoch ms) of the targets with no outcome yet at `now`. */
  pendingFirstResponse: Uint8Array;
  pendingResolution: Uint8Array;
}

export const floorDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
export const ceilDay = (at: Date) => new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);

/**
 * SQL computing the DayAggregate rows of the days the spans touch (each day restricted to the spans),
 * from escalations, evaluations, feedback and breach actions. SLA outcomes are those at `now`, with
 * the definitions of the direct computation (src/analytics/direct.ts).
 */
export function dayAggregatesSql(storeId: string, spans: Span[], now: Date): Prisma.Sql {
  const starts = spans.map((s) => s.from.toISOString());
  const ends = spans.map((s) => s.to.toISOString());
  // Literal bounds (not a join on the spans) let the planner see how few rows they select.
  const within = (column: string) =>
    Prisma.sql`(${Prisma.join(
      spans.map((s) => Prisma.sql`(${Prisma.raw(column)} >= ${s.from} AND ${Prisma.raw(column)} < ${s.to})`),
      ' OR ',
    )})`;
  const seconds = (a: string, b: string) => Prisma.sql`date_part('epoch', ${Prisma.raw(a)} - ${Prisma.raw(b)})`;
  return Prisma.sql`
    WITH r AS (SELECT a, b FROM unnest(${starts}::timestamp[], ${ends}::timestamp[]) AS r(a, b)),
    raw AS (
      SELECT e.id, date_trunc('day', e."createdAt") AS day, e."createdAt" AS created, e.priority::text AS priority, e.channel::text AS channel,
        e.intent, e.status::text AS status, e.triggers, e.keywords, e."assignedAt" AS assigned, e."resolvedAt" AS resolved,
        e."slaTimeZone" IS NOT NULL AS business_time, e."expectedFirstResponseAt" AS promised,
        e."firstResponseDueAt" AS fr_due, e."resolutionDueAt" AS rs_due,
        CASE WHEN e."firstResponseBreachedAt" IS NOT NULL THEN 'frb'
             WHEN COALESCE(e."assignedAt", e."resolvedAt") IS NOT NULL
               THEN CASE WHEN COALESCE(e."assignedAt", e."resolvedAt") <= e."firstResponseDueAt" THEN 'frm' ELSE 'frb' END
             WHEN e."firstResponseDueAt" < ${now} THEN 'frb' END AS fr,
        CASE WHEN e."resolutionBreachedAt" IS NOT NULL THEN 'rsb'
             WHEN e."resolvedAt" IS NOT NULL THEN CASE WHEN e."resolvedAt" <= e."resolutionDueAt" THEN 'rsm' ELSE 'rsb' END
             WHEN e."resolutionDueAt" < ${now} THEN 'rsb' END AS rs
      FROM escalations e WHERE e."storeId" = ${storeId}::uuid AND ${within('e."createdAt"')}
    ),
    e AS MATERIALIZED (SELECT * FROM raw),
    -- Index lookups per case (most have no feedback and no breach action), not a scan of the store's rows.
    latest AS (
      SELECT e.id, l.warranted FROM e CROSS JOIN LATERAL (
        SELECT f.warranted FROM feedback f WHERE f."escalationId" = e.id AND f."storeId" = ${storeId}::uuid ORDER BY f."createdAt" DESC LIMIT 1) l
    ),
    actions AS (
      SELECT e.day, a.kind, a.actions FROM e JOIN LATERAL (
        SELECT a.kind, a.actions FROM sla_breach_actions a WHERE a."escalationId" = e.id AND a."storeId" = ${storeId}::uuid OFFSET 0) a ON true
    ),
    -- Grouped per dimension (GROUPING SETS, unnest): far cheaper than a row per key and case.
    keys AS (
      SELECT day, COALESCE('p:' || priority, 'c:' || channel, 'i:' || intent, 's:' || status, fr, rs) AS k, count(*)::int AS n
      FROM e GROUP BY GROUPING SETS ((day, priority), (day, channel), (day, intent), (day, status), (day, fr), (day, rs))
      UNION ALL SELECT day, 't:' || t, count(*)::int FROM e, unnest(e.triggers) AS t GROUP BY 1, 2
      UNION ALL SELECT day, 'k:' || k, count(*)::int FROM e, unnest(e.keywords) AS k GROUP BY 1, 2
      UNION ALL SELECT e.day, 'pr:' || t, count(*)::int FROM e JOIN latest l ON l.id = e.id, unnest(e.triggers) AS t GROUP BY 1, 2
      UNION ALL SELECT e.day, 'pw:' || t, count(*)::int FROM e JOIN latest l ON l.id = e.id AND l.warranted, unnest(e.triggers) AS t GROUP BY 1, 2
      UNION ALL SELECT day, unnest(ARRAY['resolved', 'btc', 'ewc', 'ewk']), unnest(ARRAY[
          count(*) FILTER (WHERE resolved IS NOT NULL), count(*) FILTER (WHERE business_time),
          count(*) FILTER (WHERE promised IS NOT NULL AND assigned IS NOT NULL), count(*) FILTER (WHERE assigned <= promised)])::int
        FROM e GROUP BY day
      UNION ALL SELECT day, 'bk:' || kind, count(*)::int FROM actions GROUP BY 1, 2
      UNION ALL SELECT day, unnest(ARRAY['bar', 'bae', 'baa']), unnest(ARRAY[
          count(*) FILTER (WHERE actions -> 'raisedPriority' IS NOT NULL),
          count(*) FILTER (WHERE actions -> 'slackChannel' IS NOT NULL OR actions -> 'mention' IS NOT NULL),
          count(*) FILTER (WHERE actions -> 'assignedTo' IS NOT NULL)])::int
        FROM actions GROUP BY day
    ),
    ks AS (SELECT day, jsonb_object_agg(k, n) AS counts FROM keys WHERE k IS NOT NULL AND n > 0 GROUP BY day),
    hist AS (
      SELECT day, string_agg(int4send(h) || int4send(n), ''::bytea ORDER BY h) AS histogram FROM (
        SELECT day, h, count(*)::int AS n FROM (
          SELECT day, ${bucketKeySql(METRIC.firstResponse, seconds('assigned', 'created'))} AS h FROM e WHERE assigned IS NOT NULL
          UNION ALL SELECT day, ${bucketKeySql(METRIC.resolution, seconds('resolved', 'created'))} FROM e WHERE resolved IS NOT NULL
          UNION ALL SELECT day, ${bucketKeySql(METRIC.expectedWaitError, Prisma.sql`abs(${seconds('assigned', 'promised')})`)} FROM e
            WHERE promised IS NOT NULL AND assigned IS NOT NULL
          UNION ALL SELECT day, ${bucketKeySql(METRIC.expectedWaitPredicted, seconds('promised', 'created'))} FROM e
            WHERE promised IS NOT NULL AND assigned IS NOT NULL) x
        GROUP BY 1, 2) y
      GROUP BY day
    ),
    es AS (
      SELECT day, count(*)::int AS n,
        string_agg(int8send((date_part('epoch', fr_due) * 1000)::int8), ''::bytea) FILTER (WHERE fr IS NULL) AS pending_fr,
        string_agg(int8send((date_part('epoch', rs_due) * 1000)::int8), ''::bytea) FILTER (WHERE rs IS NULL) AS pending_rs
      FROM e GROUP BY day
    ),
    ev AS (
      SELECT date_trunc('day', v."createdAt") AS day, count(*)::int AS n
      FROM evaluations v WHERE v."storeId" = ${storeId}::uuid AND ${within('v."createdAt"')} GROUP BY 1
    ),
    days AS (SELECT DISTINCT date_trunc('day', d) AS day FROM r, generate_series(date_trunc('day', r.a), r.b - interval '1 millisecond', interval '1 day') AS d)
    SELECT d.day, COALESCE(es.n, 0) AS escalated, COALESCE(ev.n, 0) AS evaluated, COALESCE(ks.counts, '{}'::jsonb) AS counts,
      COALESCE(hist.histogram, ''::bytea) AS histogram, COALESCE(es.pending_fr, ''::bytea) AS "pendingFirstResponse", COALESCE(es.pending_rs, ''::bytea) AS "pendingResolution"
    FROM days d LEFT JOIN es USING (day) LEFT JOIN ev USING (day) LEFT JOIN ks USING (day) LEFT JOIN hist USING (day)`;
}

/**
 * Runs `work` in a transaction without JIT: the planner cannot see how few rows the spans select,
 * estimates millions, and LLVM then spends seconds compiling a query that runs in milliseconds.
 */
export async function withoutJit<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>, timeoutMs = 30_000): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL jit = off`;
      return work(tx);
    },
    { maxWait: 10_000, timeout: timeoutMs },
  );
}

/** The DayAggregate rows of the spans, computed from the cases now (in a transaction without JIT). */
export async function aggregateDays(tx: Prisma.TransactionClient, storeId: string, spans: Span[], now: Date): Promise<DayAggregate[]> {
  if (spans.length === 0) return [];
  return tx.$queryRaw<DayAggregate[]>(dayAggregatesSql(storeId, spans, now));
}
