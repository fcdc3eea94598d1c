/**
 * The escalation detector: pure, synchronous, no I/O. `detect(input, settings)` → Decision.
 *
 * Work is bounded whatever the input: only the customer's first message and last
 * MAX_SCAN_MESSAGES − 1 messages are read, each at most MAX_MESSAGE_CHARS characters (its head and
 * its tail); repetition compares the last 12, sentiment weighs the last 20. `turns` counts every
 * customer message.
 */
import { COMPLAINT_KEYWORDS, DEFAULT_KEYWORDS, MAX_KEYWORD_LENGTH, MAX_STORE_KEYWORDS, RISK_TRIE, compileKeywordTrie, normaliseKeyword } from './keywords.ts';
import { findOpenPersonRequest, findPersonRequest, roleKeyword } from './manual.ts';
import { INTENT_TRIE, isIntent, newIntentScores, pickIntent } from './intent.ts';
import { learnedTrigger } from './learned/trigger.ts';
import { computePriority } from './priority.ts';
import { explicitRepeats, MAX_CONTENT_WORDS, NO_ACK, pushesBack, reasksWithSo, REPEAT_SIMILARITY, repetitionOf } from './repetition.ts';
import {
  conversationSentiment,
  LEX,
  MAX_SENTIMENT_MESSAGES,
  mayHaveSentiment,
  NEUTRAL_DETAIL,
  scoreTokenStream,
  type SentimentDetail,
  type WordInfo,
} from './sentiment.ts';
import { buildSummary, type SummaryMessage } from './summary.ts';
import {
  SIG_ACK,
  SIG_DAMAGE,
  SIG_ELAPSED,
  SIG_FACT,
  SIG_PUSHBACK,
  SIG_MORE_FACTS,
  SIG_NOT_ACK,
  SIG_NOT_HELPED,
  SIG_PERSON,
  SIG_RESOLVED,
  SIG_SARCASM,
  SIG_SAFETY,
  SIG_SWELL,
  SIG_THANKS,
  SIG_THREAT,
} from './signals/cues.ts';
import {
  describeFacts,
  factSentimentCap,
  closingResolves,
  politeThanks,
  saysResolved,
  unresolvedFacts,
  withoutNoWorries,
  type FactFinding,
  type FactMessage,
} from './signals/frustration.ts';
import { assistantLoop, fingerprint, MAX_LOOP_MESSAGES, mayLoop, type LoopMessage } from './signals/looping.ts';
import { canonical } from './signals/normalise.ts';
import { quotedClaim } from './signals/quoted-claim.ts';
import { sortAscending, tokenText } from './signals/pattern.ts';
import { cheerContradicted, misreadComplaint } from './signals/misread.ts';
import { ADMITS, ironicPraise, praiseAfterProblem } from './signals/sarcasm.ts';
import { damageTold, refusalAfterDamage, reportedRefusal, reportedRejection } from './signals/refusal.ts';
import { closingThanks, endsOnThanks, thankedAction } from './signals/resolution.ts';
import { ANSWERED_MARK, unansweredReask, type ReaskFinding } from './signals/reask.ts';
import { asksAgain, maySettle, replyMarks, settles } from './signals/reask-shape.ts';
import { CARRY_MESSAGES, findCarriedSafety, findSafety, safetyPatterns, type SafetyFinding } from './signals/safety.ts';
import { echoedWait } from './signals/echo.ts';
import {
  endsCalm,
  endsQuiet,
  endsWarm,
  fearedDispute,
  laughs,
  personAtOtherShop,
  settledByCalmEnd,
  toldAside,
  argumentNotPayment,
  disputeDeclined,
  disputeIntentionOver,
  tokenOffset,
  type AsideKind,
} from './signals/aside.ts';
import { findThreats, threatPatterns } from './signals/threats.ts';
import { isWordToken, tokenize, wordsOf, type TokenStream } from './tokenize.ts';
import type { PhraseTrie } from './trie.ts';
import { DEFAULT_KEYWORD_TRIE, F_CUE, F_PERSON, F_QUESTION_OPENER, F_STOP, F_SUBJECT } from './wordindex.ts';
import {
  DEFAULT_DETECTION_SETTINGS,
  RISK_FLAGS,
  type ConversationInput,
  type Decision,
  type DetectionSettings,
  type Intent,
  type Message,
  type RiskFlag,
  type Trigger,
} from './types.ts';
import { head, tail } from '../text/code-points.ts';

export const MAX_SCAN_MESSAGES = 40;
export const MAX_MESSAGE_CHARS = 3000;
const HEAD_CHARS = 2000;
const TAIL_CHARS = 1000;
const MAX_REASON_CHARS = 200;
const INTENT_RECENCY = [1, 0.8, 0.64, 0.512];
const NO_WORDS: readonly string[] = [];
const LEGAL_INTENT = 0; // index of 'legal' in INTENT_TIE_ORDER
const MAX_NOTE_CHARS = 80;
const NO_TURNS: LoopMessage[] = [];
const NO_REPEATS = { repeats: 0, indexes: [] as number[], explicit: 0, similar: 0 };
/** customer messages after the last repeat that say the customer moved on from it */
const MOVED_ON = 3;
/** detect()'s intent scores, reset on each call (detect is synchronous and not re-entered) */
const INTENT_SCORES = newIntentScores();
/** a message scoring above this is praise: its "tell my friends" is not a public threat */
const PRAISE_SCORE = 0.3;
/** default keywords that name something the assistant can do: in a question they ask about it */
const ASKABLE_KEYWORDS: ReadonlySet<string> = new Set(['cancel my order', 'cancel my subscription']);
/** a customer message after the one telling the damage takes the answer ("fair enough", "makes sense", "no worries"; not "fair enough, but …") */
function refusalTaken(customer: readonly CustomerMsg[], damageCustomer: number): boolean {
  for (let k = damageCustomer + 1; k < customer.length; k++) {
    const c = customer[k]!;
    if (maySettle(c.toks) && settles((c.tt ??= tokenText(c.toks)))) return true;
  }
  return false;
}

/**
 * The same hazard found again after a match said in passing (signals/aside.ts), not itself said in
 * passing: findSafety gives each hazard's first match only, so the rest of the message is read again.
 */
function laterSafety(text: string, first: SafetyFinding, calm: () => boolean): SafetyFinding | null {
  let cut = first.at + 1 + first.match.length;
  while (cut < text.length && text[cut] !== ' ') cut++;
  for (let rounds = 0; rounds < 4 && cut < text.length - 1; rounds++) {
    const rest = text.slice(cut);
    const again = findSafety(rest).find((f) => f.hazard === first.hazard);
    if (again === undefined) return null;
    const at = again.at + cut;
    if (!(calm() && toldAside(text, at + 1, 'safety'))) return { hazard: again.hazard, match: again.match, at };
    cut = at + 1 + again.match.length;
    while (cut < text.length && text[cut] !== ' ') cut++;
  }
  return null;
}

/** a reply sending the customer to another party: "I'd recommend contacting the finance provider directly" */
const SENDS_ELSEWHERE =
  /\b(?:contact|contacting|call|calling|ring|phone|reach out to|speak to|speaking to|get in touch with|check with) (?:the|your) (?:[a-z]+ ){0,2}(?:provider|bank|manufacturer|brand|courier|carrier|seller|lender|company|supplier|insurer|finance|retailer|store|shop|team)\b/i;
/** the other party sent them back: "they told me to contact you", "the bank sent me back to you", "they said to ask you" */
const SENT_BACK =
  / (?:(?:told|sent|referred|directed|redirected|pointed) (?:me|us) (?:back )?to (?:contact |call |ask |email |message |speak to |talk to )?|(?:said|say|says) to (?:contact|call|ask|email|message|speak to|talk to) )(?:you|yourselves|your company|your team) /;

/**
 * The customer sent back and forth: a reply sent them to another party, and their next message says that
 * party sent them back ("Wonderful, I did, and they told me to contact you"); the runaround, as contact repeated.
 */
function sentBack(messages: readonly unknown[], customer: readonly CustomerMsg[], sentStart: number): FactFinding | null {
  for (let c = customer.length - 1; c >= sentStart && c >= customer.length - 3; c--) {
    const m = customer[c]!;
    if (m.index < 1 || m.question) continue;
    const reply = messages[m.index - 1] as { role?: unknown; text?: unknown } | null;
    if (!reply || typeof reply !== 'object' || reply.role !== 'assistant' || typeof reply.text !== 'string') continue;
    if (!SENDS_ELSEWHERE.test(reply.text.length > 1000 ? reply.text.slice(0, 1000) : reply.text)) continue;
    const hit = SENT_BACK.exec((m.tt ??= tokenText(m.toks)));
    if (hit !== null) return { kind: 'repeat_contact', match: hit[0].trim(), message: c - sentStart };
  }
  return null;
}

/** every place the person request is told is at another shop, in the past (signals/aside.ts personAtOtherShop) */
function requestAtOtherShop(text: string, phrase: string): boolean {
  const needle = ` ${phrase} `;
  let at = text.indexOf(needle);
  if (at < 0) return false;
  for (; at >= 0; at = text.indexOf(needle, at + 1)) if (!personAtOtherShop(text, at + 1)) return false;
  return true;
}

/** keywords a customer may deny of what they check: "genuine and not a scam", "it isn't a scam then", "thought it was a scam but it was legit" */
const DENIABLE_KEYWORDS: ReadonlySet<string> = new Set(['scam']);
const DENIAL: ReadonlySet<string> = new Set(['not', 'isnt', 'wasnt', 'never', 'no']);

