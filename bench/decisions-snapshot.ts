/**
 * Decisions snapshot, for speed work that must not change a single decision:
 *
 *   npx tsx bench/decisions-snapshot.ts out.json            writes every output that matters
 *   npx tsx bench/decisions-snapshot.ts --compare a.json b.json   prints the differences (count + first 20)
 *
 * Covers detect() with the default settings (and with the detector bench's store keywords) over every
 * conversation of the own set (`test/fixtures/conversations/`) and every prefix of it (each prefix is
 * a conversation as it stood earlier), the detector bench's generated conversations, and
 * scoreSentiment() over the sentences of the shared eval sets and the UCI sets (scores only; no text is
 * written or printed, entries are keyed by set and position). The held-out conversations are left out.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileSettings, detect, scoreSentiment, type ConversationInput, type Decision } from '../src/detection/index.ts';
import { makeConversations } from './detector.ts';
import { loadOwnSet } from './conversations.ts';
import { allEvalSets } from './eval-sets.ts';

const round = (x: number): number => Math.round(x * 1e9) / 1e9;

function roundValue(v: unknown): unknown {
  return typeof v === 'number' ? round(v) : v;
}

/** Every field of a decision, numbers rounded to 1e-9. */
function compact(d: Decision): unknown {
  return {
    e: d.shouldEscalate,
    p: d.priority,
    t: d.triggers.map((t) => ({ type: t.type, value: roundValue(t.value), threshold: roundValue(t.threshold), reason: t.reason, idx: t.messageIndexes })),
    s: round(d.sentiment),
    c: d.confidence,
    i: d.intent,
    k: d.keywords,
    r: d.riskFlags,
    sum: d.summary,
    turns: d.turns,
  };
}

export function snapshot(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const defaults = compileSettings({});
  const bench = compileSettings({ keywords: ['warranty claim', 'speak to the owner'] });
  const run = (key: string, c: ConversationInput): void => {
    out[`${key}`] = compact(detect(c, defaults));
    out[`${key}/kw`] = compact(detect(c, bench));
  };
  for (const c of loadOwnSet()) {
    run(`own/${c.id}`, c.input);
    const ms = c.input.messages;
    for (let k = 1; k < ms.length; k++) run(`own/${c.id}/prefix${k}`, { ...c.input, messages: ms.slice(0, k) });
  }
  for (const [mix, seed] of [
    ['realistic', 42],
    ['escalating', 7],
  ] as const) {
    const convs = makeConversations(2000, mix, seed);
    for (let k = 0; k < convs.length; k++) run(`gen/${mix}/${k}`, convs[k]!);
  }
  for (const set of allEvalSets()) {
    for (let k = 0; k < set.items.length; k++) out[`sent/${set.name}/${k}`] = round(scoreSentiment(set.items[k]!.text));
  }
  return out;
}

function compare(a: string, b: string): number {
  const x = JSON.parse(readFileSync(a, 'utf8')) as Record<string, unknown>;
  const y = JSON.parse(readFileSync(b, 'utf8')) as Record<string, unknown>;
  const diffs: string[] = [];
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    const l = JSON.stringify(x[k]);
    const r = JSON.stringify(y[k]);
    // sentence keys carry no text; conversation keys carry ids of the own set only
    if (l !== r) diffs.push(k.startsWith('sent/') ? `${k}: ${l} → ${r}` : `${k}:\n  ${l}\n  ${r}`);
  }
  console.log(`${Object.keys(x).length} vs ${Object.keys(y).length} entries; ${diffs.length} difference${diffs.length === 1 ? '' : 's'}`);
  for (const d of diffs.slice(0, 20)) console.log(d);
  return diffs.length;
}

const args = process.argv.slice(2);
if (args[0] === '--compare' && args.length === 3) {
  process.exitCode = compare(args[1]!, args[2]!) === 0 ? 0 : 1;
} else if (args.length === 1 && !args[0]!.startsWith('--')) {
  const snap = snapshot();
  writeFileSync(args[0]!, JSON.stringify(snap));
  console.log(`${Object.keys(snap).length} entries written to ${args[0]}`);
} else {
  console.error('usage: npx tsx bench/decisions-snapshot.ts out.json | --compare a.json b.json');
  process.exitCode = 2;
}
