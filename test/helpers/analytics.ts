import { expect } from 'vitest';

/** The percentile fields of an analytics answer (seconds, read from log-bucket histograms). */
const PERCENTILES = [
  ['timeToFirstResponse', 'medianSeconds'],
  ['timeToFirstResponse', 'p90Seconds'],
  ['timeToResolution', 'medianSeconds'],
  ['timeToResolution', 'p90Seconds'],
  ['expectedWaitAccuracy', 'medianAbsoluteErrorSeconds'],
  ['expectedWaitAccuracy', 'medianPredictedSeconds'],
] as const;

/**
 * The stated accuracy of src/analytics/histogram.ts: within 1% of the exact percentile, or 0.1 s
 * for values under 0.1 s, plus the rounding of both answers to 0.1 s.
 */
export function expectBucketAccurate(actual: number | null, exact: number | null, label = '') {
  if (exact === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - exact), `${label}: ${actual} vs exact ${exact}`).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 0.1 + 0.1);
}

/** Every count equal, every percentile bucket-accurate. */
export function expectSameAnalytics(actual: any, expected: any) {
  const copy = structuredClone(actual);
  for (const [group, field] of PERCENTILES) {
    expectBucketAccurate(actual[group][field], expected[group][field], `${group}.${field}`);
    copy[group][field] = expected[group][field];
  }
  expect(copy).toEqual(expected);
}
