import { describe, it, expect } from 'vitest';
import { sentimentAccuracy, type AccuracyRow } from '../../../bench/detector.ts';

// Sign agreement with the human labels of the UCI one-line reviews shipped in
// node_modules/sentiment/test/fixtures: score < 0 → negative, otherwise positive (0 = "no opinion" is
// "not negative", the detector's decision). Tuned on amazon only; imdb and yelp are held out.
// Measured: amazon 87.1% (AFINN alone 72.6%), imdb 79.6% (76.5%), yelp 74.9% (69.6%).
describe('sentiment accuracy on labelled one-line reviews', () => {
  const rows = sentimentAccuracy();
  const row = (set: string): AccuracyRow => rows.find((r) => r.set === set)!;

  it('has the three sets of 1000 labelled sentences', () => {
    expect(rows.map((r) => [r.set, r.role, r.n])).toEqual([
      ['amazon', 'tuned', 1000],
      ['imdb', 'held-out', 1000],
      ['yelp', 'held-out', 1000],
    ]);
  });

  it('reproduces the AFINN-alone baseline (≈ 73% on amazon)', () => {
    expect(row('amazon').afinn).toBeCloseTo(0.726, 3);
    expect(row('imdb').afinn).toBeCloseTo(0.765, 3);
    expect(row('yelp').afinn).toBeCloseTo(0.696, 3);
  });

  it('reaches ≥ 80% on amazon (the tuning set)', () => {
    expect(row('amazon').ours).toBeGreaterThanOrEqual(0.8);
    expect(row('amazon').oursStrict).toBeGreaterThanOrEqual(0.8); // even counting "no opinion" as a miss
  });

  it('held out: imdb ≥ 78%, yelp ≥ 74%, and better than AFINN alone on both', () => {
    console.log(rows.map((r) => `${r.set} (${r.role}): AFINN ${(r.afinn * 100).toFixed(1)}% → ours ${(r.ours * 100).toFixed(1)}%`).join('; '));
    expect(row('imdb').ours).toBeGreaterThanOrEqual(0.78);
    expect(row('yelp').ours).toBeGreaterThanOrEqual(0.74);
    for (const r of rows) {
      expect(r.ours).toBeGreaterThan(r.afinn);
      expect(r.oursStrict).toBeGreaterThan(r.afinnStrict);
      expect(r.oursZeros).toBeLessThan(r.afinnZeros);
    }
  });
});
