import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { aggregateDays, ceilDay, DAY_MS, type DayAggregate, floorDay, type Span, withoutJit } from './day-aggregate.ts';
import { Histograms, METRIC } from './histogram.ts';

export interface AnalyticsQuery {
  storeId: string;
  from: Date;
  to: Date;
  interval: 'day' | 'week';
}

/**
 * Escalation analytics for one store and time range (DESIGN §3, merchants' side), added up from
 * day rollups (analytics_days) where a day lies wholly in the range, was folded, has not changed
 * since (analytics_dirty_days) and has no SLA target whose outcome the clock has decided since; every
 * other part of the range (its partial first and last days, today, changed days) is computed from
 * the cases by the same SQL. Counts equal the direct computation (src/analytics/direct.ts);
 * percentiles are bucket-accurate (src/analytics/histogram.ts: within 1%).
 */
export async function computeAnalytics(db: Db, q: AnalyticsQuery, now = new Date()) {
  const days = await withoutJit(db, async (tx) => {
    const folded = await foldedDays(tx, q, now);
    return [...folded, ...(await aggregateDays(tx, q.storeId, spansNotCovered(q, folded), now))];
  });
  return assemble(q, days);
}

/** Where an answer comes from: how many folded days, and which spans are computed from the cases. */
export async function analyticsSources(db: Db, q: AnalyticsQuery, now = new Date()): Promise<{ foldedDays: number; liveSpans: Span[] }> {
  const folded = await foldedDays(db, q, now);
  return { foldedDays: folded.length, liveSpans: spansNotCovered(q, folded) };
}

async function foldedDays(db: Db | Prisma.TransactionClient, q: AnalyticsQuery, now: Date): Promise<DayAggregate[]> {
  const first = ceilDay(q.from);
  const end = floorDay(q.to);
  if (first >= end) return [];
  return db.$queryRaw<DayAggregate[]>`
    SELECT d.day, d.escalated, d.evaluated, d.counts, d."histKeys", d."histCounts", d."pendingDueAt"
    FROM analytics_days d
    WHERE d."storeId" = ${q.storeId}::uuid AND d.day >= ${first} AND d.day < ${end}
      AND (d."pendingDueAt" IS NULL OR d."pendingDueAt" >= ${now})
      AND NOT EXISTS (SELECT 1 FROM analytics_dirty_days x WHERE x."storeId" = d."storeId" AND x.day = d.day)
    ORDER BY d.day`;
}

/** The parts of [from, to) that no folded day covers. */
export function spansNotCovered(q: { from: Date; to: Date }, folded: { day: Date }[]): Span[] {
  const spans: Span[] = [];
  let cursor = q.from.getTime();
  for (const { day } of folded) {
    if (day.getTime() > cursor) spans.push({ from: new Date(cursor), to: day });
    cursor = day.getTime() + DAY_MS;
  }
  if (cursor < q.to.getTime()) spans.push({ from: new Date(cursor), to: q.to });
  return spans;
}

const round = (v: number | null, factor: number) => (v === null ? null : Math.round(v * factor) / factor);
const seconds = (v: number | null) => round(v, 10);
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

function bucketStart(day: number, interval: 'day' | 'week'): number {
  if (interval === 'day') return day;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS; // date_trunc('week'): Monday
}

