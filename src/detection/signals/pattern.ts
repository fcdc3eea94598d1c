/**
 * A small phrase-pattern language over a message's tokens, compiled to regular expressions.
 *
 * The text matched is `tokenText(toks)`: the tokenizer's tokens (lower case, apostrophes removed —
 * "won't" → "wont", "I'm" → "i am") joined by single spaces, with the punctuation markers
 * ". , ! ?" kept as tokens, so a pattern never runs across a sentence or clause break unless it says so.
 *
 * Pattern syntax, tokens separated by spaces:
 *   word        that word               a|b|c     any of them
 *   word?       optional                (a|b)?    optional alternatives
 *   burn*       a word starting so      ~N        a gap of 0..N words (never a marker)
 *   #num        a number ("2", "12k", "two", "a few")   $          the end of a sentence (. ! ? or the end)
 */

import { STOP } from '../repetition.ts';
import { hashWord, WordTable } from '../wordtable.ts';

const GAP_WORD = '[^ .,!?]+ ';
const NUMBER = '(?:\\d[\\d.,]*k? |a few |a couple of |several |one |two |three |four |five |six |seven |eight |nine |ten |twelve |twenty |a |an )';

/** Splits a pattern into its tokens: spaces inside parentheses do not split ("(power bank|phone)"). */
export function splitTokens(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of pattern.trim()) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** One token to regex: groups become non-capturing, "word*" a prefix, the rest is regex already. */
function translate(token: string): string {
  let out = '';
  for (let k = 0; k < token.length; k++) {
    const ch = token[k]!;
    if (ch === '(') out += '(?:';
    else if (ch === '*' && /[a-z]/.test(token[k - 1] ?? '')) out += '[^ .,!?]*';
    else out += ch;
  }
  return token.includes('|') && !token.startsWith('(') ? `(?:${out})` : out;
}

/** Compiles one pattern to a regular expression source (without delimiters). */
export function patternSource(pattern: string): string {
  let src = ' ';
  for (const raw of splitTokens(pattern)) {
    const gap = /^~(\d+)$/.exec(raw);
    if (gap) {
      src += `(?:${GAP_WORD}){0,${gap[1]}}`;
      continue;
    }
    if (raw === '$') {
      src += '(?:[.!?] |$)';
      continue;
    }
    let t = raw;
    let optional = false;
    if (t.endsWith('?') && t.length > 1) {
      optional = true;
      t = t.slice(0, -1);
    }
    if (t === '#num') {
      src += optional ? `${NUMBER}?` : NUMBER;
      continue;
    }
    const a = translate(t);
    src += optional ? `(?:${a} )?` : `${a} `;
  }
  return src;
}

/** One regular expression matching any of the patterns (raw regex sources start with "re:"). */
export function compilePatterns(patterns: readonly string[]): RegExp {
  const sources = patterns.map((p) => (p.startsWith('re:') ? p.slice(3) : patternSource(p)));
  return new RegExp(sources.map((s) => `(?:${s})`).join('|'));
}

/**
 * One global regular expression for several tagged pattern lists: `matchTagged(re, text)` lists the
 * tags found, in order, each with its first match — one scan of the text for all of them.
 */
export interface TaggedRegExp<T> {
  re: RegExp;
  tags: readonly T[];
  /** the group (index into tags) of each pattern, the groups' lists one after the other (the order of a gate compiled from them) */
  groupOf: readonly number[];
  /** each pattern alone (global), for the patterns a gate left open */
  one: readonly RegExp[];
}

export function compileTagged<T>(groups: readonly (readonly [T, readonly string[]])[]): TaggedRegExp<T> {
  const sources: string[] = [];
  const groupOf: number[] = [];
  groups.forEach(([, patterns], g) => {
    for (const p of patterns) {
      sources.push(`(?:${p.startsWith('re:') ? p.slice(3) : patternSource(p)})`);
      groupOf.push(g);
    }
  });
  const parts: string[] = [];
  let cur = -1;
  let alts: string[] = [];
  const flush = (): void => {
    if (cur >= 0) parts.push(`(${alts.join('|')})`);
  };
  sources.forEach((source, p) => {
    if (groupOf[p] !== cur) {
      flush();
      cur = groupOf[p]!;
      alts = [];
    }
    alts.push(source);
  });
  flush();
  return {
    re: new RegExp(parts.join('|'), 'g'),
    tags: groups.map(([t]) => t),
    groupOf,
    one: sources.map((source) => new RegExp(source, 'g')),
  };
}

// matchTagged's state per open pattern: where its next match starts (-1: not looked for yet,
// MAX_SAFE_INTEGER: none) and the text it matched; module scratch, as matchTagged does not nest
let openAt: number[] = [];
let nextAt: number[] = [];
let nextText: string[] = [];

