import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// V8's own view (%HasFastProperties) needs --allow-natives-syntax, so the check runs in a child
// process that imports what the service imports.
const CHECK = `
const fast = new Function('o', 'return %HasFastProperties(o)');
const slowPrototypes = () =>
  Object.getOwnPropertyNames(globalThis).filter((name) => {
    const value = Object.getOwnPropertyDescriptor(globalThis, name)?.value;
    return typeof value === 'function' && value.prototype && typeof value.prototype === 'object' && !fast(value.prototype);
  });
await import('./src/app.ts');
await import('./src/workers.ts');
const afterImports = slowPrototypes();
const { restoreFastPrototypes } = await import('./src/fast-prototypes.ts');
restoreFastPrototypes();
console.log(JSON.stringify({ afterImports, afterRestore: slowPrototypes() }));
process.exit(0);
`;

describe('restoreFastPrototypes', () => {
  it('leaves no built-in prototype slow after the service’s imports (ioredis subclasses String)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', CHECK], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { afterImports: string[]; afterRestore: string[] };
    // Why the function exists: without it String.prototype stays in dictionary mode.
    expect(result.afterImports).toContain('String');
    expect(result.afterRestore).toEqual([]);
  }, 60_000);
});
