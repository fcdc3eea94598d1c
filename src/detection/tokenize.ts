/**
 * One-pass tokenizer shared by every detection module (sentiment, keywords, intent, repetition).
 *
 * - Words: ASCII letters/digits plus common non-ASCII letters, lower-cased. Apostrophes are
 *   punctuation-insensitive: "don't"/"dont" → "dont", "can’t" → "cant"; clitics are expanded where
 *   the meaning is unambiguous ("I'll" → "i will", "I'd" → "i would", "we're" → "we are",
 *   "I've" → "i have", "I'm" → "i am"); "'s" is dropped ("it's" → "it", "Motorola's" → "motorola").
 *   Hyphens split words ("well-made" → "well made").
 * - Markers (never produced as words): "." sentence end, "!" and "?" (one per character, max 4 per
 *   run), "," clause break (also ; : dashes, brackets, quotes are ignored).
 * - Emoticons (":)", ":-(", "<3", ":D" …) and emoji / pictographs are single tokens.
 * - Links and identifiers are single tokens of their own, never split into words or emoticons:
 *   URLs ("https://shop.example.com/orders/1042", "www.x.com/a") → "<url>", e-mail addresses →
 *   "<email>", paths ("/orders/1042", "C:\\Users\\me") → "<path>", order numbers → "#1042",
 *   @mentions → "@acme". isWordToken() is false for them (not words of the customer's sentence).
 * - Hashtags and glued camel case are split into words over the segmentation vocabulary
 *   (setSegmentationVocabulary; the sentiment lexicon): "#neveragain" → "never again",
 *   "#HorribleService" → "horrible service", "NeverAgain" → "never again".
 * - `caps[i]` is 1 for a word written in capitals (≥ 2 letters, no lower case), e.g. "NEVER".
 * - `wordsOf(ts)`: the word tokens only (no markers, emoticons or emoji).
 *
 * The tokenizer reads at most `maxChars` characters of the text (callers cap the work).
 */

import type { ComplaintFact } from './types.ts';
import { hashWord, type WordTable } from './wordtable.ts';

export interface TokenStream<E = unknown> {
  /** words, emoticons, emoji and punctuation markers, in order */
  toks: string[];
  /** hashWord() of each token (0 for markers) */
  hashes: number[];
  /** each token's entry in the table given to tokenize() (empty when none was given) */
  ents: (E | undefined)[];
  /** caps[i] === 1 when toks[i] is a word written in ALL CAPS; empty when there is none */
  caps: Uint8Array;
  /** number of words written in capitals / containing a lower-case letter */
  capsWords: number;
  lowerWords: number;
  /** the text read has whitespace other than single inner spaces (line breaks, tabs, runs …) */
  oddSpace: boolean;
  /** short spans of 1–6 words in double quotes ("the \"express\" delivery"): scare quotes */
  quoted: number;
  /**
   * factsInTokens(toks, hashes, ents) as found by scoreTokenStream's pre-pass (null: none), so the
   * conversation level does not search again; undefined when not known
   */
  facts?: ComplaintFact[] | null;
}

const NO_CAPS = new Uint8Array(0);

/** True for a word token (letters/digits), false for markers, emoticons and emoji. */
export function isWordToken(t: string): boolean {
  const c = t.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2190) || (c > 0x2bff && (c < 0xd800 || c > 0xdfff));
}

/** The word tokens of a stream, in order (and their hashes into `hashes`, when given). */
export function wordsOf(ts: TokenStream<unknown>, hashes?: number[]): string[] {
  const out: string[] = [];
  const toks = ts.toks;
  for (let i = 0; i < toks.length; i++) {
    if (!isWordToken(toks[i]!)) continue;
    out.push(toks[i]!);
    if (hashes !== undefined) hashes.push(ts.hashes[i]!);
  }
  return out;
}

const CLITIC = new Map<string, string | null>([
  ['s', null],
  ['ll', 'will'],
  ['d', 'would'],
  ['re', 'are'],
  ['ve', 'have'],
  ['m', 'am'],
]);

function isWordCode(c: number): boolean {
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  }
  // Latin-1 letters, Latin Extended, IPA, Greek, Cyrillic … Latin Extended Additional; CJK
  if (c >= 0xc0 && c <= 0x24f) return c !== 0xd7 && c !== 0xf7;
  if (c >= 0x370 && c <= 0x1fff) return true;
  if (c >= 0x3040 && c <= 0x9fff) return true;
  if (c >= 0xac00 && c <= 0xd7a3) return true;
  return false;
}

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018;
}

