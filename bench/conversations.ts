/**
 * Conversation-level detection quality: `npx tsx bench/conversations.ts` (or `npm run bench -- conversations`).
 *
 * Runs detect() with the default settings over labelled conversations (the body of POST /escalate plus
 * `kind` and `needsHuman`) and prints the recall on those that need a person, the false-escalation
 * rate on those that do not, and both by kind.
 *
 * - Our own set, `test/fixtures/conversations/*.json` (tuned on): figures by kind and every miss by id
 *   with the triggers that fired, to tune with.
 * - Blind batches among them (`w1-*.json`, `w2-*.json`, … written by someone who never saw the
 *   detector): the same totals per batch, so a batch can be measured before it is tuned on.
 * - The held-out sets, every JSON file of `test/fixtures/holdout/` (written by someone who never saw
 *   the detector; measuring only): aggregate figures per file and combined, recall per kind and false
 *   escalations per kind — never an id or a text, so nothing can be tuned on them.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSettings, detect, type ConversationInput, type Decision } from '../src/detection/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OWN_SET_DIR = join(ROOT, 'test/fixtures/conversations');
export const HOLDOUT_DIR = join(ROOT, 'test/fixtures/holdout');

export interface LabelledConversation {
  id: string;
  kind: string;
  needsHuman: boolean;
  input: ConversationInput & { conversationId?: string };
}

function isLabelled(v: unknown): v is LabelledConversation {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  const input = c.input as Record<string, unknown> | undefined;
  return typeof c.kind === 'string' && typeof c.needsHuman === 'boolean' && !!input && typeof input === 'object' && Array.isArray(input.messages);
}

function parseSet(json: unknown, source: string): LabelledConversation[] {
  if (!Array.isArray(json)) throw new Error(`${source}: expected a JSON array of labelled conversations`);
  const out: LabelledConversation[] = [];
  json.forEach((c, k) => {
    if (!isLabelled(c)) throw new Error(`${source}: entry ${k} is not { id, kind, needsHuman, input: { messages[] } }`);
    out.push({ ...c, id: typeof c.id === 'string' ? c.id : String(k) });
  });
  return out;
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Our own labelled conversations: every JSON file of the directory, in file-name order. */
export function loadOwnSet(dir = OWN_SET_DIR): LabelledConversation[] {
  return loadOwnBatches(dir).flatMap((b) => b.set);
}

/** A blind batch's name ("w1") from its file name ("w1-person.json"); null for the rest of the own set. */
export function batchOf(file: string): string | null {
  const m = /^(w\d+)-/.exec(file);
  return m ? m[1]! : null;
}

/** Our own set by file: each file's batch (null when not a blind batch) and conversations. */
export function loadOwnBatches(dir = OWN_SET_DIR): { file: string; batch: string | null; set: LabelledConversation[] }[] {
  return jsonFiles(dir).map((f) => ({ file: f, batch: batchOf(f), set: parseSet(JSON.parse(readFileSync(join(dir, f), 'utf8')), f) }));
}

/** The held-out sets, one per JSON file of the directory (empty when there are none). */
export function loadHoldoutSets(dir = HOLDOUT_DIR): { file: string; set: LabelledConversation[] }[] {
  return jsonFiles(dir).map((f) => ({ file: f, set: parseSet(JSON.parse(readFileSync(join(dir, f), 'utf8')), `holdout ${f}`) }));
}

export interface KindFigures {
  kind: string;
  needsHuman: boolean;
  n: number;
  escalated: number;
  /** needsHuman: escalated; otherwise: not escalated */
  correct: number;
  /** needsHuman kinds: how many came out URGENT */
  urgent: number;
}

export interface Miss {
  id: string;
  kind: string;
  needsHuman: boolean;
  triggers: string[];
  priority: string;
  intent: string;
}

export interface SetFigures {
  n: number;
  positives: number;
  negatives: number;
  /** escalated ÷ positives */
  recall: number;
  /** escalated ÷ negatives */
  falseEscalationRate: number;
  byKind: KindFigures[];
  misses: Miss[];
  /** safety conversations that came out URGENT ÷ safety conversations (NaN when none) */
  safetyUrgent: number;
}

export function evaluateSet(set: readonly LabelledConversation[]): SetFigures {
  const settings = compileSettings({});
  const kinds = new Map<string, KindFigures>();
  const misses: Miss[] = [];
  let tp = 0;
  let fp = 0;
  let positives = 0;
  let safety = 0;
  let safetyUrgent = 0;
  for (const c of set) {
    const d: Decision = detect(c.input, settings);
    const key = `${c.needsHuman ? '+' : '-'}${c.kind}`;
    let k = kinds.get(key);
    if (!k) kinds.set(key, (k = { kind: c.kind, needsHuman: c.needsHuman, n: 0, escalated: 0, correct: 0, urgent: 0 }));
    k.n++;
    if (d.shouldEscalate) k.escalated++;
    if (d.shouldEscalate === c.needsHuman) k.correct++;
    else misses.push({ id: c.id, kind: c.kind, needsHuman: c.needsHuman, triggers: d.triggers.map((t) => t.type), priority: d.priority, intent: d.intent });
    if (c.needsHuman) {
      positives++;
      if (d.shouldEscalate) tp++;
      if (d.priority === 'URGENT') k.urgent++;
      if (c.kind === 'safety') {
        safety++;
        if (d.priority === 'URGENT') safetyUrgent++;
      }
    } else if (d.shouldEscalate) fp++;
  }
  const negatives = set.length - positives;
  const byKind = [...kinds.values()].sort((a, b) => Number(b.needsHuman) - Number(a.needsHuman) || a.kind.localeCompare(b.kind));
  return {
    n: set.length,
    positives,
    negatives,
    recall: positives ? tp / positives : Number.NaN,
    falseEscalationRate: negatives ? fp / negatives : Number.NaN,
    byKind,
    misses,
    safetyUrgent: safety ? safetyUrgent / safety : Number.NaN,
  };
}

