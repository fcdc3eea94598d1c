/**
 * Attaches to the shared word entries (sentiment.ts) what the detector's word pass needs, so that one
 * look-up per word serves every pass: stop word (repetition/summary), repeat cue, person noun
 * (MANUAL), and where default-keyword / risk / intent phrases start. A store's own keywords live in
 * a separate small trie per compiled settings.
 */
import { DEFAULT_KEYWORDS, RISK_TRIE, compileKeywordTrie } from './keywords.ts';
import { INTENT_TRIE } from './intent.ts';
import { PERSON_REQUEST_WORDS } from './manual.ts';
import { CUES, STOP } from './repetition.ts';
import { wordEntry } from './sentiment.ts';
import type { PhraseTrie } from './trie.ts';

export const F_STOP = 1;
export const F_CUE = 2;
export const F_PERSON = 4;
/** detector.ts: a word that opens a question ("can", "does") / a subject after it ("i", "it") */
export const F_QUESTION_OPENER = 8;
export const F_SUBJECT = 16;

export const DEFAULT_KEYWORD_TRIE: PhraseTrie<string> = compileKeywordTrie(DEFAULT_KEYWORDS);

for (const w of STOP) wordEntry(w).flags |= F_STOP;
for (const w of CUES) wordEntry(w).flags |= F_CUE;
for (const w of PERSON_REQUEST_WORDS) wordEntry(w).flags |= F_PERSON;
for (const w of DEFAULT_KEYWORD_TRIE.firstWords()) wordEntry(w).kw = DEFAULT_KEYWORD_TRIE.rootNode(w);
for (const w of RISK_TRIE.firstWords()) wordEntry(w).risk = RISK_TRIE.rootNode(w);
for (const w of INTENT_TRIE.firstWords()) wordEntry(w).intent = INTENT_TRIE.rootNode(w);