const EMOTICON_EYES = new Set([':', ';', '=', '8']);
const EMOTICON_MOUTHS = new Set([')', '(', ']', '[', 'D', 'P', 'p', '/', '\\', '|', '*', 'O', 'o', '@', '}', '{']);

/** Tries to read an ASCII emoticon at i; returns its length or 0. */
function emoticonAt(text: string, i: number, end: number): number {
  const c = text[i]!;
  if (c === '<') {
    if (text[i + 1] === '3') return 2;
    if (text[i + 1] === '/' && text[i + 2] === '3') return 3;
    return 0;
  }
  if (c === '>' && text[i + 1] === ':') {
    const m = emoticonAt(text, i + 1, end);
    return m ? m + 1 : 0;
  }
  if (!EMOTICON_EYES.has(c)) return 0;
  let j = i + 1;
  if (j < end && (text[j] === '-' || text[j] === "'" || text[j] === '^' || text[j] === 'o')) j++;
  if (j >= end) return 0;
  const m = text[j]!;
  if (!EMOTICON_MOUTHS.has(m)) return 0;
  // ":/" or ":\\" running into a word or another slash is a link or path ("http://", "C:\\Users")
  if ((m === '/' || m === '\\') && j + 1 < end) {
    const d = text.charCodeAt(j + 1);
    if (d === 47 || d === 92 || isWordCode(d)) return 0;
  }
  // "8D" or "8)" in "model 8)" is rare; require ":" ";" "=" eyes for letter mouths after digit eyes
  if (c === '8' && (m === 'D' || m === 'P' || m === 'p' || m === 'o' || m === 'O')) return 0;
  // a letter mouth must not continue a word (":Do" in "note:Do this")
  if ((m === 'D' || m === 'P' || m === 'p' || m === 'o' || m === 'O') && j + 1 < end && isWordCode(text.charCodeAt(j + 1))) return 0;
  // "8" as eyes only when it is not part of a number
  if (c === '8' && i > 0 && isWordCode(text.charCodeAt(i - 1))) return 0;
  return j + 1 - i;
}

const NORMALISED_EMOTICON: Record<string, string> = {
  ':)': ':)',
  ':-)': ':)',
  '=)': ':)',
  ':]': ':)',
  ':^)': ':)',
  ':o)': ':)',
  '8)': ':)',
  ':}': ':)',
  ':D': ':D',
  ':-D': ':D',
  '=D': ':D',
  '8D': ':D',
  ';)': ';)',
  ';-)': ';)',
  ';D': ';)',
  ':P': ':P',
  ':-P': ':P',
  ':p': ':P',
  ':-p': ':P',
  ';P': ':P',
  ';p': ':P',
  '=P': ':P',
  ':(': ':(',
  ':-(': ':(',
  '=(': ':(',
  ':[': ':(',
  ':{': ':(',
  '>:(': '>:(',
  '>:-(': '>:(',
  ":'(": ":'(",
  ":'-(": ":'(",
  ':/': ':/',
  ':-/': ':/',
  ':\\': ':/',
  ':-\\': ':/',
  '=/': ':/',
  ':|': ':|',
  ':-|': ':|',
  ':O': ':O',
  ':-O': ':O',
  ':o': ':O',
  ':-o': ':O',
  ':@': '>:(',
  ':*': ':*',
  ':-*': ':*',
  '<3': '<3',
  '</3': '</3',
};

export const LINK_URL = '<url>';
export const LINK_EMAIL = '<email>';
export const LINK_PATH = '<path>';

/** Words known to the hashtag / camel-case segmentation (the sentiment lexicon and common words). */
let segVocab: WordTable<unknown> | null = null;
export function setSegmentationVocabulary(table: WordTable<unknown>): void {
  segVocab = table;
}

function isSpaceOrQuote(c: number): boolean {
  return c <= 32 || c === 34 || c === 60 || c === 62 || c === 96 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000 || c === 0x201c || c === 0x201d;
}