/** "not a scam", "isn't a scam", "no scam": the word at i denied by the customer */
function deniedBefore(toks: readonly string[], i: number): boolean {
  const a = toks[i - 1] ?? '';
  if (DENIAL.has(a)) return true;
  return (a === 'a' || a === 'some' || a === 'any') && DENIAL.has(toks[i - 2] ?? '');
}
/** a capitalised name in quotes: "the 'Dispute' blend", "the \u201cSmoke & Fire\u201d cologne" */
const QUOTED_NAME = /(?:^|[\s(])['\u2018"\u201c]([A-Z][A-Za-z0-9&' -]{0,30}?)['\u2019"\u201d](?=[\s.,!?;:)]|$)/g;
/** Adds the words (lower case) of each capitalised quoted name in a message's text to names. */
function quotedNames(text: string, names: Set<string>): void {
  if (text.indexOf("'") < 0 && text.indexOf('"') < 0 && text.indexOf('\u2018') < 0 && text.indexOf('\u201c') < 0) return;
  QUOTED_NAME.lastIndex = 0;
  for (let m = QUOTED_NAME.exec(text); m !== null; m = QUOTED_NAME.exec(text)) for (const w of m[1]!.toLowerCase().split(/[^a-z]+/)) if (w !== '') names.add(w);
}
/** what a belief is corrected to: "thought it was a scam but it was legit" */
const GENUINE: ReadonlySet<string> = new Set(['legit', 'legitimate', 'genuine', 'real', 'authentic', 'fine']);
/** "my mum thought the delivery was a scam text but it was legit": the word at i taken back later in its sentence */
function correctedAfter(toks: readonly string[], i: number): boolean {
  for (let j = i + 1; j < toks.length && j <= i + 8; j++) {
    const t = toks[j]!;
    if (t === '.' || t === '!' || t === '?') return false;
    if (t !== 'but') continue;
    for (let k = j + 1; k < toks.length && k <= j + 5; k++) {
      const u = toks[k]!;
      if (u === '.' || u === '!' || u === '?' || u === ',' || u === 'not' || u === 'isnt' || u === 'wasnt') return false;
      if (GENUINE.has(u)) return true;
    }
    return false;
  }
  return false;
}
/** a belief the customer had, told in the past: "I thought it was some sort of scam tbh", "was worried it was a scam" */
const PAST_BELIEF: ReadonlySet<string> = new Set(['thought', 'assumed', 'worried', 'feared', 'wondered', 'figured']);
/** what keeps a past belief held: "I always thought …", "still thought", "I knew" is no belief */
const HELD_BELIEF: ReadonlySet<string> = new Set(['always', 'still', 'now', 'rightly']);
/** "I thought it was some sort of scam tbh" (the word at i): a suspicion told as past, not a claim that it is one */
function pastBeliefBefore(toks: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= 0 && j >= i - 7; j--) {
    const t = toks[j]!;
    if (t === '.' || t === '!' || t === '?' || t === ',' || t === 'but') return false;
    if (!PAST_BELIEF.has(t)) continue;
    if (HELD_BELIEF.has(toks[j - 1] ?? '')) return false;
    let after = '';
    for (let k = i + 1; k < toks.length && k <= i + 8; k++) {
      const u = toks[k]!;
      if (u === '.' || u === '!' || u === '?') break;
      after += ` ${u}`;
    }
    return !/ (?:i|we) was right| i was correct| turns out (?:it is|it was|they are|it really)| now (?:i|we) know| and it is\b| and it was\b/.test(after);
  }
  return false;
}
/** an intention told as past, right before a threat: "I was about to", "we were going to", "I nearly", "I almost" */
const WAS_ABOUT_TO =
  / (?:i|we) (?:was|were) (?:just |literally |so |this close to |that close to )?(?:about to|going to|gonna|ready to|on the verge of|close to|tempted to)(?: [^ .,!?]+)? $/;
const NEARLY = / (?:i|we) (?:almost|nearly)(?: [^ .,!?]+)? $/;
/**
 * A threat (its match starting after the space at `at`, `len` characters of the message's tokenText) the customer gave up: "I nearly left a 1 star
 * review", "I was about to write an angry review … but then I saw I was typing O instead of 0". Not "I'm about to …",
 * nor "I was going to leave a bad review" with no turn after it ("… and I still will").
 */
function threatGivenUp(text: string, at: number, len: number): boolean {
  const before = text.slice(Math.max(0, at - 50), at + 1);
  const after = text.slice(at + 1 + len, at + 1 + len + 80);
  // "I nearly left a 1 star review, and I still will if …": taken up again
  if (NEARLY.test(before)) return !STILL_WILL.test(after);
  if (!WAS_ABOUT_TO.test(before)) return false;
  if (NO_NEED_AFTER.test(after)) return !STILL_WILL.test(after);
  return / but (?:then )?(?:i|we|it|you|turns|turned|the|its|it s) /.test(after) && !/ (?:still|anyway|now)\b/.test(after);
}
/** what a past intention turned out not to need: "… but there was really no need", "…, glad I didn't need to" */
const NO_NEED_AFTER =
  /^(?: [^ .!?]+){0,5}? (?:but |,? ?(?:and )?)(?:there (?:was|is|s) (?:really |just |honestly )?no need|(?:glad|happy|pleased|relieved) (?:i|we) (?:didnt|did not|never|dont|do not) (?:need|have|had) to|(?:i|we) (?:didnt|did not|never) (?:need|have|had) to)\b/;
/** complaint keywords a customer may say they meant to make and then did not need to: "I was going to make a complaint but there was no need" */
const COMPLAINT_KEYWORD_SET: ReadonlySet<string> = new Set(COMPLAINT_KEYWORDS);
/** a threat given up taken up again: "… and I still will if this isn't fixed", "… I might yet" */
const STILL_WILL =
  / (?:still will|will still|still might|might still|may still|still going to|still gonna|might yet|may yet|will if|unless|if this|if it|if you) /;
/** the people of a legal threat, read as a title when the customer quoted them capitalised ("The Lawyer's Wife") */
const LEGAL_PEOPLE: ReadonlySet<string> = new Set(['lawyer', 'lawyers', 'attorney', 'attorneys', 'solicitor', 'solicitors']);
/** what a customer is mailed: cancelling a subscription to one of these is leaving a list, not closing the account */
const MAILING_LIST =
  /^(?:the |your |all |all the |all your |these |those )?(?:email|emails|e mails|newsletter|newsletters|mailing list|mailings|marketing|marketing emails|promo|promos|promotional|offers|deals emails|texts|sms|notifications)\b/;
/**
 * "cancel my subscription to the newsletter", "cancel my membership of the mailing list": the
 * subscription named by what follows, a mailing list (text is the message's tokenText, end the
 * offset just after the match).
 */
function subscriptionToMailing(text: string, end: number): boolean {
  const m = /^ (?:to|for|from|of|on) (.*)$/.exec(text.slice(end, end + 50));
  return m !== null && MAILING_LIST.test(m[1]!);
}

/** a threat naming where it will be told counts even when worded cheerfully ("happy to tell everyone on Trustpilot") */
const NAMED_PLATFORM = /trustpilot|yelp|google|tripadvisor|review|twitter|tiktok|instagram|facebook|reddit|youtube|news|paper|press|followers|subscribers/;

/** the kind of risk a flag names, for signals/aside.ts */
function asideKind(flag: RiskFlag): AsideKind {
  return flag === 'safety' ? 'safety' : flag === 'legal_threat' ? 'legal' : 'dispute';
}

function quote(s: string): string {
  return `"${s.length > MAX_NOTE_CHARS ? `${s.slice(0, MAX_NOTE_CHARS - 1)}…` : s}"`;
}

/** Settings validated and compiled once (keyword trie); pass to detect() for speed. */
export interface CompiledSettings extends DetectionSettings {
  readonly compiled: true;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : Math.min(v, hi);
}

/** The store's own keyword trie (null when it adds none), per compiled settings. */
const STORE_TRIES = new WeakMap<CompiledSettings, PhraseTrie<string> | null>();

/**
 * Validates settings (out-of-range numbers are clamped, non-numbers fall back to the defaults;
 * at most MAX_STORE_KEYWORDS keywords of at most MAX_KEYWORD_LENGTH characters) and compiles the
 * store's keywords into a word trie (DEFAULT_KEYWORDS are always matched too).
 */
export function compileSettings(settings: Partial<DetectionSettings> = {}): CompiledSettings {
  const s = settings && typeof settings === 'object' ? settings : {};
  const d = DEFAULT_DETECTION_SETTINGS;
  const storeKeywords: string[] = [];
  const seen = new Set<string>();
  if (Array.isArray(s.keywords)) {
    for (const k of s.keywords) {
      if (storeKeywords.length >= MAX_STORE_KEYWORDS) break;
      if (typeof k !== 'string') continue;
      const norm = normaliseKeyword(k.slice(0, MAX_KEYWORD_LENGTH));
      if (norm.length === 0 || seen.has(norm)) continue;
      seen.add(norm);
      storeKeywords.push(norm);
    }
  }
  const compiled: CompiledSettings = Object.freeze({
    compiled: true as const,
    confidenceThreshold: finite(s.confidenceThreshold) ? clamp(s.confidenceThreshold, 0, 1) : d.confidenceThreshold,
    sentimentThreshold: finite(s.sentimentThreshold) ? clamp(s.sentimentThreshold, -1, 1) : d.sentimentThreshold,
    maxTurns: finite(s.maxTurns) ? clamp(Math.floor(s.maxTurns), 1, 1_000_000) : d.maxTurns,
    keywords: Object.freeze(storeKeywords) as string[],
  });
  const own = storeKeywords.filter((k) => !DEFAULT_KEYWORD_SET.has(k));
  STORE_TRIES.set(compiled, own.length > 0 ? compileKeywordTrie(own) : null);
  return compiled;
}

const DEFAULT_KEYWORD_SET = new Set(DEFAULT_KEYWORDS.map(normaliseKeyword));
const DEFAULT_COMPILED = compileSettings({});

let resolvedSettings: CompiledSettings = DEFAULT_COMPILED;
/** Compiles plain settings when needed; returns the store's trie and leaves the settings in resolvedSettings. */
function resolveSettings(settings: Partial<DetectionSettings> | CompiledSettings | undefined): PhraseTrie<string> | null {
  if (settings === undefined || settings === null) {
    resolvedSettings = DEFAULT_COMPILED;
    return null;
  }
  let cs = settings as CompiledSettings;
  let trie = cs.compiled === true ? STORE_TRIES.get(cs) : undefined;
  if (trie === undefined) {
    cs = compileSettings(settings);
    trie = STORE_TRIES.get(cs)!;
  }
  resolvedSettings = cs;
  return trie;
}

function capText(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  return `${head(text, HEAD_CHARS)} … ${tail(text, TAIL_CHARS)}`;
}

