/** Word-level phrase trie: phrases match whole words only (so "agent" never matches "reagent"). */
import { hashWord, WordTable } from './wordtable.ts';

export interface TrieNode<T> {
  next: WordTable<TrieNode<T>> | null;
  value: T | undefined;
}

export interface PhraseMatch<T> {
  /** index of the first word */
  start: number;
  /** number of words */
  len: number;
  value: T;
}

export class PhraseTrie<T> {
  private readonly root = new WordTable<TrieNode<T>>();
  private count = 0;
  /**
   * Bit (hashWord(w) & 31) set for every first word w: a word whose bit is clear starts no phrase,
   * so a caller holding the word's hash can skip rootNode() (most words of a text, for a few phrases).
   */
  firstWordBits = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a phrase (already tokenized); the first value added for a phrase wins. */
  add(words: readonly string[], value: T): void {
    if (words.length === 0) return;
    this.firstWordBits |= 1 << (hashWord(words[0]!) & 31);
    let node = this.root.get(words[0]!);
    if (!node) {
      node = { next: null, value: undefined };
      this.root.set(words[0]!, node);
    }
    for (let k = 1; k < words.length; k++) {
      const w = words[k]!;
      if (!node.next) node.next = new WordTable<TrieNode<T>>(4);
      let child: TrieNode<T> | undefined = node.next.get(w);
      if (!child) {
        child = { next: null, value: undefined };
        node.next.set(w, child);
      }
      node = child;
    }
    if (node && node.value === undefined) {
      node.value = value;
      this.count++;
    }
  }

  /** Leftmost-longest, non-overlapping matches in `words` (with their hashWord() when known), appended to `out`. */
  scan(words: readonly string[], out: PhraseMatch<T>[], hashes?: readonly number[]): void {
    const n = words.length;
    const root = this.root;
    for (let i = 0; i < n; i++) {
      let node = hashes === undefined ? root.get(words[i]!) : root.get(words[i]!, hashes[i]!);
      if (node === undefined) continue;
      let bestLen = 0;
      let best: T | undefined;
      let j = i;
      for (;;) {
        if (node.value !== undefined) {
          best = node.value;
          bestLen = j - i + 1;
        }
        if (node.next === null || j + 1 >= n) break;
        const nx: TrieNode<T> | undefined = hashes === undefined ? node.next.get(words[j + 1]!) : node.next.get(words[j + 1]!, hashes[j + 1]!);
        if (nx === undefined) break;
        node = nx;
        j++;
      }
      if (bestLen > 0) {
        out.push({ start: i, len: bestLen, value: best as T });
        i += bestLen - 1;
      }
    }
  }

  /** The node of phrases starting with `word`, if any. */
  rootNode(word: string, hash?: number): TrieNode<T> | undefined {
    return hash === undefined ? this.root.get(word) : this.root.get(word, hash);
  }

  /** Value of the last successful longestFrom(). */
  lastValue: T | undefined = undefined;

  /**
   * Length (in words) of the longest phrase starting at words[i], whose first word's node is `node`
   * (0 when none); its value is left in `lastValue`.
   */
  longestFrom(node: TrieNode<T>, words: readonly string[], i: number, hashes?: readonly number[]): number {
    const n = words.length;
    let bestLen = 0;
    let j = i;
    for (;;) {
      if (node.value !== undefined) {
        this.lastValue = node.value;
        bestLen = j - i + 1;
      }
      if (node.next === null || j + 1 >= n) break;
      const w = words[j + 1]!;
      const nx: TrieNode<T> | undefined = hashes === undefined ? node.next.get(w) : node.next.get(w, hashes[j + 1]!);
      if (nx === undefined) break;
      node = nx;
      j++;
    }
    return bestLen;
  }

  /** The first word of every phrase. */
  firstWords(): IterableIterator<string> {
    return this.root.keysIter();
  }
}