/** End of a link starting at i: up to white space, without trailing punctuation or a closing bracket. */
function linkEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && !isSpaceOrQuote(text.charCodeAt(j))) j++;
  while (j > i) {
    const c = text.charCodeAt(j - 1);
    if (c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58 || c === 41 || c === 93 || c === 39 || c === 0x2019) j--;
    else break;
  }
  return j;
}

function isAlnumAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

let linkKind = LINK_URL;

/**
 * The end of a URL / e-mail address / Windows path that starts with the word text[s..i) and goes on
 * at text[i] (one of : @ . _ + -), or 0. Sets linkKind.
 */
function linkAfterWord(text: string, s: number, i: number, end: number): number {
  const d = text.charCodeAt(i);
  if (d === 58) {
    const a = i + 1 < end ? text.charCodeAt(i + 1) : 0;
    if (a === 47 && i + 2 < end && text.charCodeAt(i + 2) === 47) {
      linkKind = LINK_URL;
      return linkEnd(text, i, end);
    }
    if ((a === 92 || a === 47) && i - s === 1) {
      linkKind = LINK_PATH;
      return linkEnd(text, i, end);
    }
    return 0;
  }
  // name.surname+tag@example.com, www.example.com, example.com/path
  let j = i;
  let dots = 0;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (isAlnumAscii(c) || c === 95 || c === 43 || c === 45 || c === 37) j++;
    else if (c === 46 && j + 1 < end && isAlnumAscii(text.charCodeAt(j + 1))) {
      dots++;
      j++;
    } else break;
  }
  if (j < end && text.charCodeAt(j) === 64 && j + 1 < end && isAlnumAscii(text.charCodeAt(j + 1))) {
    let k = j + 1;
    let domainDots = 0;
    while (k < end) {
      const c = text.charCodeAt(k);
      if (isAlnumAscii(c) || c === 45) k++;
      else if (c === 46 && k + 1 < end && isAlnumAscii(text.charCodeAt(k + 1))) {
        domainDots++;
        k++;
      } else break;
    }
    if (domainDots === 0) return 0;
    linkKind = LINK_EMAIL;
    return k;
  }
  if (dots === 0) return 0;
  const www = i - s === 3 && (text.charCodeAt(s) | 32) === 119 && (text.charCodeAt(s + 1) | 32) === 119 && (text.charCodeAt(s + 2) | 32) === 119;
  if (www || (j < end && text.charCodeAt(j) === 47 && hasTld(text, s, j))) {
    linkKind = LINK_URL;
    return linkEnd(text, i, end);
  }
  return 0;
}

/** text[s..j) ends in ".xx" … ".xxxxxx" (letters): a domain name */
function hasTld(text: string, s: number, j: number): boolean {
  let k = j;
  while (k > s) {
    const c = text.charCodeAt(k - 1) | 32;
    if (c >= 97 && c <= 122) k--;
    else break;
  }
  const n = j - k;
  return n >= 2 && n <= 6 && k > s && text.charCodeAt(k - 1) === 46;
}

function known(w: string): boolean {
  return segVocab !== null && segVocab.get(w) !== undefined;
}

/** "NeverAgain" → ["never", "again"] when every part (≥ 2 letters) is a known word, else null. */
function camelParts(text: string, s: number, e: number, word: string): string[] | null {
  let parts: string[] | null = null;
  let from = s;
  for (let k = s + 1; k < e; k++) {
    const c = text.charCodeAt(k);
    const p = text.charCodeAt(k - 1);
    if (c >= 65 && c <= 90 && p >= 97 && p <= 122) {
      if (k - from < 2) return null;
      (parts ??= []).push(word.slice(from - s, k - s));
      from = k;
    }
  }
  if (parts === null || e - from < 2) return null;
  parts.push(word.slice(from - s, e - s));
  for (const part of parts) if (!known(part)) return null;
  return parts;
}

const MAX_SEGMENT_CHARS = 40;
const MAX_PIECE = 18;

/**
 * The words of a hashtag body: camel case first ("HorribleService"), else the segmentation that
 * covers most of it with known words, longer words preferred ("neveragain" → never again); unknown
 * stretches stay as they are.
 */