/** n with two decimals ("0.30", "-0.80"); cheaper than toFixed. */
function fmt(n: number): string {
  const r = Math.round(n * 100);
  const a = r < 0 ? -r : r;
  const frac = a % 100;
  return `${r < 0 ? '-' : ''}${(a - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

interface CustomerMsg extends SummaryMessage, FactMessage {
  /** index into input.messages */
  index: number;
  ts: TokenStream<WordInfo>;
  /** the customer says the previous answer did not help ("still", "didn't", "???") */
  notHelped: boolean;
  /** the message ends with "?" */
  question: boolean;
  /** it has a word a complaint fact can start with */
  mayHaveFacts: boolean;
  /** it has a word of the resolution patterns */
  mayResolve: boolean;
  /** it has a word of the sarcasm patterns */
  maySarcasm: boolean;
}

/**
 * Decides whether a conversation must go to a human. Total: never throws on any input shape;
 * bounded work (see MAX_SCAN_MESSAGES, MAX_MESSAGE_CHARS).
 *
 * Its steps are functions of their own (read the customer's messages, the complaint facts, the
 * repeats, the triggers) and not one function: V8 optimises and throws away compiled code a function
 * at a time, and a fresh process meeting a rare branch (a sarcasm echo, a refusal after damage) threw
 * away and recompiled the whole of a 680-line detect() each time, 0.3–0.8 s of compiler thread.
 */
export function detect(input: ConversationInput, settings?: Partial<DetectionSettings> | CompiledSettings): Decision {
  const storeTrie = resolveSettings(settings);
  const cs = resolvedSettings;
  const inp: Partial<ConversationInput> = input && typeof input === 'object' ? input : {};
  // The caller's fields are read here, once: every request reaches these reads whatever its shape.
  // Read inside a rare branch instead, a body shape that branch had not met threw away V8's compiled
  // detect() (0.3–0.8 s of compiler time to rebuild) in a fresh API's first second of traffic.
  const { customerSentiment, detectedIntent, aiConfidence, manual, reason: callerText, customer: customerInfo, order: orderInfo } = inp;
  const messages = Array.isArray(inp.messages) ? inp.messages : [];
  currentMessages = messages;

  // ── customer messages: count all, read the first and the last MAX_SCAN_MESSAGES − 1
  let turns = 0;
  let lastAssistant = -1;
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k];
    if (m && typeof m === 'object') {
      if (m.role === 'customer') turns++;
      else if (m.role === 'assistant') lastAssistant = k;
    }
  }
  const callerSentiment = finite(customerSentiment) ? clamp(customerSentiment, -1, 1) : null;
  const r = new Reading(messages, pickedMessages(messages, turns), storeTrie, callerSentiment);
  // oldest first; p is the age (0 = the latest customer message)
  for (let p = r.picked.length - 1; p >= 0; p--) readMessage(r, p);
  const { customer, details, keywords, riskFound } = r;

  // legal only with a legal threat ("my lawyer friend recommended you" is not a legal case)
  if (riskFound.indexOf('legal_threat') < 0) r.intentScores[LEGAL_INTENT] = 0;
  let intent: Intent = isIntent(detectedIntent) ? detectedIntent : pickIntent(r.intentScores);
  // a safety incident is about the product even when no product word was used
  if (intent === 'other' && riskFound.indexOf('safety') >= 0) intent = 'damaged_item';

  // ── sentiment (per message scored in readMessage, while its tokens were hot)
  const sentStart = customer.length > MAX_SENTIMENT_MESSAGES ? customer.length - MAX_SENTIMENT_MESSAGES : 0;
  const told = callerSentiment === null ? complaintFacts(r, sentStart, lastAssistant) : NO_FACTS;
  const { facts, thankedAt } = told;
  const factCap = factSentimentCap(facts);
  const computed = callerSentiment === null ? conversationSentiment(details) : 0;
  let sentiment = callerSentiment !== null ? callerSentiment : factCap < 0 && factCap < computed ? factCap : computed;
  // the customer closed the matter: "there it is, thanks", "my bad!", "ok thanks" after the answer
  if (callerSentiment === null && sentiment < 0 && customer.length > 0 && closes(customer[customer.length - 1]!, customer.length)) sentiment = 0;
  // a thanks after a reply that acted or answered concretely, with no complaint left: "worked this time, cheers!"
  if (callerSentiment === null && sentiment < 0 && facts.length === 0 && customer.length > 0 && thanksAfterAnswer(messages, customer[customer.length - 1]!))
    sentiment = 0;

  if (thankedAt >= 0 && facts.length === 0 && sentiment < 0) sentiment = 0;

  const rep = customerRepeats(r, thankedAt);
  const reask = rep.repeats === 0 && thankedAt < 0 ? reaskedQuestion(r) : null;
  const loop = assistantLoop(loopTurns(messages, customer));

  const triggers: Trigger[] = [];
  const confidence = finite(aiConfidence) ? clamp(aiConfidence, 0, 1) : null;
  if (confidence !== null && confidence < cs.confidenceThreshold) triggers.push(lowConfidenceTrigger(confidence, cs, lastAssistant));
  if ((callerSentiment !== null || customer.length > 0) && sentiment <= cs.sentimentThreshold)
    triggers.push(sentimentTrigger(r, sentStart, sentiment, cs, facts, factCap, computed));
  if (keywords.length > 0) triggers.push(keywordTrigger(r));
  if (turns > cs.maxTurns) {
    triggers.push({
      type: 'MAX_TURNS_EXCEEDED',
      value: turns,
      threshold: cs.maxTurns,
      reason: `${turns} customer turns exceed the maximum of ${cs.maxTurns}`,
    });
  }
  const manualFlag = manual === true;
  if (manualFlag || r.personIdx.length > 0) triggers.push(manualTrigger(r, manualFlag, callerText));
  if (rep.repeats > 0 || loop !== null || reask !== null) triggers.push(repeatTrigger(customer, rep, reask, loop));

  // no rule fired: the learned scorer may still hear a complaint the rules only half saw (learned/trigger.ts)
  if (triggers.length === 0 && callerSentiment === null) {
    const learned = learnedTrigger(customer, details, sentStart, sentiment, turns);
    if (learned !== null) triggers.push(learned);
  }

  const riskFlags: string[] = [];
  for (const f of RISK_FLAGS) if (riskFound.indexOf(f) >= 0) riskFlags.push(f);
  const priority = computePriority({
    triggers,
    riskFlags,
    intent,
    customerTier: customerInfo && typeof customerInfo === 'object' ? customerInfo.tier : undefined,
    orderTotal: orderInfo && typeof orderInfo === 'object' ? orderInfo.total : undefined,
  });

  return {
    shouldEscalate: triggers.length > 0,
    priority,
    triggers,
    sentiment,
    confidence,
    intent,
    keywords,
    riskFlags,
    summary: buildSummary(intent, customer),
    turns,
  };
}

/** Indexes of the customer messages read: the last MAX_SCAN_MESSAGES − 1 (newest first), then the first. */
function pickedMessages(messages: readonly Message[], turns: number): number[] {
  const picked: number[] = [];
  for (let k = messages.length - 1; k >= 0 && picked.length < MAX_SCAN_MESSAGES - 1; k--) {
    const m = messages[k];
    if (m && typeof m === 'object' && m.role === 'customer') picked.push(k);
  }
  if (turns > picked.length) {
    for (let k = 0; k < messages.length; k++) {
      const m = messages[k];
      if (m && typeof m === 'object' && m.role === 'customer') {
        picked.push(k);
        break;
      }
    }
  }
  return picked;
}

/** What reading the customer's messages found, message by message (oldest first) and over the conversation. */
class Reading {
  readonly customer: CustomerMsg[] = [];
  /** each message's canonical content words, for repetitionOf */
  readonly contents: string[][] = [];
  readonly explicit: number[] = [];
  readonly followUps: boolean[] = [];
  readonly asks: boolean[] = [];
  readonly pushbacks: boolean[] = [];
  readonly soQuestions: boolean[] = [];
  readonly settled: boolean[] = [];
  /** sentiment of the last MAX_SENTIMENT_MESSAGES customer messages, oldest first */
  readonly details: SentimentDetail[] = [];
  readonly keywords: string[] = [];
  readonly keywordIdx: number[] = [];
  readonly riskFound: RiskFlag[] = [];
  readonly intentScores = INTENT_SCORES.fill(0);
  readonly personIdx: number[] = [];
  personPhrase = '';
  /** what the conversation signals found, for KEYWORD_MATCH's reason ("safety: burn ("…")") */
  readonly signalNotes: string[] = [];
  /** the oldest customer message read that names damage (index into messages), and a refusal the customer reports with it */
  damageAt = -1;
  damageCustomer = -1;
  reportedRefusalOf = '';
  private calm: boolean | undefined = undefined;
  private names: Set<string> | undefined = undefined;

  constructor(
    readonly messages: readonly Message[],
    /** indexes into messages of the customer messages read, newest first (pickedMessages) */
    readonly picked: readonly number[],
    readonly storeTrie: PhraseTrie<string> | null,
    readonly callerSentiment: number | null,
  ) {}

  /**
   * A risk word said in passing (asked, hearsay, a joke, a lawyer to read the terms) before a calm
   * last message does not count (signals/aside.ts); the last message is read only when a risk word is found.
   */
  readonly endedCalm = (): boolean => {
    if (this.calm === undefined) {
      const last = this.picked.length > 0 ? this.messages[this.picked[0]!]!.text : '';
      this.calm = typeof last === 'string' && endsCalm(tokenText(tokenize(capText(last), MAX_MESSAGE_CHARS + 10, LEX).toks));
    }
    return this.calm;
  };

  /** A word of a name the customer put in quotes anywhere in the conversation (read only when a risk word is found). */
  quotedName(word: string): boolean {
    if (this.names === undefined) {
      this.names = new Set();
      for (let k = 0; k < this.picked.length; k++) {
        const r = this.messages[this.picked[k]!]!.text;
        if (typeof r === 'string') quotedNames(capText(r), this.names);
      }
    }
    return this.names.has(word);
  }

  addKeyword(k: string): void {
    if (this.keywords.indexOf(k) < 0) this.keywords.push(k);
  }
}

/** One customer message's words as scanWords() read them. */
class MessageWords {
  /** distinct non-stop words, counted up to 3 for the summary */
  readonly plain: string[] = [];
  /** canonical content words, up to MAX_CONTENT_WORDS */
  readonly content: string[] = [];
  /** SIG_* and F_* flags of its words */
  sig = 0;
  /** a word starts with a digit ("2 hours", "3 emails") */
  digits = false;
  // acknowledgement check on the way (see CustomerMsg.ack): word count, words that are not acknowledgements
  nWords = 0;
  nOther = 0;
  /** a keyword, a safety or threat signal or a role asked for was found in it */
  kwHit = false;
  /** a repeat cue ("again", "already") */
  cue = false;
  /** a person noun */
  person = false;
  /** the sentiment, when a step needed it early */
  detail: SentimentDetail | undefined = undefined;
  private tt: string | undefined = undefined;
  readonly toks: readonly string[];
  readonly endsAsQuestion: boolean;

  constructor(
    readonly ts: TokenStream<WordInfo>,
    /** its age: 0 = the latest customer message */
    readonly p: number,
  ) {
    this.toks = ts.toks;
    this.endsAsQuestion = isQuestion(ts.toks);
  }

  /** tokenText(toks), built once, when a signal's patterns may match */
  text(): string {
    return (this.tt ??= tokenText(this.toks));
  }

  /** tokenText(toks) if it was built */
  builtText(): string | undefined {
    return this.tt;
  }

  sentiment(): SentimentDetail {
    return (this.detail ??= mayHaveSentiment(this.ts) ? scoreTokenStream(this.ts) : NEUTRAL_DETAIL);
  }
}

/** Reads the customer message of age p into r: its words, its signals, its sentiment and its repeat cues. */
function readMessage(r: Reading, p: number): void {
  const { messages } = r;
  const index_ = r.picked[p]!;
  const raw = messages[index_]!.text;
  const text = typeof raw === 'string' ? capText(raw) : '';
  const ts = tokenize(text, MAX_MESSAGE_CHARS + 10, LEX);
  const toks = ts.toks;
  const n = toks.length;
  const w = scanWords(r, new MessageWords(ts, p));
  const { sig } = w;
  const wordHashes: number[] | undefined = w.cue ? [] : undefined;
  const words = w.person || w.cue ? wordsOf(ts, wordHashes) : NO_WORDS;
  // the gates name the patterns that may match, and only those are tried
  if ((sig & SIG_SAFETY) !== 0) findSafetyIn(r, w);
  // "It's puffed up and the case has split" of the power bank named in the message before
  if ((sig & SIG_SWELL) !== 0 && r.customer.length > 0 && r.riskFound.indexOf('safety') < 0) findCarriedSafetyIn(r, w);
  if ((sig & SIG_THREAT) !== 0) findThreatsIn(r, w);
  if (w.person || (sig & SIG_PERSON) !== 0) findPersonRequestIn(r, w, words, index_);
  if (w.kwHit) r.keywordIdx.push(index_);
  if ((sig & SIG_DAMAGE) !== 0 && damageTold(toks)) {
    if (r.damageAt < 0) {
      r.damageAt = index_;
      r.damageCustomer = r.customer.length;
    }
    if (r.reportedRefusalOf === '') r.reportedRefusalOf = reportedRefusal(w.text()) ?? '';
  }
  const question = n > 0 && toks[n - 1] === '?';
  // "did that, still crashes" said, not asked ("is that still right?"); or a message of only "???"
  // "there is no remove button": a "no" inside the message (an opening "no, that's all" is an answer)
  const inner = question ? -1 : toks.indexOf('no', 1);
  // "ah ok no worries. how much is shipping to nz then": "no worries" acknowledges
  // "ah yes sorry, I mean 40 UK" agrees with what the reply asked ("Is size 40 maybe UK/US size?") and says it more exactly
  const pushback =
    (pushesBack(toks, (sig & SIG_PUSHBACK) !== 0) ||
      (inner > 0 && toks[inner - 1] !== ',' && !NO_ACK.has(toks[inner + 1] ?? '') && !NO_FUSS.has(toks[inner + 1] ?? '')) ||
      (question && didWhatReplySaid(messages, index_, toks))) &&
    !agreesWithAskingReply(messages, index_, toks);
  const { plain, content } = w;
  const notHelped = ((sig & SIG_NOT_HELPED) !== 0 && !question) || (question && plain.length === 0 && content.length === 0 && toks[0] === '?') || pushback;
  const scored = r.callerSentiment === null && p < MAX_SENTIMENT_MESSAGES;
  if (scored) w.sentiment();
  const detail = w.detail;
  const msg: CustomerMsg = {
    index: index_,
    text,
    raw: text,
    ts,
    toks,
    hashes: ts.hashes,
    contentCount: plain.length,
    oddSpace: ts.oddSpace,
    notHelped,
    question,
    // the sentence scorer counts every complaint fact negative (facts.ts): no negativity, no fact to find
    mayHaveFacts: (sig & SIG_FACT) !== 0 && (detail === undefined || detail.score < 0),
    mayResolve: (sig & SIG_RESOLVED) !== 0,
    maySarcasm: (sig & SIG_SARCASM) !== 0,
    mayHaveMoreFacts: (sig & SIG_MORE_FACTS) !== 0,
    // always present, so every message object has one shape (tokenText is cached here when built later)
    tt: w.builtText(),
    mayHaveElapsed: w.digits || (sig & SIG_ELAPSED) !== 0,
    // whether an acknowledgement follows a concrete answer (asked by unresolvedFacts only when it matters)
    answered: answeredBefore,
    quoted: ts.quoted,
    ents: ts.ents,
    facts: ts.facts,
    ack:
      w.nWords > 0 &&
      w.nWords <= 10 &&
      !question &&
      (sig & SIG_NOT_ACK) === 0 &&
      !hasSarcasticEmoji(toks) &&
      (w.nOther === 0 || ((sig & SIG_THANKS) !== 0 && w.nWords <= 8)),
  };
  r.customer.push(msg);
  r.contents.push(content);
  r.explicit.push(w.cue ? explicitRepeats(words, wordHashes) : 0);
  r.followUps.push(isFollowUp(toks));
  const asks = w.endsAsQuestion || asksInClause(toks, ts.ents);
  r.asks.push(asks);
  // "bike SEAT. the back one I mean" before any reply: correcting themselves, no answer to push back on
  r.pushbacks.push(pushback && repliedBefore(messages, index_));
  r.soQuestions.push(question && reasksWithSo(toks));
  r.settled.push(!pushback && asks && ((maySettle(toks) && settles((msg.tt ??= tokenText(toks)))) || (acksThenAsks(toks) && repliedBefore(messages, index_))));
  if (scored) r.details.push(detail!);
}

/**
 * One pass over a customer message's words: content words, keywords, risk flags, intent, repeat cues,
 * person nouns (one dictionary look-up per word, see wordindex.ts). Phrases match on consecutive
 * tokens, so they do not run across punctuation. The message's counts and flags are kept in locals
 * through the loop (registers in optimised code, not a field store per word) and stored on `w` once.
 */
function scanWords(r: Reading, w: MessageWords): MessageWords {
  const { storeTrie, riskFound, intentScores } = r;
  const { ts, p, plain, content } = w;
  const toks = ts.toks;
  const ents = ts.ents;
  const hashes = ts.hashes;
  const n = toks.length;
  // recency for intent: the latest message ×1, each earlier one ×0.8, floor 0.4
  const intentW = p >= 4 ? 0.4 : INTENT_RECENCY[p]!;
  let sig = 0;
  let digits = false;
  let nWords = 0;
  let nOther = 0;
  let kwFree = 0;
  let storeFree = 0;
  let riskFree = 0;
  let intentFree = 0;
  let kwHit = false;
  let cue = false;
  let person = false;
  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (!isWordToken(t)) continue; // markers, emoticons and emoji
    if (storeTrie !== null && i >= storeFree && (storeTrie.firstWordBits & (1 << (hashes[i]! & 31))) !== 0) {
      const node = storeTrie.rootNode(t, hashes[i]!);
      if (node !== undefined) {
        const len = storeTrie.longestFrom(node, toks, i, hashes);
        if (len > 0) {
          r.addKeyword(storeTrie.lastValue!);
          kwHit = true;
          storeFree = i + len;
        }
      }
    }
    const e = ents[i];
    const f = e === undefined ? 0 : e.flags;
    if ((f & F_STOP) === 0) {
      if (plain.length < 3 && plain.indexOf(t) < 0) plain.push(t);
      if (content.length < MAX_CONTENT_WORDS) {
        const c = e === undefined ? canonical(t, hashes[i]) : (e.canon ??= canonical(t, hashes[i]));
        if (c !== '' && content.indexOf(c) < 0) content.push(c);
      }
    }
    nWords++;
    if ((f & SIG_ACK) === 0) nOther++;
    if (e === undefined) {
      const c0 = t.charCodeAt(0);
      if (c0 >= 48 && c0 <= 57) {
        sig |= SIG_FACT; // "2 hours", "3 emails"
        digits = true;
      }
      continue;
    }
    sig |= f;
    if ((f & F_CUE) !== 0) cue = true;
    if ((f & F_PERSON) !== 0) person = true;
    // "is there a chargeback risk if I use PayPal?" before "Great, that clears it up.": said in passing
    let aside = false;
    let riskLen = 0;
    if (e.risk !== undefined && i >= riskFree && (riskLen = RISK_TRIE.longestFrom(e.risk, toks, i, hashes)) > 0) {
      aside = riskSaidInPassing(r, w, i, riskLen);
      // the words of a risk phrase said in passing are no keyword either ("… open a dispute": not "dispute" alone)
      if (aside) kwFree = Math.max(kwFree, i + riskLen);
    }
    if (e.kw !== undefined && i >= kwFree && !aside) {
      const len = DEFAULT_KEYWORD_TRIE.longestFrom(e.kw, toks, i, hashes);
      if (len > 0 && keywordMeant(r, w, i, len, riskLen)) {
        r.addKeyword(DEFAULT_KEYWORD_TRIE.lastValue!);
        kwHit = true;
        kwFree = i + len;
      }
    }
    if (e.risk !== undefined && i >= riskFree) {
      const len = RISK_TRIE.longestFrom(e.risk, toks, i, hashes);
      if (len > 0) {
        const flag = RISK_TRIE.lastValue!;
        if (!aside && riskFound.indexOf(flag) < 0) riskFound.push(flag);
        riskFree = i + len;
      }
    }
    if (e.intent !== undefined && i >= intentFree) {
      const len = INTENT_TRIE.longestFrom(e.intent, toks, i, hashes);
      if (len > 0) {
        const hits = INTENT_TRIE.lastValue!;
        for (let h = 0; h < hits.length; h++) {
          const hit = hits[h]!;
          intentScores[hit.idx] = (intentScores[hit.idx] ?? 0) + hit.weight * intentW;
        }
        intentFree = i + len;
      }
    }
  }
  w.sig = sig;
  w.digits = digits;
  w.nWords = nWords;
  w.nOther = nOther;
  w.kwHit = kwHit;
  w.cue = cue;
  w.person = person;
  return w;
}

/** The risk phrase (RISK_TRIE.lastValue, riskLen words) at word i said in passing, not meant. */
function riskSaidInPassing(r: Reading, w: MessageWords, i: number, riskLen: number): boolean {
  const { toks } = w;
  const kind = asideKind(RISK_TRIE.lastValue!);
  const at = tokenOffset(toks, i);
  const aside =
    ((w.p > 0 || kind === 'legal') && r.endedCalm() && toldAside(w.text(), at, kind)) ||
    (kind === 'dispute' && (fearedDispute(w.text(), at) || disputeDeclined(w.text(), at) || (r.endedCalm() && disputeIntentionOver(w.text(), at))));
  if (aside) return true;
  const t = toks[i]!;
  // "the 'Dispute' blend" … "swap my regular for Dispute": a product's name the customer quoted, not a risk
  if (riskLen === 1 && r.quotedName(t)) return true;
  // "I need to dispute something, lol, my husband and I are arguing about …": an argument, not a payment
  return riskLen === 1 && kind === 'dispute' && t === 'dispute' && argumentNotPayment(w.text());
}

/** The default keyword (DEFAULT_KEYWORD_TRIE.lastValue, len words) at word i meant, not asked about, denied or given up. */
function keywordMeant(r: Reading, w: MessageWords, i: number, len: number, riskLen: number): boolean {
  const { toks } = w;
  const k = DEFAULT_KEYWORD_TRIE.lastValue!;
  // "can I cancel my order if it hasn't shipped?": asking about a policy, not asking for it
  // "I may need to cancel my order if …": a possible need told ahead, not a request
  // "just checking it's genuine and not a scam": the customer says it is none; "I thought it was some sort of scam tbh": a past suspicion
  return (
    !(ASKABLE_KEYWORDS.has(k) && (w.endsAsQuestion || possibleNeed(toks, i))) &&
    !(DENIABLE_KEYWORDS.has(k) && (deniedBefore(toks, i) || correctedAfter(toks, i) || pastBeliefBefore(toks, i))) &&
    // "I was going to make a complaint but there was really no need": a complaint meant and given up
    !(COMPLAINT_KEYWORD_SET.has(k) && threatGivenUp(w.text(), tokenOffset(toks, i) - 1, k.length)) &&
    // "cancel my subscription to the newsletter": leaving a mailing list
    !(k === 'cancel my subscription' && subscriptionToMailing(w.text(), tokenOffset(toks, i + len) - 1)) &&
    // "last time at another shop … I had to speak to a manager": told of another shop, not asked here
    !(riskLen === 0 && personAtOtherShop(w.text(), tokenOffset(toks, i))) &&
    // "the band is called "Scam Likely"": a name the customer quoted
    !(len === 1 && r.quotedName(toks[i]!))
  );
}

/** Safety hazards told in the message (signals/safety.ts), unless said in passing before a calm end. */
function findSafetyIn(r: Reading, w: MessageWords): void {
  const open = safetyPatterns(w.toks, w.ts.hashes);
  if (open === null) return;
  const tt = w.text();
  for (let found of findSafety(tt, open)) {
    if (w.p > 0 && r.endedCalm() && toldAside(tt, found.at + 1, 'safety')) {
      // the same hazard told again later in the message still counts ("my mum says it'll explode. it already burst into flames")
      const later = laterSafety(tt, found, r.endedCalm);
      if (later === null) continue;
      found = later;
    }
    r.addKeyword(found.hazard);
    if (r.riskFound.indexOf('safety') < 0) r.riskFound.push('safety');
    r.signalNotes.push(`safety: ${found.hazard} (${quote(found.match)})`);
    w.kwHit = true;
  }
}

/** A swelling or split told of a product a recent message named (signals/safety.ts findCarriedSafety). */
function findCarriedSafetyIn(r: Reading, w: MessageWords): void {
  const { customer } = r;
  const earlier: string[] = [];
  for (let k = Math.max(0, customer.length - CARRY_MESSAGES); k < customer.length; k++) earlier.push((customer[k]!.tt ??= tokenText(customer[k]!.toks)));
  const found = findCarriedSafety(w.text(), earlier);
  if (found === null) return;
  r.addKeyword(found.hazard);
  r.riskFound.push('safety');
  r.signalNotes.push(`safety: ${found.hazard} (${quote(found.match)})`);
  w.kwHit = true;
}

/** Threats (legal, dispute, public complaint, account closure) told in the message and meant (signals/threats.ts). */
function findThreatsIn(r: Reading, w: MessageWords): void {
  const open = threatPatterns(w.toks, w.ts.hashes);
  if (open === null) return;
  const tt = w.text();
  const { p } = w;
  for (const found of findThreats(tt, open)) {
    if (found.flag !== null) {
      const kind = asideKind(found.flag);
      if ((p > 0 || kind === 'legal') && r.endedCalm() && toldAside(tt, found.at + 1, kind)) continue;
      // "I was worried I'd have to dispute it with the bank": a dispute feared, not threatened (signals/aside.ts)
      if (
        kind === 'dispute' &&
        (fearedDispute(tt, found.at + 1) || disputeDeclined(tt, found.at + 1) || (r.endedCalm() && disputeIntentionOver(tt, found.at + 1)))
      )
        continue;
      // "It is called "The Lawyer's Wife"": a title the customer quoted, not a lawyer called
      if (kind === 'legal' && found.match.split(' ').some((word) => LEGAL_PEOPLE.has(word) && r.quotedName(word))) continue;
    }
    // "cancel my subscription to the newsletter, not the account": leaving a mailing list (signals/threats.ts reads the list named right after only)
    if (found.keyword === 'account closure' && subscriptionToMailing(tt, found.at + 1 + found.match.length)) continue;
    // "I saw a post on Reddit saying …, is that true?": a public complaint read, asked about in passing
    if (found.flag === null && found.keyword === 'public complaint' && p > 0 && r.endedCalm() && toldAside(tt, found.at + 1, 'dispute')) continue;
    // "I was about to write an angry review 😤 but then I saw I was typing O instead of 0": a threat given up
    if (found.flag === null && threatGivenUp(tt, found.at, found.match.length)) continue;
    // "I'll tell all my friends about you, the quality is amazing": praise, not a threat
    if (found.flag === null && found.keyword !== 'account closure' && !NAMED_PLATFORM.test(found.match) && w.sentiment().score > PRAISE_SCORE) continue;
    r.addKeyword(found.keyword);
    if (found.flag !== null && r.riskFound.indexOf(found.flag) < 0) r.riskFound.push(found.flag);
    r.signalNotes.push(`${found.keyword} (${quote(found.match)})`);
    w.kwHit = true;
  }
}

/** A request for a person (signals/manual.ts), unless told of another shop; the latest request wins. */
function findPersonRequestIn(r: Reading, w: MessageWords, words: readonly string[], index: number): void {
  const req = (w.person ? findPersonRequest(words) : null) ?? ((w.sig & SIG_PERSON) !== 0 ? findOpenPersonRequest(w.text(), w.toks, w.ts.hashes) : null);
  if (req === null || requestAtOtherShop(w.text(), req.phrase)) return;
  r.personIdx.push(index);
  r.personPhrase = req.phrase;
  const role = roleKeyword(req.phrase);
  // "speak to a manager" already says it
  if (role !== null && !r.keywords.some((k) => k !== role && ` ${k} `.includes(` ${role} `))) {
    r.addKeyword(role);
    w.kwHit = true;
  }
}

/** The complaint facts that stand at the end of the conversation, and where the customer thanked (complaintFacts). */
interface ToldFacts {
  readonly facts: FactFinding[];
  /** the reply the customer's closing thanks was for (index into messages), or −1 */
  readonly thankedAt: number;
}
const NO_FACTS: ToldFacts = { facts: [], thankedAt: -1 };

/**
 * Frustration stated as facts ("on hold for 2 hours", a refusal after damage, irony), which caps the
 * computed sentiment (signals/frustration.ts), less what the rest of the conversation settled.
 */
function complaintFacts(r: Reading, sentStart: number, lastAssistant: number): ToldFacts {
  const { customer, details, messages } = r;
  let facts = statedFacts(r, sentStart);
  // the company acted and the customer thanked at the end: what was told before that reply is over
  let thankedAt = -1;
  const closeAt = details.length > 0 ? closingThanks(customer) : -1;
  if (closeAt >= 0) {
    closingMessage = customer[closeAt]!;
    thankedAt = thankedAction({ messages, customer, scores: details, acted: actedReply, concrete: concreteReply, saysOver: closingSaysOver });
    // facts told after that reply stay, except in the closing thanks itself ("oh nice one, cheers" is not irony)
    // a fact inside a question after that reply ("so the box won't turn up while we're away?") was asked, and answered before the thanks
    // irony with the reply's word in scare quotes keeps its own thanks ironic too ('Superb, "soon". … Really appreciate the consistency.')
    if (thankedAt >= 0)
      facts = facts.filter(
        (f) =>
          customer[sentStart + f.message]!.index > thankedAt &&
          !customer[sentStart + f.message]!.question &&
          (sentStart + f.message < closeAt || (f.kind === 'sarcasm' && (customer[closeAt]!.quoted ?? 0) > 0)),
      );
  }
  // a complaint the reply took for praise ("Thank you for your feedback! We're glad …"), unless acted on after it (signals/misread.ts)
  if (customer.length > 0 && lastAssistant >= 0) {
    const misread = misreadFact(r, sentStart, thankedAt);
    if (misread !== null) facts.push(misread);
  }
  // an earlier problem settled by a calm ending several turns later: "Lovely. Thanks!" (signals/aside.ts)
  if (facts.length > 0 && details.length > 0 && details[details.length - 1]!.score >= 0 && settledLater(r, sentStart, facts, closeAt)) facts = [];
  // the reply's wait echoed back with praise: "Sorry … reviewed within 10 working days." — "Great, ten working days, … He'll be delighted." (signals/echo.ts)
  if (!facts.some((f) => f.kind === 'sarcasm')) {
    const echo = echoedWaitFact(r, sentStart);
    if (echo !== null) facts.push(echo);
  }
  return { facts, thankedAt };
}

/** The facts the customer's messages state, before what later messages settle. */
function statedFacts(r: Reading, sentStart: number): FactFinding[] {
  const { customer, messages } = r;
  if (customer.length === 0) return [];
  const latest = customer[customer.length - 1]!;
  let facts = unresolvedFacts(sentStart > 0 ? customer.slice(sentStart) : customer);
  // the company acted and the customer accepted: "I've sent the sage one out today" — "haha will do, thanks a lot"
  if (facts.length > 0 && acceptedAction(messages, latest)) facts = [];
  // a damaged item met with a refusal (signals/refusal.ts), unless the customer accepted what was done or closed it
  if (r.damageAt >= 0 && r.damageCustomer >= sentStart && !acceptedAction(messages, latest) && !closes(latest, customer.length)) {
    const refusal = r.reportedRefusalOf !== '' ? r.reportedRefusalOf : refusalAfterDamage({ messages, damageAt: r.damageAt, acted: actedReply });
    // "ok, fair enough, that's the airline's problem not yours": the customer took the refusal in a later message
    if (refusal !== null && !refusalTaken(customer, r.damageCustomer)) facts.push({ kind: 'refused', match: refusal, message: r.damageCustomer - sentStart });
  }
  // sent back and forth: the reply sent the customer to another party, who sent them back ("I did, and they told me to contact you")
  if (!facts.some((f) => f.kind === 'repeat_contact')) {
    const back = sentBack(messages, customer, sentStart);
    if (back !== null) facts.push(back);
  }
  // a return, refund or claim the customer says was rejected, told (not asked), unless accepted or closed
  if (!facts.some((f) => f.kind === 'refused') && !acceptedAction(messages, latest) && !closes(latest, customer.length)) {
    const rejected = rejectionTold(customer, sentStart);
    if (rejected !== null) facts.push(rejected);
  }
  // praise right after the assistant admitted a problem or refused: "oh how lovely, really appreciate that"
  const irony = praiseAfterAdmission(messages, customer, sentStart);
  if (irony !== null) facts.push(irony);
  else if (facts.length === 0 && customer.length >= 2 && (latest.maySarcasm || customer[customer.length - 2]!.maySarcasm)) {
    // strong praise after a problem nobody acted on: "brilliant. just brilliant. a safe place. in a monsoon"
    const found = praiseAfterProblem(messages, sentStart > 0 ? customer.slice(sentStart) : customer, r.details, actedReply, answeredReply, saysResolved);
    if (found !== null) facts.push({ kind: 'sarcasm', match: found.match, message: found.turn });
  }
  return facts;
}

/** The latest return, refund or claim the customer says was rejected, told and not asked (signals/refusal.ts). */
function rejectionTold(customer: readonly CustomerMsg[], sentStart: number): FactFinding | null {
  for (let k = customer.length - 1; k >= sentStart; k--) {
    const c = customer[k]!;
    if (c.question) continue;
    const rejected = reportedRejection((c.tt ??= tokenText(c.toks)));
    if (rejected !== null) return { kind: 'refused', match: rejected, message: k - sentStart };
  }
  return null;
}

/** A complaint the reply took for praise, or a cheerful reply the customer contradicts, after the thanked reply (signals/misread.ts). */
function misreadFact(r: Reading, sentStart: number, thankedAt: number): FactFinding | null {
  const { customer, messages } = r;
  const read = sentStart > 0 ? customer.slice(sentStart) : customer;
  const latest = customer[customer.length - 1]!;
  const misread = misreadComplaint(messages, read, saysResolved);
  if (misread !== null)
    return misread.reply > thankedAt && !closes(latest, customer.length)
      ? { kind: 'sarcasm', match: 'the reply took a complaint for praise', message: misread.turn }
      : null;
  // the customer contradicts a cheerful reply: "That's wonderful to hear!" — "can't assemble it"
  const contradicted = cheerContradicted(messages, read, saysResolved);
  if (contradicted !== null && contradicted.reply > thankedAt && !closes(latest, customer.length))
    return { kind: 'sarcasm', match: 'the customer contradicted a cheerful reply', message: contradicted.turn };
  return null;
}

/** The problem the facts tell settled by a calm ending several turns later, after a reply acted or answered: "Lovely. Thanks!" (signals/aside.ts). */
function settledLater(r: Reading, sentStart: number, facts: readonly FactFinding[], closeAt: number): boolean {
  const { customer, messages } = r;
  const lastTurn = customer.length - 1 - sentStart;
  let latestFact = -1;
  for (const f of facts) if (f.message > latestFact) latestFact = f.message;
  const last = customer[customer.length - 1]!;
  // irony is not settled by a warm ending: that is how sarcasm often ends ("really top service"),
  // and a reply after the problem acted or answered it ("I've asked for it to go on tomorrow's delivery", "Yes — …")
  let answered = false;
  if (latestFact < lastTurn)
    for (let k = customer[sentStart + latestFact]!.index + 1; k < last.index && !answered; k++) {
      const m = messages[k]!;
      answered = m.role === 'assistant' && typeof m.text === 'string' && answeredReply(m.text);
    }
  if (!answered) return false;
  // unless it laughs with it: "Great. My husband said 'kill the subscription' but I like it too much, ha."
  const ironic = facts.some((f) => {
    if (f.kind !== 'sarcasm') return false;
    const m = customer[sentStart + f.message]!;
    return !laughs((m.tt ??= tokenText(m.toks)));
  });
  if (ironic) return false;
  // or the calm message is the one before a short sign-off ("Alright, you've won me back. Cheers" — "👍 got the email")
  const beforeSignOff = closeAt === customer.length - 2 ? customer[closeAt]! : null;
  return (
    settledByCalmEnd((last.tt ??= tokenText(last.toks)), lastTurn - latestFact) ||
    (beforeSignOff !== null && settledByCalmEnd((beforeSignOff.tt ??= tokenText(beforeSignOff.toks)), lastTurn - 1 - latestFact))
  );
}

/** The first reply's wait the customer echoes back with praise (signals/echo.ts). */
function echoedWaitFact(r: Reading, sentStart: number): FactFinding | null {
  const { customer, messages } = r;
  for (let k = sentStart; k < customer.length; k++) {
    const c = customer[k]!;
    const reply = c.index > 0 ? messages[c.index - 1]! : null;
    if (reply === null || reply.role !== 'assistant' || typeof reply.text !== 'string') continue;
    const echo = echoedWait(reply.text, c.text, actedReply);
    if (echo !== null) return { kind: 'sarcasm', match: echo, message: k - sentStart };
  }
  return null;
}

type Repeats = ReturnType<typeof repetitionOf>;

/** The customer's repeats (repetition.ts), unless the end of the conversation shows them answered. */
function customerRepeats(r: Reading, thankedAt: number): Repeats {
  const { customer, details } = r;
  const rep = repetitionOf(r.contents, r.explicit, r.followUps, r.asks, r.pushbacks, r.soQuestions, r.settled);
  if (rep.repeats === 0) return rep;
  // the customer ends on thanks: whatever they repeated earlier was answered in the end
  if (
    thankedAt >= 0 ||
    (details.length > 0 &&
      endsOnThanks(
        customer,
        details.map((d) => d.score),
      ))
  )
    return NO_REPEATS;
  const last = customer[customer.length - 1]!;
  // the customer ends on a short, calm and warm message ("Brilliant, I'll keep the labels then"): the question asked again was answered (signals/aside.ts)
  if (details.length > 0 && details[details.length - 1]!.score >= 0) {
    // a short one only: a long warm message after a repeat is irony more often ("Great, so … Wonderfully efficient system.")
    if (last.toks.length <= 12 && endsWarm((last.tt ??= tokenText(last.toks)))) return NO_REPEATS;
    // the customer moved on: three messages or more after the last repeat, none a repeat, and the last asks nothing and
    // has nothing still wrong ("so no same day" … two other questions … "fine, i'll pop in and have a look"; not "… as usual")
    let latestRepeat = -1;
    for (const k of rep.indexes) if (k > latestRepeat) latestRepeat = k;
    if (customer.length - 1 - latestRepeat >= MOVED_ON && endsQuiet((last.tt ??= tokenText(last.toks)))) return NO_REPEATS;
  }
  // the customer accepted what was done or said it is over: repeating themselves earlier no longer needs a person
  if (acceptedAction(r.messages, last) || closes(last, customer.length)) return NO_REPEATS;
  return rep;
}

/** A question the reply left out, asked again in other words (signals/reask.ts). */
function reaskedQuestion(r: Reading): ReaskFinding | null {
  const { customer, asks } = r;
  const nc = customer.length;
  if (nc < 2 || !(asks[nc - 2] === true || (nc >= 3 && asks[nc - 3] === true))) return null;
  const latest = customer[nc - 1]!;
  if (!(asks[nc - 1] === true || asksAgain(latest.toks, () => latest.tt ?? (latest.tt = tokenText(latest.toks))))) return null;
  if (acceptedAction(r.messages, latest) || closes(latest, nc)) return null;
  return unansweredReask({ turns: customer, contents: r.contents, asks, followUps: r.followUps }, replyContentWords);
}

function lowConfidenceTrigger(confidence: number, cs: CompiledSettings, lastAssistant: number): Trigger {
  const t: Trigger = {
    type: 'LOW_CONFIDENCE',
    value: confidence,
    threshold: cs.confidenceThreshold,
    reason: `AI confidence ${fmt(confidence)} is below ${fmt(cs.confidenceThreshold)}`,
  };
  if (lastAssistant >= 0) t.messageIndexes = [lastAssistant];
  return t;
}

function sentimentTrigger(
  r: Reading,
  sentStart: number,
  sentiment: number,
  cs: CompiledSettings,
  facts: readonly FactFinding[],
  factCap: number,
  computed: number,
): Trigger {
  const { customer, details, callerSentiment } = r;
  const idx: number[] = [];
  if (details.length === 0) for (let c = sentStart; c < customer.length; c++) details.push(scoreTokenStream(customer[c]!.ts));
  for (let k = 0; k < details.length; k++) {
    const index = customer[sentStart + k]!.index;
    if (details[k]!.score <= cs.sentimentThreshold || hasFactIn(facts, k)) idx.push(index);
  }
  const byFacts = callerSentiment === null && factCap < 0 && factCap < computed;
  const source =
    callerSentiment !== null
      ? 'given by the caller'
      : `computed from ${details.length} customer message${details.length === 1 ? '' : 's'}, latest weighted most${
          facts.length > 0 ? `; frustration stated as facts: ${describeFacts(facts)}${byFacts ? ` caps it at ${fmt(factCap)}` : ''}` : ''
        }`;
  return {
    type: 'NEGATIVE_SENTIMENT',
    value: sentiment,
    threshold: cs.sentimentThreshold,
    reason: `Customer sentiment ${fmt(sentiment)} (${source}) is at or below ${fmt(cs.sentimentThreshold)}`,
    messageIndexes: idx,
  };
}

function keywordTrigger(r: Reading): Trigger {
  const { keywords, signalNotes } = r;
  let reason = `Customer used escalation keyword${keywords.length === 1 ? '' : 's'}: "${keywords.join('", "')}"`;
  if (signalNotes.length > 0) reason += ` — ${signalNotes.slice(0, 4).join('; ')}`;
  return {
    type: 'KEYWORD_MATCH',
    value: keywords,
    threshold: null,
    reason,
    messageIndexes: r.keywordIdx,
  };
}

function manualTrigger(r: Reading, manualFlag: boolean, callerText: unknown): Trigger {
  const { personIdx } = r;
  const callerReason =
    typeof callerText === 'string' && callerText.trim() !== ''
      ? `: ${head(
          head(callerText, MAX_REASON_CHARS * 2)
            .replace(/\s+/g, ' ')
            .trim(),
          MAX_REASON_CHARS,
        )}`
      : '';
  const parts: string[] = [];
  if (manualFlag) parts.push(`Manual escalation requested${callerReason}`);
  if (personIdx.length > 0) parts.push(`Customer asked for a person: "${head(r.personPhrase, MAX_REASON_CHARS)}"`);
  const t: Trigger = {
    type: 'MANUAL',
    value: manualFlag ? 'manual_flag' : 'customer_request',
    threshold: null,
    reason: parts.join('; '),
  };
  if (personIdx.length > 0) t.messageIndexes = personIdx;
  return t;
}

function repeatTrigger(customer: readonly CustomerMsg[], rep: Repeats, reask: ReaskFinding | null, loop: ReturnType<typeof assistantLoop>): Trigger {
  const parts: string[] = [];
  if (reask !== null) parts.push(`asked again what the reply left out ("${reask.word}")`);
  if (rep.similar > 0)
    parts.push(`${rep.similar} message${rep.similar === 1 ? '' : 's'} repeating an earlier one (similarity of meaning ≥ ${REPEAT_SIMILARITY})`);
  if (rep.explicit > 0) parts.push(`customer says they are asking again (${rep.explicit} repeat${rep.explicit === 1 ? '' : 's'})`);
  const reasons: string[] = [];
  if (parts.length > 0) reasons.push(`Customer repeated the question: ${parts.join('; ')}`);
  if (loop !== null) {
    const what: string[] = [];
    if (loop.repeats > 0) what.push(`${loop.repeats} repl${loop.repeats === 1 ? 'y' : 'ies'} repeating an earlier answer`);
    if (loop.apologies > 0) what.push(`${loop.apologies} apolog${loop.apologies === 1 ? 'y' : 'ies'}`);
    reasons.push(`The assistant is going in circles: ${what.join(', ')} while the customer's problem stays (REPEATED_QUESTION is the closest trigger type)`);
  }
  // built by push, not map(): a map() result's array kind differed from what the compiled code expected
  const idx: number[] = [];
  for (const k of rep.indexes) idx.push(customer[k]!.index);
  if (reask !== null && idx.indexOf(customer[reask.turn]!.index) < 0) idx.push(customer[reask.turn]!.index);
  if (loop !== null) for (const k of loop.indexes) if (idx.indexOf(k) < 0) idx.push(k);
  sortAscending(idx);
  const value = loop !== null && loop.repeats + 1 > rep.repeats ? loop.repeats + 1 : rep.repeats > 0 ? rep.repeats : 1;
  return {
    type: 'REPEATED_QUESTION',
    value: value > 0 ? value : 1,
    threshold: 1,
    reason: reasons.join('; '),
    messageIndexes: idx,
  };
}