/** The pattern indexes of an openPatterns() key ("3,17") into openAt; returns how many. */
function readOpenKey(key: string): number {
  let n = 0;
  let v = 0;
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    if (c === 44) {
      openAt[n++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  openAt[n++] = v;
  return n;
}

/**
 * `open`: the openPatterns() of the gate compiled from the same pattern lists, for the tokens of this
 * text (null: none can match; undefined: try them all).
 *
 * The open patterns run one by one, each its own expression, and their matches are merged as the
 * combined expression would find them: the leftmost start first, the earlier pattern on a tie, the
 * next search from the last character of that match. Why not one expression of the open patterns,
 * cached by set (until session 43): the detector ran 7× faster with it than with the expression of
 * all patterns, but a message whose set of open patterns was new paid for compiling an expression
 * (about 1.3 ms), and varied traffic kept meeting new sets (3,502 among the 7,935 conversations of
 * the test fixtures). Each pattern's own expression is compiled once in the life of the process.
 */
export function matchTagged<T>(t: TaggedRegExp<T>, text: string, out: { tag: T; match: string; at: number }[], open?: string | null): void {
  if (open === null) return;
  if (open === undefined) {
    matchAll(t, text, out);
    return;
  }
  if (openAt.length < t.one.length) {
    openAt = new Array<number>(t.one.length).fill(0);
    nextAt = new Array<number>(t.one.length).fill(0);
    nextText = new Array<string>(t.one.length).fill('');
  }
  const n = readOpenKey(open);
  for (let k = 0; k < n; k++) nextAt[k] = -1;
  let from = 0;
  for (;;) {
    let best = -1;
    let bestAt = Number.MAX_SAFE_INTEGER;
    for (let k = 0; k < n; k++) {
      // a match found from an earlier position that still starts at or after `from` is this pattern's next one
      if (nextAt[k]! < from) {
        const re = t.one[openAt[k]!]!;
        re.lastIndex = from;
        const m = re.exec(text);
        nextAt[k] = m === null ? Number.MAX_SAFE_INTEGER : m.index;
        nextText[k] = m === null ? '' : m[0];
      }
      if (nextAt[k]! < bestAt) {
        bestAt = nextAt[k]!;
        best = k;
      }
    }
    if (best < 0) return;
    const tag = t.tags[t.groupOf[openAt[best]!]!]!;
    const match = nextText[best]!;
    addFirst(out, tag, match, bestAt);
    // patterns end with a space that the next one may need: step back onto it
    from = bestAt + match.length - 1;
    if (from <= bestAt) from = bestAt + 1;
  }
}

/** Every pattern, through the one expression of them all. */
function matchAll<T>(t: TaggedRegExp<T>, text: string, out: { tag: T; match: string; at: number }[]): void {
  const re = t.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    for (let g = 1; g < m.length; g++) {
      if (m[g] === undefined) continue;
      addFirst(out, t.tags[g - 1]!, m[g]!, m.index);
      break;
    }
    // on from the match's last character, as matchTagged
    re.lastIndex = m.index + m[0].length - 1;
    if (re.lastIndex <= m.index) re.lastIndex = m.index + 1;
  }
}

/** Records a tag's match unless the tag was found already. */
function addFirst<T>(out: { tag: T; match: string; at: number }[], tag: T, match: string, at: number): void {
  for (const o of out) if (o.tag === tag) return;
  out.push({ tag, match: match.trim(), at });
}

/** ".", "!" or "?" at position k of text (false outside it); a char code, not a one-letter string and a regular expression */
export function isSentenceMark(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  return c === 46 || c === 33 || c === 63;
}

/** ".", "!", "?", "," or ";" at position k of text */
export function isClauseMark(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  return c === 46 || c === 33 || c === 63 || c === 44 || c === 59;
}

/** The text patterns match: tokens joined by spaces, with a leading and a trailing space. */
export function tokenText(toks: readonly string[]): string {
  return ` ${toks.join(' ')} `;
}

const QUESTION_WORDS = new Set([
  'is',
  'are',
  'am',
  'do',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'should',
  'shall',
  'may',
  'what',
  'which',
  'how',
  'when',
  'where',
  'why',
  'who',
  'whats',
  'hows',
  'any',
  'has',
  'have',
  'was',
  'were',
]);

/**
 * True when position `at` of a tokenText lies in a sentence that is a question opened by a question
 * word ("is the paint toxic?", "how do I return it?"), as opposed to a statement ending in "?"
 * ("my kid swallowed a magnet?!").
 */
export function inQuestion(text: string, at: number): boolean {
  let start = at;
  while (start > 0) {
    const c = text.charCodeAt(start - 1);
    if ((c === 46 || c === 33 || c === 63) && text.charCodeAt(start) === 32) break;
    start--;
  }
  let end = at;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if ((c === 46 || c === 33 || c === 63) && text.charCodeAt(end - 1) === 32) break;
    end++;
  }
  if (end >= text.length || text.charCodeAt(end) !== 63) return false;
  let k = start;
  while (k < end && text.charCodeAt(k) === 32) k++;
  let w = k;
  while (w < end && text.charCodeAt(w) !== 32) w++;
  let first = text.slice(k, w);
  // "hi, is it safe …", "sorry, does it …", "and is it …"
  if ((first === 'hi' || first === 'hello' || first === 'sorry' || first === 'and' || first === 'so' || first === 'also' || first === 'ok') && w + 3 < end) {
    let k2 = w + 1;
    if (text.charCodeAt(k2) === 44) k2 += 2;
    let w2 = k2;
    while (w2 < end && text.charCodeAt(w2) !== 32) w2++;
    const opener = first;
    first = text.slice(k2, w2);
    // "so no refund to card for sale stuff?": checking what the answer means ("so no one …?" stays a complaint asked)
    if (opener === 'so' && first === 'no' && !text.startsWith(' one ', w2)) return true;
  }
  return QUESTION_WORDS.has(first);
}

