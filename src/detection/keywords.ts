/**
 * Keyword matching (KEYWORD_MATCH) and risk flags.
 *
 * Keywords are matched on whole words after tokenization: case-, punctuation- and
 * apostrophe-insensitive ("Speak to a MANAGER!!" matches "speak to a manager", "dont" = "don't"),
 * never inside another word ("agent" ≠ "reagent", "human" ≠ "humanity"). A store's keywords are
 * added to DEFAULT_KEYWORDS and compiled once per settings into a word trie of their own (the
 * defaults' trie is shared); matching is leftmost-longest, so "speak to a manager" is reported rather
 * than "manager" as well. Phrases match consecutive words and do not run across punctuation
 * ("speak, to a manager" does not match). A keyword made only of punctuation or emoji is ignored.
 */
import { phraseWords } from './tokenize.ts';
import { PhraseTrie } from './trie.ts';
import type { RiskFlag } from './types.ts';

/** Risk vocabulary; any risk flag makes a case URGENT (see PRIORITY.md). */
export const RISK_TERMS: Readonly<Record<RiskFlag, readonly string[]>> = {
  legal_threat: [
    'lawyer', 'lawyers', 'attorney', 'attorneys', 'sue', 'suing', 'sued', 'lawsuit', 'court',
    'legal action', 'take legal action', 'legal proceedings', 'small claims', 'litigation', 'solicitor',
    'class action', 'bbb', 'better business bureau', 'consumer protection', 'trading standards',
    'attorney general', 'ftc',
  ],
  chargeback: [
    'chargeback', 'chargebacks', 'charge back', 'dispute', 'dispute the charge', 'dispute this charge',
    'dispute the payment', 'file a dispute', 'open a dispute', 'reverse the charge', 'reverse the charges',
    'reverse the payment', 'bank reverse', 'bank to reverse', 'contact my bank', 'call my bank',
    'credit card company', 'paypal dispute',
  ],
  safety: [
    'injury', 'injuries', 'injured', 'fire', 'caught fire', 'burn', 'burns', 'burned', 'burnt',
    'allergic reaction', 'anaphylaxis', 'choking', 'choke', 'choked', 'hurt', 'hurts', 'unsafe', 'smoke',
    'smoking', 'sparks', 'sparking', 'exploded', 'explode', 'overheating', 'overheated',
    'electric shock', 'electrocuted', 'poisoning', 'poisoned', 'toxic', 'hospital', 'emergency room',
    'bleeding', 'fire hazard', 'safety hazard', 'dangerous',
  ],
};

/** Default escalation keywords; every risk term is a keyword too, so a risk flag always escalates. */
export const DEFAULT_KEYWORDS: readonly string[] = Object.freeze([
  'speak to a manager', 'talk to a manager', 'manager', 'supervisor', 'human', 'real person',
  'live person', 'agent', 'live agent', 'representative', 'lawyer', 'attorney', 'legal action',
  'lawsuit', 'sue', 'chargeback', 'dispute', 'cancel my order', 'cancel my subscription', 'complaint',
  'file a complaint', 'bbb', 'better business bureau', 'fraud', 'scam', 'report you',
  'consumer protection', 'trading standards',
  ...RISK_TERMS.legal_threat,
  ...RISK_TERMS.chargeback,
  ...RISK_TERMS.safety,
]);

/** Bounds on a store's keyword list. */
export const MAX_STORE_KEYWORDS = 500;
export const MAX_KEYWORD_LENGTH = 100;

/** Normalises a keyword for display and dedupe: lower case, single spaces, word tokens only. */
export function normaliseKeyword(k: string): string {
  return phraseWords(k).join(' ');
}

export function compileKeywordTrie(keywords: readonly string[]): PhraseTrie<string> {
  const trie = new PhraseTrie<string>();
  for (const k of keywords) {
    const words = phraseWords(k);
    if (words.length > 0) trie.add(words, words.join(' '));
  }
  return trie;
}

export const RISK_TRIE: PhraseTrie<RiskFlag> = (() => {
  const trie = new PhraseTrie<RiskFlag>();
  for (const flag of Object.keys(RISK_TERMS) as RiskFlag[]) {
    for (const term of RISK_TERMS[flag]) trie.add(phraseWords(term), flag);
  }
  return trie;
})();
