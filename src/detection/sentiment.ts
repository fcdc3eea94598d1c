/**
 * Sentiment for support chats: AFINN-165 (the `sentiment` package) + VADER's words that AFINN lacks
 * (`vader-sentiment`) + emoji scores from the sentiment package + the support/review vocabulary in
 * lexicon.ts, with ML-SentiCon (nlp.js) as the fallback for long unknown words, and the rules these
 * lexicons lack:
 *
 * - complaint facts (facts.ts) score as one negative unit and win over their words: "on hold for 2
 *   hours", "three emails unanswered", "charged twice" (not in a yes/no question: "do you refuse
 *   returns on swimwear?" asks);
 * - sarcasm: once a text states a complaint fact, carries an irony emoji (🙃 🙄) or scare quotes around
 *   something negative, sarcasm-prone praise ("great", "love", "perfect", "thanks") counts
 *   SARCASM_FACTOR × its value ("great, another week without my order, just perfect");
 * - courtesy ("thanks", "have a nice day", "sorry") counts only when the rest of the text is not
 *   negative and never makes a text negative; a message that is only courtesy is a `closing`, which
 *   conversationSentiment skips after a complaint;
 * - negativity weighting: positive expressions count ÷ 1.5 (SO-CAL's ×1.5 on negatives, Taboada et
 *   al. 2011, applied to positives so negative scores keep the escalation threshold's scale);
 * - negation with a scope (4 words, stopped by punctuation): "not happy", "never helpful";
 *   negated words use their own negated value when one is defined ("doesn't work" −2.5) and
 *   NEGATION_FACTOR × value otherwise ("not bad" → mildly positive); after "don't think/believe/find
 *   …" the scope runs to the end of the clause; "couldn't be happier" keeps its sign; a negated word
 *   with no opinion of its own is a mild complaint ("doesn't sync" −0.75, "can't log in" −1), except
 *   knowing/minding/needing ("I don't know", "can't wait"); "no" before such a word is something
 *   missing ("no optical zoom" −0.5), not an answer ("no, that's all");
 * - obligations a product imposes ("you have to hold it at an angle" −0.75), not when negated, asked
 *   or a discourse marker ("I have to say");
 * - rivals: a comparative in a clause about another product praises the rival ("my old phone was
 *   better", "other players are much cheaper");
 * - contrast: before "but"/"however" ×0.5, after ×1.5; concessive clauses ("although …,") ×0.5;
 *   hypothetical clauses ("if you like …,") ×0.3;
 * - unmet expectations: positive words after "expected", "should have", "I wish", "was hoping" turn
 *   mildly negative, and so does a wanted comparative ("I wish the screen were bigger"); negative
 *   words governed by a remedy ("fixes the problem") turn mildly positive;
 * - intensifiers ("very", "huge" before an opinion word …) and diminishers ("slightly", "kind of" …)
 *   multiply the next sentiment word; "too <word>" is mildly negative ("too small", "too big");
 *   "like" after a noun is a preposition ("creaks like an old floor");
 * - emphasis: a word in ALL CAPS inside mixed-case text ×1.5, a shouting message (≥ 3 capital
 *   words, no lower case) ×1.25, each "!" adds 0.3 to the sentence's magnitude (max 4); shouting or
 *   "!!!" with no opinion words at all counts as mild agitation (−1); "Seriously?!" −1.5;
 * - emoticons and emoji; links, e-mail addresses, paths and order numbers are tokens of their own
 *   (never the ":/" emoticon); hashtags and glued camel case are split into words; elongated words
 *   ("soooo") are reduced and boosted; common misspellings of strong opinion words are recognised.
 *
 * The raw sum is normalised to −1..1 with x / √(x² + 15) (VADER's normalisation); 0 means "no
 * opinion found" and counts as not negative.
 *
 * Conversation score (`conversationSentiment`): the normalised score of each of the last
 * MAX_SENTIMENT_MESSAGES customer messages, weighted by recency (the latest message weight 1, each
 * earlier one ×0.7) — messages with no opinion words count half, so a neutral "order #1234" does not
 * wash out an angry message, but a calm latest message does pull the score back; a polite closing
 * after a complaint is left out.
 *
 * Quality: `npm run bench -- detector` prints balanced accuracy and recall on negatives for ours,
 * AFINN and VADER on the shared eval sets (measured only) and the UCI sets (amazon tuned, imdb and
 * yelp held out).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  AFINN_OVERRIDES,
  BOOSTERS,
  COMPARATIVES,
  CONCESSIVE,
  CONTRAST,
  DAMPEN_PHRASES,
  EMOTICONS,
  EXTRA_PHRASES,
  EXTRA_WORDS,
  HYPOTHETICAL,
  IRONY_EMOJI,
  ABSENCE_EXCEPTIONS,
  INABILITY_EXCEPTIONS,
  IRREALIS,
  NEG_RAISERS,
  NEGATOR_PHRASES,
  REMEDIES,
  OBLIGATIONS,
  OBLIGATION_OK,
  WANTED_COMPARATIVES,
  RIVALS,
  RIVAL_DETERMINERS,
  NOT_RIVAL_NEXT,
  NEGATORS,
  POLITE,
  SARCASM_PHRASES,
  SARCASM_PRONE,
  SEGMENT_WORDS,
  NUMBER_WORDS,
  type LexValue,
} from './lexicon.ts';
import { setSegmentationVocabulary, tokenize, type TokenStream } from './tokenize.ts';
import { hashWord, WordTable } from './wordtable.ts';
import { FACT_FIRST_WORDS, factAtStart, factNotStated, factStartOf, lastFactKind, type ComplaintFact, type ComplaintKind, type FactStart } from './facts.ts';
import type { IntentHit } from './intent.ts';
import type { TrieNode } from './trie.ts';
import type { RiskFlag } from './types.ts';

// The lexicons ship as JSON inside the sentiment package; loaded with require (module loading, not
// I/O at detection time) because JSON import attributes are handled inconsistently by loaders.
const requireJson = createRequire(import.meta.url);
const labelsJson = requireJson('sentiment/languages/en/labels.json') as Record<string, number>;
const emojiJson = requireJson('sentiment/build/emoji.json') as Record<string, number>;

// ML-SentiCon (nlp.js, MIT): 13k Porter stems scored −1..1, the fallback for a long word that neither
// AFINN, VADER nor our lists know ("disheartening", "overhyped"); stemmed once per unknown word (cached).
const senticonJson = requireJson('@nlpjs/lang-en/src/sentiment/senticon_en.json') as Record<string, number>;
const { StemmerEn } = requireJson('@nlpjs/lang-en-min') as { StemmerEn: new () => { stem(word: string): string } };
const STEMMER = new StemmerEn();
const SENTICON = new WordTable<number>(16384);
for (const k of Object.keys(senticonJson)) SENTICON.set(k, senticonJson[k]!);
/** a stem known only to ML-SentiCon counts its own −1..1 value on the AFINN scale: a weak fallback */
const SENTICON_SCALE = 1;
/** weak positive stems are mostly neutral nouns of a shop ("address" 0.375, "available" 0.25, "confirm"
 *  0.25): only positives from 0.5 count; negatives count at any strength (best on UCI amazon, 0.931
 *  against 0.927 all-in and 0.927 with 0.5 both ways) */
