import type { Message } from '../detection/index.ts';
import { head } from '../text/code-points.ts';

/** The case's search text is cut here (the search vector of a longer text grows past what helps). */
export const SEARCH_TEXT_LIMIT = 200_000;

/** The text a case is found by in search: its summary, then its messages, up to the limit. */
export function searchText(summary: string, messages: readonly Message[]): string {
  const text = [summary, ...messages.map((m) => m.text)].join('\n');
  return head(text, SEARCH_TEXT_LIMIT);
}

/**
 * What a follow-up's merge adds to the case's search text, when the case's search vector can be
 * extended by it instead of being computed again from the whole conversation: the merge kept every
 * stored message (none dropped by the message limit, so it only appended), and the whole text stays
 * within the limit. Then searchText(summary, merged) is the stored text followed by this. Null when it
 * must be computed again (a conversation past 2,000 messages or 200,000 characters).
 *
 * Why: computing the vector is the dearest part of a merge for Postgres (about 0.1 ms for 1 KB of
 * text), and a conversation gets a merge every turn, so computing it whole each time made a long
 * conversation's follow-ups cost more and more (quadratic over the conversation).
 *
 * The extended vector holds the same words as a whole one. Their positions differ only across the
 * seam: `||` numbers the added words from the last word kept, so stop words that ended the stored text
 * are not counted, and a phrase search spanning the end of one follow-up and the start of the next
 * can match where a whole vector would not (or the reverse). Phrases within a message are unaffected.
 */
export function searchTextAdded(summary: string, stored: readonly Message[], merged: readonly Message[], added: readonly Message[]): string | null {
  if (merged.length !== stored.length + added.length) return null;
  let length = summary.length;
  for (const m of stored) length += 1 + m.text.length;
  let tail = '';
  for (const m of added) tail += `\n${m.text}`;
  return length + tail.length <= SEARCH_TEXT_LIMIT ? tail : null;
}
