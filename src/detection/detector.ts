/**
 * The escalation detector: pure, synchronous, no I/O. `detect(input, settings)` → Decision.
 *
 * Work is bounded whatever the input: only the customer's first message and last
 * MAX_SCAN_MESSAGES − 1 messages are read, each at most MAX_MESSAGE_CHARS characters (its head and
 * its tail); repetition compares the last 12, sentiment weighs the last 20. `turns` counts every
 * customer message.
 */
import { DEFAULT_KEYWORDS, MAX_KEYWORD_LENGTH, MAX_STORE_KEYWORDS, RISK_TRIE, compileKeywordTrie, normaliseKeyword } from './keywords.ts';
import { findPersonRequest } from './manual.ts';
import { isIntent, newIntentScores, pickIntent, scoreIntentWords } from './intent.ts';
import { explainPriority } from './priority.ts';
import { contentWords, detectRepetition, REPEAT_SIMILARITY } from './repetition.ts';
import { conversationSentiment, MAX_SENTIMENT_MESSAGES, scoreTokenStream, type SentimentDetail } from './sentiment.ts';
import { buildSummary, type SummaryMessage } from './summary.ts';
import { tokenize, type TokenStream } from './tokenize.ts';
import type { PhraseMatch, PhraseTrie } from './trie.ts';
import {
  DEFAULT_DETECTION_SETTINGS,
  RISK_FLAGS,
  type ConversationInput,
  type Decision,
  type DetectionSettings,
  type Intent,
  type RiskFlag,
  type Trigger,
} from './types.ts';

export const MAX_SCAN_MESSAGES = 50;
export const MAX_MESSAGE_CHARS = 4000;
const HEAD_CHARS = 3000;
const TAIL_CHARS = 1000;
const MAX_REASON_CHARS = 200;
const INTENT_RECENCY = [1, 0.8, 0.64, 0.512];

/** Settings validated and compiled once (keyword trie); pass to detect() for speed. */
export interface CompiledSettings extends DetectionSettings {
  readonly compiled: true;
}

const TRIES = new WeakMap<CompiledSettings, PhraseTrie<string>>();

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Validates settings (out-of-range numbers are clamped, non-numbers fall back to the defaults;
 * at most MAX_STORE_KEYWORDS keywords of at most MAX_KEYWORD_LENGTH characters) and compiles the
 * keyword matcher: DEFAULT_KEYWORDS + the store's keywords.
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
  TRIES.set(
    compiled,
    storeKeywords.length === 0 ? DEFAULT_TRIE : compileKeywordTrie([...DEFAULT_KEYWORDS, ...storeKeywords]),
  );
  return compiled;
}

const DEFAULT_TRIE = compileKeywordTrie(DEFAULT_KEYWORDS);
const DEFAULT_COMPILED = compileSettings({});

function resolveSettings(settings: Partial<DetectionSettings> | CompiledSettings | undefined): {
  cs: CompiledSettings;
  trie: PhraseTrie<string>;
} {
  if (settings === undefined || settings === null) return { cs: DEFAULT_COMPILED, trie: DEFAULT_TRIE };
  let cs = settings as CompiledSettings;
  let trie = cs.compiled === true ? TRIES.get(cs) : undefined;
  if (trie === undefined) {
    cs = compileSettings(settings);
    trie = TRIES.get(cs)!;
  }
  return { cs, trie };
}

function capText(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  return `${text.slice(0, HEAD_CHARS)} … ${text.slice(text.length - TAIL_CHARS)}`;
}

function fmt(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2);
}

interface CustomerMsg extends SummaryMessage {
  /** index into input.messages */
  index: number;
  ts: TokenStream;
}

/**
 * Decides whether a conversation must go to a human. Total: never throws on any input shape;
 * bounded work (see MAX_SCAN_MESSAGES, MAX_MESSAGE_CHARS).
 */
