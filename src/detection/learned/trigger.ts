/**
 * The learned scorer as a NEGATIVE_SENTIMENT trigger: asked only when no rule fired, the caller gave
 * no sentiment of its own and the rules found weak evidence (model.ts). Its reason names the phrases
 * that weighed most, so a support lead can see why.
 *
 * value is minus the model's probability and threshold minus LEARNED_THRESHOLD, so the trigger keeps
 * NEGATIVE_SENTIMENT's reading "value at or below threshold" on the −1..1 scale.
 */
import type { Trigger } from '../types.ts';
import type { LearnedConversation, LearnedMessage } from './features.ts';
import { LEARNED_THRESHOLD, learnedScore, topPhrases, weakEvidence } from './model.ts';

/** a customer message as detect() holds it: the scorer's fields and its index into input.messages */
export interface IndexedMessage extends LearnedMessage {
  index: number;
}

// one conversation view, refilled per call (detect() is synchronous and not re-entered)
const view: { -readonly [K in keyof LearnedConversation]: LearnedConversation[K] } = { messages: [], scores: [], scoreStart: 0, sentiment: 0, turns: 0 };

const REASON_START = 'Learned complaint score';

/** Whether a trigger is the learned scorer's (for measuring the rules alone). */
export function isLearnedTrigger(t: Trigger): boolean {
  return t.type === 'NEGATIVE_SENTIMENT' && t.reason.startsWith(REASON_START);
}

/** n with two decimals */
function fmt(n: number): string {
  return n.toFixed(2);
}

/**
 * The learned trigger for the customer messages read (oldest first), their sentence scores
 * (scores[k] belongs to messages[scoreStart + k]), the rules' sentiment and the number of customer
 * turns; null when the model does not fire.
 */
export function learnedTrigger(
  messages: readonly IndexedMessage[],
  scores: readonly { score: number }[],
  scoreStart: number,
  sentiment: number,
  turns: number,
): Trigger | null {
  if (messages.length === 0) return null;
  view.messages = messages;
  view.scores = scores;
  view.scoreStart = scoreStart;
  view.sentiment = sentiment;
  view.turns = turns;
  if (!weakEvidence(view)) return null;
  const p = learnedScore(view);
  if (p < LEARNED_THRESHOLD) return null;
  const top = topPhrases(view);
  const indexes: number[] = [];
  for (const ph of top) {
    const index = messages[ph.message]!.index;
    if (indexes.indexOf(index) < 0) indexes.push(index);
  }
  indexes.sort((a, b) => a - b);
  const said = top.length > 0 ? `; the customer's words weighing most: ${top.map((ph) => `"${ph.text}"`).join(', ')}` : '';
  return {
    type: 'NEGATIVE_SENTIMENT',
    value: -Math.round(p * 100) / 100,
    threshold: -LEARNED_THRESHOLD,
    reason: `${REASON_START} ${fmt(p)} is at or above ${fmt(LEARNED_THRESHOLD)} (a model trained on our labelled conversations, asked where the rules found a weak sign of a complaint)${said}`,
    messageIndexes: indexes,
  };
}
