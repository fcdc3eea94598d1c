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

/**
 * Risk vocabulary matched as plain words; any risk flag makes a case URGENT (see PRIORITY.md). Only
 * words that are an incident or a threat on their own are here: nouns that are often neutral
 * ("lawyer", "court", "fire", "smoke", "burn", "hurt", "hospital") count only in context, through
 * the conversation signals (signals/safety.ts, signals/threats.ts).
 */
export const RISK_TERMS: Readonly<Record<RiskFlag, readonly string[]>> = {
  legal_threat: [
    'sue',
    'suing',
    'sued',
    'lawsuit',
    'legal action',
    'take legal action',
    'legal proceedings',
    'small claims',
    'litigation',
    'class action',
    'bbb',
    'better business bureau',
    'consumer protection',
    'trading standards',
    'attorney general',
    'ftc',
  ],
  chargeback: [
    'chargeback',
    'chargebacks',
    'charge back',
    'dispute',
    'dispute the charge',
    'dispute this charge',
    'dispute the payment',
    'file a dispute',
    'open a dispute',
    'reverse the charge',
    'reverse the charges',
    'reverse the payment',
    'bank reverse',
    'bank to reverse',
    'contact my bank',
    'call my bank',
    'credit card company',
    'paypal dispute',
  ],
  safety: [
    'caught fire',
    'allergic reaction',
    'anaphylaxis',
    'anaphylactic shock',
    'electric shock',
    'electrocuted',
    'food poisoning',
    'emergency room',
    // an injury is the safety signal's (signals/safety.ts): "I injured my shoulder last year" is not one
  ],
};

/** a complaint announced (a keyword; detector.ts also reads one the customer meant to make and then did not need to) */
export const COMPLAINT_KEYWORDS: readonly string[] = [
  'file a complaint',
  'make a complaint',
  'raise a complaint',
  'lodge a complaint',
  'formal complaint',
  'want to complain',
  'like to complain',
];

/**
 * Default escalation keywords: requests and complaints, never a bare role noun. "agent", "human",
 * "manager" … (ROLE_KEYWORDS, manual.ts) are reported only when the customer asks for one; every
 * risk term is a keyword too, so a risk flag always escalates.
 */
export const DEFAULT_KEYWORDS: readonly string[] = Object.freeze([
  'speak to a manager',
  'talk to a manager',
  'speak to your manager',
  'talk to your manager',
  'speak to a supervisor',
  'talk to a supervisor',
  'speak to a human',
  'talk to a human',
  'speak to a person',
  'talk to a person',
  'speak to someone',
  'talk to someone',
  'speak to an agent',
  'talk to an agent',
  'legal action',
  'lawsuit',
  'sue',
  'chargeback',
  'dispute',
  'cancel my order',
  'cancel my subscription',
  ...COMPLAINT_KEYWORDS,
  'bbb',
  'better business bureau',
  'fraud',
  'scam',
  'report you',
  'consumer protection',
  'trading standards',
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