/**
 * A cheap necessary condition for a list of patterns, checked on the tokens before building the text
 * and running the regular expression: every pattern needs one word of each of its required tokens
 * (a token that is not optional, not a gap or a number, and made only of literal word alternatives,
 * of which the first word counts). A raw "re:" pattern is not analysed: what it needs is given, in
 * order, as a pattern of the same language ("it|its|today now": one of it/its/today, and "now").
 */
export interface PatternGate {
  /** word → the (pattern, requirement) pairs it satisfies, as pattern * 32 + requirement */
  words: WordTable<number[]>;
  /** per pattern: the bits of all its requirements (0: no requirement, always possible) */
  full: Uint32Array;
  /** some pattern needs no word: the gate is always open */
  always: boolean;
  /** the patterns that need no word, ascending */
  free: readonly number[];
  /**
   * the words of one requirement per pattern (its least common one): a text without any of them
   * meets no pattern, so most texts are turned away by one look-up per token, without the lists of `words`
   */
  anchors: WordTable<true>;
}

/** how common a word is in messages, roughly: stop words and short words are met everywhere */
function commonness(word: string): number {
  return STOP.has(word) ? 100 : word.length <= 3 ? 4 : 1;
}

const LITERAL_TOKEN = /^\(?[a-z0-9' ]+(?:\|[a-z0-9' ]+)*\)?$/;

export function compileGate(patterns: readonly string[], reNeeds: readonly string[]): PatternGate {
  const words = new WordTable<number[]>(256);
  const full = new Uint32Array(patterns.length);
  const anchors = new WordTable<true>(64);
  let re = 0;
  const add = (p: number, req: number, word: string): void => {
    let list = words.get(word);
    if (list === undefined) words.set(word, (list = []));
    if (list.indexOf(p * 32 + req) < 0) list.push(p * 32 + req);
  };
  patterns.forEach((pattern, p) => {
    const reqs: string[][] = [];
    const source = pattern.startsWith('re:') ? reNeeds[re++] : pattern;
    if (source === undefined) throw new Error(`compileGate: no needed words for ${pattern}`);
    for (const tok of splitTokens(source)) {
      if (tok.endsWith('?') || !LITERAL_TOKEN.test(tok)) continue;
      const alts = tok.replace(/^\(|\)$/g, '').split('|');
      if (alts.some((a) => a.trim() === '')) continue;
      reqs.push(alts.map((a) => a.trim().split(' ')[0]!));
    }
    if (reqs.length > 32) reqs.length = 32;
    let anchor: string[] | null = null;
    let anchorCost = 0;
    for (const alts of reqs) {
      let cost = 0;
      for (const w of alts) cost += commonness(w);
      if (anchor === null || cost < anchorCost) {
        anchor = alts;
        anchorCost = cost;
      }
    }
    if (anchor !== null) for (const w of anchor) anchors.set(w, true);
    reqs.forEach((alts, r) => {
      full[p] = (full[p]! | (1 << r)) >>> 0;
      for (const w of alts) add(p, r, w);
    });
  });
  if (re !== reNeeds.length) throw new Error('compileGate: more needed-word lists than raw patterns');
  const free: number[] = [];
  full.forEach((bits, p) => {
    if (bits === 0) free.push(p);
  });
  return { words, full, always: free.length > 0, free, anchors };
}

// per pattern: the requirements met so far, valid when gateStamp[p] === stamp (no clearing per call)
let gateSeen = new Uint32Array(256);
let gateStamp = new Uint32Array(256);
let stamp = 0;