/** Adds the days up into the DESIGN §3 answer. */
function assemble(q: AnalyticsQuery, days: DayAggregate[]) {
  const counts = new Map<string, number>();
  const histograms = new Histograms();
  const perDay = new Map<number, { evaluated: number; escalated: number }>();
  for (const d of days) {
    for (const key in d.counts) counts.set(key, (counts.get(key) ?? 0) + d.counts[key]!);
    histograms.add(d.histKeys, d.histCounts);
    const start = bucketStart(new Date(d.day).getTime(), q.interval);
    const bucket = perDay.get(start) ?? { evaluated: 0, escalated: 0 };
    bucket.evaluated += d.evaluated;
    bucket.escalated += d.escalated;
    perDay.set(start, bucket);
  }
  const count = (key: string) => counts.get(key) ?? 0;
  const byPrefix = (prefix: string) => {
    const out: Record<string, number> = {};
    for (const [key, n] of counts) if (key.startsWith(prefix) && n > 0) out[key.slice(prefix.length)] = n;
    return out;
  };

  const evaluated = days.reduce((n, d) => n + d.evaluated, 0);
  const escalated = days.reduce((n, d) => n + d.escalated, 0);
  const firstResponse = { met: count('frm'), breached: count('frb') };
  const resolution = { met: count('rsm'), breached: count('rsb') };
  const met = firstResponse.met + resolution.met;
  const breached = firstResponse.breached + resolution.breached;

  const series: { start: string; evaluated: number; escalated: number }[] = [];
  const step = q.interval === 'day' ? DAY_MS : 7 * DAY_MS;
  for (let start = bucketStart(floorDay(q.from).getTime(), q.interval); start < q.to.getTime(); start += step) {
    const b = perDay.get(start);
    series.push({ start: new Date(start).toISOString(), evaluated: b?.evaluated ?? 0, escalated: b?.escalated ?? 0 });
  }

  const rated = byPrefix('pr:');
  const warranted = byPrefix('pw:');
  const byKind = byPrefix('bk:');
  const ewCases = count('ewc');
  const ewKept = count('ewk');

  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    interval: q.interval,
    totals: { evaluated, escalated, escalationRate: evaluated ? Math.round((escalated / evaluated) * 10_000) / 10_000 : 0, resolved: count('resolved') },
    byTrigger: byPrefix('t:'),
    byPriority: byPrefix('p:'),
    byChannel: byPrefix('c:'),
    byIntent: byPrefix('i:'),
    byStatus: byPrefix('s:'),
    timeToFirstResponse: {
      medianSeconds: seconds(histograms.percentile(METRIC.firstResponse, 0.5)),
      p90Seconds: seconds(histograms.percentile(METRIC.firstResponse, 0.9)),
    },
    timeToResolution: {
      medianSeconds: seconds(histograms.percentile(METRIC.resolution, 0.5)),
      p90Seconds: seconds(histograms.percentile(METRIC.resolution, 0.9)),
    },
    sla: { met, breached },
    topKeywords: Object.entries(byPrefix('k:'))
      .map(([keyword, n]) => ({ keyword, count: n }))
      // ORDER BY count DESC, keyword (the database collates C.UTF-8: code point order, as here).
      .sort((a, b) => b.count - a.count || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0))
      .slice(0, 20),
    triggerPrecision: Object.fromEntries(
      Object.keys(rated)
        .sort()
        .map((trigger) => {
          const w = warranted[trigger] ?? 0;
          return [trigger, { warranted: w, rated: rated[trigger]!, precision: rate(w, rated[trigger]!) }];
        }),
    ),
    series,
    // ── Issue #11, additive ──
    slaAttainment: {
      rate: rate(met, met + breached),
      firstResponse: { ...firstResponse, rate: rate(firstResponse.met, firstResponse.met + firstResponse.breached) },
      resolution: { ...resolution, rate: rate(resolution.met, resolution.met + resolution.breached) },
      businessTimeCases: count('btc'),
    },
    breachActions: {
      taken: Object.values(byKind).reduce((n, k) => n + k, 0),
      byKind,
      raisedPriority: count('bar'),
      rerouted: count('bae'),
      reassigned: count('baa'),
    },
    expectedWaitAccuracy: {
      cases: ewCases,
      medianAbsoluteErrorSeconds: seconds(histograms.percentile(METRIC.expectedWaitError, 0.5)),
      medianPredictedSeconds: seconds(histograms.percentile(METRIC.expectedWaitPredicted, 0.5)),
      kept: ewKept,
      keptRate: rate(ewKept, ewCases),
    },
  };
}
