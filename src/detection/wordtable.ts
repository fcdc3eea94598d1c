/**
 * A string-keyed hash table whose hash the tokenizer computes while it reads each word, so a look-up
 * costs one probe and one string comparison instead of hashing a freshly sliced string (which
 * dominated the detector's profile with a Map).
 */

/** FNV-1a over UTF-16 code units, as a 32-bit integer. */
export function hashWord(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h;
}

/**
 * The engine's internalised copy of a string (an object key is internalised): equal internalised
 * strings are one object, so comparing them is one pointer comparison and their engine hash is
 * computed once. tokenize() hands out the table's keys as tokens for this reason (keyAt).
 */
function internalise(s: string): string {
  // a dictionary-mode object: a fresh object per key would give each key a hidden class of its own
  INTERNING[s] = true;
  let out = s;
  for (const k in INTERNING) out = k;
  delete INTERNING[s];
  return out;
}
const INTERNING: Record<string, true> = Object.create(null);

export class WordTable<V> {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private vals: (V | undefined)[];
  /** 1 where keys[slot] has been internalised (keyAt: on first use, so building a table costs nothing more) */
  private interned: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap * 3 < capacity * 4) cap *= 2;
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
    this.interned = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get(key: string, hash: number = hashWord(key)): V | undefined {
    // slots store the hash with 0 meaning empty, so most misses touch only the compact hash array
    const hh = hash === 0 ? 1 : hash;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = hh & mask;
    for (;;) {
      const x = hashes[i]!;
      if (x === 0) return undefined;
      if (x === hh && this.keys[i] === key) return this.vals[i];
      i = (i + 1) & mask;
    }
  }

  /** The slot holding key (for keyAt / valueAt), or −1. */
  slotOf(key: string, hash: number): number {
    const hh = hash === 0 ? 1 : hash;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = hh & mask;
    for (;;) {
      const x = hashes[i]!;
      if (x === 0) return -1;
      if (x === hh && this.keys[i] === key) return i;
      i = (i + 1) & mask;
    }
  }

  /** The key stored in a slot: the table's own internalised copy of the string looked up. */
  keyAt(slot: number): string {
    if (this.interned[slot] === 1) return this.keys[slot]!;
    const k = internalise(this.keys[slot]!);
    this.keys[slot] = k;
    this.interned[slot] = 1;
    return k;
  }

  valueAt(slot: number): V {
    return this.vals[slot] as V;
  }

  has(key: string, hash: number = hashWord(key)): boolean {
    return this.get(key, hash) !== undefined;
  }

  set(key: string, value: V, hash: number = hashWord(key)): void {
    if ((this.count + 1) * 4 > this.keys.length * 3) this.grow(); // load ≤ 0.75
    const hh = hash === 0 ? 1 : hash;
    const keys = this.keys;
    const mask = this.mask;
    let i = hh & mask;
    for (;;) {
      const x = this.hashes[i]!;
      if (x === 0) {
        keys[i] = key;
        this.hashes[i] = hh;
        this.vals[i] = value;
        this.count++;
        return;
      }
      if (x === hh && keys[i] === key) {
        this.vals[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  clear(): void {
    this.keys.fill(undefined);
    this.vals.fill(undefined);
    this.hashes.fill(0);
    this.interned.fill(0);
    this.count = 0;
  }

  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i];
      if (k !== undefined) yield [k, this.vals[i] as V];
    }
  }

  *keysIter(): IterableIterator<string> {
    for (const k of this.keys) if (k !== undefined) yield k;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldHashes = this.hashes;
    const cap = oldKeys.length * 2;
    this.keys = new Array<string | undefined>(cap).fill(undefined);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.hashes = new Int32Array(cap);
    this.interned = new Uint8Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k !== undefined) this.set(k, oldVals[i] as V, oldHashes[i]!);
    }
  }
}
