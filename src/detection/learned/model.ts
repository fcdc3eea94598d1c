/**
 * The learned scorer: logistic regression over hashed features of the customer's turns
 * (features.ts), with weights trained offline on our own labelled conversations
 * (scripts/train-detector-model.ts → weights.ts; nothing is downloaded). An additional signal to the
 * rules: detect() asks it only when no rule fired and the rules found some weak evidence (a negative
 * message, a complaint fact, a sentiment below 0), which is where leave-one-batch-out
 * cross-validation (bench/learned-cv.ts) showed it catches complaints without adding false escalations.
 *
 * Allocation-free on the scoring path: features are deduplicated in a small reused set.
 */
import { FEATURE_BITS, FEATURE_SLOTS, type LearnedConversation, MAX_FEATURES, walkFeatures } from './features.ts';
import { LEX } from '../sentiment.ts';
import { isWordToken } from '../tokenize.ts';
import { F_STOP } from '../wordindex.ts';
import { MODEL } from './weights.ts';

/** escalate when the model's probability is at least this */
export const LEARNED_THRESHOLD = 0.8;

/** Dense weights from the packed "index:weight,…" string of weights.ts. */
export function unpackWeights(packed: string, bits: number): Float32Array {
  const w = new Float32Array(1 << bits);
  if (packed === '') return w;
  let index = 0;
  for (const pair of packed.split(',')) {
    const colon = pair.indexOf(':');
    index += Number.parseInt(pair.slice(0, colon), 36); // indexes ascend: stored as gaps
    w[index] = Number.parseInt(pair.slice(colon + 1), 36) / MODEL.scale;
  }
  return w;
}

/** Packs dense weights (|w| below `min` dropped, rounded to 1/scale) as "gap:weight,…" in base 36. */
export function packWeights(w: ArrayLike<number>, scale: number, min: number): string {
  const out: string[] = [];
  let prev = 0;
  for (let i = 0; i < w.length; i++) {
    const q = Math.round(w[i]! * scale);
    if (Math.abs(w[i]!) < min || q === 0) continue;
    out.push(`${(i - prev).toString(36)}:${q.toString(36)}`);
    prev = i;
  }
  return out.join(',');
}

const INTERCEPT: number = MODEL.intercept;
const WEIGHTS = (MODEL.bits as number) === FEATURE_BITS ? unpackWeights(MODEL.weights, MODEL.bits) : new Float32Array(FEATURE_SLOTS);

// scoring state (learnedScore is synchronous and not re-entered): the features seen in this call,
// in a small open-addressed set that stays in cache (a stamp per slot over all weights would not)
const SEEN_BITS = 12;
const SEEN_MASK = (1 << SEEN_BITS) - 1;
const seenKey = new Int32Array(1 << SEEN_BITS);
const seenStamp = new Int32Array(1 << SEEN_BITS);
let generation = 0;
let sum = 0;
let count = 0;

/** Adds index to this call's set; false when it was there already (or the set is full). */
function firstTime(index: number): boolean {
  if (count >= MAX_FEATURES) return false;
  let i = Math.imul(index, 0x9e3779b1) >>> (32 - SEEN_BITS);
  for (;;) {
    if (seenStamp[i] !== generation) {
      seenStamp[i] = generation;
      seenKey[i] = index;
      return true;
    }
    if (seenKey[i] === index) return false;
    i = (i + 1) & SEEN_MASK;
  }
}

function addFeature(index: number): void {
  if (!firstTime(index)) return;
  sum += WEIGHTS[index]!;
  count++;
}

function nextGeneration(): void {
  generation++;
  count = 0;
  if (generation === 0x7fffffff) {
    seenStamp.fill(0);
    generation = 1;
  }
}

/** The model's probability that the conversation needs a person (0..1). */
export function learnedScore(conv: LearnedConversation): number {
  nextGeneration();
  sum = 0;
  walkFeatures(conv, addFeature);
  const z = (count > 0 ? sum / Math.sqrt(count) : 0) + INTERCEPT;
  return 1 / (1 + Math.exp(-z));
}

/** The rules found something short of a trigger: a negative message, a complaint fact, a sentiment below 0. */
export function weakEvidence(conv: LearnedConversation): boolean {
  if (conv.sentiment < 0) return true;
  for (const s of conv.scores) if (s.score < 0) return true;
  for (const m of conv.messages) if (m.facts && m.facts.length > 0) return true;
  return false;
}

// phrase collection for topPhrases (only when the model fired)
let phraseConv: LearnedConversation | null = null;
let phrases: Phrase[] = [];

/** A phrase of the customer's turns that pushed the score up: its text, weight and message (index into the messages read). */
export interface Phrase {
  text: string;
  weight: number;
  message: number;
}

function addPhrase(index: number, message: number, token: number, length: number): void {
  if (message < 0 || token < 0 || !firstTime(index)) return;
  count++;
  const w = WEIGHTS[index]!;
  if (w <= 0) return;
  const msg = phraseConv!.messages[message]!;
  const toks = msg.toks;
  // a phrase of only stop words or marks ("to", "i", "?") says nothing a reader can check
  let content = false;
  for (let k = 0; k < length && !content; k++) {
    const t = toks[token + k]!;
    content = isWordToken(t) && ((LEX.get(t, msg.hashes[token + k]!)?.flags ?? 0) & F_STOP) === 0;
  }
  if (!content) return;
  let text = toks[token]!;
  for (let k = 1; k < length; k++) text += ` ${toks[token + k]!}`;
  const same = phrases.find((p) => p.text === text);
  if (same !== undefined) same.weight += w;
  else phrases.push({ text, weight: w, message });
}

/** The phrases of the customer's turns that pushed the score up most, strongest first. */
export function topPhrases(conv: LearnedConversation, max = 3): Phrase[] {
  nextGeneration();
  phraseConv = conv;
  phrases = [];
  walkFeatures(conv, addPhrase);
  phraseConv = null;
  const top = phrases.sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text)).slice(0, max);
  phrases = [];
  return top;
}
