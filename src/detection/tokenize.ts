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
 * - `caps[i]` is 1 for a word written in capitals (≥ 2 letters, no lower case), e.g. "NEVER".
 * - `wordsOf(ts)`: the word tokens only (no markers, emoticons or emoji).
 *
 * The tokenizer reads at most `maxChars` characters of the text (callers cap the work).
 */

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
}

const NO_CAPS = new Uint8Array(0);

/** True for a word token (letters/digits), false for markers, emoticons and emoji. */
export function isWordToken(t: string): boolean {
  const c = t.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2190) || (c > 0x2bff && (c < 0xd800 || c > 0xdfff));
}

/** The word tokens of a stream, in order. */
export function wordsOf(ts: TokenStream<unknown>): string[] {
  const out: string[] = [];
  const toks = ts.toks;
  for (let i = 0; i < toks.length; i++) if (isWordToken(toks[i]!)) out.push(toks[i]!);
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
  // "8D" or "8)" in "model 8)" is rare; require ":" ";" "=" eyes for letter mouths after digit eyes
  if (c === '8' && (m === 'D' || m === 'P' || m === 'p' || m === 'o' || m === 'O')) return 0;
  // a letter mouth must not continue a word (":Do" in "note:Do this")
  if ((m === 'D' || m === 'P' || m === 'p' || m === 'o' || m === 'O') && j + 1 < end && isWordCode(text.charCodeAt(j + 1))) return 0;
  // "8" as eyes only when it is not part of a number
  if (c === '8' && i > 0 && isWordCode(text.charCodeAt(i - 1))) return 0;
  return j + 1 - i;
}

const NORMALISED_EMOTICON: Record<string, string> = {
  ':)': ':)', ':-)': ':)', '=)': ':)', ':]': ':)', ':^)': ':)', ':o)': ':)', '8)': ':)', ':}': ':)',
  ':D': ':D', ':-D': ':D', '=D': ':D', '8D': ':D',
  ';)': ';)', ';-)': ';)', ';D': ';)',
  ':P': ':P', ':-P': ':P', ':p': ':P', ':-p': ':P', ';P': ':P', ';p': ':P', '=P': ':P',
  ':(': ':(', ':-(': ':(', '=(': ':(', ':[': ':(', ':{': ':(', '>:(': '>:(', '>:-(': '>:(', ":'(": ":'(", ":'-(": ":'(",
  ':/': ':/', ':-/': ':/', ':\\': ':/', ':-\\': ':/', '=/': ':/', ':|': ':|', ':-|': ':|',
  ':O': ':O', ':-O': ':O', ':o': ':O', ':-o': ':O', ':@': '>:(', ':*': ':*', ':-*': ':*',
  '<3': '<3', '</3': '</3',
};

export function tokenize<E = unknown>(text: string, maxChars = 4000, table?: WordTable<E>): TokenStream<E> {
  const toks: string[] = [];
  const hashes: number[] = [];
  const ents: (E | undefined)[] = [];
  let capsIdx: number[] | null = null;
  let capsWords = 0;
  let lowerWords = 0;
  let oddSpace = false;
  const end = text.length < maxChars ? text.length : maxChars;
  let i = 0;
  let punctRun = 0; // consecutive identical ! or ? markers
  let lastPunct = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    const ascii = c < 128;
    if (ascii ? (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) : isWordCode(c)) {
      // read a word, with inner apostrophes; the FNV-1a hash of its lower case is computed on the way
      let start = i;
      let hasUpper = false;
      let hasLower = false;
      let letters = 0;
      let word = '';
      let h = 0x811c9dc5 | 0;
      let rehash = false;
      let pendingClitic: string | null = null;
      for (;;) {
        while (i < end) {
          const d = text.charCodeAt(i);
          if (d >= 97 && d <= 122) {
            hasLower = true;
            letters++;
            h = Math.imul(h ^ d, 0x01000193);
          } else if (d >= 65 && d <= 90) {
            hasUpper = true;
            letters++;
            h = Math.imul(h ^ (d + 32), 0x01000193);
          } else if (d >= 48 && d <= 57) {
            h = Math.imul(h ^ d, 0x01000193);
          } else if (d > 127 && isWordCode(d)) {
            letters++;
            rehash = true;
          } else break;
          i++;
        }
        // apostrophe followed by a letter: clitic or inner apostrophe
        if (i + 1 < end && isApostrophe(text.charCodeAt(i)) && isWordCode(text.charCodeAt(i + 1))) {
          rehash = true;
          let j = i + 1;
          while (j < end && isWordCode(text.charCodeAt(j))) j++;
          const suffix = text.slice(i + 1, j).toLowerCase();
          const stem = text.slice(start, i).toLowerCase();
          if (suffix === 't' && stem.endsWith('n')) {
            word += stem + 't';
            const d = text.charCodeAt(i + 1);
            if (d >= 65 && d <= 90) hasUpper = true;
            else hasLower = true;
            i = j;
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
      if (word.length > 0) {
        if (hasUpper && !hasLower && letters >= 2) {
          capsWords++;
          (capsIdx ??= []).push(toks.length);
        } else if (hasLower) lowerWords++;
        if (rehash) h = hashWord(word);
        toks.push(word);
        hashes.push(h);
        if (table !== undefined) ents.push(table.get(word, h));
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
      if (i === 0 || i + 1 === end || text.charCodeAt(i + 1) === 32) oddSpace = true;
      i++;
      continue;
    }
    if (c < 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
      oddSpace = true;
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
  return { toks, hashes, ents, caps, capsWords, lowerWords, oddSpace };
}

/** Lower-cased word tokens of a phrase, for compiling keyword lists (same normalisation as text). */
export function phraseWords(phrase: string): string[] {
  return wordsOf(tokenize(phrase, 1000));
}