/**
 * The last turns of the conversation for assistantLoop(): assistant replies with their fingerprint,
 * customer messages with whether they say the answer did not help (customer messages not read by
 * detect() count as not complaining).
 */
function loopTurns(messages: readonly unknown[], customer: readonly CustomerMsg[]): LoopMessage[] {
  // a loop needs the customer to push back (or to answer without asking anything new, twice)
  let pushedBack = false;
  let statements = 0;
  for (let c = 0; c < customer.length && !pushedBack; c++) {
    const m = customer[c]!;
    if (m.notHelped) pushedBack = true;
    else if (!m.question && m.ack !== true) statements++;
  }
  if (!pushedBack && statements < 2) return NO_TURNS;
  // the last MAX_LOOP_MESSAGES assistant replies, newest first
  const replies: number[] = [];
  const fps: number[][] = [];
  let start = messages.length;
  while (start > 0 && replies.length < MAX_LOOP_MESSAGES) {
    const m = messages[start - 1] as { role?: unknown; text?: unknown } | null;
    start--;
    if (m && typeof m === 'object' && m.role === 'assistant') {
      replies.push(start);
      fps.push(fingerprint(typeof m.text === 'string' ? m.text : ''));
    }
  }
  if (replies.length < 2 || !mayLoop(fps)) return NO_TURNS;
  const turns: LoopMessage[] = [];
  let r = replies.length - 1;
  let c = 0;
  for (let k = start; k < messages.length; k++) {
    if (r >= 0 && replies[r] === k) {
      turns.push({ role: 'assistant', index: k, fp: fps[r]! });
      r--;
      continue;
    }
    const m = messages[k] as { role?: unknown } | null;
    if (!m || typeof m !== 'object' || m.role !== 'customer') continue;
    while (c < customer.length && customer[c]!.index < k) c++;
    const read = c < customer.length && customer[c]!.index === k ? customer[c]! : null;
    turns.push({
      role: 'customer',
      index: k,
      didNotHelp: read?.notHelped,
      toks: read !== null ? read.ts.toks : undefined,
      ack: read !== null ? read.ack : undefined,
      question: read?.question,
    });
  }
  return turns;
}

