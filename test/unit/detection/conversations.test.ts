import { describe, it, expect } from 'vitest';
import { evaluateSet, loadOwnSet } from '../../../bench/conversations.ts';

// Issue #12 on our own labelled conversations (test/fixtures/conversations/, web chats where the AI
// is confident): recall ≥ 0.95 on those that need a person, false escalations ≤ 0.05, every safety
// case URGENT. The held-out set is measured by `npm run bench -- conversations` only.
describe('our own labelled conversations', () => {
  const set = loadOwnSet();
  const figures = evaluateSet(set);

  it('has at least 200 conversations, about as many hard negatives as cases that need a person, in every kind', () => {
    expect(set.length).toBeGreaterThanOrEqual(200);
    expect(figures.negatives).toBeGreaterThanOrEqual(0.75 * figures.positives);
    const kinds = new Set(set.filter((c) => c.needsHuman).map((c) => c.kind));
    for (const k of [
      'safety',
      'frustration_facts',
      'sarcasm',
      'reworded_repeat',
      'person_request',
      'churn_dispute',
      'public_threat',
      'ai_looping',
      'damaged_refund_refused',
      'legal',
    ]) {
      expect(kinds, k).toContain(k);
    }
    for (const c of set) expect(c.input.aiConfidence).toBeGreaterThanOrEqual(0.85);
    expect(new Set(set.map((c) => c.id)).size).toBe(set.length);
  });

  it('recall ≥ 0.95, false escalations ≤ 0.05, safety URGENT', () => {
    const missed = figures.misses.map((m) => `${m.needsHuman ? 'missed' : 'false'} ${m.id}`);
    expect(figures.recall, missed.join(', ')).toBeGreaterThanOrEqual(0.95);
    expect(figures.falseEscalationRate, missed.join(', ')).toBeLessThanOrEqual(0.05);
    expect(figures.safetyUrgent).toBe(1);
  });
});