export function hashtagWords(body: string): string[] {
  const camel: string[] = [];
  let from = 0;
  for (let k = 1; k < body.length; k++) {
    const c = body.charCodeAt(k);
    const p = body.charCodeAt(k - 1);
    if ((c >= 65 && c <= 90 && p >= 97 && p <= 122) || c === 95) {
      if (k > from) camel.push(body.slice(from, k).toLowerCase());
      from = c === 95 ? k + 1 : k;
    }
  }
  if (from < body.length) camel.push(body.slice(from).toLowerCase());
  const out: string[] = [];
  for (const part of camel) {
    if (known(part) || part.length > MAX_SEGMENT_CHARS || segVocab === null) out.push(part);
    else for (const w of segmentWord(part)) out.push(w);
  }
  return out;
}

function segmentWord(s: string): string[] {
  const n = s.length;
  const best = new Float64Array(n + 1);
  const back = new Int32Array(n + 1);
  const isKnown = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    best[i] = best[i - 1]! - 1;
    back[i] = i - 1;
    for (let j = Math.max(i - 2, 0); j >= 0 && i - j <= MAX_PIECE; j--) {
      const len = i - j;
      if (len < 2) continue;
      if (!known(s.slice(j, i))) continue;
      const cand = best[j]! + len * len;
      if (cand > best[i]!) {
        best[i] = cand;
        back[i] = j;
        isKnown[i] = 1;
      }
    }
  }
  const pieces: string[] = [];
  let unknownEnd = -1;
  for (let i = n; i > 0; ) {
    const j = back[i]!;
    if (isKnown[i] === 1) {
      if (unknownEnd >= 0) {
        pieces.push(s.slice(i, unknownEnd));
        unknownEnd = -1;
      }
      pieces.push(s.slice(j, i));
    } else if (unknownEnd < 0) unknownEnd = i;
    i = j;
  }
  if (unknownEnd >= 0) pieces.push(s.slice(0, unknownEnd));
  pieces.reverse();
  return pieces;
}

/** what the customer set, chose or typed, quoted as its label: 'set to "back door"', "I selected 'Leave with neighbour'" (not scare quotes) */
const CHOSEN_LABEL =
  /\b(?:(?:set|changed|switched|updated)(?: it| them| that| this)? to|selected|picked|chose|chosen|ticked|typed(?: in)?|entered|renamed it|named it)\s*$/i;

/**
 * a status or message the system shows, quoted as its label: 'it says "Out for delivery"', 'the app shows "Delivered"', 'the status is
 * "pending"', 'keeps saying "try again"', 'the screen reads "error 42"' (not what a person said: 'you said "next day"')
 */
const SHOWN_LABEL =
  /\b(?:(?:[a-z]+) )?(?:says|said|saying|shows|showed|showing|reads|displays|displayed|displaying|(?:status|message|screen|label|error) (?:is|was|says|reads)|shows as|showing as)\s*$/i;
/** who said it, when a person: their words quoted may well be scare quotes ("you said "next day"") */
const PERSON_SAID = /^(?:you|u|they|he|she|we|i|someone|somebody|agent|driver|courier|seller|guy|lady|man|woman|staff|rep|person|bot|assistant)$/i;

/** after a status quoted: how long it has stood ("… since the 2nd", "… for 3 weeks"): a status stuck, trouble */
const STOOD_FOR =
  /^["'’”]?\s*(?:(?:still|now|already|again)\s+)?(?:since\b|for\s+(?:\d|a\b|an\b|over\b|more\b|almost\b|nearly\b|two\b|three\b|four\b|five\b|six\b|several\b|days\b|weeks\b|ages\b))/i;

/**
 * The quote at text[i] opens a label, not scare quotes: what the customer set or chose ('set to "back door"'), or what the system
 * shows ('it says "Out for delivery"'), unless the status is told to have stood for long after it ('which says "label created"
 * since the 2nd'). `close` is the index of the closing quote (0: unknown).
 */
export function chosenLabel(text: string, i: number, close = 0): boolean {
  const before = text.slice(Math.max(0, i - 32), i);
  if (CHOSEN_LABEL.test(before)) return true;
  const m = SHOWN_LABEL.exec(before);
  if (m === null) return false;
  // the word before the verb ("it says", "tracking says", "still says", "you said")
  const words = before
    .slice(0, m.index + m[0].length)
    .trim()
    .split(/\s+/);
  const verbAt = words.length - 1;
  const subject = (words[verbAt - 1] ?? '').replace(/[^a-z]/gi, '');
  if (PERSON_SAID.test(subject)) return false;
  return close <= 0 || !STOOD_FOR.test(text.slice(close, close + 40));
}

/** The index of the quote closing a short quoted span opened at i (1–6 words, no sentence end), or 0. */
function shortQuoteEnd(text: string, i: number, end: number): number {
  let words = 0;
  let inWord = false;
  const limit = Math.min(i + 60, end);
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 34 || c === 0x201d) return words >= 1 && words <= 6 ? j : 0;
    if (c === 46 || c === 33 || c === 63 || c === 10) return 0;
    const w = isWordCode(c);
    if (w && !inWord) words++;
    inWord = w || c === 39 || c === 0x2019;
  }
  return 0;
}

