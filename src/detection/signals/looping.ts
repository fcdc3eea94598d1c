/**
 * The assistant going in circles: near-identical assistant replies, the same failed instruction,
 * apologies again and again, while the customer's problem stays. Reported as REPEATED_QUESTION
 * (the closest pinned trigger type: the conversation repeats itself), with the assistant messages in
 * `messageIndexes` and a reason that says it is the assistant looping.
 *
 * Each assistant reply is reduced to a fingerprint: the distinct 4-letter prefixes of its words of
 * ≥ 3 letters (truncation stemming: "resetting" ~ "reset", "codes" ~ "code"), stop words left out.
 * A reply repeats an earlier one when their Jaccard similarity is ≥ LOOP_SIMILARITY and a customer
 * message other than a bare acknowledgement ("ok", "thanks") lies between them. The assistant is looping when
 *  - two replies each repeat an earlier one (three near-identical answers), or
 *  - one reply repeats an earlier one and the customer said in between that it did not help
 *    ("still", "again", "didn't", "doesn't work", "already did that", "???"), or
 *  - LOOP_APOLOGIES replies apologise and the customer said in between that it did not help.
 * Polite boilerplate around different answers ("Yes, it's in stock. Anything else?" / "Yes, the plate
 * is in stock too. Anything else?") is not a loop: the customer moved on.
 */

import { isAcknowledgement } from './frustration.ts';

export const LOOP_SIMILARITY = 0.75;
export const LOOP_APOLOGIES = 3;
/** containment counts a little less than identity: 4 of 4 words contained = 0.8 */
const CONTAINED_WEIGHT = 0.8;
/** assistant replies compared (the latest) */
export const MAX_LOOP_MESSAGES = 8;
const MAX_FINGERPRINT_WORDS = 40;
const MAX_READ_CHARS = 600;

const STOP_PREFIXES = new Set<number>();
for (const w of [
  'the',
  'and',
  'you',
  'your',
  'yours',
  'for',
  'our',
  'are',
  'can',
  'with',
  'this',
  'that',
  'have',
  'has',
  'will',
  'was',
  'were',
  'there',
  'here',
  'from',
  'they',
  'them',
  'their',
  'its',
  'any',
  'all',
  'but',
  'not',
  'yes',
  'out',
  'into',
  'also',
  'just',
  'then',
  'than',
  'been',
  'being',
  'would',
  'could',
  'should',
  'may',
  'might',
  'let',
  'get',
  'how',
  'what',
  'when',
  'which',
  'who',
  'where',
  'why',
  'did',
  'does',
  'some',
  'more',
  'very',
  'too',
  'now',
])
  STOP_PREFIXES.add(prefixHash(w));

function prefixHash(w: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < w.length && k < 4; k++) h = Math.imul(h ^ w.charCodeAt(k), 0x01000193);
  return h;
}

/** the courtesy around an answer ("Sorry about that!", "I understand!", "Thanks for getting back to us."): not what the reply says */
const COURTESY = new Set<number>(['sorry', 'apologise', 'apologies', 'understand', 'thanks', 'thank', 'getting', 'touch', 'about', 'hear'].map(prefixHash));

const SORRY = prefixHash('sorry');
const APOLOGY = prefixHash('apologise');
const REGRET = prefixHash('regret');

/** Fingerprint of a reply: distinct hashes of the first 4 letters of each word of ≥ 3 letters. */
export function fingerprint(text: string): number[] {
  const out: number[] = [];
  const end = Math.min(text.length, MAX_READ_CHARS);
  let h = 0x811c9dc5 | 0;
  let len = 0;
  for (let i = 0; i <= end; i++) {
    let c = i < end ? text.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 97 && c <= 122) {
      if (len < 4) h = Math.imul(h ^ c, 0x01000193);
      len++;
      continue;
    }
    if (c === 39 || c === 0x2019) continue; // "don't" is one word
    if (len >= 3 && !STOP_PREFIXES.has(h) && out.indexOf(h) < 0) {
      out.push(h);
      if (out.length >= MAX_FINGERPRINT_WORDS) break;
    }
    h = 0x811c9dc5 | 0;
    len = 0;
  }
  return out;
}

/**
 * Jaccard similarity, or — when the shorter reply has ≥ 3 words — the share of the shorter reply
 * found in the longer one, so an apology put before the same instruction still counts as the same
 * answer ("Please turn it off and on again." / "I'm sorry to hear that. Please turn it off and on again.").
 */
function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < b.length; k++) if (!COURTESY.has(b[k]!)) nb++;
  for (let k = 0; k < a.length; k++) {
    const h = a[k]!;
    if (COURTESY.has(h)) continue;
    na++;
    if (b.indexOf(h) >= 0) inter++;
  }
  if (na === 0 || nb === 0) return 0;
  const jaccard = inter / (na + nb - inter);
  const shorter = Math.min(na, nb);
  const contained = shorter >= 3 ? (inter / shorter) * CONTAINED_WEIGHT : 0;
  return Math.max(contained, jaccard);
}

function apologises(fp: readonly number[]): boolean {
  return fp.indexOf(SORRY) >= 0 || fp.indexOf(APOLOGY) >= 0 || fp.indexOf(REGRET) >= 0;
}