/**
 * The latest customer message closes the conversation: its last sentence says the problem is over
 * ("it arrived", "never mind, found it", "my bad!"). Then no computed negativity remains. A polite
 * closing ("ok thanks, have a nice day") does not: the problem may well still be there.
 */
function closes(latest: CustomerMsg, count: number): boolean {
  if (latest.question || count < 1) return false;
  // the last sentence says it is over ("… pending authorisation that disappeared. my bad!")
  if (!latest.mayResolve) return false;
  const text = latest.tt ?? (latest.tt = tokenText(latest.ts.toks));
  if (!closingResolves(text)) return false;
  // "so 'next day' is more of a vibe than a promise. No worries … Ta very much.": a claim mocked in scare quotes, with only "no worries" to close it
  return !((latest.quoted ?? 0) > 0 && latest.raw !== undefined && quotedClaim(latest.raw) !== null && !closingResolves(withoutNoWorries(text)));
}

/** The latest message thanks (politeThanks) right after a reply that reports an action or answers concretely. */
function thanksAfterAnswer(messages: readonly unknown[], latest: CustomerMsg): boolean {
  if (latest.question || (latest.ack !== true && !politeThanks(latest.toks))) return false;
  return concreteAnswerBefore(messages, latest.index);
}

const YES_NO = new Set([
  'yes',
  'no',
  'yep',
  'nope',
  'yeah',
  'sure',
  'absolutely',
  'certainly',
  'definitely',
  'correct',
  'unfortunately',
  'it',
  'its',
  'they',
  'theyre',
  'this',
  'these',
  'that',
  'thats',
]);