/**
 * The index of the single quote closing a short span opened at i ("the 'express' option", "'Soon'."):
 * 1–6 words, no sentence end; an apostrophe inside a word ("don't") does not close it. Or 0.
 */
function shortSingleQuoteEnd(text: string, i: number, end: number): number {
  let words = 0;
  let inWord = false;
  const limit = Math.min(i + 60, end);
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if ((c === 39 || c === 0x2019) && inWord && (j + 1 >= end || !isWordCode(text.charCodeAt(j + 1)))) return words >= 1 && words <= 6 ? j : 0;
    if (c === 46 || c === 33 || c === 63 || c === 10 || c === 34) return 0;
    const w = isWordCode(c);
    if (w && !inWord) words++;
    inWord = w || ((c === 39 || c === 0x2019) && inWord);
  }
  return 0;
}

/** Appends a token and its hash and table entry (hash 0: a marker, no entry). */
function pushToken<E>(toks: string[], hashes: number[], ents: (E | undefined)[], table: WordTable<E> | undefined, t: string, hash?: number): void {
  if (hash === 0) {
    toks.push(t);
    hashes.push(0);
    if (table !== undefined) ents.push(undefined);
    return;
  }
  const h = hashWord(t);
  toks.push(t);
  hashes.push(h);
  if (table !== undefined) ents.push(table.get(t, h));
}

