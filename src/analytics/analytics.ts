import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { aggregateDays, ceilDay, DAY_MS, type DayAggregate, floorDay, type Span, withoutJit } from './day-aggregate.ts';
import { type AnalyticsQuery, computeAnalyticsDirect } from './direct.ts';
import { Histograms, METRIC } from './histogram.ts';

export type { AnalyticsQuery };

/** Figures that add up: counts by key, a packed histogram, running SLA targets, and the days' series. */
interface Part {
  counts: Record<string, number>;
  histogram: Uint8Array;
  pendingFirstResponse: Uint8Array;
  pendingResolution: Uint8Array;
  days: { day: number; escalated: number; evaluated: number }[];
}

/**
 * Escalation analytics for one store and time range (DESIGN §3, merchants' side), added up from
 * rollups: a month row (analytics_months) for each whole month of the range, a day row
 * (analytics_days) for each other whole day, provided it was folded (before `now`) and has not
 * changed since (analytics_dirty_days); SLA targets still running at the fold count as breached once
 * due before `now`, as in the direct computation. Every other part of the range (its partial first and last days, today, changed days) is computed from
 * the cases by the same SQL. Counts equal the direct computation (src/analytics/direct.ts);
 * percentiles are bucket-accurate (src/analytics/histogram.ts: within 1%).
 */
export async function computeAnalytics(db: Db, q: AnalyticsQuery, now = new Date()) {
  const parts = await withoutJit(db, async (tx) => {
    const folded = await foldedParts(tx, q, now);
    const live = spansNotCovered(q, folded.covered);
    // Long stretches not folded (before the job's first pass over an old store): one scan of the
    // cases by the direct SQL costs less than day aggregates of them.
    if (live.reduce((ms, s) => ms + s.to.getTime() - s.from.getTime(), 0) > DIRECT_ABOVE_MS) return null;
    return [...folded.parts, ...(await aggregateDays(tx, q.storeId, live, now)).map(dayPart)];
  });
  return parts ? assemble(q, parts, now) : computeAnalyticsDirect(db, q, now);
}

const DIRECT_ABOVE_MS = 62 * DAY_MS;

/** Where an answer comes from: how many folded days (in months or alone), and which spans are computed from the cases. */
export async function analyticsSources(db: Db, q: AnalyticsQuery, now = new Date()): Promise<{ foldedDays: number; liveSpans: Span[] }> {
  const { covered } = await foldedParts(db, q, now);
  return { foldedDays: covered.reduce((n, s) => n + (s.to.getTime() - s.from.getTime()) / DAY_MS, 0), liveSpans: spansNotCovered(q, covered) };
}

const dayPart = (d: DayAggregate): Part => ({
  counts: d.counts,
  histogram: d.histogram,
  pendingFirstResponse: d.pendingFirstResponse,
  pendingResolution: d.pendingResolution,
  days: [{ day: new Date(d.day).getTime(), escalated: d.escalated, evaluated: d.evaluated }],
});

const nextMonth = (month: Date) => new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));

