/**
 * Priority rules — PRIORITY.md is the documentation of exactly this function; keep them in sync.
 */
import type { Intent, Priority, Trigger, TriggerType } from './types.ts';

export const VIP_TIERS: readonly string[] = ['vip', 'gold', 'platinum'];
export const HIGH_VALUE_ORDER_TOTAL = 500;
/** NEGATIVE_SENTIMENT is strong when sentiment <= threshold − this */
export const STRONG_SENTIMENT_MARGIN = 0.3;
/** LOW_CONFIDENCE is strong when confidence <= threshold − this */
export const STRONG_CONFIDENCE_MARGIN = 0.4;
/** LOW_CONFIDENCE is weak when confidence > threshold − this */
export const WEAK_CONFIDENCE_MARGIN = 0.2;
/** REPEATED_QUESTION is strong from this many repeats */
export const STRONG_REPEATS = 2;
/** this many distinct trigger types make a case HIGH */
export const MANY_TRIGGER_TYPES = 3;

export const HIGH_RISK_FLAGS: readonly string[] = ['legal_threat', 'chargeback', 'safety'];
export const HIGH_RISK_INTENTS: readonly Intent[] = ['legal'];

export interface PriorityInput {
  triggers: readonly Pick<Trigger, 'type' | 'value' | 'threshold'>[];
  riskFlags?: readonly string[];
  intent?: string;
  customerTier?: string | null;
  orderTotal?: number | null;
}

export interface PriorityExplanation {
  priority: Priority;
  /** the rules that applied, in order, e.g. ["R3 strong: MANUAL", "R6 tier gold: +1"] */
  reasons: string[];
}

const LEVELS: readonly Priority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** How strong one trigger is: 2 strong, 1 medium, 0 weak. */
export function triggerStrength(t: Pick<Trigger, 'type' | 'value' | 'threshold'>): 0 | 1 | 2 {
  const value = num(t.value);
  const threshold = num(t.threshold);
  switch (t.type as TriggerType) {
    case 'MANUAL':
      return 2;
    case 'NEGATIVE_SENTIMENT':
      if (value !== null && threshold !== null && value <= threshold - STRONG_SENTIMENT_MARGIN + 1e-9) return 2;
      return 1;
    case 'LOW_CONFIDENCE':
      if (value === null || threshold === null) return 1;
      if (value <= threshold - STRONG_CONFIDENCE_MARGIN + 1e-9) return 2;
      if (value > threshold - WEAK_CONFIDENCE_MARGIN + 1e-9) return 0;
      return 1;
    case 'REPEATED_QUESTION':
      return value !== null && value >= STRONG_REPEATS ? 2 : 1;
    case 'MAX_TURNS_EXCEEDED':
      return 0;
    default:
      return 1;
  }
}

export function explainPriority(p: PriorityInput): PriorityExplanation {
  const reasons: string[] = [];
  return { priority: LEVELS[priorityLevel(p, reasons)]!, reasons };
}

/** Priority from the triggers, risk flags, intent, customer tier and order value (PRIORITY.md). */
export function computePriority(p: PriorityInput): Priority {
  return LEVELS[priorityLevel(p, null)]!;
}

/** The rules of PRIORITY.md; appends the rules that applied to `reasons` when given. */
function priorityLevel(p: PriorityInput, reasons: string[] | null): number {
  const triggers = Array.isArray(p.triggers) ? p.triggers : [];
  // R1
  if (triggers.length === 0) {
    reasons?.push('R1 no trigger');
    return 0;
  }
  // R2
  const risk: string[] = [];
  for (const f of Array.isArray(p.riskFlags) ? p.riskFlags : []) if (HIGH_RISK_FLAGS.includes(f)) risk.push(f);
  if (risk.length > 0 || (typeof p.intent === 'string' && (HIGH_RISK_INTENTS as readonly string[]).includes(p.intent))) {
    reasons?.push(`R2 high risk: ${risk.length > 0 ? risk.join(', ') : `intent ${p.intent}`}`);
    return 3;
  }
  const types: string[] = [];
  let strongest = 0;
  let strongWhy = '';
  for (const t of triggers) {
    if (types.indexOf(t.type) < 0) types.push(t.type);
    const s = triggerStrength(t);
    if (s > strongest || strongWhy === '') {
      if (s > strongest) strongest = s;
      if (s === strongest) strongWhy = t.type;
    }
  }
  let level: number;
  if (strongest === 2) {
    level = 2;
    reasons?.push(`R3 strong: ${strongWhy}`);
  } else if (types.length >= MANY_TRIGGER_TYPES) {
    level = 2;
    reasons?.push(`R3 ${types.length} trigger types`);
  } else if (strongest === 1) {
    level = 1;
    reasons?.push(`R4 medium: ${strongWhy}`);
  } else if (types.length >= 2) {
    level = 1;
    reasons?.push('R4 2 trigger types');
  } else {
    level = 0;
    reasons?.push(`R5 weak only: ${types.join(', ')}`);
  }
  const tier = typeof p.customerTier === 'string' ? p.customerTier.trim().toLowerCase() : '';
  if (tier !== '' && VIP_TIERS.includes(tier)) {
    if (level < 2) level++;
    reasons?.push(`R6 tier ${tier}: +1 (max HIGH)`);
  }
  const total = num(p.orderTotal);
  if (total !== null && total >= HIGH_VALUE_ORDER_TOTAL) {
    if (level < 2) level++;
    reasons?.push(`R7 order total ${total} ≥ ${HIGH_VALUE_ORDER_TOTAL}: +1 (max HIGH)`);
  }
  return level;
}
