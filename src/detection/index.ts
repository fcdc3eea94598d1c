/** Public API of the escalation detector. */
export {
  DEFAULT_DETECTION_SETTINGS,
  INTENTS,
  PRIORITIES,
  RISK_FLAGS,
  TRIGGER_TYPES,
  type ConversationInput,
  type Decision,
  type DetectionSettings,
  type Intent,
  type Message,
  type Priority,
  type RiskFlag,
  type Role,
  type Trigger,
  type TriggerType,
} from './types.ts';
export { detect, compileSettings, MAX_MESSAGE_CHARS, MAX_SCAN_MESSAGES, type CompiledSettings } from './detector.ts';
export { scoreSentiment, analyzeSentiment, conversationSentiment, type SentimentDetail } from './sentiment.ts';
export {
  computePriority,
  explainPriority,
  triggerStrength,
  HIGH_VALUE_ORDER_TOTAL,
  VIP_TIERS,
  type PriorityExplanation,
  type PriorityInput,
} from './priority.ts';
export { classifyIntent, INTENT_LABELS } from './intent.ts';
export { DEFAULT_KEYWORDS, RISK_TERMS } from './keywords.ts';
export { buildSummary, MAX_SUMMARY_CHARS } from './summary.ts';