const SENTICON_MIN = 0.5;

/** VADER's lexicon (vader-sentiment, MIT lexicon / Apache-2.0 port): "word<TAB>mean<TAB>…", mean on −4..4. */
function vaderLexicon(): [string, number][] {
  const text = readFileSync(requireJson.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8');
  const out: [string, number][] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const word = line.slice(0, tab);
    if (!/^[a-z][a-z']*$/.test(word)) continue; // words only: emoticons are ours
    const mean = Number(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
    if (Number.isFinite(mean)) out.push([word.replace(/'/g, ''), mean]);
  }
  return out;
}

export const NEGATION_FACTOR = -0.74; // VADER's N_SCALAR
const NEG_SCOPE = 4;
const NEG_RAISED_SCOPE = 8;
const CONTRAST_BEFORE = 0.5;
const CONTRAST_AFTER = 1.5;
/** a worry told in the past before "but" ("was worried it wouldn't fit but …"): what follows says whether it came true */
const PAST_WORRY_BEFORE = 0.1;
/** "… but it did", "but they were": the worry came true (the "but" at i) */
function worryConfirmed(toks: readonly string[], i: number): boolean {
  const a = toks[i + 1] ?? '';
  const b = toks[i + 2] ?? '';
  const c = toks[i + 3] ?? '.';
  return (
    (a === 'it' || a === 'they' || a === 'that' || a === 'he' || a === 'she') &&
    CONFIRMING.has(b) &&
    (c === '.' || c === '!' || c === ',' || c === 'and' || c === 'lol')
  );
}
const CONFIRMING: ReadonlySet<string> = new Set(['did', 'was', 'were', 'has', 'had', 'does', 'is', 'have']);
const PAST_WORRY: ReadonlySet<string> = new Set(['worried', 'afraid', 'scared', 'nervous', 'concerned', 'panicking', 'anxious', 'terrified', 'convinced']);
const CONCESSIVE_WEIGHT = 0.5;
const HYPOTHETICAL_WEIGHT = 0.3;
const IRREALIS_FACTOR = -0.5;
const REMEDY_FACTOR = -0.5;
const REMEDY_SCOPE = 4;
/** a comparative praising a rival product counts against the product, at this factor */
const RIVAL_FACTOR = -0.75;
const RIVAL_DETERMINERS_SET = new Set(RIVAL_DETERMINERS);
const NOT_RIVAL_NEXT_SET = new Set(NOT_RIVAL_NEXT);
/** "you have to hold it at an angle", like "had to" */
const OBLIGATION_SCORE = -0.75;
const OBLIGATION_OK_SET = new Set(OBLIGATION_OK);
/** "I wish it were bigger": a comparative with no opinion of its own under an unmet expectation */
const WANTED_SCORE = -0.75;
const CAPS_BOOST = 1.5;
const SHOUT_BOOST = 1.25;
const ELONGATION_BOOST = 1.2;
const EXCL_STEP = 0.3;
const TOO_SCORE = -1;
const EXASPERATION_SCORE = -1.5;
/** negative expressions weigh more than positive ones, against the positive bias of lexicons and of
 *  language (SO-CAL's negative weighting ×1.5, Taboada et al. 2011); applied as positives ÷ 1.5 so
 *  that negative scores keep the scale the escalation threshold was set on */
const POSITIVITY_WEIGHT = 1 / 1.5;
/** "can't log in": an inability with no opinion word of its own */
const INABILITY_SCORE = -1;
/** "doesn't sync", "isn't compatible", "never showed": a negated word without an opinion of its own */
const NEGATED_PREDICATE_SCORE = -0.75;
/** "no optical zoom", "arrived with no battery": something missing, milder than a negated predicate */
const ABSENCE_SCORE = -0.5;
const NOT_ABSENCE = new Set(ABSENCE_EXCEPTIONS);
const AGITATION_SCORE = -1;
const NORM_ALPHA = 15;
/** a complaint stated as a fact (facts.ts), on the AFINN scale */
const FACT_SCORE: Record<ComplaintKind, number> = {
  waiting: -2,
  no_reply: -3,
  not_received: -3,
  repeat_contact: -2.5,
  charged: -3,
  stranded: -3,
  broken: -3,
  refused: -3,
};
/** a sarcasm-prone positive word in a text with a complaint fact counts SARCASM_FACTOR × its value */
const SARCASM_FACTOR = -0.5;

export const MAX_SENTIMENT_MESSAGES = 20;
export const RECENCY_DECAY = 0.7;
export const NEUTRAL_MESSAGE_WEIGHT = 0.5;

const Kind = { Score: 1, Negator: 2, Dampen: 3, Irrealis: 4, Hypothetical: 5, Obligation: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface PhraseNode {
  next: WordTable<PhraseNode> | null;
  num: PhraseNode | null;
  kind: Kind | 0;
  s: number;
  n: number;
  mult: number;
  polite: boolean;
}

/**
 * Everything known about a word, shared by all detection passes (one look-up per word): its
 * sentiment (has/s/n and modifiers, here) and the word-level flags and phrase starts that
 * wordindex.ts attaches (stop word, repeat cue, person noun, keyword/risk/intent phrase starts).
 */
export interface WordInfo {
  /** wordindex.ts flags (F_STOP, F_CUE, F_PERSON) */
  flags: number;
  /** default keyword / risk / intent phrases starting with this word (wordindex.ts) */
  kw: TrieNode<string> | undefined;
  risk: TrieNode<RiskFlag> | undefined;
  intent: TrieNode<IntentHit[]> | undefined;
  has: boolean;
  s: number;
  n: number;
  boost: number;
  neg: boolean;
  negRaiser: boolean;
  contrast: boolean;
  concessive: boolean;
  comparative: boolean;
  irrealis: boolean;
  hypothetical: boolean;
  remedy: boolean;
  /** a comparative of a quality a buyer wants more of ("bigger", "louder"): after "I wish" /
   *  "expected" it names what the product lacks */
  wanted: boolean;
  /** "old", "previous", "other" after a determiner: the clause compares with a rival product */
  rival: boolean;
  too: boolean;
  beLike: boolean;
  /** a number word ("two", "several") for "#n" phrases */
  num: boolean;
  /** "cant", "cannot", "couldnt", "unable" */
  inability: boolean;
  /** a verb that does not make a complaint after "can't" ("can't wait", "can't complain") */
  inabilityOk: boolean;
  /** "like": a preposition unless a subject or an adverb of liking comes before it */
  likePrep: boolean;
  /** "need", "want", "mind": a negation before them ends there ("I don't need a reply") */
  negStop: boolean;
  /** a complaint fact (facts.ts) may start with this word */
  fact: boolean;
  /** the fact patterns starting with this word (facts.ts), if any */
  factStart: FactStart | undefined;
  /** an emoji of irony ("🙃"): praise in the same text is sarcasm */
  irony: boolean;
  /** courtesy ("thanks", "please"): counts only when the rest of the text is not negative */
  polite: boolean;
  /** a positive word read as sarcasm after a complaint fact ("great", "love") */
  sarcasm: boolean;
  phrase: PhraseNode | null;
  /** 0 when the word plays no part in sentiment (fast path; a word that may start a complaint fact is
   *  checked by mayHaveSentiment and the scorer's fact pass); set at the end of build() */
  r: number;
  /** what the scorer's fact pre-pass looks at, one load instead of three: PRE_IRONY, PRE_FACT (a fact
   *  may start here: `fact`, `num` or a leading digit); set at the end of build() and in info() */
  pre: number;
  /** canonical(word) of the repetition signal, filled by the detector on first use (a pure function
   *  of the word: kept on the entry it already holds instead of a second table probe) */
  canon: string | undefined;
}

const PRE_IRONY = 1;
const PRE_FACT = 2;

/** every known word: lexicon, modifiers and (wordindex.ts) detector flags */
// AFINN + VADER + our lists + detector words ≈ 10,500: room for a load of about 1/3 (short probe runs)
export const LEX = new WordTable<WordInfo>(24000);
const NUM_ROOT: PhraseNode = newNode();
/** spelling keys of strong opinion words → the word (null when ambiguous) */
const SPELLING = new WordTable<WordInfo | null>(4096);
/** cache of resolved unknown words (misspellings); bounded */
const UNKNOWN_CACHE = new WordTable<Resolved | null>(1024);
const UNKNOWN_CACHE_MAX = 20000;

function newNode(): PhraseNode {
  return { next: null, num: null, kind: 0, s: 0, n: 0, mult: 1, polite: false };
}

/** The shared entry of a word, created when missing (module initialisation only). */
export function wordEntry(word: string): WordInfo {
  return info(word);
}

function info(word: string): WordInfo {
  let w = LEX.get(word);
  if (!w) {
    w = blankInfo();
    if (isDigit(word.charCodeAt(0))) w.pre = PRE_FACT;
    LEX.set(word, w);
  }
  return w;
}

function blankInfo(): WordInfo {
  // the fields every pass reads first come first: they share the object's first cache line
  return {
    flags: 0,
    kw: undefined,
    risk: undefined,
    intent: undefined,
    canon: undefined,
    r: 0,
    pre: 0,
    phrase: null,
    has: false,
    s: 0,
    n: 0,
    boost: 0,
    neg: false,
    negRaiser: false,
    contrast: false,
    concessive: false,
    comparative: false,
    irrealis: false,
    hypothetical: false,
    remedy: false,
    wanted: false,
    rival: false,
    too: false,
    beLike: false,
    num: false,
    inability: false,
    inabilityOk: false,
    likePrep: false,
    negStop: false,
    fact: false,
    factStart: undefined,
    polite: false,
    irony: false,
    sarcasm: false,
  };
}

function setScore(word: string, v: LexValue): void {
  const w = info(word);
  w.has = true;
  if (typeof v === 'number') {
    w.s = v;
    w.n = v * NEGATION_FACTOR;
  } else {
    w.s = v[0];
    w.n = v[1];
  }
}

function normaliseLexKey(k: string): string {
  return k.toLowerCase().replace(/['’]/g, '');
}

/** Splits "a b|c #n" into token alternatives. */
function phraseTokens(phrase: string): string[][] {
  return phrase
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((part) => part.split('|').map((alt) => (alt === '#n' ? '#n' : normaliseLexKey(alt))));
}

function addPhrase(phrase: string, kind: Kind, s: number, n: number, mult: number): void {
  const parts = phraseTokens(phrase);
  if (parts.length === 0) return;
  const walk = (node: PhraseNode | null, depth: number): void => {
    for (const alt of parts[depth]!) {
      let child: PhraseNode;
      if (node === null) {
        if (alt === '#n') child = NUM_ROOT;
        else {
          const w = info(alt);
          if (!w.phrase) w.phrase = newNode();
          child = w.phrase;
        }
      } else if (alt === '#n') {
        if (!node.num) node.num = newNode();
        child = node.num;
      } else {
        if (!node.next) node.next = new WordTable<PhraseNode>(4);
        let c = node.next.get(alt);
        if (!c) {
          c = newNode();
          node.next.set(alt, c);
        }
        child = c;
      }
      if (depth === parts.length - 1) {
        child.kind = kind;
        child.s = s;
        child.n = n;
        child.mult = mult;
      } else walk(child, depth + 1);
    }
  };
  walk(null, 0);
}

/** Marks the end nodes of an already added phrase as politeness. */
function markPolite(node: PhraseNode | null, parts: string[][], depth: number): void {
  for (const alt of parts[depth]!) {
    const child = node === null ? info(alt).phrase : node.next?.get(alt);
    if (!child) continue;
    if (depth === parts.length - 1) child.polite = true;
    else markPolite(child, parts, depth + 1);
  }
}

function addScored(key: string, v: LexValue): void {
  const parts = phraseTokens(key);
  if (parts.length === 0) return;
  if (parts.length === 1 && parts[0]!.length === 1 && parts[0]![0] !== '#n') {
    setScore(parts[0]![0]!, v);
    return;
  }
  const s = typeof v === 'number' ? v : v[0];
  const n = typeof v === 'number' ? v * NEGATION_FACTOR : v[1];
  addPhrase(key, Kind.Score, s, n, 1);
}

function addFlagged(list: readonly string[], kind: Kind, flag: (w: WordInfo) => void): void {
  for (const k of list) {
    if (/\s/.test(k.trim())) addPhrase(k, kind, 0, 0, 1);
    else flag(info(normaliseLexKey(k)));
  }
}

function build(): void {
  const labels = labelsJson as Record<string, number>;
  for (const k of Object.keys(labels)) addScored(k, labels[k]!);
  // VADER's words that AFINN lacks, at VADER's own scale (chosen on the UCI amazon tuning set)
  for (const [word, mean] of vaderLexicon()) if (!LEX.get(word)?.has) setScore(word, mean);
  const emoji = emojiJson as Record<string, number>;
  for (const k of Object.keys(emoji)) setScore(k, emoji[k]!);
  for (const k of Object.keys(EMOTICONS)) setScore(k, EMOTICONS[k]!);
  for (const k of Object.keys(AFINN_OVERRIDES)) addScored(k, AFINN_OVERRIDES[k]!);
  for (const k of Object.keys(EXTRA_WORDS)) addScored(k, EXTRA_WORDS[k]!);
  for (const k of Object.keys(EXTRA_PHRASES)) addScored(k, EXTRA_PHRASES[k]!);
  for (const k of Object.keys(BOOSTERS)) info(k).boost = BOOSTERS[k]!;
  for (const k of Object.keys(DAMPEN_PHRASES)) addPhrase(k, Kind.Dampen, 0, 0, DAMPEN_PHRASES[k]!);
  addFlagged(NEGATORS, Kind.Negator, (w) => (w.neg = true));
  addFlagged(NEGATOR_PHRASES, Kind.Negator, (w) => (w.neg = true));
  addFlagged(IRREALIS, Kind.Irrealis, (w) => (w.irrealis = true));
  addFlagged(HYPOTHETICAL, Kind.Hypothetical, (w) => (w.hypothetical = true));
  for (const k of OBLIGATIONS) addPhrase(k, Kind.Obligation, 0, 0, 1);
  for (const k of NEG_RAISERS) info(k).negRaiser = true;
  for (const k of REMEDIES) info(k).remedy = true;
  for (const k of WANTED_COMPARATIVES) info(k).wanted = true;
  for (const k of RIVALS) info(k).rival = true;
  for (const k of CONTRAST) info(k).contrast = true;
  for (const k of CONCESSIVE) info(k).concessive = true;
  for (const k of COMPARATIVES) info(k).comparative = true;
  for (const k of NUMBER_WORDS) info(k).num = true;
  for (const k of SEGMENT_WORDS) info(k);
  for (const k of Object.keys(SARCASM_PHRASES)) addScored(k, SARCASM_PHRASES[k]!);
  for (const k of FACT_FIRST_WORDS) {
    const w = info(k);
    w.fact = true;
    w.factStart = factStartOf(k);
  }
  for (const k of ['cant', 'cannot', 'couldnt', 'unable']) info(k).inability = true;
  for (const k of INABILITY_EXCEPTIONS) info(k).inabilityOk = true;
  for (const k of SARCASM_PRONE) info(k).sarcasm = true;
  for (const k of IRONY_EMOJI) info(k).irony = true;
  for (const k of POLITE) {
    const parts = phraseTokens(k);
    if (parts.length === 1 && parts[0]!.length === 1) {
      const w = info(parts[0]![0]!);
      w.polite = true;
      if (!w.has) setScore(parts[0]![0]!, 0);
    } else {
      addPhrase(k, Kind.Score, 2, 2 * NEGATION_FACTOR, 1);
      markPolite(null, parts, 0);
    }
  }
  info('too').too = true;
  info('like').likePrep = true;
  for (const k of ['need', 'needed', 'want', 'wanted', 'mind', 'hesitate', 'require', 'required']) info(k).negStop = true;
  info('be').beLike = true;
  info('been').beLike = true;
  for (const [, w] of LEX.entries()) {
    const role =
      w.has ||
      w.neg ||
      w.negRaiser ||
      w.contrast ||
      w.concessive ||
      w.comparative ||
      w.irrealis ||
      w.hypothetical ||
      w.remedy ||
      w.wanted ||
      w.rival ||
      w.too ||
      w.beLike ||
      w.num ||
      w.boost > 0 ||
      w.phrase !== null ||
      w.inability ||
      w.negStop;
    w.r = role ? 1 : 0;
    w.pre |= (w.irony ? PRE_IRONY : 0) | (w.fact || w.num ? PRE_FACT : 0);
  }
  // spelling tolerance: strong opinion words of ≥ 7 letters, keyed with doubled letters collapsed
  // ("dissapointed" = "disappointed"), and for long words with one letter missing after the first
  // ("disapoinment"); shorter words are left alone ("started" is not "startled")
  for (const [word, w] of LEX.entries()) {
    if (!w.has || Math.abs(w.s) < 2 || word.length < 7 || !/^[a-z]+$/.test(word)) continue;
    const key = collapseDoubles(word);
    addSpelling(key, w);
    if (key.length >= 9) for (let k = 1; k < key.length; k++) addSpelling(key.slice(0, k) + key.slice(k + 1), w);
  }
}

function addSpelling(key: string, w: WordInfo): void {
  if (LEX.has(key)) return;
  const prev = SPELLING.get(key);
  if (prev === undefined) SPELLING.set(key, w);
  else if (prev !== null && prev !== w && Math.sign(prev.s) !== Math.sign(w.s)) SPELLING.set(key, null);
}

function collapseDoubles(t: string): string {
  return t.replace(/(.)\1+/g, '$1');
}
build();
setSegmentationVocabulary(LEX);

/** a word that starts with a letter (not a number, marker, emoji or link token) */
function isLetterWord(t: string): boolean {
  const c = t.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2190);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNumberToken(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c >= 48 && c <= 57) return true;
  const w = LEX.get(t);
  return w?.num ?? false;
}

/** Only words that can be elongated ("soooo") or misspelt opinion words (≥ 6 letters) are looked up
 *  further. */
export function mayResolve(t: string): boolean {
  const n = t.length;
  if (n >= 6) return true;
  if (n < 4) return false;
  for (let k = 2; k < n; k++) {
    const c = t.charCodeAt(k);
    if (c === t.charCodeAt(k - 1) && c === t.charCodeAt(k - 2)) return true;
  }
  return false;
}

/** The sentence holding toks[i] ends with a question mark. */
function inQuestion(toks: readonly string[], i: number): boolean {
  for (let k = i + 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t === '?') return true;
    if (t === '.' || t === '!') return false;
  }
  return false;
}

const QUESTION_AUX = new Set(['do', 'does', 'did', 'would', 'will', 'should', 'could', 'can', 'may', 'might', 'shall']);
const SUBJECTS = new Set(['i', 'you', 'we', 'they', 'he', 'she', 'it', 'one']);

/** "… do I have to …", "would we have to …": auxiliary + subject before toks[i], a question even
 *  without its question mark ("how long do i have to return a mattress"). */
function invertedQuestion(toks: readonly string[], i: number): boolean {
  return i >= 2 && SUBJECTS.has(toks[i - 1]!) && QUESTION_AUX.has(toks[i - 2]!);
}

function isMarkerTok(t: string): boolean {
  return t === '.' || t === '!' || t === '?' || t === ',';
}

const THANKS_AFTER = new Set(['thanks', 'thank', 'thx', 'ty', 'cheers', 'ta', 'tysm']);
/** how people say "that's all fine" after answering no: adjectives only ("no luck.", "no love", "no compassion." lack a good thing) */
const ANSWER_PRAISE = new Set([
  'perfect',
  'great',
  'lovely',
  'brilliant',
  'awesome',
  'cool',
  'excellent',
  'fab',
  'fantastic',
  'wonderful',
  'amazing',
  'ace',
  'sweet',
  'super',
  'grand',
  'fine',
  'sound',
  'legend',
]);
/** "nope thats it", "no that's everything", "no that's all" */
const THATS_ALL: ReadonlySet<string> = new Set(['it', 'all', 'everything']);
/** what "all" may go before in an answer: "no all good", "nope all sorted" */
const ALL_PRAISE: ReadonlySet<string> = new Set(['good', 'fine', 'sorted', 'perfect', 'great', 'set']);
/**
 * A sentence-initial "no"/"nope" followed by one adjective of approval that ends the sentence or is
 * followed by thanks or an emoji ("nope perfect 👍", "no lovely thanks", "no all good, thanks"), or "nope thats it":
 * an answer, then praise — not a
 * negation. "no good" keeps its idiom; "no helpful answer yet" (a word follows) and "no luck." (a noun)
 * keep the negation.
 */
function answerThenPraise(toks: readonly string[], i: number): boolean {
  if (i > 0 && !isMarkerTok(toks[i - 1]!)) return false;
  const nx = toks[i + 1];
  // "nope thats it, have a good one", "no that's everything": the answer to "anything else?", nothing negated
  if ((nx === 'thats' || nx === 'that') && THATS_ALL.has(toks[i + 2] ?? '')) {
    const after = toks[i + 3];
    return after === undefined || !isLetterWord(after) || THANKS_AFTER.has(after);
  }
  // "no all good, thanks a lot": "all" before the word of approval
  const all = nx === 'all' && ALL_PRAISE.has(toks[i + 2] ?? '');
  if (!all && (nx === undefined || !ANSWER_PRAISE.has(nx))) return false;
  const after = toks[all ? i + 3 : i + 2];
  return after === undefined || after === '.' || after === '!' || THANKS_AFTER.has(after) || !isLetterWord(after);
}

let matchLen = 0;
let sHashes: readonly number[] = [];
/** Longest phrase match starting at i (root = the first token's node); sets matchLen. */
function matchPhrase(toks: readonly string[], i: number, root: PhraseNode): PhraseNode | null {
  let node: PhraseNode | null = root;
  let best: PhraseNode | null = null;
  let j = i + 1;
  matchLen = 0;
  while (node && j < toks.length) {
    const t: string = toks[j]!;
    let child: PhraseNode | undefined | null = node.next ? node.next.get(t, sHashes[j] ?? hashWord(t)) : undefined;
    if (!child && node.num && isNumberToken(t)) child = node.num;
    if (!child) break;
    node = child;
    j++;
    if (node.kind) {
      best = node;
      matchLen = j - i;
    }
  }
  return best;
}

/** "soooo" → "so", "loooove" → "love", "waaay" → "way". */
function deElongate(t: string): WordInfo | null {
  if (t.length < 4 || !/(.)\1\1/.test(t)) return null;
  const two = LEX.get(t.replace(/(.)\1{2,}/g, '$1$1'));
  if (two) return two;
  return LEX.get(t.replace(/(.)\1{2,}/g, '$1')) ?? null;
}

/** Common misspellings of strong opinion words: doubled letters confused or one letter missing. */
function spellFix(t: string): WordInfo | null {
  if (t.length < 6 || !/^[a-z]+$/.test(t)) return null;
  return SPELLING.get(collapseDoubles(t)) ?? null;
}

interface Resolved {
  w: WordInfo;
  elongated: boolean;
}

/** An unknown word read as an elongated or misspelt opinion word (cached, bounded), or null. */
function resolveUnknown(t: string, hash: number = hashWord(t)): Resolved | null {
  const cached = UNKNOWN_CACHE.get(t, hash);
  if (cached !== undefined) return cached;
  let r: Resolved | null = null;
  const de = deElongate(t);
  if (de !== null && (de.has || de.boost > 0)) r = { w: de, elongated: true };
  else {
    const sp = spellFix(t);
    if (sp?.has) r = { w: sp, elongated: false };
  }
  if (r === null && /^[a-z]+$/.test(t)) {
    const v = SENTICON.get(STEMMER.stem(t));
    if (v !== undefined && (v >= SENTICON_MIN || v < 0)) {
      const w = blankInfo();
      w.has = true;
      w.s = v * SENTICON_SCALE;
      w.n = w.s * NEGATION_FACTOR;
      w.r = 1;
      r = { w, elongated: false };
    }
  }
  if (UNKNOWN_CACHE.size >= UNKNOWN_CACHE_MAX) UNKNOWN_CACHE.clear();
  UNKNOWN_CACHE.set(t, r, hash);
  return r;
}

function lookup(t: string, hash: number = hashWord(t)): WordInfo | null {
  const w = LEX.get(t, hash);
  if (w !== undefined) return w;
  if (!mayResolve(t)) return null;
  const r = resolveUnknown(t, hash);
  return r === null ? null : r.w;
}

function nextIsOpinion(toks: readonly string[], i: number): boolean {
  // the next token, or the one after a further modifier ("so very good"), carries a score
  for (let j = i + 1; j < toks.length && j <= i + 2; j++) {
    const t = toks[j]!;
    if (isMarkerTok(t)) return false;
    const w = lookup(t, sHashes[j]);
    if (w === null) return false;
    if (w.has) return true;
    if (w.boost > 0 || w.too) continue;
    return w.phrase !== null;
  }
  return false;
}

/**
 * The detail of a text without any opinion word, emoticon or emphasis. Not frozen (Readonly guards it):
 * a frozen object has a V8 map of its own, and the compiled code reading a conversation's details, most
 * of them computed, was thrown away at the first neutral one.
 */
export const NEUTRAL_DETAIL: Readonly<SentimentDetail> = { score: 0, raw: 0, opinionated: false };

/**
 * False only when scoreTokenStream(ts) is certainly NEUTRAL_DETAIL: no token plays a part in
 * sentiment (see WordInfo.r), no number (for "#n" phrases), no unknown word that could be an elongated
 * or misspelt opinion word, no "!" and no shouting.
 */
export function mayHaveSentiment(ts: TokenStream<WordInfo>): boolean {
  if (ts.capsWords >= 3 && ts.lowerWords === 0) return true;
  const toks = ts.toks;
  const ents = ts.ents;
  for (let i = 0; i < toks.length; i++) {
    const e = ents[i];
    if (e !== undefined) {
      if (e.r !== 0) return true;
      // a fact may start with a common word ("for 3 weeks", "on hold"): look only when one does
      if (e.fact && factAtStart(toks, i, ts.hashes, e.factStart) > 0) return true;
      continue;
    }
    const t = toks[i]!;
    const c = t.charCodeAt(0);
    if (c === 33 || (c >= 48 && c <= 57) || mayResolve(t)) return true; // "!", numbers, maybe misspelt
  }
  return false;
}

export interface SentimentDetail {
  /** −1..1 */
  score: number;
  /** unnormalised sum on the AFINN scale */
  raw: number;
  /** the text had at least one opinion word, emoticon or emphasis rule */
  opinionated: boolean;
  /** the text's only opinion is courtesy ("thanks", "have a nice day"): it does not cancel an
   *  earlier complaint (conversationSentiment) */
  closing?: boolean;
}

// Scoring state, module-level so that the hot loop creates no closures (synchronous, not re-entrant).
let sSent = 0; // current sentence
let sWeight = 1; // contrast weight in the current sentence
let sClauseW = 1; // concessive / hypothetical weight in the current clause
let sIrrealis = false;
/** the clause is about a rival product ("my old phone", "the previous model", "other players") */
let sRival = false;
let sNegLeft = 0;
let sNegSawBe = false;
let sNegSawSo = false;
let sNegNever = false;
let sRemedyLeft = 0;
let sBoost = 1;
let sBoostLeft = 0;
let sSentHasWords = false;
/** the sentence so far told a worry in the past ("i was worried i'd have to cut it off"): what "but" brings answers it */
let sPastWorry = false;
let sOpinion = false;
/** courtesy, sarcasm-prone positives and negatives of the whole text (see the end of scoreTokenStream) */
let sPolite = 0;
let sSarc = 0;
let sOther = false;
let sCurPolite = false;
let sNegSeen = false;
/** an inability ("can't log in") waiting for the end of its clause: it counts unless an opinion word came */
let sInability = false;
let sInabilityScore = 0;
let sCurSarc = false;
// complaint facts of the text: token start, end (exclusive), kind; filled by a pre-pass
const factStart: number[] = [];
const factEnd: number[] = [];
const factKind: (ComplaintKind | null)[] = [];
/** words after which "like" is the verb: "I like", "really like", "would like" */
const LIKE_VERB_BEFORE = new Set([
  'i',
  'you',
  'we',
  'they',
  'he',
  'she',
  'people',
  'everyone',
  'everybody',
  'kids',
  'wife',
  'husband',
  'both',
  'who',
  'really',
  'also',
  'still',
  'just',
  'would',
  'do',
  'dont',
  'didnt',
  'doesnt',
  'does',
  'did',
  'will',
  'to',
  'definitely',
  'truly',
  'actually',
  'totally',
  'absolutely',
  'so',
  'much',
  'now',
  'all',
  'always',
  'generally',
  'personally',
  'mostly',
  'certainly',
  'especially',
  'particularly',
  'only',
  'not',
  'might',
  'may',
  'could',
  'should',
  'wont',
  'cant',
  'also',
  'too',
  'kinda',
  'quite',
  'sort',
  'kind',
  'and',
  'but',
  'i',
  'me',
  'customers',
  'users',
  'folks',
]);
const NO_CAPS = new Uint8Array(0);
const NO_HASHES: readonly number[] = [];
let sCaps: Uint8Array = NO_CAPS;
let sMixed = false;

function addScore(v: number, i: number, len: number): void {
  if (sNegLeft > 0) sNegLeft = sNegLeft > len ? sNegLeft - len : 0;
  if (sIrrealis && v > 0) v *= IRREALIS_FACTOR;
  else if (sRemedyLeft > 0 && v < 0) v *= REMEDY_FACTOR;
  if (sCaps[i] === 1 && sMixed) v *= CAPS_BOOST;
  sInability = false;
  if (v > 0) v *= POSITIVITY_WEIGHT;
  const c = v * sBoost * sWeight * sClauseW;
  if (sCurPolite) {
    sPolite += c;
    sCurPolite = false;
  } else {
    sSent += c;
    sOther = true;
    if (sCurSarc && c > 0) sSarc += c;
    else if (c < 0) sNegSeen = true;
  }
  sCurSarc = false;
  sSentHasWords = true;
  sOpinion = true;
  sBoost = 1;
  sBoostLeft = 0;
}

function skipWord(): void {
  if (sNegLeft > 0) sNegLeft--;
  if (sRemedyLeft > 0) sRemedyLeft--;
  if (sBoostLeft > 0 && --sBoostLeft === 0) sBoost = 1;
}

function startNegation(t: string): void {
  sNegLeft = NEG_SCOPE;
  sNegSawBe = false;
  sNegSawSo = false;
  sNegNever = t === 'never';
}

function flushInability(): void {
  if (!sInability) return;
  sInability = false;
  const c = sInabilityScore * sWeight * sClauseW;
  sSent += c;
  sOther = true;
  sOpinion = true;
  sSentHasWords = true;
}

function resetClause(): void {
  flushInability();
  sNegLeft = 0;
  sRemedyLeft = 0;
  sClauseW = 1;
  sIrrealis = false;
  sRival = false;
  sBoost = 1;
  sBoostLeft = 0;
}

/** Scores a token stream (see the module comment for the rules). */
export function scoreTokenStream(ts: TokenStream<WordInfo>): SentimentDetail {
  const entries = ts.ents.length === ts.toks.length ? ts.ents : undefined;
  const hashes = ts.hashes;
  sHashes = hashes;
  const toks = ts.toks;
  const n = toks.length;
  sCaps = ts.caps;
  sMixed = ts.lowerWords > 0;
  sSent = 0;
  sWeight = 1;
  sOpinion = false;
  sSentHasWords = false;
  sPastWorry = false;
  sPolite = 0;
  sSarc = 0;
  sNegSeen = false;
  sOther = false;
  sCurPolite = false;
  sCurSarc = false;
  resetClause();
  let total = 0;
  // pre-pass: complaint facts (sarcasm anywhere in the text depends on them)
  let nf = 0;
  let stated = 0;
  let asked = 0;
  for (let i = 0; i < n; i++) {
    const e = entries !== undefined ? entries[i] : LEX.get(toks[i]!, hashes[i]!);
    if (e !== undefined) {
      const pre = e.pre;
      if (pre === 0) continue;
      if ((pre & PRE_IRONY) !== 0) stated++;
      if ((pre & PRE_FACT) === 0) continue;
    } else if (!isDigit(toks[i]!.charCodeAt(0))) continue;
    const end = factAtStart(toks, i, hashes, e?.factStart);
    if (end > 0) {
      // in a yes/no question ("do you refuse returns on swimwear?") or a supposition ("I thought I'd
      // been charged twice") the words are asked about or feared, not stated: the span scores nothing
      // … or a fix put to the test that held ("it's been an hour and it's stayed online"), or damage denied: no complaint either
      const isAsked = factNotStated(toks, i, end);
      factStart[nf] = i;
      factEnd[nf] = end;
      factKind[nf] = isAsked ? null : lastFactKind;
      nf++;
      if (isAsked) asked++;
      else stated++;
      i = end - 1;
    }
  }
  // the same search as factsInTokens(toks, hashes, ents), which skips past a fact only when it is
  // stated: with no asked-about fact the two agree, so keep the result for the conversation level
  if (entries !== undefined && hashes.length === n) {
    if (nf === 0) ts.facts = null;
    else if (asked === 0) {
      const found: ComplaintFact[] = [];
      for (let k = 0; k < nf; k++) {
        let match = toks[factStart[k]!]!;
        for (let j = factStart[k]! + 1; j < factEnd[k]!; j++) match += ` ${toks[j]!}`;
        found.push({ kind: factKind[k]!, match });
      }
      ts.facts = found;
    } else ts.facts = undefined;
  }
  let fc = 0;
  let excl = 0;
  let exclRun = 0;
  let maxExclRun = 0;

  for (let i = 0; i < n; i++) {
    const t = toks[i]!;
    if (t === '.' || t === '!' || t === '?') {
      if (t === '!') {
        excl++;
        exclRun++;
        if (exclRun > maxExclRun) maxExclRun = exclRun;
      } else exclRun = 0;
      const nx = i + 1 < n ? toks[i + 1] : undefined;
      if (nx === '!' || nx === '?' || nx === '.') continue;
      flushInability();
      if (sSent !== 0 && excl > 0) sSent += (sSent > 0 ? 1 : -1) * Math.min(excl, 4) * EXCL_STEP;
      total += sSent;
      sSent = 0;
      sWeight = 1;
      sSentHasWords = false;
      sPastWorry = false;
      excl = 0;
      exclRun = 0;
      resetClause();
      continue;
    }
    exclRun = 0;
    if (t === ',') {
      resetClause();
      continue;
    }
    // the cheap test first: most words follow no "was"
    if (i > 0 && (toks[i - 1] === 'was' || toks[i - 1] === 'were' || (i > 1 && (toks[i - 2] === 'was' || toks[i - 2] === 'were'))) && PAST_WORRY.has(t))
      sPastWorry = true;
    if (fc < nf) {
      while (fc < nf && factStart[fc]! < i) fc++;
      if (fc < nf && factStart[fc] === i) {
        // a complaint stated as a fact wins over its words ("nobody helped", "arrived broken")
        const end = factEnd[fc]!;
        const kind = factKind[fc]!;
        if (kind !== null) {
          addScore(FACT_SCORE[kind], i, end - i);
          sOpinion = true;
        }
        i = end - 1;
        fc++;
        continue;
      }
    }
    const w = entries !== undefined ? entries[i] : LEX.get(t, hashes[i]!);
    if (w === undefined || w.num) {
      const c0 = t.charCodeAt(0);
      if ((c0 >= 48 && c0 <= 57) || w !== undefined) {
        // a number: "#n" phrases ("been 2 weeks", "3 times")
        const m = matchPhrase(toks, i, NUM_ROOT);
        if (m !== null && m.kind === Kind.Score) {
          addScore(sNegLeft > 0 ? m.n : m.s, i, matchLen);
          i += matchLen - 1;
          continue;
        }
        if (w === undefined) {
          skipWord();
          continue;
        }
      } else {
        const r = mayResolve(t) ? resolveUnknown(t, hashes[i]!) : null;
        if (r === null) {
          skipWord();
          continue;
        }
        if (r.w.boost > 0 && (!r.w.has || nextIsOpinion(toks, i))) {
          // an elongated intensifier: "sooooo good"
          sBoost *= r.w.boost * ELONGATION_BOOST;
          sBoostLeft = 2;
          continue;
        }
        // a misspelt or elongated opinion word
        addScore((sNegLeft > 0 ? r.w.n : r.w.s) * (r.elongated ? ELONGATION_BOOST : 1), i, 1);
        continue;
      }
    }
    if (w.r === 0) {
      skipWord();
      continue;
    }
    if (w.phrase !== null) {
      const m = matchPhrase(toks, i, w.phrase);
      if (m !== null) {
        const len = matchLen;
        const last = i + len - 1;
        if (m.kind === Kind.Score) {
          sCurPolite = m.polite;
          addScore(sNegLeft > 0 ? m.n : m.s, i, len);
          // "none of the buttons work well": the quantifier also negates its predicate
          if (t === 'none') startNegation(t);
          i = last;
          continue;
        }
        if (m.kind === Kind.Negator) {
          startNegation(t);
          i = last;
          continue;
        }
        if (m.kind === Kind.Irrealis) {
          sIrrealis = true;
          i = last;
          continue;
        }
        if (m.kind === Kind.Obligation) {
          // "you have to hold it at an angle": a chore the product imposes — not when negated ("you
          // don't have to …"), asked ("do I have to pay customs?") or a discourse marker ("I have to say")
          const nx = last + 1 < n ? toks[last + 1]! : '.';
          if (sNegLeft === 0 && !OBLIGATION_OK_SET.has(nx) && !inQuestion(toks, last) && !invertedQuestion(toks, i)) addScore(OBLIGATION_SCORE, i, len);
          else skipWord();
          i = last;
          continue;
        }
        if (m.kind === Kind.Hypothetical) {
          sClauseW *= HYPOTHETICAL_WEIGHT;
          i = last;
          continue;
        }
        if (m.kind === Kind.Dampen && nextIsOpinion(toks, last)) {
          sBoost *= m.mult;
          sBoostLeft = 2;
          i = last;
          continue;
        }
        // "a little phone": not a modifier
      }
    }
    if (w.neg || w.inability) {
      // "nope perfect 👍", "no perfect thanks": the answer to "anything else?" typed without a comma, then praise
      if ((t === 'no' || t === 'nope') && answerThenPraise(toks, i)) continue;
      if (w.neg) startNegation(t);
      const unable = w.inability || (t === 'not' && i > 0 && toks[i - 1] === 'can');
      if (unable || (w.neg && t !== 'nor' && t !== 'neither')) {
        // "can't log in": the next word (after "to"/"even"/"ever") names what the customer cannot do;
        // "doesn't sync", "isn't compatible": a negated predicate with no opinion word of its own;
        // "no optical zoom", "arrived with no battery": something missing (not "no, that's all")
        const absence = t === 'no';
        let j = i + 1;
        if (!absence) while (j < n && (toks[j] === 'to' || toks[j] === 'even' || toks[j] === 'ever' || toks[j] === 'seem')) j++;
        const nw = j < n && !isMarkerTok(toks[j]!) ? LEX.get(toks[j]!, hashes[j]!) : undefined;
        if (
          j < n &&
          isLetterWord(toks[j]!) &&
          (nw === undefined || (!nw.inabilityOk && !nw.has && nw.boost === 0 && !nw.neg)) &&
          !(absence && NOT_ABSENCE.has(toks[j]!))
        ) {
          sInability = true;
          sInabilityScore = unable ? INABILITY_SCORE : absence ? ABSENCE_SCORE : NEGATED_PREDICATE_SCORE;
        }
      }
      continue;
    }
    if (w.negStop && sNegLeft > 0) {
      // "I don't need a reply": the negation is about the need, not about what is needed
      sNegLeft = 0;
      continue;
    }
    if (w.negRaiser && sNegLeft > 0) {
      sNegLeft = NEG_RAISED_SCOPE;
      continue;
    }
    if (w.contrast) {
      flushInability();
      // "i was worried i'd have to cut it off 😂 but this one slides right on": a worry that did not come true
      if (sPastWorry && sSent < 0 && !worryConfirmed(toks, i)) sSent *= PAST_WORRY_BEFORE;
      else if (sSentHasWords) sSent *= CONTRAST_BEFORE;
      else total *= CONTRAST_BEFORE;
      sWeight = CONTRAST_AFTER;
      resetClause();
      continue;
    }
    if (w.concessive) {
      const nx = i + 1 < n ? toks[i + 1]! : '.';
      if (!isMarkerTok(nx)) sClauseW *= CONCESSIVE_WEIGHT;
      continue;
    }
    if (w.hypothetical) {
      sClauseW *= HYPOTHETICAL_WEIGHT;
      continue;
    }
    if (w.irrealis) {
      sIrrealis = true;
      if (!w.has) continue;
    }
    if (w.too) {
      const nx = i + 1 < n ? toks[i + 1]! : '.';
      if (isMarkerTok(nx)) continue;
      const nw = lookup(nx);
      if (nw !== null && (nw.has || nw.boost > 0) && !(nw.has && nw.s > 0 && nw.s <= 1)) {
        sBoost *= 1.3;
        sBoostLeft = 2;
        continue;
      }
      addScore(TOO_SCORE, i, 2);
      i++;
      continue;
    }
    if ((t === 'seriously' || t === 'really' || t === 'srsly') && i + 1 < n && (toks[i + 1] === '?' || toks[i + 1] === '!')) {
      // "Seriously?!" on its own is exasperation, not emphasis
      addScore(EXASPERATION_SCORE, i, 1);
      continue;
    }
    if (w.boost > 0 && (!w.has || nextIsOpinion(toks, i))) {
      sBoost *= w.boost * (sCaps[i] === 1 && sMixed ? 1.2 : 1);
      sBoostLeft = 2;
      if (sNegLeft > 0 && (t === 'so' || t === 'this')) sNegSawSo = true;
      continue;
    }
    if (w.likePrep && i > 0 && !isMarkerTok(toks[i - 1]!) && !LIKE_VERB_BEFORE.has(toks[i - 1]!)) {
      // "creaks like an old floor", "it sounded like thunder": a preposition, not a liking
      skipWord();
      continue;
    }
    if (w.beLike && sNegLeft > 0) sNegSawBe = true;
    if (!w.has) {
      if (w.wanted && (sIrrealis || sRival) && sNegLeft === 0) {
        // "I wish the screen were bigger", "I expected it to be louder": a wanted quality it lacks;
        // "other players are much cheaper": a rival has it
        addScore(WANTED_SCORE, i, 1);
        continue;
      }
      if (w.rival && (i === 0 || isMarkerTok(toks[i - 1]!) || RIVAL_DETERMINERS_SET.has(toks[i - 1]!)) && !(i + 1 < n && NOT_RIVAL_NEXT_SET.has(toks[i + 1]!)))
        sRival = true;
      skipWord();
      if (w.remedy) sRemedyLeft = REMEDY_SCOPE;
      continue;
    }
    let v: number;
    if (sNegLeft > 0) v = (w.comparative && sNegSawBe) || (sNegNever && sNegSawSo) ? w.s * 1.5 : w.n;
    else if (sRival && w.comparative) {
      // "my old phone was better": the praise goes to the rival, against the product
      v = w.s * RIVAL_FACTOR;
    } else {
      v = w.s;
      sCurSarc = w.sarcasm;
    }
    sCurPolite = w.polite;
    addScore(v, i, 1);
    if (w.remedy) sRemedyLeft = REMEDY_SCOPE;
  }
  flushInability();
  if (sSent !== 0 && excl > 0) sSent += (sSent > 0 ? 1 : -1) * Math.min(excl, 4) * EXCL_STEP;
  total += sSent;
  // sarcasm: once the text states a complaint as a fact, "great", "love", "perfect" … turn negative
  // … and so do scare quotes around what went wrong ('another "we're sorry" email. Really helpful.')
  if (sSarc > 0 && (stated > 0 || (ts.quoted > 0 && sNegSeen))) total += sSarc * (SARCASM_FACTOR - 1);
  // courtesy counts only when the rest of the text is not negative ("…, thanks" keeps a complaint)
  const closing = sPolite !== 0 && !sOther;
  if (total >= 0 && sPolite > 0) total += sPolite;
  let opinion = sOpinion;
  const shouting = ts.capsWords >= 3 && ts.lowerWords === 0;
  if (total === 0 && !opinion) {
    if (shouting || maxExclRun >= 3) {
      total = AGITATION_SCORE;
      opinion = true;
    }
  } else if (shouting) total *= SHOUT_BOOST;
  sCaps = NO_CAPS;
  sHashes = NO_HASHES;
  return closing ? { score: normalise(total), raw: total, opinionated: opinion, closing } : { score: normalise(total), raw: total, opinionated: opinion };
}

export function normalise(raw: number): number {
  if (raw === 0 || !Number.isFinite(raw)) return 0;
  const v = raw / Math.sqrt(raw * raw + NORM_ALPHA);
  return v < -1 ? -1 : Math.min(v, 1);
}

/** Sentiment of one text, −1..1 (0 = no opinion found). */
export function scoreSentiment(text: string): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return scoreTokenStream(tokenize(text, 4000, LEX)).score;
}

/** Detailed sentiment of one text. */
export function analyzeSentiment(text: string): SentimentDetail {
  if (typeof text !== 'string' || text.length === 0) return { score: 0, raw: 0, opinionated: false };
  return scoreTokenStream(tokenize(text, 4000, LEX));
}

/**
 * Recency-weighted conversation sentiment from per-message details, oldest first (only the last
 * MAX_SENTIMENT_MESSAGES are used). Returns 0 for an empty list.
 */
export function conversationSentiment(perMessage: readonly SentimentDetail[]): number {
  const start = perMessage.length > MAX_SENTIMENT_MESSAGES ? perMessage.length - MAX_SENTIMENT_MESSAGES : 0;
  let num = 0;
  let den = 0;
  let w = 1;
  // a polite closing ("thanks, bye") after a complaint in the window says nothing about the complaint
  let complained = false;
  for (let k = start; k < perMessage.length; k++) if (perMessage[k]!.score < 0) complained = true;
  for (let k = perMessage.length - 1; k >= start; k--) {
    const d = perMessage[k]!;
    if (complained && d.closing === true) continue;
    const ww = d.opinionated ? w : w * NEUTRAL_MESSAGE_WEIGHT;
    num += ww * d.score;
    den += ww;
    w *= RECENCY_DECAY;
  }
  if (den === 0) return 0;
  const v = num / den;
  return Math.round(v * 1000) / 1000;
}
