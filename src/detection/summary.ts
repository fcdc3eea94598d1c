/**
 * Extractive summary for humans (≤ MAX_SUMMARY_CHARS): "<Intent>: <first statement of the problem>
 * … Latest: <latest informative customer message>".
 *
 * - first statement: the first customer message with at least 3 content words (skipping greetings
 *   such as "hi", "hello there");
 * - latest: the last customer message with at least 2 content words ("ok thanks" is skipped), when it
 *   is not the first statement;
 * - whitespace collapsed, each part cut at a word boundary with "…".
 */
import { INTENT_LABELS } from './intent.ts';
import { contentWords } from './repetition.ts';
import { isUnusualSpace, phraseWords } from './tokenize.ts';
import type { Intent } from './types.ts';
import { head } from '../text/code-points.ts';

export const MAX_SUMMARY_CHARS = 300;

export interface SummaryMessage {
  text: string;
  /** the message's word tokens (wordsOf), needed when contentCount is not given */
  words?: readonly string[];
  /** contentWords(words).length, when already known */
  contentCount?: number;
  /** false when the text is known to have only single inner spaces (tokenize().oddSpace) */
  oddSpace?: boolean;
}

function contentCount(m: SummaryMessage): number {
  return m.contentCount ?? contentWords(m.words ?? phraseWords(m.text)).length;
}

const SPACES = /\s+/g;

/** True when `t` has whitespace other than single inner spaces (then it is collapsed). */
function hasOddSpace(t: string): boolean {
  const n = t.length;
  if (n === 0) return false;
  if (t.charCodeAt(0) === 32 || t.charCodeAt(n - 1) === 32) return true;
  for (let k = 0; k < n; k++) {
    const c = t.charCodeAt(k);
    if (c === 32) {
      if (t.charCodeAt(k + 1) === 32) return true;
    } else if (isUnusualSpace(c)) {
      return true;
    }
  }
  return false;
}

function clean(text: string, max: number, oddSpace?: boolean): string {
  let t = head(text, max * 4);
  if (oddSpace ?? hasOddSpace(t)) t = t.replace(SPACES, ' ').trim();
  if (t.length <= max) return t;
  const cut = head(t, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.!?-]+$/, '')}…`;
}

/** Cuts a string to `max` UTF-16 units without splitting a surrogate pair. */
function hardCut(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${head(s, max - 1)}…`;
}

export function buildSummary(intent: Intent, customer: readonly SummaryMessage[]): string {
  const label = INTENT_LABELS[intent];
  if (customer.length === 0) return `${label}: no customer messages.`;
  let first = -1;
  for (let k = 0; k < customer.length; k++) {
    if (contentCount(customer[k]!) >= 3) {
      first = k;
      break;
    }
  }
  let latest = -1;
  for (let k = customer.length - 1; k >= 0; k--) {
    if (contentCount(customer[k]!) >= 2) {
      latest = k;
      break;
    }
  }
  if (first < 0) first = latest >= 0 ? latest : customer.length - 1;
  const prefix = `${label}: `;
  const budget = MAX_SUMMARY_CHARS - prefix.length;
  let out: string;
  if (latest < 0 || latest <= first) {
    out = prefix + clean(customer[first]!.text, budget, customer[first]!.oddSpace);
  } else {
    const sep = ' … Latest: ';
    const room = budget - sep.length;
    const latestText = clean(customer[latest]!.text, Math.max(60, Math.floor(room / 2)), customer[latest]!.oddSpace);
    const firstText = clean(customer[first]!.text, room - latestText.length, customer[first]!.oddSpace);
    out = prefix + firstText + sep + latestText;
  }
  return hardCut(out, MAX_SUMMARY_CHARS);
}
