/**
 * A question the reply left out, asked again in other words: "Is the sofa fabric removable for
 * washing?" — "Our sofas come with a 5-year frame guarantee." — "I'm asking whether the covers come
 * off so I can put them in the washing machine." By structure: a customer question, an assistant reply
 * that shares few of its content words, and a later customer question that takes up again a content
 * word of the first (stemmed, with synonyms: signals/normalise.ts) that the reply never mentioned; or
 * that opens by setting the reply aside ("I know, but …", "yes, I can see that", "right, but") and
 * asks again. By shape as well (signals/reask-shape.ts): the customer corrects what the reply took
 * the question for, or asks the same kind of question (a price, a count, a measure, a time, a place, a choice) after a
 * reply that held no answer of that kind.
 */
import { STOP } from '../repetition.ts';
import { canonical } from './normalise.ts';
import { tokenText } from './pattern.ts';
import {
  asksAgainAside,
  choiceSides,
  correctsReply,
  mayAskAgain,
  questionKind,
  replyAnswersKind,
  sameKind,
  settles,
  type QuestionKind,
} from './reask-shape.ts';

export interface ReaskTurn {
  /** index into the conversation's messages */
  index: number;
  toks: readonly string[];
  /** tokenText(toks), when already built (it is cached here when built) */
  tt?: string;
}

/** The customer messages, oldest first, with per message (same positions): */
export interface ReaskTurns {
  turns: readonly ReaskTurn[];
  /** canonical content words (signals/normalise.ts), distinct */
  contents: readonly (readonly string[])[];
  /** the message asks something */
  asks: readonly boolean[];
  /** a variation on the last question ("and the plate?", "what about Spain?") */
  followUps: readonly boolean[];
}

export interface ReaskFinding {
  /** position in `turns` of the question asked again */
  turn: number;
  /** the content word taken up again, or the words that set the reply aside */
  word: string;
}

/** put first in a reply's content words when the reply opens with a yes or a no: it answered */
export const ANSWERED_MARK = '!answered';
/** "ok and do I pay for the return?", "thanks, also …": a further question, not the same one */
const FURTHER = new Set(['and', 'also', 'plus', 'another', 'other', 'next', 'else']);

/** concepts that name the errand, not the question: sharing one ("order", "delivery") says nothing */
const GENERIC = new Set(['~item', '~arrive', 'say', 'order', 'please', 'thank', 'thanks', 'hello']);

/** a word's concept, '' for a stop word */
const contentOf = (t: string): string => {
  if (STOP.has(t)) return '';
  const c = canonical(t);
  return GENERIC.has(c) || c === '~when' ? '' : c;
};

/** the reply names a side of the question's choice */
function choiceAnswered(toks: readonly string[], reply: readonly string[]): boolean {
  return choiceSides(toks, contentOf).some((w) => reply.indexOf(w) >= 0);
}

/** at most this many of the question's content words in the reply: more, and the reply took it up */
const MAX_SHARED_WITH_REPLY = 2;
/** how far back (customer turns) the repeated question may be */
const LOOK_BACK = 3;

/** the most words of a short aside between a question and the same question asked again ("yes i have that") */
const MAX_ASIDE_WORDS = 6;

function wordCount(toks: readonly string[]): number {
  let n = 0;
  for (const t of toks) if (t !== '.' && t !== ',' && t !== '!' && t !== '?') n++;
  return n;
}

/** "I know, but", "yes I can see that", "right, but", "sure, but", "ok but", "I understand, but" */
function setsReplyAside(toks: readonly string[]): string | null {
  let k = 0;
  while (k < toks.length && (toks[k] === ',' || toks[k] === '.')) k++;
  const a = toks[k] ?? '';
  // "yes, I can see that", "yes. i know": the punctuation after an opening yes says nothing
  if ((a === 'yes' || a === 'yeah' || a === 'ok' || a === 'okay') && (toks[k + 1] === ',' || toks[k + 1] === '.') && toks[k + 2] === 'i') {
    const rest = setsReplyAside(toks.slice(k + 2));
    if (rest !== null) return `${a} ${rest}`;
  }
  const b = toks[k + 1] ?? '';
  const c = toks[k + 2] ?? '';
  const d = toks[k + 3] ?? '';
  if ((a === 'i' && (b === 'know' || b === 'understand' || b === 'get')) || (a === 'yes' && b === 'i' && (c === 'know' || c === 'can' || c === 'see')))
    return `${a} ${b}`;
  if (
    (a === 'right' || a === 'sure' || a === 'ok' || a === 'okay' || a === 'yes' || a === 'yeah' || a === 'thanks' || a === 'lovely' || a === 'great') &&
    (b === 'but' || (b === ',' && c === 'but'))
  )
    return `${a} but`;
  if (a === 'i' && b === 'can' && c === 'see' && (d === 'that' || d === 'it')) return 'i can see that';
  if ((a === 'i' && (b === 'am' || b === 'was') && c === 'asking') || (a === 'what' && b === 'i' && (c === 'asked' || c === 'meant'))) return `${a} ${b} ${c}`;
  return null;
}

