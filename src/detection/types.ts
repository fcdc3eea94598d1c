/** Public types of the escalation detector (see DESIGN.md §3 for the `decision` contract). */

export type Role = 'customer' | 'assistant' | 'agent' | 'system';

export interface Message {
  role: Role;
  text: string;
  sentAt?: string;
}

export interface ConversationInput {
  channel: string;
  /** oldest first */
  messages: Message[];
  /** 0..1, confidence of the AI's latest answer */
  aiConfidence?: number;
  /** −1..1 when the caller has its own score; otherwise computed from the customer's messages */
  customerSentiment?: number;
  customer?: { id?: string; name?: string; email?: string; phone?: string; tier?: string; profileId?: string };
  order?: { number?: string; total?: number; currency?: string; status?: string };
  orderHistoryCount?: number;
  /** the caller's intent; wins when it is one of `INTENTS` */
  detectedIntent?: string;
  manual?: boolean;
  reason?: string;
}

export interface DetectionSettings {
  /** LOW_CONFIDENCE fires when aiConfidence < this (0..1) */
  confidenceThreshold: number;
  /** NEGATIVE_SENTIMENT fires when sentiment <= this (−1..1) */
  sentimentThreshold: number;
  /** MAX_TURNS_EXCEEDED fires when customer turns > this */
  maxTurns: number;
  /** store keywords, added to DEFAULT_KEYWORDS */
  keywords: string[];
}

/**
 * Defaults. sentimentThreshold −0.5: one clearly negative statement fires ("this is ridiculous"
 * −0.61, "I still haven't received my refund" −0.76), a neutral problem report does not ("I have a
 * problem with my order" −0.46, "it's a bit slow" −0.15).
 */
export const DEFAULT_DETECTION_SETTINGS: Readonly<DetectionSettings> = Object.freeze({
  confidenceThreshold: 0.7,
  sentimentThreshold: -0.5,
  maxTurns: 10,
  keywords: Object.freeze([]) as unknown as string[],
});

export type TriggerType = 'LOW_CONFIDENCE' | 'NEGATIVE_SENTIMENT' | 'KEYWORD_MATCH' | 'MAX_TURNS_EXCEEDED' | 'MANUAL' | 'REPEATED_QUESTION' | 'RULE_MATCH';

export const TRIGGER_TYPES: readonly TriggerType[] = [
  'LOW_CONFIDENCE',
  'NEGATIVE_SENTIMENT',
  'KEYWORD_MATCH',
  'MAX_TURNS_EXCEEDED',
  'MANUAL',
  'REPEATED_QUESTION',
  'RULE_MATCH',
];

export type Priority = 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT';
export const PRIORITIES: readonly Priority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

export type Intent = 'refund_return' | 'delivery' | 'damaged_item' | 'billing' | 'cancellation' | 'account' | 'legal' | 'other';

export const INTENTS: readonly Intent[] = ['refund_return', 'delivery', 'damaged_item', 'billing', 'cancellation', 'account', 'legal', 'other'];

export type RiskFlag = 'legal_threat' | 'chargeback' | 'safety';
export const RISK_FLAGS: readonly RiskFlag[] = ['legal_threat', 'chargeback', 'safety'];

export interface Trigger {
  type: TriggerType;
  value: number | string | string[] | boolean;
  threshold: number | string | null;
  reason: string;
  /** indexes into input.messages that fired it, for highlighting */
  messageIndexes?: number[];
}

export interface Decision {
  shouldEscalate: boolean;
  priority: Priority;
  triggers: Trigger[];
  /** −1..1: the caller's customerSentiment when given, else computed */
  sentiment: number;
  /** the caller's aiConfidence (clamped to 0..1), or null */
  confidence: number | null;
  intent: Intent;
  /** matched keywords, deduplicated, lower case */
  keywords: string[];
  /** legal_threat, chargeback, safety */
  riskFlags: string[];
  summary: string;
  /** number of customer messages */
  turns: number;
}

/** Frustration stated as a fact (waiting, no reply, not received…), found by facts.ts. */
export type ComplaintKind = 'waiting' | 'no_reply' | 'not_received' | 'repeat_contact' | 'charged' | 'stranded' | 'broken' | 'refused';

export interface ComplaintFact {
  kind: ComplaintKind;
  /** the matched words, as tokenized (lower case, apostrophes removed) */
  match: string;
}