/** Starts a new pass over a gate of n patterns: a fresh stamp instead of clearing what was seen. */
function nextStamp(n: number): void {
  if (n > gateSeen.length) {
    gateSeen = new Uint32Array(n * 2);
    gateStamp = new Uint32Array(n * 2);
  }
  if (++stamp === 0x100000000) {
    gateStamp.fill(0);
    stamp = 1;
  }
}

/**
 * The patterns of the gate that may match a text made of these tokens, as a key for matchTagged
 * ("3,17": their indexes, ascending), or null when none can.
 */
export function openPatterns(g: PatternGate, toks: readonly string[], hashes: readonly number[]): string | null {
  scanGate(g, toks, hashes);
  return openKey(g, 0, g.full.length);
}

/**
 * openPatterns() for a gate compiled from two pattern lists one after the other (the first `split`
 * patterns, then the rest), as if each list had its own gate: one pass over the tokens for both.
 */
export function openPatternsSplit(g: PatternGate, toks: readonly string[], hashes: readonly number[], split: number): [string | null, string | null] {
  scanGate(g, toks, hashes);
  return [openKey(g, 0, split), openKey(g, split, g.full.length)];
}

/** Whether a token is an anchor of the gate: false, and no pattern of the gate can be met. */
function anyAnchor(g: PatternGate, toks: readonly string[], hashes: readonly number[], withHashes: boolean): boolean {
  const anchors = g.anchors;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (anchors.get(t, withHashes ? hashes[i]! : hashWord(t)) !== undefined) return true;
  }
  return false;
}

/** Records in metPatterns, ascending, the patterns of the gate whose every requirement the tokens meet. */
function scanGate(g: PatternGate, toks: readonly string[], hashes: readonly number[]): void {
  const full = g.full;
  const withHashes = hashes.length === toks.length;
  // the patterns whose every requirement is met, in the order they were completed
  const met = metPatterns;
  met.length = 0;
  if (!anyAnchor(g, toks, hashes, withHashes)) return;
  nextStamp(full.length);
  const seen = gateSeen;
  const stamps = gateStamp;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const list = g.words.get(t, withHashes ? hashes[i]! : hashWord(t));
    if (list === undefined) continue;
    for (let k = 0; k < list.length; k++) {
      const x: number = list[k]!;
      const p = x >>> 5;
      const before = stamps[p] === stamp ? seen[p]! : 0;
      stamps[p] = stamp;
      const now = (before | (1 << (x & 31))) >>> 0;
      seen[p] = now;
      if (now === full[p] && before !== now) met.push(p);
    }
  }
  sortAscending(met);
}

/**
 * The open patterns among [from, to) after scanGate, numbered from `from`, as a matchTagged key
 * ("3,17"), or null when none is open: those it met and those that need no word.
 */
function openKey(g: PatternGate, from: number, to: number): string | null {
  const met = metPatterns;
  const free = g.free;
  let a = 0;
  let b = 0;
  while (a < met.length && met[a]! < from) a++;
  while (b < free.length && free[b]! < from) b++;
  let key: string | null = null;
  for (;;) {
    const m = a < met.length && met[a]! < to ? met[a]! : -1;
    const f = b < free.length && free[b]! < to ? free[b]! : -1;
    if (m < 0 && f < 0) return key;
    let p: number;
    if (f < 0 || (m >= 0 && m < f)) {
      p = m;
      a++;
    } else {
      p = f;
      b++;
    }
    key = key === null ? `${p - from}` : `${key},${p - from}`;
  }
}

const metPatterns: number[] = [];

/** Ascending insertion sort, for the few numbers it is used on (patterns a message opens, message indexes): Array#sort's comparator calls cost more. */
export function sortAscending(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** False when none of the gate's patterns can match a text made of these tokens. */
export function gateOpen(g: PatternGate, toks: readonly string[], hashes: readonly number[]): boolean {
  if (g.always) return true;
  const withHashes = hashes.length === toks.length;
  if (!anyAnchor(g, toks, hashes, withHashes)) return false;
  const full = g.full;
  nextStamp(full.length);
  const seen = gateSeen;
  const stamps = gateStamp;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const list = g.words.get(t, withHashes ? hashes[i]! : hashWord(t));
    if (list === undefined) continue;
    for (let k = 0; k < list.length; k++) {
      const x: number = list[k]!;
      const p = x >>> 5;
      const before = stamps[p] === stamp ? seen[p]! : 0;
      stamps[p] = stamp;
      const now = (before | (1 << (x & 31))) >>> 0;
      seen[p] = now;
      if (now === full[p]) return true;
    }
  }
  return false;
}