async function foldedParts(db: Db | Prisma.TransactionClient, q: AnalyticsQuery, now: Date): Promise<{ parts: Part[]; covered: Span[] }> {
  const first = ceilDay(q.from);
  const end = floorDay(q.to);
  if (first >= end) return { parts: [], covered: [] };
  type MonthRow = Omit<Part, 'days'> & { month: Date; dayEscalated: number[]; dayEvaluated: number[] };
  const months = await db.$queryRaw<MonthRow[]>`
    SELECT m.month, m."dayEscalated", m."dayEvaluated", m.counts, m.histogram, m."pendingFirstResponse", m."pendingResolution"
    FROM analytics_months m
    WHERE m."storeId" = ${q.storeId}::uuid AND m.month >= ${first} AND m.month + interval '1 month' <= ${end} AND m."foldedAt" <= ${now}
      AND NOT EXISTS (SELECT 1 FROM analytics_dirty_days x WHERE x."storeId" = m."storeId" AND x.day >= m.month AND x.day < m.month + interval '1 month')`;
  const monthStarts = months.map((m) => m.month.toISOString());
  const days = await db.$queryRaw<DayAggregate[]>`
    SELECT d.day, d.escalated, d.evaluated, d.counts, d.histogram, d."pendingFirstResponse", d."pendingResolution"
    FROM analytics_days d
    WHERE d."storeId" = ${q.storeId}::uuid AND d.day >= ${first} AND d.day < ${end}
      AND date_trunc('month', d.day) <> ALL(${monthStarts}::timestamp[])
      AND d."foldedAt" <= ${now}
      AND NOT EXISTS (SELECT 1 FROM analytics_dirty_days x WHERE x."storeId" = d."storeId" AND x.day = d.day)`;
  const parts: Part[] = [
    ...months.map((m) => ({
      counts: m.counts,
      histogram: m.histogram,
      pendingFirstResponse: m.pendingFirstResponse,
      pendingResolution: m.pendingResolution,
      days: m.dayEscalated.map((escalated, i) => ({ day: m.month.getTime() + i * DAY_MS, escalated, evaluated: m.dayEvaluated[i]! })),
    })),
    ...days.map(dayPart),
  ];
  const covered = [
    ...months.map((m) => ({ from: m.month, to: nextMonth(m.month) })),
    ...days.map((d) => ({ from: d.day, to: new Date(d.day.getTime() + DAY_MS) })),
  ].sort((a, b) => a.from.getTime() - b.from.getTime());
  return { parts, covered };
}

/** The parts of [from, to) that no folded span covers (spans sorted, within [from, to)). */
export function spansNotCovered(q: { from: Date; to: Date }, covered: Span[]): Span[] {
  const spans: Span[] = [];
  let cursor = q.from.getTime();
  for (const { from, to } of covered) {
    if (from.getTime() > cursor) spans.push({ from: new Date(cursor), to: from });
    cursor = to.getTime();
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
/** How many of the packed (big-endian int8 epoch ms) due times are before `now`. */
function dueBefore(packed: Uint8Array, now: Date): number {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const limit = BigInt(now.getTime());
  let n = 0;
  for (let at = 0; at + 8 <= packed.byteLength; at += 8) if (view.getBigInt64(at) < limit) n++;
  return n;
}

function assemble(q: AnalyticsQuery, parts: Part[], now: Date) {
  const counts = new Map<string, number>();
  const histograms = new Histograms();
  const perBucket = new Map<number, { evaluated: number; escalated: number }>();
  let evaluated = 0;
  let escalated = 0;
  for (const part of parts) {
    for (const key in part.counts) counts.set(key, (counts.get(key) ?? 0) + part.counts[key]!);
    histograms.add(part.histogram);
    // Targets running at the fold and due since are breached now (none for parts computed now).
    counts.set('frb', (counts.get('frb') ?? 0) + dueBefore(part.pendingFirstResponse, now));
    counts.set('rsb', (counts.get('rsb') ?? 0) + dueBefore(part.pendingResolution, now));
    for (const d of part.days) {
      const start = bucketStart(d.day, q.interval);
      const bucket = perBucket.get(start) ?? { evaluated: 0, escalated: 0 };
      bucket.evaluated += d.evaluated;
      bucket.escalated += d.escalated;
      perBucket.set(start, bucket);
      evaluated += d.evaluated;
      escalated += d.escalated;
    }
  }
  const count = (key: string) => counts.get(key) ?? 0;
  const byPrefix = (prefix: string) => {
    const out: Record<string, number> = {};
    for (const [key, n] of counts) if (key.startsWith(prefix) && n > 0) out[key.slice(prefix.length)] = n;
    return out;
  };

  const firstResponse = { met: count('frm'), breached: count('frb') };
  const resolution = { met: count('rsm'), breached: count('rsb') };
  const met = firstResponse.met + resolution.met;
  const breached = firstResponse.breached + resolution.breached;

  const series: { start: string; evaluated: number; escalated: number }[] = [];
  const step = q.interval === 'day' ? DAY_MS : 7 * DAY_MS;
  for (let start = bucketStart(floorDay(q.from).getTime(), q.interval); start < q.to.getTime(); start += step) {
    const b = perBucket.get(start);
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