/** The canonical content words of messages[k] when it is an assistant reply (null otherwise). */
function replyContentWords(k: number): readonly string[] | null {
  const m = currentMessages[k] as { role?: unknown; text?: unknown } | null;
  if (!m || typeof m !== 'object' || m.role !== 'assistant' || typeof m.text !== 'string') return null;
  const ts = tokenize(capText(m.text), MAX_MESSAGE_CHARS + 10, LEX);
  const out: string[] = [];
  // "Yes, within 14 days.": a yes or a no answers the question, whatever its words
  if (YES_NO.has(ts.toks[0] ?? '')) out.push(ANSWERED_MARK);
  for (let i = 0; i < ts.toks.length; i++) {
    const t = ts.toks[i]!;
    if (!isWordToken(t)) continue;
    const e = ts.ents[i];
    if (e !== undefined && (e.flags & F_STOP) !== 0) continue;
    const c = e === undefined ? canonical(t, ts.hashes[i]) : (e.canon ??= canonical(t, ts.hashes[i]));
    if (c !== '' && out.indexOf(c) < 0) out.push(c);
  }
  for (const mark of replyMarks(ts.toks)) out.push(mark);
  return out;
}

function actedReply(text: string): boolean {
  return acted(text);
}

/** the latest customer message while thankedAction() reads it (detect is synchronous) */
let closingMessage: CustomerMsg | null = null;
function closingSaysOver(): boolean {
  const m = closingMessage;
  return m !== null && saysResolved(m.tt ?? (m.tt = tokenText(m.toks)));
}