export function tokenize<E = unknown>(text: string, maxChars = 4000, table?: WordTable<E>): TokenStream<E> {
  const toks: string[] = [];
  const hashes: number[] = [];
  const ents: (E | undefined)[] = [];
  let capsIdx: number[] | null = null;
  let capsWords = 0;
  let lowerWords = 0;
  let oddSpace = false;
  const end = Math.min(text.length, maxChars);
  let i = 0;
  let quoted = 0;
  let quoteClose = -1;
  let punctRun = 0; // consecutive identical ! or ? markers
  let lastPunct = 0;
  let lastSpace = -2;
  while (i < end) {
    const c = text.charCodeAt(i);
    const ascii = c < 128;
    if (ascii ? (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) : isWordCode(c)) {
      // read a word, with inner apostrophes; the FNV-1a hash of its lower case is computed on the way
      const wordStart = i;
      let start = i;
      let hasUpper = false;
      let uppers = 0;
      let hasLower = false;
      let letters = 0;
      let word = '';
      let h = 0x811c9dc5 | 0;
      let rehash = false;
      let pendingClitic: string | null = null;
      /** the character that ended the word (read once; −1 at the end of the text) */
      let stop = -1;
      for (;;) {
        stop = -1;
        while (i < end) {
          const d = text.charCodeAt(i);
          if (d >= 97 && d <= 122) {
            hasLower = true;
            letters++;
            h = Math.imul(h ^ d, 0x01000193);
          } else if (d >= 65 && d <= 90) {
            hasUpper = true;
            uppers++;
            letters++;
            h = Math.imul(h ^ (d + 32), 0x01000193);
          } else if (d >= 48 && d <= 57) {
            h = Math.imul(h ^ d, 0x01000193);
          } else if (d > 127 && isWordCode(d)) {
            letters++;
            rehash = true;
          } else {
            stop = d;
            break;
          }
          i++;
        }
        // apostrophe followed by a letter: clitic or inner apostrophe
        if (i + 1 < end && isApostrophe(stop) && isWordCode(text.charCodeAt(i + 1))) {
          rehash = true;
          let j = i + 1;
          while (j < end && isWordCode(text.charCodeAt(j))) j++;
          const suffix = text.slice(i + 1, j).toLowerCase();
          const stem = text.slice(start, i).toLowerCase();
          if (suffix === 't' && stem.endsWith('n')) {
            word += `${stem}t`;
            const d = text.charCodeAt(i + 1);
            if (d >= 65 && d <= 90) hasUpper = true;
            else hasLower = true;
            i = j;
            stop = j < end ? text.charCodeAt(j) : -1;
            break;
          }
          const clitic = CLITIC.get(suffix);
          if (clitic !== undefined) {
            word += stem;
            pendingClitic = clitic;
            i = j;
            break;
          }
          // o'clock, y'all, O'Brien → joined without the apostrophe
          word += stem;
          i++;
          start = i;
          continue;
        }
        // most words are already lower case ASCII: no case mapping needed
        const seg = text.slice(start, i);
        word += hasUpper || rehash ? seg.toLowerCase() : seg;
        break;
      }
      if (pendingClitic === null && i < end && start === wordStart) {
        const d = stop;
        // a URL, e-mail address or Windows path continues after the word
        if (d === 58 || d === 64 || d === 46 || d === 95 || d === 43 || d === 45) {
          const le = linkAfterWord(text, wordStart, i, end);
          if (le > 0) {
            pushToken(toks, hashes, ents, table, linkKind);
            i = le;
            punctRun = 0;
            lastPunct = 0;
            continue;
          }
        }
      }
      if (uppers >= 2 && hasLower && !rehash && letters >= 4 && segVocab !== null) {
        // glued camel case: "NeverAgain" → "never again" when every part is a known word
        const parts = camelParts(text, wordStart, i, word);
        if (parts !== null) {
          for (const part of parts) pushToken(toks, hashes, ents, table, part);
          lowerWords += parts.length;
          punctRun = 0;
          lastPunct = 0;
          continue;
        }
      }
      if (word.length > 0) {
        if (hasUpper && !hasLower && letters >= 2) {
          capsWords++;
          (capsIdx ??= []).push(toks.length);
        } else if (hasLower) lowerWords++;
        if (rehash) h = hashWord(word);
        if (table !== undefined) {
          // a known word is handed out as the table's own string (see internalise in wordtable.ts)
          const slot = table.slotOf(word, h);
          if (slot < 0) ents.push(undefined);
          else {
            word = table.keyAt(slot);
            ents.push(table.valueAt(slot));
          }
        }
        toks.push(word);
        hashes.push(h);
      }
      if (pendingClitic !== null) {
        const h = hashWord(pendingClitic);
        toks.push(pendingClitic);
        hashes.push(h);
        if (table !== undefined) ents.push(table.get(pendingClitic, h));
      }
      punctRun = 0;
      lastPunct = 0;
      continue;
    }
    if (c === 32) {
      // leading, trailing or doubled
      if (i === 0 || i + 1 === end || lastSpace === i - 1) oddSpace = true;
      lastSpace = i;
      i++;
      continue;
    }
    if (isUnusualSpace(c)) {
      oddSpace = true;
    }
    // a single quote opening a short span at a word start: scare quotes too (counted, then read as before)
    if ((c === 39 || c === 0x2018) && i > quoteClose && (i === 0 || !isWordCode(text.charCodeAt(i - 1))) && i + 1 < end && isWordCode(text.charCodeAt(i + 1))) {
      const close = shortSingleQuoteEnd(text, i, end);
      if (close > 0) {
        if (!chosenLabel(text, i, close)) quoted++;
        quoteClose = close;
      }
    }
    if ((c === 34 || c === 0x201c) && i !== quoteClose) {
      const close = shortQuoteEnd(text, i, end);
      if (close > 0) {
        if (!chosenLabel(text, i, close)) quoted++;
        quoteClose = close;
      }
      i++;
      continue;
    }
    if (c === 35 || c === 64 || c === 47) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 32;
      if (!isWordCode(prev) && isWordCode(next)) {
        if (c === 35 && next >= 48 && next <= 57) {
          // an order number: "#1042", "#A-1042"
          let j = i + 1;
          while (j < end && (isWordCode(text.charCodeAt(j)) || (text.charCodeAt(j) === 45 && j + 1 < end && isWordCode(text.charCodeAt(j + 1))))) j++;
          pushToken(toks, hashes, ents, table, text.slice(i, j).toLowerCase());
          i = j;
          punctRun = 0;
          lastPunct = 0;
          continue;
        }
        if (c === 35) {
          // a hashtag: its words
          let j = i + 1;
          while (j < end && (isWordCode(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
          // a hashtag is a clause of its own: "#neveragain #horribleservice" must not negate across
          const prev = toks.length > 0 ? toks[toks.length - 1]! : '.';
          if (prev !== ',' && prev !== '.' && prev !== '!' && prev !== '?') pushToken(toks, hashes, ents, table, ',', 0);
          for (const part of hashtagWords(text.slice(i + 1, j))) pushToken(toks, hashes, ents, table, part);
          pushToken(toks, hashes, ents, table, ',', 0);
          lowerWords++;
          i = j;
          punctRun = 0;
          lastPunct = 0;
          continue;
        }
        if (c === 64) {
          // a mention: "@acme"
          let j = i + 1;
          while (j < end && (isWordCode(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
          pushToken(toks, hashes, ents, table, text.slice(i, j).toLowerCase());
          i = j;
          punctRun = 0;
          lastPunct = 0;
          continue;
        }
        // a path: "/orders/1042"
        pushToken(toks, hashes, ents, table, LINK_PATH);
        i = linkEnd(text, i, end);
        punctRun = 0;
        lastPunct = 0;
        continue;
      }
    }
    // emoticons before punctuation
    if (c === 58 || c === 59 || c === 61 || c === 60 || c === 62) {
      const n = emoticonAt(text, i, end);
      if (n > 0) {
        const raw = text.slice(i, i + n);
        const emo = NORMALISED_EMOTICON[raw] ?? raw;
        const h = hashWord(emo);
        toks.push(emo);
        hashes.push(h);
        if (table !== undefined) ents.push(table.get(emo, h));
        i += n;
        punctRun = 0;
        lastPunct = 0;
        continue;
      }
    }
    // surrogate pair: emoji (skin tones / variation selectors are separate, unscored)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const emoji = text.slice(i, i + 2);
      const h = hashWord(emoji);
      toks.push(emoji);
      hashes.push(h);
      if (table !== undefined) ents.push(table.get(emoji, h));
      i += 2;
      punctRun = 0;
      lastPunct = 0;
      continue;
    }
    i++;
    if (c >= 0x2190 && c <= 0x2bff) {
      const sym = text[i - 1]!;
      const h = hashWord(sym);
      toks.push(sym);
      hashes.push(h);
      if (table !== undefined) ents.push(table.get(sym, h));
      continue;
    }
    if (c === 33 || c === 63) {
      // "!" / "?": one marker per character, at most 4 in a row
      if (lastPunct === c) {
        if (punctRun >= 4) continue;
        punctRun++;
      } else {
        punctRun = 1;
        lastPunct = c;
      }
      toks.push(c === 33 ? '!' : '?');
      hashes.push(0);
      if (table !== undefined) ents.push(undefined);
      continue;
    }
    let mark: string;
    if (c === 46 || c === 10 || c === 0x2026) mark = '.';
    else if (c === 44 || c === 59 || c === 58 || c === 0x2013 || c === 0x2014 || c === 40 || c === 41) mark = ',';
    else continue;
    // collapse runs of "." and ","
    const prev = toks.length > 0 ? toks[toks.length - 1] : undefined;
    punctRun = 0;
    lastPunct = 0;
    if (prev === mark || (mark === ',' && (prev === '.' || prev === '!' || prev === '?'))) continue;
    if (mark === '.' && prev === ',') {
      toks[toks.length - 1] = '.';
      continue;
    }
    toks.push(mark);
    hashes.push(0);
    if (table !== undefined) ents.push(undefined);
  }
  let caps = NO_CAPS;
  if (capsIdx !== null) {
    caps = new Uint8Array(toks.length);
    for (const k of capsIdx) caps[k] = 1;
  }
  return { toks, hashes, ents, caps, capsWords, lowerWords, oddSpace, quoted, facts: undefined };
}

/** Lower-cased word tokens of a phrase, for compiling keyword lists (same normalisation as text). */
export function phraseWords(phrase: string): string[] {
  return wordsOf(tokenize(phrase, 1000));
}

/** Whitespace (or a control character) other than the plain space: text with it is collapsed before display. */
export function isUnusualSpace(c: number): boolean {
  return (
    c < 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