const pct = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const ratio = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));

function totals(f: SetFigures, recallTarget: number, feTarget: number): string {
  const ok = (good: boolean): string => (good ? 'met' : 'NOT met');
  return (
    `recall on conversations that need a person: ${ratio(f.recall)} (${Math.round(f.recall * f.positives)}/${f.positives}; target ≥ ${recallTarget}, ${ok(f.recall >= recallTarget)}); ` +
    `false escalations: ${ratio(f.falseEscalationRate)} (${Math.round(f.falseEscalationRate * f.negatives)}/${f.negatives}; target ≤ ${feTarget}, ${ok(f.falseEscalationRate <= feTarget)}); ` +
    `safety cases URGENT: ${pct(f.safetyUrgent)}`
  );
}

/** Our own set: totals, a table by kind, and the misses by id (with the triggers that fired). */
export function formatOwnSet(f: SetFigures): string {
  const lines = [`our own set (tuned on): ${f.n} conversations, ${f.positives} need a person, ${f.negatives} do not`];
  lines.push(totals(f, 0.95, 0.05));
  lines.push('| kind | needs a person | n | escalated | correct | URGENT |', '|---|---|---|---|---|---|');
  for (const k of f.byKind) {
    lines.push(`| ${k.kind} | ${k.needsHuman ? 'yes' : 'no'} | ${k.n} | ${k.escalated} | ${pct(k.correct / k.n)} | ${k.needsHuman ? k.urgent : ''} |`);
  }
  if (f.misses.length > 0) {
    lines.push('misses:');
    for (const m of f.misses) {
      lines.push(
        `  ${m.needsHuman ? 'missed' : 'false escalation'} ${m.id}: ${m.triggers.length ? `${m.triggers.join(', ')} (${m.priority})` : 'no trigger'}, intent ${m.intent}`,
      );
    }
  }
  return lines.join('\n');
}

/** Which input fields and message roles a set uses, counted (a format check: a caller-given sentiment turns the facts off). */
export function inputShape(set: readonly LabelledConversation[]): string {
  const fields = new Map<string, number>();
  const roles = new Map<string, number>();
  for (const c of set) {
    for (const k of Object.keys(c.input)) fields.set(k, (fields.get(k) ?? 0) + 1);
    for (const m of c.input.messages) roles.set(String(m.role), (roles.get(String(m.role)) ?? 0) + 1);
  }
  const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ');
  return `input fields: ${list(fields)}; message roles: ${list(roles)}`;
}

/** A held-out set: totals, recall per kind and false escalations per kind only (no ids, no texts). */
export function formatHoldout(f: SetFigures, name: string, shape = ''): string {
  const lines = [`held-out ${name} (measuring only): ${f.n} conversations, ${f.positives} need a person, ${f.negatives} do not`];
  if (shape !== '') lines.push(shape);
  lines.push(totals(f, 0.9, 0.1));
  const kinds = f.byKind.filter((k) => k.needsHuman);
  lines.push(`recall by kind: ${kinds.map((k) => `${k.kind} ${k.escalated}/${k.n}`).join(', ')}`);
  const negatives = f.byKind.filter((k) => !k.needsHuman);
  lines.push(`false escalations by kind: ${negatives.map((k) => `${k.kind} ${k.escalated}/${k.n}`).join(', ')}`);
  return lines.join('\n');
}

/** One line per blind batch of the own set: its recall and false escalations, by kind too. */
export function formatBatch(f: SetFigures, batch: string): string {
  const kinds = f.byKind.map((k) => `${k.needsHuman ? '+' : '-'}${k.kind} ${k.needsHuman ? k.escalated : k.n - k.escalated}/${k.n}`).join(', ');
  return `blind batch ${batch}: ${f.n} conversations; ${totals(f, 0.9, 0.1)}\n  correct by kind: ${kinds}`;
}

export function runConversationBench(): string {
  const batches = loadOwnBatches();
  const own = evaluateSet(batches.flatMap((b) => b.set));
  const out = [formatOwnSet(own)];
  const names = [...new Set(batches.map((b) => b.batch).filter((b): b is string => b !== null))];
  for (const name of names) out.push(formatBatch(evaluateSet(batches.filter((b) => b.batch === name).flatMap((b) => b.set)), name));
  const holdouts = loadHoldoutSets();
  out.push('');
  if (holdouts.length === 0) out.push(`held-out sets: none in ${HOLDOUT_DIR}`);
  for (const h of holdouts) out.push(formatHoldout(evaluateSet(h.set), h.file, inputShape(h.set)));
  if (holdouts.length > 1) out.push(formatHoldout(evaluateSet(holdouts.flatMap((h) => h.set)), 'combined'));
  return out.join('\n');
}

function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) console.log(runConversationBench());
