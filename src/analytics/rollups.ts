import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DAY_MS, type DayAggregate, dayAggregatesSql, floorDay, type Span } from './day-aggregate.ts';
import { Histograms } from './histogram.ts';

/**
 * A day is folded once it has been over for this long: a case or evaluation created just before
 * midnight by a transaction that commits just after is in by then (their INSERTs mark nothing).
 */
export const FOLD_GRACE_MS = 3600 * 1000;
/** Folds run one at a time across processes (each in its own transaction, under this lock). */
const FOLD_LOCK = 0x616e_6c79; // "anly"
const DIRTY_BATCH = 1000;

export interface FoldOptions {
  now?: Date;
  /** Days folded per transaction when catching up. */
  chunkDays?: number;
  /** Catch up only these stores (changed days are folded again for every store). */
  storeIds?: string[];
}

type Tx = Prisma.TransactionClient;

/** Upserts the rollup rows of the spans' days from the cases now (stores deleted meanwhile are skipped). */
async function foldSpans(tx: Tx, storeId: string, spans: Span[], now: Date): Promise<number> {
  if (spans.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO analytics_days ("storeId", day, escalated, evaluated, counts, histogram, "pendingFirstResponse", "pendingResolution", "foldedAt")
    SELECT ${storeId}::uuid, a.day, a.escalated, a.evaluated, a.counts, a.histogram, a."pendingFirstResponse", a."pendingResolution", ${now}
    FROM (${dayAggregatesSql(storeId, spans, now)}) AS a
    WHERE EXISTS (SELECT 1 FROM stores s WHERE s.id = ${storeId}::uuid)
    ON CONFLICT ("storeId", day) DO UPDATE SET escalated = EXCLUDED.escalated, evaluated = EXCLUDED.evaluated, counts = EXCLUDED.counts,
      histogram = EXCLUDED.histogram, "pendingFirstResponse" = EXCLUDED."pendingFirstResponse", "pendingResolution" = EXCLUDED."pendingResolution", "foldedAt" = EXCLUDED."foldedAt"`;
}

const nextMonth = (month: Date) => new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
const monthOf = (day: Date) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));

/**
 * Adds up a finished month's day rows into its analytics_months row, in the transaction that folded
 * any of its days; a month with a day not folded has no row (its days are read one by one).
 */
async function foldMonth(tx: Tx, storeId: string, month: Date, now: Date): Promise<void> {
  const end = nextMonth(month);
  const days = await tx.$queryRaw<DayAggregate[]>`
    SELECT day, escalated, evaluated, counts, histogram, "pendingFirstResponse", "pendingResolution" FROM analytics_days
    WHERE "storeId" = ${storeId}::uuid AND day >= ${month} AND day < ${end} ORDER BY day`;
  if (days.length < (end.getTime() - month.getTime()) / DAY_MS) {
    await tx.$executeRaw`DELETE FROM analytics_months WHERE "storeId" = ${storeId}::uuid AND month = ${month}`;
    return;
  }
  const counts: Record<string, number> = {};
  const histograms = new Histograms();
  for (const d of days) {
    for (const key in d.counts) counts[key] = (counts[key] ?? 0) + d.counts[key]!;
    histograms.add(d.histogram);
  }
  const pendingFirstResponse = Buffer.concat(days.map((d) => d.pendingFirstResponse));
  const pendingResolution = Buffer.concat(days.map((d) => d.pendingResolution));
  const escalated = days.map((d) => d.escalated);
  const evaluated = days.map((d) => d.evaluated);
  await tx.$executeRaw`
    INSERT INTO analytics_months ("storeId", month, "dayEscalated", "dayEvaluated", counts, histogram, "pendingFirstResponse", "pendingResolution", "foldedAt")
    VALUES (${storeId}::uuid, ${month}, ${escalated}::int[], ${evaluated}::int[], ${JSON.stringify(counts)}::jsonb, ${histograms.pack()},
      ${pendingFirstResponse}, ${pendingResolution}, ${now})
    ON CONFLICT ("storeId", month) DO UPDATE SET "dayEscalated" = EXCLUDED."dayEscalated", "dayEvaluated" = EXCLUDED."dayEvaluated",
      counts = EXCLUDED.counts, histogram = EXCLUDED.histogram, "pendingFirstResponse" = EXCLUDED."pendingFirstResponse",
      "pendingResolution" = EXCLUDED."pendingResolution", "foldedAt" = EXCLUDED."foldedAt"`;
}

/** Folds the spans' days, then the finished months they touch. */
async function foldDaysAndMonths(tx: Tx, storeId: string, spans: Span[], now: Date, horizon: number): Promise<number> {
  const n = await foldSpans(tx, storeId, spans, now);
  const months = new Set<number>();
  for (const span of spans) {
    for (let m = monthOf(span.from); m < span.to; m = nextMonth(m)) if (nextMonth(m).getTime() <= horizon) months.add(m.getTime());
  }
  for (const m of months) await foldMonth(tx, storeId, new Date(m), now);
  return n;
}

/** Consecutive days merged into spans. */
function daysToSpans(days: Date[]): Span[] {
  const sorted = [...new Set(days.map((d) => d.getTime()))].sort((a, b) => a - b);
  const spans: Span[] = [];
  for (const day of sorted) {
    const last = spans.at(-1);
    if (last && last.to.getTime() === day) last.to = new Date(day + DAY_MS);
    else spans.push({ from: new Date(day), to: new Date(day + DAY_MS) });
  }
  return spans;
}

async function locked<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${FOLD_LOCK})::text`;
      // A fold of a busy store's week takes seconds: more than the service's statement timeout.
      await tx.$executeRaw`SET LOCAL statement_timeout = '300s'`;
      // The planner over-estimates the spans' rows; JIT compiling would cost more than the fold.
      await tx.$executeRaw`SET LOCAL jit = off`;
      return work(tx);
    },
    { maxWait: 60_000, timeout: 600_000 },
  );
}