export const DID_NOT_HELP: ReadonlySet<string> = new Set([
  'still',
  'again',
  'already',
  'tried',
  'done',
  'did',
  'didnt',
  'doesnt',
  'dont',
  'isnt',
  'wont',
  'cant',
  'not',
  'nothing',
  'same',
  'invalid',
  'error',
  'broken',
  'but',
  'never',
  'wasnt',
  'havent',
  'hasnt',
  'nope',
  'useless',
  'expired',
  'told',
  'said',
  'crashes',
  'crashed',
  'crashing',
  'wrong',
  'locked',
  'stuck',
  'declined',
  'rejected',
  'fails',
  'failed',
  // "we've now gone in a circle 3 times", "you're repeating yourself", "stuck in a loop": the customer names the loop
  'circle',
  'circles',
  'repeating',
  'loop',
]);

/** The customer said the answer did not help: "did that, still crashes", "???", "it is not working". */
export function saysItDidNotHelp(words: readonly string[], toks: readonly string[]): boolean {
  for (const w of words) if (DID_NOT_HELP.has(w)) return true;
  // a message of only question marks
  if (words.length === 0) for (const t of toks) if (t === '?') return true;
  return false;
}

export interface LoopResult {
  /** replies that repeat an earlier one */
  repeats: number;
  apologies: number;
  /** indexes (into input.messages) of the assistant replies in the loop */
  indexes: number[];
}

export interface LoopMessage {
  role: 'assistant' | 'customer';
  /** index into input.messages */
  index: number;
  /** assistant: fingerprint(text) */
  fp?: number[];
  /** customer: said that the previous answer did not help */
  didNotHelp?: boolean;
  /** customer: only acknowledged ("ok", "thanks"); computed from `toks` when first needed */
  ack?: boolean;
  /** customer: the message's tokens */
  toks?: readonly string[];
  /** customer: asked a question (the message ends with "?") */
  question?: boolean;
}

/** Whether the assistant is looping, from the conversation's assistant and customer turns (oldest first). */
export function assistantLoop(turns: LoopMessage[]): LoopResult | null {
  const assistants: number[] = [];
  for (let k = 0; k < turns.length; k++) if (turns[k]!.role === 'assistant') assistants.push(k);
  if (assistants.length < 2) return null;
  const from = assistants.length > MAX_LOOP_MESSAGES ? assistants.length - MAX_LOOP_MESSAGES : 0;
  let repeats = 0;
  let repeatsAfterComplaint = 0;
  /** repeats where the customer only answered in between (no new question): they were not moving on */
  let repeatsAfterStatements = 0;
  let apologies = 0;
  let complained = false;
  const inLoop: number[] = [];
  for (let a = from; a < assistants.length; a++) {
    const k = assistants[a]!;
    const fp = turns[k]!.fp!;
    if (apologises(fp)) apologies++;
    for (let b = a - 1; b >= from; b--) {
      const j = assistants[b]!;
      if (j + 1 === k) continue; // no customer message in between
      if (similarity(turns[j]!.fp!, fp) < LOOP_SIMILARITY) continue;
      let complaint = false;
      let customerBetween = false;
      let newQuestion = false;
      for (let c = j + 1; c < k; c++) {
        const t = turns[c]!;
        if (t.role !== 'customer') continue;
        t.ack ??= t.toks !== undefined && isAcknowledgement(t.toks);
        if (t.ack && t.didNotHelp !== true) continue; // "ok", "thanks": nothing was asked ("done that" is not thanks)
        customerBetween = true;
        if (turns[c]!.didNotHelp === true) complaint = true;
        else if (turns[c]!.question === true) newQuestion = true;
      }
      if (!customerBetween) continue;
      // the customer's reaction to the repeated reply counts too ("I told you the link is expired")
      for (let c = k + 1; c < turns.length && turns[c]!.role === 'customer'; c++) if (turns[c]!.didNotHelp === true) complaint = true;
      repeats++;
      if (complaint) repeatsAfterComplaint++;
      else if (!newQuestion) repeatsAfterStatements++;
      if (inLoop.indexOf(turns[j]!.index) < 0) inLoop.push(turns[j]!.index);
      inLoop.push(turns[k]!.index);
      break;
    }
    if (a > from && !complained) {
      for (let c = assistants[a - 1]! + 1; c < k; c++) if (turns[c]!.role === 'customer' && turns[c]!.didNotHelp === true) complained = true;
    }
  }
  const looping = repeatsAfterComplaint >= 1 || repeatsAfterStatements >= 2 || (apologies >= LOOP_APOLOGIES && complained);
  if (!looping) return null;
  if (inLoop.length === 0) for (let a = from; a < assistants.length; a++) if (apologises(turns[assistants[a]!]!.fp!)) inLoop.push(turns[assistants[a]!]!.index);
  inLoop.sort((x, y) => x - y);
  return { repeats, apologies, indexes: inLoop };
}

/** False when no two assistant replies are alike and fewer than LOOP_APOLOGIES apologise (no loop possible). */
export function mayLoop(fingerprints: readonly (readonly number[])[]): boolean {
  let apologies = 0;
  for (let k = 0; k < fingerprints.length; k++) {
    const a = fingerprints[k]!;
    if (apologises(a) && ++apologies >= LOOP_APOLOGIES) return true;
    for (let j = 0; j < k; j++) if (similarity(fingerprints[j]!, a) >= LOOP_SIMILARITY) return true;
  }
  return false;
}
