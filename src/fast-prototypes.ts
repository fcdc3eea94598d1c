/**
 * V8 turns a built-in prototype into a slow (dictionary-mode) object when a class extends it, and
 * leaves it so until an object that inherits from it gets a property of its own. ioredis defines
 * `class VerbatimString extends String` when it is imported and rarely makes one: in the worker
 * String.prototype stayed slow for good (the API's first requests happened to make it fast again), and
 * while it is slow every string method call in optimised code takes a generic property lookup — the
 * detector, timed in one process with and without ioredis imported: 32k against 50k conversations/s.
 * A property set on a fresh object of each built-in prototype makes them fast again. Called after the
 * imports, before the hot code is compiled.
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