/**
 * One pass of the rollup job: folds again the days changed since their fold (analytics_dirty_days),
 * then every finished day not folded yet, store by store. Safe to run twice or from several
 * processes at once (same rows, under one lock). Returns how many day rows it wrote.
 */
export async function foldAnalytics(db: Db, options: FoldOptions = {}): Promise<{ refolded: number; folded: number }> {
  const now = options.now ?? new Date();
  const chunkDays = options.chunkDays ?? 7;
  const horizon = floorDay(new Date(now.getTime() - FOLD_GRACE_MS)).getTime();
  let refolded = 0;
  let folded = 0;

  // Changed days first. A mark committed after this DELETE stays for the next pass, and until then
  // the query computes that day from the cases.
  for (;;) {
    const n = await locked(db, async (tx) => {
      const marks = await tx.$queryRaw<{ storeId: string; day: Date }[]>`
        DELETE FROM analytics_dirty_days WHERE id IN (SELECT id FROM analytics_dirty_days ORDER BY id LIMIT ${DIRTY_BATCH})
        RETURNING "storeId", day`;
      const byStore = new Map<string, Date[]>();
      // Days not finished yet are folded below, when their time comes.
      for (const m of marks) if (m.day.getTime() < horizon) byStore.set(m.storeId, [...(byStore.get(m.storeId) ?? []), m.day]);
      for (const [storeId, days] of byStore) refolded += await foldDaysAndMonths(tx, storeId, daysToSpans(days), now, horizon);
      return marks.length;
    });
    if (n < DIRTY_BATCH) break;
  }

  // Then every finished day not folded yet, from each store's first case or evaluation on.
  const stores = await db.$queryRaw<{ id: string; first: Date; have: number }[]>`
    SELECT s.id, f.first, (SELECT count(*)::int FROM analytics_days d WHERE d."storeId" = s.id AND d.day >= date_trunc('day', f.first) AND d.day < ${new Date(horizon)}) AS have
    FROM stores s CROSS JOIN LATERAL (SELECT LEAST((SELECT min("createdAt") FROM escalations e WHERE e."storeId" = s.id),
      (SELECT min("createdAt") FROM evaluations v WHERE v."storeId" = s.id)) AS first) f
    WHERE f.first IS NOT NULL AND (${options.storeIds ?? null}::uuid[] IS NULL OR s.id = ANY(${options.storeIds ?? null}::uuid[]))`;
  for (const store of stores) {
    const first = floorDay(store.first).getTime();
    if (first >= horizon || store.have >= (horizon - first) / DAY_MS) continue;
    const missing = await db.$queryRaw<{ day: Date }[]>`
      SELECT d AS day FROM generate_series(${new Date(first)}::timestamp, ${new Date(horizon - DAY_MS)}::timestamp, interval '1 day') AS d
      WHERE NOT EXISTS (SELECT 1 FROM analytics_days a WHERE a."storeId" = ${store.id}::uuid AND a.day = d)`;
    for (const span of daysToSpans(missing.map((m) => m.day))) {
      for (let from = span.from.getTime(); from < span.to.getTime(); from += chunkDays * DAY_MS) {
        const to = Math.min(span.to.getTime(), from + chunkDays * DAY_MS);
        folded += await locked(db, (tx) => foldDaysAndMonths(tx, store.id, [{ from: new Date(from), to: new Date(to) }], now, horizon));
      }
    }
  }
  return { refolded, folded };
}

/** Runs foldAnalytics every `intervalMs` in a worker process. */
export class AnalyticsRollups {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 60_000,
  ) {}

  start() {
    this.timer = setInterval(() => {
      this.running ??= foldAnalytics(this.db)
        .then(
          ({ refolded, folded }) => {
            if (refolded + folded) this.log.debug({ refolded, folded }, 'analytics days folded');
          },
          (err) => this.log.warn({ err: (err as Error).message }, 'analytics fold failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }
}
