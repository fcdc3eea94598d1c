/**
 * The customer messages of a conversation as the learned scorer reads them, outside detect() (for
 * training and cross-validation): the same tokenizer, word table and sentence scorer detect() uses,
 * over the same messages (the first and the last MAX_SCAN_MESSAGES − 1 customer messages, each capped).
 */
import { head, tail } from '../../text/code-points.ts';
import type { Message } from '../types.ts';
import { LEX, mayHaveSentiment, NEUTRAL_DETAIL, scoreTokenStream, MAX_SENTIMENT_MESSAGES } from '../sentiment.ts';
import { tokenize } from '../tokenize.ts';
import type { LearnedConversation, LearnedMessage } from './features.ts';

const MAX_SCAN_MESSAGES = 40;
const MAX_MESSAGE_CHARS = 3000;

function capText(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${head(text, 2000)} … ${tail(text, 1000)}`;
}

/** `sentiment` and `turns`: detect()'s decision for the conversation. */
export function learnedConversationOf(messages: readonly Message[], sentiment: number, turns: number): LearnedConversation {
  const picked: number[] = [];
  for (let k = messages.length - 1; k >= 0 && picked.length < MAX_SCAN_MESSAGES - 1; k--) if (messages[k]?.role === 'customer') picked.push(k);
  const first = messages.findIndex((m) => m?.role === 'customer');
  if (first >= 0 && picked.indexOf(first) < 0) picked.push(first);
  picked.sort((a, b) => a - b);
  const scoreStart = Math.max(0, picked.length - MAX_SENTIMENT_MESSAGES);
  const read: LearnedMessage[] = [];
  const scores: { score: number }[] = [];
  picked.forEach((k, c) => {
    const raw = messages[k]!.text;
    const ts = tokenize(typeof raw === 'string' ? capText(raw) : '', MAX_MESSAGE_CHARS + 10, LEX);
    if (c >= scoreStart) scores.push(mayHaveSentiment(ts) ? scoreTokenStream(ts) : NEUTRAL_DETAIL);
    read.push({ toks: ts.toks, hashes: ts.hashes, facts: ts.facts });
  });
  return { messages: read, scores, scoreStart, sentiment, turns };
}

/**
 * The prefixes of a conversation that end on a customer message before its last one: what detect()
 * saw mid-conversation. A calm conversation's prefixes are calm too; training on them teaches the
 * model that a short neutral opening ("I have a problem with my order") is no escalation.
 */
export function prefixesOf(messages: readonly Message[]): Message[][] {
  let last = messages.length - 1;
  while (last >= 0 && messages[last]?.role !== 'customer') last--;
  const out: Message[][] = [];
  for (let k = 0; k < last; k++) if (messages[k]?.role === 'customer') out.push(messages.slice(0, k + 1));
  return out;
}
