/**
 * Hashed features of a conversation's customer turns for the learned scorer (model.ts).
 *
 * Read from the token streams the detector already has (tokenize.ts: lower case, clitics expanded,
 * markers "." "," "!" "?"), with each token's FNV-1a hash:
 * - every word, emoticon, emoji, "!" and "?" (unigram) and every pair of neighbouring words within a
 *   clause (bigram);
 * - words in the scope of a negator, marked as negated ("not arrived", "never replied": up to 3 words,
 *   stopped by punctuation);
 * - a quantity with its unit ("3 weeks", "two emails", "several times"): the number is dropped, the
 *   unit is kept;
 * - the latest customer message's words again, marked as latest (a closing "thanks, that worked"
 *   weighs differently from a thanks before a complaint);
 * - the rules' own findings: complaint-fact kinds (facts.ts), each message's sentiment and the
 *   conversation's, bucketed, and the number of customer turns.
 *
 * A feature is present or absent (each counted once), weighted 1/√(number present), so long and short
 * conversations score on one scale. Walking the features calls `visit(index, message, token, length)`; message/token/length locate the phrase (−1 for a conversation-level feature) so the
 * scorer can name the phrases that contributed most without building strings on the hot path.
 */
import type { ComplaintFact } from '../types.ts';

/** features hash into 2^BITS slots */
export const FEATURE_BITS = 16;
export const FEATURE_SLOTS = 1 << FEATURE_BITS;
/** at most this many distinct features are weighed per conversation, the first ones walked (bounded work) */
export const MAX_FEATURES = 2048;

/** One customer message as the learned scorer reads it (detect()'s customer messages have these fields). */
export interface LearnedMessage {
  toks: readonly string[];
  /** hashWord() of each token (0 for markers) */
  hashes: readonly number[];
  /** complaint facts the sentence scorer found (null/undefined: none or not known) */
  facts?: readonly ComplaintFact[] | null;
}

/** The customer messages read, oldest first, with the sentence scorer's −1..1 for the last ones. */
export interface LearnedConversation {
  messages: readonly LearnedMessage[];
  /** scores[k] is the score of messages[scoreStart + k]; earlier messages count as 0 */
  scores: readonly { score: number }[];
  scoreStart: number;
  /** the conversation's sentiment as the rules computed it */
  sentiment: number;
  /** the number of customer messages */
  turns: number;
}

// salts: one per feature family, so "late" as a word, negated and in the latest message are three features
const UNI = 0x1b873593;
const BI = 0x2c1b3c6d;
const NEG = 0x3d4c5e7f;
const QTY = 0x4e5f6a8b;
const LAST = 0x5f6e7d9c;
const FACT = 0x6a7b8cad;
const CONV = 0x7b8c9dbe;

const NEGATORS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'noone',
  'none',
  'neither',
  'nor',
  'without',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'cannot',
  'couldnt',
  'wont',
  'wouldnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'hasnt',
  'havent',
  'hadnt',
  'shouldnt',
  'aint',
  'still',
  'yet',
]);

const NUMBER_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'twelve',
  'twenty',
  'few',
  'several',
  'couple',
  'many',
  'multiple',
  'numerous',
  'countless',
  'half',
]);

const NEG_SCOPE = 3;

function mix(h: number, salt: number): number {
  let x = Math.imul(h ^ salt, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x >>> (32 - FEATURE_BITS);
}

/** clause markers end a bigram and a negation's scope */
function isBreak(t: string): boolean {
  return t === '.' || t === ',' || t === '!' || t === '?';
}

function isDigitStart(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function isLetterStart(t: string): boolean {
  const c = t.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2190);
}

function sentimentBucket(s: number): number {
  return s <= -0.6 ? 0 : s <= -0.4 ? 1 : s <= -0.2 ? 2 : s < 0 ? 3 : s === 0 ? 4 : s < 0.4 ? 5 : 6;
}

/** features of the conversation (not of a phrase): kind codes mixed with CONV */
export const CONV_TURNS = 0x100;
export const CONV_SENTIMENT = 0x200;
export const CONV_MIN_MESSAGE_SENTIMENT = 0x300;
export const CONV_LAST_SENTIMENT = 0x400;

/** The visitor walkFeatures calls for each feature occurrence (a feature may occur more than once). */
export type FeatureVisitor = (index: number, message: number, token: number, length: number) => void;

/** Calls `visit` for every feature occurrence of the conversation. */
export function walkFeatures(conv: LearnedConversation, visit: FeatureVisitor): void {
  const { messages, sentiment, turns, scores, scoreStart } = conv;
  visit(mix(CONV_TURNS + Math.min(turns, 5), CONV), -1, -1, 0);
  visit(mix(CONV_SENTIMENT + sentimentBucket(sentiment), CONV), -1, -1, 0);
  let minScore = 1;
  let lastScore = 0;
  const last = messages.length - 1;
  for (let m = 0; m <= last; m++) {
    const msg = messages[m]!;
    const toks = msg.toks;
    const hashes = msg.hashes;
    const score = m >= scoreStart && m - scoreStart < scores.length ? scores[m - scoreStart]!.score : 0;
    if (score < minScore) minScore = score;
    if (m === last) lastScore = score;
    const facts = msg.facts;
    if (facts) {
      for (let f = 0; f < facts.length; f++) {
        const kind = facts[f]!.kind;
        visit(mix(kind.charCodeAt(0) * 31 + kind.charCodeAt(1) + (m === last ? 7 : 0), FACT), m, -1, 0);
      }
    }
    let negLeft = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t === '.' || t === ',') {
        negLeft = 0;
        continue;
      }
      const h = hashes[i]! === 0 ? t.charCodeAt(0) : hashes[i]!;
      visit(mix(h, UNI), m, i, 1);
      if (m === last) visit(mix(h, LAST), m, i, 1);
      if (isBreak(t)) {
        negLeft = 0;
        continue;
      }
      const next = toks[i + 1];
      if (next !== undefined && !isBreak(next)) {
        const hn = hashes[i + 1]! === 0 ? next.charCodeAt(0) : hashes[i + 1]!;
        visit(mix(Math.imul(h, 0x01000193) ^ hn, BI), m, i, 2);
        if ((isDigitStart(t) || NUMBER_WORDS.has(t)) && isLetterStart(next) && !NUMBER_WORDS.has(next)) visit(mix(hn, QTY), m, i, 2);
      }
      if (negLeft > 0) {
        visit(mix(h, NEG), m, i, 1);
        negLeft--;
      }
      if (NEGATORS.has(t)) negLeft = NEG_SCOPE;
    }
  }
  if (last >= 0) {
    visit(mix(CONV_MIN_MESSAGE_SENTIMENT + sentimentBucket(minScore), CONV), -1, -1, 0);
    visit(mix(CONV_LAST_SENTIMENT + sentimentBucket(lastScore), CONV), -1, -1, 0);
  }
}

/** The distinct feature indexes of a conversation (for training and cross-validation), ascending. */
export function featureSet(conv: LearnedConversation): Int32Array {
  const seen = new Set<number>();
  walkFeatures(conv, (index) => {
    if (seen.size < MAX_FEATURES) seen.add(index);
  });
  return Int32Array.from([...seen].sort((a, b) => a - b));
}
