import type { Message } from '../detection/index.ts';
import type { Handoff } from '../sla/handoff.ts';

/** What a case keeps of the conversation and of the caller's context. */
export interface StoredContext {
  messages: Message[];
  customer: Record<string, unknown>;
  order: Record<string, unknown>;
  orderHistoryCount?: number;
  detectedIntent?: string;
  manual?: boolean;
  metadata: Record<string, unknown>;
  slackChannel?: string;
  /** What the customer was told when the case was opened (POST /escalate's handoff). */
  handoff?: Handoff;
}

const keyOf = (m: Message) => `${m.role}\u0000${m.sentAt ?? ''}\u0000${m.text}`;

/**
 * The chat backend usually resends the whole conversation: when the stored messages are a prefix of
 * the incoming ones the tail is new; otherwise every incoming message not already stored is new.
 */
export function mergeMessages(stored: Message[], incoming: Message[], limit: number) {
  const isPrefix = incoming.length > stored.length && stored.every((m, i) => keyOf(m) === keyOf(incoming[i]!));
  let added: Message[];
  if (isPrefix) added = incoming.slice(stored.length);
  else {
    const seen = new Set(stored.map(keyOf));
    added = incoming.filter((m) => !seen.has(keyOf(m)));
  }
  const merged = [...stored, ...added];
  return { merged: merged.length > limit ? merged.slice(-limit) : merged, added };
}
