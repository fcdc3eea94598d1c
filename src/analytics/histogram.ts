import { Prisma } from '../generated/prisma/client.ts';

/**
 * Durations are kept as counts in fixed logarithmic buckets so that days can be added up; a
 * percentile read from them is bucket-accurate: bucket k ≥ 1 holds |v| in [0.1·r^(k-1), 0.1·r^k)
 * seconds with r = 1.02 and stands for its geometric middle 0.1·r^(k-½), at most 1% from any value
 * in it; |v| < 0.1 s is bucket 0 and stands for 0. Percentiles interpolate between the two ranks as
 * percentile_cont does, so the answer is within 1% (or 0.1 s) of the exact percentile.
 */
export const BUCKET_RATIO = 1.02;
const SMALLEST_SECONDS = 0.1;
/** Keys of one metric are STRIDE apart; the signed bucket is stored as OFFSET + bucket. */
const STRIDE = 10_000;
const OFFSET = 5_000;
const MAX_BUCKET = OFFSET - 1;

export const METRIC = { firstResponse: 0, resolution: 1, expectedWaitError: 2, expectedWaitPredicted: 3 } as const;
export type Metric = (typeof METRIC)[keyof typeof METRIC];

/** SQL: the histogram key of `seconds` (a float8 expression; null stays null) for `metric`. */
export function bucketKeySql(metric: Metric, seconds: Prisma.Sql): Prisma.Sql {
  const base = Prisma.raw(String(metric * STRIDE + OFFSET));
  const smallest = Prisma.raw(String(SMALLEST_SECONDS));
  const s = Prisma.sql`(${seconds})::float8`;
  return Prisma.sql`CASE WHEN abs(${s}) < ${smallest} THEN ${base}
    ELSE ${base} + sign(${s})::int * LEAST(${Prisma.raw(String(MAX_BUCKET))}, 1 + floor(ln(abs(${s}) / ${smallest}) / ln(${Prisma.raw(String(BUCKET_RATIO))}))::int) END`;
}

function metricOf(key: number): Metric {
  return Math.floor(key / STRIDE) as Metric;
}

/** The value a bucket stands for, in seconds. */
export function bucketValue(key: number): number {
  const bucket = key - metricOf(key) * STRIDE - OFFSET;
  if (bucket === 0) return 0;
  return Math.sign(bucket) * SMALLEST_SECONDS * BUCKET_RATIO ** (Math.abs(bucket) - 0.5);
}

/** Counts by histogram key, added up over days. */
export class Histograms {
  private readonly counts = new Map<number, number>();

  /** Adds (key, count) pairs packed as big-endian int4, as the SQL of day-aggregate.ts writes them. */
  add(packed: Uint8Array) {
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let at = 0; at + 8 <= packed.byteLength; at += 8) {
      const key = view.getInt32(at);
      this.counts.set(key, (this.counts.get(key) ?? 0) + view.getInt32(at + 4));
    }
  }

  /** The same pairs packed for storage, by key. */
  pack(): Uint8Array {
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const packed = new Uint8Array(keys.length * 8);
    const view = new DataView(packed.buffer);
    keys.forEach((key, i) => {
      view.setInt32(i * 8, key);
      view.setInt32(i * 8 + 4, this.counts.get(key)!);
    });
    return packed;
  }

  /** percentile_cont(p) over the metric's values, bucket-accurate; null when it has none. */
  percentile(metric: Metric, p: number): number | null {
    const buckets = [...this.counts].filter(([key, n]) => metricOf(key) === metric && n > 0).sort((a, b) => a[0] - b[0]);
    const total = buckets.reduce((n, [, c]) => n + c, 0);
    if (total === 0) return null;
    const position = p * (total - 1);
    const lo = Math.floor(position);
    const hi = Math.ceil(position);
    const at = (rank: number) => {
      let seen = 0;
      for (const [key, n] of buckets) {
        seen += n;
        if (rank < seen) return bucketValue(key);
      }
      return bucketValue(buckets.at(-1)![0]);
    };
    const low = at(lo);
    return low + (position - lo) * (at(hi) - low);
  }
}