/** a reply that acts, answers concretely, or opens with a yes or a no */
function answeredReply(text: string): boolean {
  if (acted(text) || CONCRETE.test(text)) return true;
  return /^\s*(?:yes|no|yep|nope|yeah|sure|absolutely|certainly|of course|definitely|great question)\b/i.test(text);
}

function concreteReply(text: string): boolean {
  return CONCRETE.test(text);
}

/** ACTED, or a reply that opens "Done —" / "All sorted:" (apart: an anchored alternative inside ACTED would slow every search of it) */
function acted(text: string): boolean {
  return ACTED.test(text) || DONE_OPENER.test(text);
}
const DONE_OPENER = /^\s*(?:done|all done|all sorted)\b/i;

/** an assistant reply saying something was done or is resolved ("I've sent …", "has been refunded", "was released",
 *  "has now been confirmed"), or that a hold goes away by itself ("drops off automatically") */
const ACTED =
  /\b(?:it|that|this|everything)(?:'|’)?s (?:now |all |been )?(?:fixed|sorted|resolved|back up|working)\b|\b(?:i(?:'|’)?ve|we(?:'|’)?ve|i have|we have|has been|have been|has now been|have now been|has just been|has already been|was|were|i|we|it|order|parcel|refund|item|exchange|replacement|i(?:'|’)ve now|we(?:'|’)ve now|i(?:'|’)ve just|we(?:'|’)ve just|they(?:'|’)ve|they have|seller has|courier has|warehouse has) (?:also |now |just |already )?(?:sent|placed|contacted|messaged|notified|chased|escalated|requested|initiated|resent|re-sent|popped|posted|put|added|organised|organized|ordered|raised|logged|waived|extended|upgraded|matched|honoured|honored|refunded|issued|arranged|processed|dispatched|cancell?ed|canceled|credited|booked|replaced|reversed|corrected|fixed|updated|changed|released|applied|approved|emailed|shipped|reshipped|re-shipped|rebooked|scheduled|restored|unlocked|reactivated|removed|refunding|created|voided|reserved|confirmed|verified|cleared)\b|\b(?:you should see it|will disappear|should disappear|has been released|drops off|will drop off|falls off|will fall off)\b/i;

/** an answer with something concrete in it: a day or a time ("arrives tomorrow before 6pm", "on Monday") or "normal" */
// "today" asked in the reply's own question ("Is there anything else I can do for you today?") answers nothing
const CONCRETE =
  /\b(?:today(?!\s*\?)|tomorrow|tonight|yesterday|this (?:morning|afternoon|evening)|(?:on|by|until|next) (?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}(?::\d\d)? ?(?:am|pm)|normal|number \d+|found|here is|here's|https?:\/\/)/i;

/** a yes that opens a message, perhaps after "ah" / "oh" / "ok" */
const AGREE_OPENERS = new Set(['yes', 'yeah', 'yep', 'yup', 'ya', 'exactly', 'correct', 'right', 'true']);
const AGREE_LEAD = new Set(['ah', 'oh', 'ahh', 'ohh', 'ok', 'okay', 'oops', ',', '.', '!']);

/** what may stand between the yes and "I mean": "ah yes sorry, I mean …", "yes my bad, I meant …" */
const AGREE_GAP = new Set([',', '.', '!', 'sorry', 'my', 'bad', 'oops', 'exactly', 'right', 'true']);
/** a reply's closing question that offers more help ("Is there anything else I can help with?") asks nothing about the customer's words */
const OFFERS_MORE = /\b(?:anything|something) else\b|\bhelp (?:you )?with\b/i;

/**
 * The message opens by agreeing with the assistant reply right before it ("ah yes", "yep") and goes on
 * "I mean …", and that reply asked the customer about their words ("Is size 40 maybe UK/US size?"): the
 * customer confirms the reply's guess and says it more exactly ("ah yes sorry, I mean 40 UK"), an answer
 * to the reply's question, not the customer pushing back.
 */
function agreesWithAskingReply(messages: readonly unknown[], index: number, toks: readonly string[]): boolean {
  let k = 0;
  while (k < 2 && k < toks.length && AGREE_LEAD.has(toks[k]!)) k++;
  if (!AGREE_OPENERS.has(toks[k] ?? '')) return false;
  let j = k + 1;
  while (j < toks.length && j <= k + 4 && AGREE_GAP.has(toks[j]!)) j++;
  if (toks[j] !== 'i' || (toks[j + 1] !== 'mean' && toks[j + 1] !== 'meant')) return false;
  const m = messages[index - 1] as { role?: unknown; text?: unknown } | null;
  if (!m || typeof m !== 'object' || m.role !== 'assistant' || typeof m.text !== 'string') return false;
  return /\?\s*$/.test(m.text) && !OFFERS_MORE.test(m.text.slice(-120));
}

const DID_LEAD = new Set(['yes', 'yeah', 'yep', 'yup', 'ok', 'okay', 'ya', ',', '.']);
const DID_OBJECT = new Set(['it', 'that', 'this', 'them', 'those']);

/**
 * "Yes, I've downloaded it. It says 'Aisha Rahman'. How do I get …?": the message opens by saying the
 * customer already did what the reply before told them ("Invoices can be downloaded …") and then asks:
 * the reply missed the question (not "yes I've ordered it. when will it ship?" after a reply that said
 * nothing of ordering).
 */
function didWhatReplySaid(messages: readonly unknown[], index: number, toks: readonly string[]): boolean {
  let k = 0;
  while (k < 3 && DID_LEAD.has(toks[k] ?? '')) k++;
  if (toks[k] !== 'i' && toks[k] !== 'we') return false;
  k++;
  if (toks[k] === 'have' || toks[k] === 've') k++;
  if (toks[k] === 'already') k++;
  const done = toks[k] ?? '';
  if (done.length < 6 || !done.endsWith('ed') || !DID_OBJECT.has(toks[k + 1] ?? '')) return false;
  const after = toks[k + 2];
  if (after !== '.' && after !== ',' && after !== '!' && after !== 'already') return false;
  const m = messages[index - 1] as { role?: unknown; text?: unknown } | null;
  if (!m || typeof m !== 'object' || m.role !== 'assistant' || typeof m.text !== 'string') return false;
  const stem = done.slice(0, done.endsWith('ied') ? -3 : -2);
  return stem.length >= 4 && m.text.toLowerCase().includes(stem);
}

/** a bare acknowledgement opening a message ("ok", "ah ok", "cool", "Great. Does …", "perfect, is …") */
const ACK_OPENERS = new Set([
  'ok',
  'okay',
  'k',
  'kk',
  'cool',
  'ah',
  'oh',
  'alright',
  'gotcha',
  'nice',
  'great',
  'perfect',
  'lovely',
  'brilliant',
  'awesome',
  'super',
]);

/**
 * "ok whats the weight on the wireless one": an acknowledgement, then at once a question word — the
 * customer took the answer and asks on (not "ok but …", "ok so …", "ok, and still nothing?"); "ok, so … probably …?" checks a
 * conclusion drawn from the answer.
 */
function acksThenAsks(toks: readonly string[]): boolean {
  let k = 0;
  while (k < 2 && ACK_OPENERS.has(toks[k] ?? '')) k++;
  if (k === 0) return false;
  if (toks[k] === ',' || toks[k] === '.' || toks[k] === '!') k++;
  // "ah ok, so the 'dangerously hot' is probably people using it on max?": a conclusion drawn from the answer, checked
  const concludes = toks[k] === 'so' && toks[toks.length - 1] === '?' && hedged(toks, k + 1);
  if (!concludes && !QUESTION_OPENERS.has(toks[k] ?? '')) return false;
  for (let m = k; m < toks.length; m++) if (toks[m] === 'but' || toks[m] === 'still' || toks[m] === 'again') return false;
  return true;
}

/** "sent a new one no questions lol", "swapped it, no fuss": done without trouble, no "no" that pushes back */
const NO_FUSS = new Set(['questions', 'question', 'fuss', 'hassle', 'quibble', 'quibbles', 'drama', 'faff']);

/** a guess in toks[from…]: "probably", "presumably", "i guess", "i suppose", "i assume", "i take it" */
function hedged(toks: readonly string[], from: number): boolean {
  for (let m = from; m < toks.length; m++) {
    const t = toks[m]!;
    if (t === 'probably' || t === 'presumably') return true;
    if (t === 'i' && (toks[m + 1] === 'guess' || toks[m + 1] === 'suppose' || toks[m + 1] === 'assume' || (toks[m + 1] === 'take' && toks[m + 2] === 'it')))
      return true;
  }
  return false;
}

/** Whether an assistant reply comes before messages[index]. */
function repliedBefore(messages: readonly unknown[], index: number): boolean {
  for (let k = index - 1; k >= 0; k--) {
    const m = messages[k] as { role?: unknown } | null;
    if (m && typeof m === 'object' && m.role === 'assistant') return true;
  }
  return false;
}

/** FactMessage.answered for the customer messages of the conversation being decided (`this` is the message). */
function answeredBefore(this: CustomerMsg): boolean {
  return concreteAnswerBefore(currentMessages, this.index);
}
/** the messages of the conversation detect() is deciding (detect is synchronous) */
let currentMessages: readonly unknown[] = [];

/** Whether the assistant reply before messages[index] answers concretely or reports an action (see CONCRETE, ACTED). */
function concreteAnswerBefore(messages: readonly unknown[], index: number): boolean {
  for (let k = index - 1; k >= 0; k--) {
    const m = messages[k] as { role?: unknown; text?: unknown } | null;
    if (!m || typeof m !== 'object') continue;
    if (m.role === 'customer') return true;
    if (m.role === 'assistant') {
      if (typeof m.text !== 'string') return true;
      const t = m.text.length > 1000 ? m.text.slice(0, 1000) : m.text;
      return CONCRETE.test(t) || acted(t);
    }
  }
  return true;
}

/**
 * The latest customer message accepts something the assistant says was done: a short acknowledgement
 * (no question, no complaint tell) right after a reply that reports an action ("I've sent a new one
 * out today", "that was a pending authorisation, released this morning"). Then the complaint is
 * over, unlike a polite closing after an answer that changed nothing.
 */
function acceptedAction(messages: readonly unknown[], latest: CustomerMsg): boolean {
  if (latest.question || (latest.ack !== true && !politeThanks(latest.toks))) return false;
  for (let k = latest.index - 1; k >= 0; k--) {
    const m = messages[k] as { role?: unknown; text?: unknown } | null;
    if (!m || typeof m !== 'object') continue;
    if (m.role === 'customer') return false;
    if (m.role === 'assistant') return typeof m.text === 'string' && acted(m.text.length > 1000 ? m.text.slice(0, 1000) : m.text);
  }
  return false;
}

/** the customer's own case supposed by the reply ("If you can't make the new date, you can request a refund"): no admission of ours */
const CUSTOMER_CANNOT =
  /\b(?:if|in case|should|unless|whenever) (?:you|you're|youre|you are|your [a-z]+) (?:[a-z]+ ){0,2}?(?:can(?:'|’)?t|cannot|aren(?:'|’)?t able to|are unable to|are not able to|won(?:'|’)?t be able to|no longer)\b/gi;
