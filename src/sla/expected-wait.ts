// The expected wait of the handoff answer: the median open-hours time to first response of the
// store's recent cases of that priority. One bounded, index-backed query per store and priority,
// cached for a minute in each process and then refreshed in the background (dropped when this
// process records a first response): POST /escalate does not scan per request.
import type { SqlPool } from '../db/sql.ts';
import type { Calendar } from './business-hours.ts';

/** Fewer recent first responses than this: the SLA target is the estimate (basis "sla"). */
export const MIN_SAMPLES = 5;
/** At most this many of the most recent first responses … */
export const MAX_SAMPLES = 200;
/** … within this rolling window. */
export const WINDOW_DAYS = 30;
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

export interface ExpectedWait {
  minutes: number;
  basis: 'observed' | 'sla';
  sampleSize: number;
}

interface Observed {
  medianMinutes: number | null;
  sampleSize: number;
  calendar: Calendar;
  expires: number;
}

const cache = new Map<string, Observed>();
const keyOf = (storeId: string, priority: string) => `${storeId}:${priority}`;

/** A first response was just recorded: the next estimate for that store and priority reads it. */
export function forgetExpectedWait(storeId: string, priority: string) {
  cache.delete(keyOf(storeId, priority));
}

/** Postgres percentile_cont(0.5): the mean of the two middle values of an even count. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

async function observe(sql: SqlPool, storeId: string, priority: string, calendar: Calendar, now: number): Promise<Observed> {
  // The columns are timestamp(3) holding UTC: epoch milliseconds avoid pg's local-time parsing.
  const { rows } = await sql.query<{ created: number; assigned: number }>(
    `SELECT extract(epoch FROM "createdAt")::float8 * 1000 AS created, extract(epoch FROM "assignedAt")::float8 * 1000 AS assigned
     FROM escalations
     WHERE "storeId" = $1::uuid AND priority = $2::"Priority" AND "assignedAt" >= $3::timestamp
     ORDER BY "assignedAt" DESC LIMIT ${MAX_SAMPLES}`,
    [storeId, priority, new Date(now - WINDOW_DAYS * 86_400_000).toISOString().replace('T', ' ').replace('Z', '')],
  );
  const waits = rows.map((r) => calendar.businessMinutesBetween(r.created, r.assigned));
  return { medianMinutes: median(waits), sampleSize: waits.length, calendar, expires: now + CACHE_TTL_MS };
}

const inflight = new Map<string, Promise<Observed>>();

/** One query at a time per store and priority in this process. */
function refresh(sql: SqlPool, storeId: string, priority: string, calendar: Calendar, now: number): Promise<Observed> {
  const key = keyOf(storeId, priority);
  let pending = inflight.get(key);
  if (!pending) {
    pending = observe(sql, storeId, priority, calendar, now)
      .then((observed) => {
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.set(key, observed);
        return observed;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

/**
 * The expected open-hours wait for a new case: the observed median with at least MIN_SAMPLES recent
 * first responses, never more than the SLA target; the target itself otherwise.
 */
export async function expectedWait(
  sql: SqlPool,
  storeId: string,
  priority: string,
  calendar: Calendar,
  targetMinutes: number,
  now = Date.now(),
): Promise<ExpectedWait> {
  const key = keyOf(storeId, priority);
  let observed = cache.get(key);
  if (!observed || observed.calendar !== calendar) observed = await refresh(sql, storeId, priority, calendar, now);
  // Stale: answer with it and refresh in the background, so no request waits for the query.
  else if (observed.expires <= now) refresh(sql, storeId, priority, calendar, now).catch(() => {});
  if (observed.medianMinutes === null || observed.sampleSize < MIN_SAMPLES) return { minutes: targetMinutes, basis: 'sla', sampleSize: observed.sampleSize };
  return { minutes: Math.min(observed.medianMinutes, targetMinutes), basis: 'observed', sampleSize: observed.sampleSize };
}