/** questionKind of the turns by position, for the call under way: a turn is the second question of one pair and the first of the next */
const kinds: (QuestionKind | undefined)[] = [];

function kindOf(position: number, turn: ReaskTurn): QuestionKind {
  return (kinds[position] ??= questionKind(turn.toks));
}

/**
 * The latest customer question (among the last LOOK_BACK) that asks again what the reply before it
 * left out, or null. `replyContent(k)` gives the canonical content words of messages[k] when it is an
 * assistant reply (null otherwise).
 */
export function unansweredReask(input: ReaskTurns, replyContent: (index: number) => readonly string[] | null): ReaskFinding | null {
  const { turns, contents, asks, followUps } = input;
  const n = turns.length;
  kinds.length = 0;
  for (let q2 = n - 1; q2 >= 1 && q2 >= n - LOOK_BACK; q2--) {
    const second = turns[q2]!;
    if (followUps[q2]) continue;
    // "yes i have that" / "ok but not return" sent just before the question asked again: a short aside of the
    // same turn (no reply between), so the question before it is the one asked again
    let q1 = q2 - 1;
    let bridge: ReaskTurn | null = null;
    if (!asks[q1] && q1 >= 1 && asks[q1 - 1] && turns[q1]!.index + 1 === second.index && wordCount(turns[q1]!.toks) <= MAX_ASIDE_WORDS) {
      bridge = turns[q1]!;
      q1--;
    }
    const first = turns[q1]!;
    const firstContent = contents[q1]!;
    if (!asks[q1] || firstContent.length === 0) continue;
    const text = mayAskAgain(second.toks) ? (second.tt ??= tokenText(second.toks)) : '';
    const correction = text === '' ? null : correctsReply(text);
    const weak = correction === null && text !== '' ? asksAgainAside(text) : null;
    if (!asks[q2] && correction === null && weak === null) continue;
    let further = false;
    for (let k = 0; k < 4 && k < second.toks.length; k++) if (FURTHER.has(second.toks[k]!)) further = true;
    // "and …", "also …": a further question, unless of the same kind as the first (below)
    const aside = correction ?? weak ?? (further ? null : (setsReplyAside(second.toks) ?? (bridge !== null ? setsReplyAside(bridge.toks) : null)));
    // the content words asked again, before looking at the reply (tokenizing it costs more)
    let again: string[] | null = null;
    if (aside === null && !further) for (const w of contents[q2]!) if (w.length > 2 && !GENERIC.has(w) && firstContent.indexOf(w) >= 0) (again ??= []).push(w);
    // "makes sense, I'll add the mat. Does the fire pit come with …": the answer was taken, this is a new question
    if (again !== null && settles(text === '' ? tokenText(second.toks) : text)) again = null;
    // the same kind of question (a price, a count, a measure, a time, a place, a choice), in other words
    let kind: QuestionKind = 'other';
    const firstKind = correction === null ? kindOf(q1, first) : 'other';
    if (firstKind !== 'other' && sameKind(firstKind, kindOf(q2, second)) && !settles(text === '' ? (second.tt ??= tokenText(second.toks)) : text))
      kind = firstKind;
    if (aside === null && again === null && kind === 'other') continue;
    // the replies between the two questions
    const reply: string[] = [];
    let replies = 0;
    for (let k = first.index + 1; k < second.index; k++) {
      const words = replyContent(k);
      if (words === null) continue;
      replies++;
      if (words[0] === ANSWERED_MARK) replies = -1000;
      for (const w of words) if (reply.indexOf(w) < 0) reply.push(w);
    }
    if (replies <= 0) continue;
    if (correction !== null) return { turn: q2, word: correction };
    // "how much is shipping?" — "shipping is free" — "how much is express then?": the first was answered
    const firstAnswered = firstKind !== 'other' && replyAnswersKind(firstKind, reply) && (firstKind !== 'choice' || choiceAnswered(first.toks, reply));
    // "when will it be back?" — "it is out of stock" — "yes, I can see that. Do you have a restock date?": set aside, and no answer of the kind asked
    if (aside !== null && firstKind !== 'other' && !firstAnswered) return { turn: q2, word: aside };
    if ((aside !== null || again !== null) && !firstAnswered) {
      let shared = 0;
      for (const w of firstContent) if (reply.indexOf(w) >= 0) shared++;
      if (shared <= MAX_SHARED_WITH_REPLY) {
        if (aside !== null) return { turn: q2, word: aside };
        for (const w of again!) if (reply.indexOf(w) < 0) return { turn: q2, word: w };
      }
    }
    // a reply with no answer of the kind asked: no number for a price, count or measure, no day or duration for a time, neither side of a choice
    if (kind !== 'other' && !firstAnswered && (kind !== 'choice' || !choiceAnswered(first.toks, reply)))
      return { turn: q2, word: `the same ${kind} asked again` };
  }
  return null;
}
