// A small import scanner for the layering tests: which module of src/ imports which, and how.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

export interface Edge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : walk(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

// import x from '…' / import { a, type b } from '…' / import type … from '…' / export … from '…' / import '…' / import('…')
const STATIC = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Edges between modules of src/ (paths relative to src/, e.g. 'escalations/sync.ts'); packages are left out. */
export function importGraph(root = SRC): Edge[] {
  const edges: Edge[] = [];
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    const from = relative(root, file);
    const add = (spec: string, typeOnly: boolean) => {
      if (!spec.startsWith('.')) return;
      edges.push({ from, to: relative(root, resolve(dirname(file), spec)), typeOnly });
    };
    for (const m of text.matchAll(STATIC)) {
      const names = m[3] ?? '';
      // `import { type A, type B }` is erased too; `import {}`-less forms (`import x`) are not.
      const allTypes =
        /^\{[^}]*\}$/.test(names.trim()) &&
        names
          .replace(/[{}\s]/g, '')
          .split(',')
          .filter(Boolean)
          .every((n) => n.startsWith('type'));
      add(m[4]!, !!m[2] || allTypes);
    }
    for (const m of text.matchAll(BARE)) add(m[1]!, false);
    for (const m of text.matchAll(DYNAMIC)) add(m[1]!, false);
  }
  return edges;
}

/** Every cycle (as a path a → … → a), found by depth-first search; each is reported once. */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') {
        const cycle = stack.slice(stack.indexOf(to));
        const key = [...cycle].sort().join('|');
        if (!found.has(key)) found.set(key, [...cycle, to]);
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of next.keys()) if (!state.has(node)) visit(node);
  return [...found.values()];
}
