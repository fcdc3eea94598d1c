/** Word-level phrase trie: phrases match whole words only (so "agent" never matches "reagent"). */

export interface TrieNode<T> {
  next: Map<string, TrieNode<T>> | null;
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
  private readonly root = new Map<string, TrieNode<T>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a phrase (already tokenized); the first value added for a phrase wins. */
  add(words: readonly string[], value: T): void {
    if (words.length === 0) return;
    let map = this.root;
    let node: TrieNode<T> | undefined;
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      node = map.get(w);
      if (!node) {
        node = { next: null, value: undefined };
        map.set(w, node);
      }
      if (k < words.length - 1) {
        if (!node.next) node.next = new Map();
        map = node.next;
      }
    }
    if (node && node.value === undefined) {
      node.value = value;
      this.count++;
    }
  }

  /** Leftmost-longest, non-overlapping matches in `words`, appended to `out`. */
  scan(words: readonly string[], out: PhraseMatch<T>[]): void {
    const n = words.length;
    const root = this.root;
    for (let i = 0; i < n; i++) {
      let node = root.get(words[i]!);
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
        const nx: TrieNode<T> | undefined = node.next.get(words[j + 1]!);
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
  rootNode(word: string): TrieNode<T> | undefined {
    return this.root.get(word);
  }

  /** Value of the last successful longestFrom(). */
  lastValue: T | undefined = undefined;

  /**
   * Length (in words) of the longest phrase starting at words[i], whose first word's node is `node`
   * (0 when none); its value is left in `lastValue`.
   */
  longestFrom(node: TrieNode<T>, words: readonly string[], i: number): number {
    const n = words.length;
    let bestLen = 0;
    let j = i;
    for (;;) {
      if (node.value !== undefined) {
        this.lastValue = node.value;
        bestLen = j - i + 1;
      }
      if (node.next === null || j + 1 >= n) break;
      const nx: TrieNode<T> | undefined = node.next.get(words[j + 1]!);
      if (nx === undefined) break;
      node = nx;
      j++;
    }
    return bestLen;
  }

  /** The first word of every phrase. */
  firstWords(): IterableIterator<string> {
    return this.root.keys();
  }

  /** True when any phrase occurs in `words`. */
  has(words: readonly string[]): boolean {
    const out: PhraseMatch<T>[] = [];
    this.scan(words, out);
    return out.length > 0;
  }
}
