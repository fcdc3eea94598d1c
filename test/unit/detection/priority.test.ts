import { describe, it, expect } from 'vitest';
import { computePriority, detect, explainPriority, type PriorityInput, type Trigger } from '../../../src/detection/index.ts';
import { SEED, chat, said } from './helpers.ts';

// One test per row of src/detection/PRIORITY.md.
const LC = (value: number, threshold = 0.7): Trigger => ({ type: 'LOW_CONFIDENCE', value, threshold, reason: '' });
const NS = (value: number, threshold = -0.5): Trigger => ({ type: 'NEGATIVE_SENTIMENT', value, threshold, reason: '' });
const KW: Trigger = { type: 'KEYWORD_MATCH', value: ['agent'], threshold: null, reason: '' };
const MT: Trigger = { type: 'MAX_TURNS_EXCEEDED', value: 12, threshold: 10, reason: '' };
const MN: Trigger = { type: 'MANUAL', value: 'customer_request', threshold: null, reason: '' };
const RQ = (value: number): Trigger => ({ type: 'REPEATED_QUESTION', value, threshold: 1, reason: '' });
const RM: Trigger = { type: 'RULE_MATCH', value: 'vip rule', threshold: null, reason: '' };
const p = (input: PriorityInput): string => computePriority(input);

describe('PRIORITY.md rules', () => {
  it('R1: no trigger → LOW, whatever the tier, order or risk', () => {
    expect(p({ triggers: [] })).toBe('LOW');
    expect(p({ triggers: [], customerTier: 'platinum', orderTotal: 9999, riskFlags: ['safety'] })).toBe('LOW');
  });

  it('R2: a risk flag or the legal intent → URGENT, even with only a weak trigger', () => {
    for (const flag of ['legal_threat', 'chargeback', 'safety']) expect(p({ triggers: [MT], riskFlags: [flag] })).toBe('URGENT');
    expect(p({ triggers: [LC(0.65)], intent: 'legal' })).toBe('URGENT');
    expect(p({ triggers: [LC(0.65)], riskFlags: ['something_else'], intent: 'billing' })).toBe('LOW');
  });

  it('R3: a strong trigger → HIGH', () => {
    expect(p({ triggers: [MN] })).toBe('HIGH');
    expect(p({ triggers: [NS(-0.8)] })).toBe('HIGH'); // ≤ threshold − 0.3
    expect(p({ triggers: [NS(-0.79)] })).toBe('MEDIUM');
    expect(p({ triggers: [LC(0.3)] })).toBe('HIGH'); // ≤ threshold − 0.4
    expect(p({ triggers: [LC(0.31)] })).toBe('MEDIUM');
    expect(p({ triggers: [RQ(2)] })).toBe('HIGH');
    expect(p({ triggers: [NS(-0.9, -0.2)] })).toBe('HIGH'); // relative to the store threshold
    expect(p({ triggers: [NS(-0.45, -0.2)] })).toBe('MEDIUM');
  });

  it('R3: three different trigger types → HIGH', () => {
    expect(p({ triggers: [LC(0.65), MT, KW] })).toBe('HIGH');
    expect(p({ triggers: [KW, KW, KW] })).toBe('MEDIUM');
  });

  it('R4: a medium trigger or two trigger types → MEDIUM', () => {
    expect(p({ triggers: [KW] })).toBe('MEDIUM');
    expect(p({ triggers: [RM] })).toBe('MEDIUM');
    expect(p({ triggers: [NS(-0.55)] })).toBe('MEDIUM');
    expect(p({ triggers: [RQ(1)] })).toBe('MEDIUM');
    expect(p({ triggers: [LC(0.5)] })).toBe('MEDIUM'); // ≤ threshold − 0.2
    expect(p({ triggers: [LC(0.65), MT] })).toBe('MEDIUM');
  });

  it('R5: only weak triggers → LOW', () => {
    expect(p({ triggers: [MT] })).toBe('LOW');
    expect(p({ triggers: [LC(0.51)] })).toBe('LOW');
    expect(p({ triggers: [LC(0.69)] })).toBe('LOW');
  });

  it('R6: vip / gold / platinum tier → +1 level, case-insensitive, at most HIGH', () => {
    expect(p({ triggers: [MT], customerTier: 'vip' })).toBe('MEDIUM');
    expect(p({ triggers: [KW], customerTier: 'Gold' })).toBe('HIGH');
    expect(p({ triggers: [MN], customerTier: 'PLATINUM' })).toBe('HIGH');
    expect(p({ triggers: [MT], customerTier: 'silver' })).toBe('LOW');
  });

  it('R7: order total ≥ 500 → +1 level, at most HIGH', () => {
    expect(p({ triggers: [MT], orderTotal: 500 })).toBe('MEDIUM');
    expect(p({ triggers: [MT], orderTotal: 499.99 })).toBe('LOW');
    expect(p({ triggers: [KW], orderTotal: 1200 })).toBe('HIGH');
    expect(p({ triggers: [MN], orderTotal: 1200 })).toBe('HIGH');
  });

  it('R6 + R7 together: a weak trigger becomes HIGH, never URGENT', () => {
    expect(p({ triggers: [MT], customerTier: 'vip', orderTotal: 800 })).toBe('HIGH');
    expect(p({ triggers: [MN], customerTier: 'vip', orderTotal: 800 })).toBe('HIGH');
  });

  it('explainPriority names the rules that applied', () => {
    expect(explainPriority({ triggers: [MT], customerTier: 'gold', orderTotal: 600 })).toEqual({
      priority: 'HIGH',
      reasons: ['R5 weak only: MAX_TURNS_EXCEEDED', 'R6 tier gold: +1 (max HIGH)', 'R7 order total 600 ≥ 500: +1 (max HIGH)'],
    });
    expect(explainPriority({ triggers: [KW], riskFlags: ['chargeback'] })).toEqual({ priority: 'URGENT', reasons: ['R2 high risk: chargeback'] });
  });
});

describe('priority in detect()', () => {
  it('follows the same rules end to end', () => {
    expect(detect(SEED).priority).toBe('HIGH');
    expect(detect(chat(['hello'], { aiConfidence: 0.65 })).priority).toBe('LOW');
    expect(detect(chat(['hello'], { aiConfidence: 0.65, customer: { tier: 'VIP' } })).priority).toBe('MEDIUM');
    expect(detect(chat(['hello'], { aiConfidence: 0.65, order: { total: 750, currency: 'EUR' } })).priority).toBe('MEDIUM');
    expect(detect(chat(['hello'], { aiConfidence: 0.65, customer: { tier: 'gold' }, order: { total: 750 } })).priority).toBe('HIGH');
    expect(detect(said('I will sue you')).priority).toBe('URGENT');
    expect(detect(said('The heater caught fire'), { keywords: [] }).priority).toBe('URGENT');
    expect(detect(said('Do you ship to Canada?'), undefined).priority).toBe('LOW');
  });
});
