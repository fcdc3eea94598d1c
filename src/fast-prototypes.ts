/**
 * V8 turns a built-in prototype into a slow (dictionary-mode) object when a class extends it, and
 * leaves it so until an object that inherits from it gets a property of its own. ioredis defines
 * `class VerbatimString extends String` when it is imported and rarely makes one, so in our processes
 * String.prototype stayed slow for good, and every string method call in optimised code went through a
 * generic property lookup: the detector ran three times slower in the service than in a loop (about
 * 75 against 25 µs for the benchmark's conversation). A property set on a fresh object of each built-in
 * prototype makes them fast again. Called after the imports, before the hot code is compiled.
 */
export function restoreFastPrototypes(): void {
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const builtIn = Object.getOwnPropertyDescriptor(globalThis, name)?.value;
    const prototype: unknown = typeof builtIn === 'function' ? builtIn.prototype : undefined;
    if (prototype === null || typeof prototype !== 'object') continue;
    const heir = Object.create(prototype) as Record<string, unknown>;
    heir.fastAgain = true;
  }
}