export function detect(input: ConversationInput, settings?: Partial<DetectionSettings> | CompiledSettings): Decision {
  const { cs, trie } = resolveSettings(settings);
  const inp: Partial<ConversationInput> = input && typeof input === 'object' ? input : {};
  const messages = Array.isArray(inp.messages) ? inp.messages : [];

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
  // indexes of the customer messages read: the last MAX_SCAN_MESSAGES − 1 (newest first), then the first
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
  const customer: CustomerMsg[] = [];
  const wordLists: string[][] = [];
  const contents: string[][] = [];
  for (let p = picked.length - 1; p >= 0; p--) {
    const index = picked[p]!;
    const raw = messages[index]!.text;
    const text = typeof raw === 'string' ? capText(raw) : '';
    const ts = tokenize(text, MAX_MESSAGE_CHARS + 10);
    const content = contentWords(ts.words);
    customer.push({ index, text, words: ts.words, ts, contentCount: content.length });
    wordLists.push(ts.words);
    contents.push(content);
  }

  // ── keywords, risk flags, intent, person requests: one pass over each customer message
  const keywordSet = new Set<string>();
  const keywordIdx: number[] = [];
  const riskSet = new Set<RiskFlag>();
  const intentScores = newIntentScores();
  const personIdx: number[] = [];
  let personPhrase = '';
  const kwOut: PhraseMatch<string>[] = [];
  const riskOut: PhraseMatch<RiskFlag>[] = [];
  for (let c = 0; c < customer.length; c++) {
    const msg = customer[c]!;
    const words = msg.words;
    kwOut.length = 0;
    trie.scan(words, kwOut);
    if (kwOut.length > 0) {
      keywordIdx.push(msg.index);
      for (const m of kwOut) keywordSet.add(m.value);
    }
    riskOut.length = 0;
    RISK_TRIE.scan(words, riskOut);
    for (const m of riskOut) riskSet.add(m.value);
    // recency: the latest message ×1, each earlier one ×0.8, floor 0.4
    const age = customer.length - 1 - c;
    scoreIntentWords(words, age >= 4 ? 0.4 : INTENT_RECENCY[age]!, intentScores);
    const req = findPersonRequest(words);
    if (req !== null) {
      personIdx.push(msg.index);
      personPhrase = req.phrase; // the latest request wins
    }
  }

  const intent: Intent = isIntent(inp.detectedIntent) ? inp.detectedIntent : pickIntent(intentScores);

  // ── sentiment
  const sentStart = customer.length > MAX_SENTIMENT_MESSAGES ? customer.length - MAX_SENTIMENT_MESSAGES : 0;
  const details: SentimentDetail[] = [];
  for (let c = sentStart; c < customer.length; c++) details.push(scoreTokenStream(customer[c]!.ts));
  const callerSentiment = finite(inp.customerSentiment) ? clamp(inp.customerSentiment, -1, 1) : null;
  const sentiment = callerSentiment !== null ? callerSentiment : conversationSentiment(details);

  // ── repetition
  const rep = detectRepetition(wordLists, contents);

  const triggers: Trigger[] = [];
  const confidence = finite(inp.aiConfidence) ? clamp(inp.aiConfidence, 0, 1) : null;

  if (confidence !== null && confidence < cs.confidenceThreshold) {
    const t: Trigger = {
      type: 'LOW_CONFIDENCE',
      value: confidence,
      threshold: cs.confidenceThreshold,
      reason: `AI confidence ${fmt(confidence)} is below ${fmt(cs.confidenceThreshold)}`,
    };
    if (lastAssistant >= 0) t.messageIndexes = [lastAssistant];
    triggers.push(t);
  }

  if ((callerSentiment !== null || customer.length > 0) && sentiment <= cs.sentimentThreshold) {
    const idx: number[] = [];
    for (let k = 0; k < details.length; k++) {
      if (details[k]!.score <= cs.sentimentThreshold) idx.push(customer[sentStart + k]!.index);
    }
    const source =
      callerSentiment !== null
        ? 'given by the caller'
        : `computed from ${details.length} customer message${details.length === 1 ? '' : 's'}, latest weighted most`;
    triggers.push({
      type: 'NEGATIVE_SENTIMENT',
      value: sentiment,
      threshold: cs.sentimentThreshold,
      reason: `Customer sentiment ${fmt(sentiment)} (${source}) is at or below ${fmt(cs.sentimentThreshold)}`,
      messageIndexes: idx,
    });
  }

  const keywords = [...keywordSet];
  if (keywords.length > 0) {
    triggers.push({
      type: 'KEYWORD_MATCH',
      value: keywords,
      threshold: null,
      reason: `Customer used escalation keyword${keywords.length === 1 ? '' : 's'}: ${keywords.map((k) => `"${k}"`).join(', ')}`,
      messageIndexes: keywordIdx,
    });
  }

  if (turns > cs.maxTurns) {
    triggers.push({
      type: 'MAX_TURNS_EXCEEDED',
      value: turns,
      threshold: cs.maxTurns,
      reason: `${turns} customer turns exceed the maximum of ${cs.maxTurns}`,
    });
  }

  const manualFlag = inp.manual === true;
  if (manualFlag || personIdx.length > 0) {
    const callerReason =
      typeof inp.reason === 'string' && inp.reason.trim() !== ''
        ? `: ${inp.reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_CHARS)}`
        : '';
    const parts: string[] = [];
    if (manualFlag) parts.push(`Manual escalation requested${callerReason}`);
    if (personIdx.length > 0) parts.push(`Customer asked for a person: "${personPhrase.slice(0, MAX_REASON_CHARS)}"`);
    const t: Trigger = {
      type: 'MANUAL',
      value: manualFlag ? 'manual_flag' : 'customer_request',
      threshold: null,
      reason: parts.join('; '),
    };
    if (personIdx.length > 0) t.messageIndexes = personIdx;
    triggers.push(t);
  }

  if (rep.repeats > 0) {
    const parts: string[] = [];
    if (rep.similar > 0) parts.push(`${rep.similar} message${rep.similar === 1 ? '' : 's'} repeating an earlier one (similarity ≥ ${REPEAT_SIMILARITY})`);
    if (rep.explicit > 0) parts.push(`customer says they are asking again (${rep.explicit} repeat${rep.explicit === 1 ? '' : 's'})`);
    triggers.push({
      type: 'REPEATED_QUESTION',
      value: rep.repeats,
      threshold: 1,
      reason: `Customer repeated the question: ${parts.join('; ')}`,
      messageIndexes: rep.indexes.map((k) => customer[k]!.index),
    });
  }

  const riskFlags: string[] = [];
  for (const f of RISK_FLAGS) if (riskSet.has(f)) riskFlags.push(f);
  const { priority } = explainPriority({
    triggers,
    riskFlags,
    intent,
    customerTier: inp.customer && typeof inp.customer === 'object' ? inp.customer.tier : undefined,
    orderTotal: inp.order && typeof inp.order === 'object' ? inp.order.total : undefined,
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