/**
 * Sarcasm across turns: one of the last two customer messages praises ("how lovely", "top notch
 * service", "10/10 for creativity") right after an assistant reply that admitted a problem or
 * refused and neither reported an action nor gave a concrete answer, with no thanks and no question in it, and the customer
 * did not say afterwards that it is resolved.
 */
function praiseAfterAdmission(messages: readonly unknown[], customer: readonly CustomerMsg[], sentStart: number): FactFinding | null {
  for (let c = customer.length - 1; c >= Math.max(sentStart, customer.length - 2); c--) {
    const m = customer[c]!;
    if (!m.maySarcasm || m.question || m.notHelped === undefined) continue;
    let thanks = false;
    for (const t of m.toks) if (t === 'thanks' || t === 'thank' || t === 'cheers' || t === 'thx' || t === 'ty') thanks = true;
    if (thanks) continue;
    const prev = messages[m.index - 1] as { role?: unknown; text?: unknown } | null;
    if (!prev || typeof prev !== 'object' || prev.role !== 'assistant' || typeof prev.text !== 'string') continue;
    const reply = prev.text.length > 1000 ? prev.text.slice(0, 1000) : prev.text;
    if (!ADMITS.test(reply.replace(CUSTOMER_CANNOT, ' ')) || acted(reply) || CONCRETE.test(reply)) continue;
    const tt = m.tt ?? (m.tt = tokenText(m.toks));
    const praise = ironicPraise(tt, m.toks);
    if (praise === null || saysResolved(tt)) continue;
    return { kind: 'sarcasm', match: praise, message: c - sentStart };
  }
  return null;
}

/** "and the plate?", "what about Spain?", "also, …": a variation on the last question, not a repeat. */
function isFollowUp(toks: readonly string[]): boolean {
  const a = toks[0];
  if (a === 'and' || a === 'also' || a === 'plus') return true;
  // "is Klarna available on sale items too?": the same thing asked of something else
  let end = toks.length;
  while (end > 0 && (toks[end - 1] === '?' || toks[end - 1] === '.' || toks[end - 1] === '!')) end--;
  if (end > 0 && (toks[end - 1] === 'too' || toks[end - 1] === 'also' || (toks[end - 1] === 'well' && toks[end - 2] === 'as'))) return true;
  if ((a === 'what' || a === 'how') && toks[1] === 'about') return true;
  return choosesOption(toks, end);
}

/** "rapid boil it is", "I'll go with the blue one", "going for the large": an option picked, not the question asked again */
function choosesOption(toks: readonly string[], end: number): boolean {
  if (end === 0 || toks[end] === '?') return false;
  if (end >= 3 && end <= 8 && toks[end - 2] === 'it' && toks[end - 1] === 'is') return true;
  let k = 0;
  while (k < 3 && CHOICE_LEAD.has(toks[k]!)) k++;
  const s = k;
  if (toks[k] === 'i' && (toks[k + 1] === 'will' || toks[k + 1] === 'll')) k += 2;
  else if (toks[k] === 'ill') k++;
  const v = toks[k];
  if (k > s && (v === 'take' || v === 'have')) return end - k <= 6;
  return (v === 'go' || v === 'going') && (toks[k + 1] === 'with' || toks[k + 1] === 'for') && end - k <= 7;
}
const CHOICE_LEAD = new Set(['ok', 'okay', 'right', 'great', 'perfect', 'cool', 'fine', 'alright', 'so', 'then', ',', 'lovely', 'brill', 'grand', 'thanks']);

const QUESTION_OPENERS = new Set([
  'is',
  'are',
  'do',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'should',
  'has',
  'have',
  'what',
  'whats',
  'when',
  'where',
  'wheres',
  'why',
  'how',
  'hows',
  'which',
  'who',
  'any',
]);

const MAYBE = new Set(['may', 'might', 'could']);
const NEED = new Set(['need', 'have', 'want']);

/** "I may need to …", "we might have to …", "I may well need to …" right before position i */
function possibleNeed(toks: readonly string[], i: number): boolean {
  if (toks[i - 1] !== 'to' || !NEED.has(toks[i - 2] ?? '')) return false;
  return MAYBE.has(toks[i - 3] ?? '') || (MAYBE.has(toks[i - 4] ?? '') && (toks[i - 3] === 'well' || toks[i - 3] === 'possibly' || toks[i - 3] === 'also'));
}

/** The message asks something: it ends with "?" or opens with a question word ("how firm is it"). */
function isQuestion(toks: readonly string[]): boolean {
  const n = toks.length;
  if (n === 0) return false;
  if (toks[n - 1] === '?') return true;
  let k = 0;
  while (k < n && (toks[k] === 'so' || toks[k] === 'ok' || toks[k] === 'hi' || toks[k] === 'yes' || toks[k] === 'but' || toks[k] === ',')) k++;
  return k < n && QUESTION_OPENERS.has(toks[k]!);
}

const SUBJECT_AFTER_OPENER = new Set(['i', 'you', 'it', 'that', 'this', 'the', 'my', 'we', 'they', 'there']);

// flags on the words' existing entries (a new entry would make an unknown word known to the scorer)
const OPENERS_WITHOUT_ENTRY = flagEntries(QUESTION_OPENERS, F_QUESTION_OPENER);
const SUBJECTS_WITHOUT_ENTRY = flagEntries(SUBJECT_AFTER_OPENER, F_SUBJECT);

function flagEntries(words: ReadonlySet<string>, flag: number): ReadonlySet<string> {
  const without = new Set<string>();
  for (const w of words) {
    const e = LEX.get(w);
    if (e !== undefined) e.flags |= flag;
    else without.add(w);
  }
  return without;
}

function hasFlag(t: string, e: WordInfo | undefined, flag: number, without: ReadonlySet<string>): boolean {
  return e !== undefined ? (e.flags & flag) !== 0 : without.size > 0 && without.has(t);
}

/**
 * For comparing questions, beside isQuestion: a "?" anywhere, or a clause that asks after a comma or
 * a full stop ("…, can that be done", "if I return the boots, does the money go back on the card").
 * `ents`: the tokens' word entries (their flags say which words open a question or name a subject).
 */
function asksInClause(toks: readonly string[], ents: readonly (WordInfo | undefined)[]): boolean {
  for (let k = 1; k + 1 < toks.length; k++) {
    const t = toks[k]!;
    if (t === '?') return true;
    if (!hasFlag(t, ents[k], F_QUESTION_OPENER, OPENERS_WITHOUT_ENTRY)) continue;
    if (hasFlag(toks[k + 1]!, ents[k + 1], F_SUBJECT, SUBJECTS_WITHOUT_ENTRY) && (toks[k - 1] === ',' || toks[k - 1] === '.' || k >= 3)) return true;
  }
  return false;
}

/** "thanks 🙃": the emoji tells of isAcknowledgement (NOT_ACK) that are not words */
function hasSarcasticEmoji(toks: readonly string[]): boolean {
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const c = t.charCodeAt(0);
    if (c >= 0xd800 && c <= 0xdbff && (t === '🙃' || t === '🙄' || t === '😒' || t === '😤' || t === '😡' || t === '😠')) return true;
  }
  return false;
}

function hasFactIn(facts: readonly FactFinding[], message: number): boolean {
  for (let k = 0; k < facts.length; k++) if (facts[k]!.message === message) return true;
  return false;
}
