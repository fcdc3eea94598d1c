/**
 * Leave-one-batch-out cross-validation of the learned scorer: `npx tsx bench/learned-cv.ts [--extra]`
 *
 * The own set (test/fixtures/conversations/) falls into batches by who wrote them: w1…, t1…, b2…
 * (file prefixes) and the topic files (churn.json, neg-*.json, …) as one group. For each batch the
 * model is trained on all the others and scores the batch it never saw; the rules (detect() as it is)
 * decide alone and combined, "rules OR model ≥ θ", and we print what the model adds on that batch:
 * extra conversations caught that need a person, extra false escalations. Pooled over all batches,
 * this estimates what the model would add on a new writer's batch.
 *
 * Caveat printed with the table: the rules were tuned on every batch here, so "rules alone" is the
 * rules on text they have seen; the misses left are the hardest ones and the gain measured is a floor.
 *
 * Each row also counts the prefixes of the batch's calm conversations (up to each customer message but
 * the last: what detect() sees mid-conversation) and how many of them the model escalates at θ = 0.8.
 * `--train-prefixes`: train on those calm prefixes too (as conversations that need no person).
 * `--gated`: also the variant "model ≥ θ only where the rules found some weak evidence" (a negative
 * message, a complaint fact, a conversation sentiment below 0).
 * `--only w6,w7`: score only those batches (trained on everything else).
 * `--blind w6,w7,w8`: one model trained on every other batch scores each of these (new batches, before
 *   anything is trained or tuned on them).
 * `--exclude w6,w7`: leave those batches out of the data entirely (a blind batch before it is used).
 * `--rules-from <dir> --only w5`: "what if the model had existed when w5 arrived": <dir> holds an
 *   older tree (`git archive <commit> src test/fixtures/conversations | tar -x -C <dir>`, node_modules
 *   linked); its rules decide, its tokenizer and scorer give the model's inputs, the model trains on
 *   the fixtures that tree had and scores the batch from this tree. Against rules not yet tuned on
 *   the batch, this is the honest figure for a new writer.
 */
import { join, resolve } from 'node:path';
import * as current from '../src/detection/index.ts';
import { type Example, train, probability } from '../src/detection/learned/train.ts';
import { FEATURE_SLOTS, featureSet } from '../src/detection/learned/features.ts';
import { weakEvidence } from '../src/detection/learned/model.ts';
import { isLearnedTrigger } from '../src/detection/learned/trigger.ts';
import { learnedConversationOf, prefixesOf } from '../src/detection/learned/read.ts';
import type { LearnedConversation } from '../src/detection/learned/features.ts';
import { loadOwnBatches, OWN_SET_DIR, type LabelledConversation } from './conversations.ts';

/** "w3-positive.json" → "w3", "b3-neg.json" → "b3", "churn.json" → "topic" */
export function groupOf(file: string): string {
  const m = /^([a-z]\d+)[-.]/.exec(file);
  return m ? m[1]! : 'topic';
}

export interface Scored {
  c: LabelledConversation;
  group: string;
  rules: boolean;
  /** weak evidence the rules found short of a trigger */
  weak: boolean;
  features: Int32Array;
  /** a prefix of the conversation, up to a customer message before its last: what detect() sees mid-conversation */
  prefix: boolean;
}

/** The detection code the rules and the model's inputs come from: this tree's, or an older tree's (--rules-from). */
interface Detection {
  detect: typeof current.detect;
  compileSettings: typeof current.compileSettings;
  read: typeof learnedConversationOf;
}

async function detectionFrom(dir: string | undefined): Promise<Detection> {
  if (dir === undefined) return { detect: current.detect, compileSettings: current.compileSettings, read: learnedConversationOf };
  const index = (await import(join(resolve(dir), 'src/detection/index.ts'))) as typeof current;
  const tok = await import(join(resolve(dir), 'src/detection/tokenize.ts'));
  const sent = await import(join(resolve(dir), 'src/detection/sentiment.ts'));
  // the same reading as learned/read.ts, with that tree's tokenizer, word table and sentence scorer
  const read: typeof learnedConversationOf = (messages, sentiment, turns): LearnedConversation => {
    const customer = messages.filter((m) => m?.role === 'customer').slice(-39);
    const scoreStart = Math.max(0, customer.length - 20);
    const tss = customer.map((m) => tok.tokenize(typeof m.text === 'string' ? m.text.slice(0, 3000) : '', 3010, sent.LEX));
    const scores = tss.slice(scoreStart).map((ts) => (sent.mayHaveSentiment(ts) ? sent.scoreTokenStream(ts) : sent.NEUTRAL_DETAIL));
    return { messages: tss.map((ts) => ({ toks: ts.toks, hashes: ts.hashes, facts: ts.facts })), scores, scoreStart, sentiment, turns };
  };
  return { detect: index.detect, compileSettings: index.compileSettings, read };
}

export function scoreAll(det: Detection, dirs: readonly string[], exclude: ReadonlySet<string> = new Set()): Scored[] {
  const settings = det.compileSettings({});
  const out: Scored[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    for (const b of loadOwnBatches(dir)) {
      const group = groupOf(b.file);
      if (exclude.has(group) || seen.has(b.file)) continue;
      seen.add(b.file);
      for (const c of b.set) {
        const inputs = [...prefixesOf(c.input.messages).map((messages) => ({ ...c.input, messages })), c.input];
        inputs.forEach((input, k) => {
          const d = det.detect(input, settings);
          const conv = det.read(input.messages, d.sentiment, d.turns);
          // the rules alone: without the learned scorer's own trigger (this tree has one)
          const rules = d.triggers.some((t) => !isLearnedTrigger(t));
          out.push({ c, group, rules, weak: weakEvidence(conv), features: featureSet(conv), prefix: k < inputs.length - 1 });
        });
      }
    }
  }
  return out;
}

/** training examples: whole conversations, and with `prefixes` the prefixes of those that need no person (calm so far) */
function examples(set: readonly Scored[], prefixes: boolean): Example[] {
  return set.filter((s) => !s.prefix || (prefixes && !s.c.needsHuman)).map((s) => ({ features: s.features, label: s.c.needsHuman }));
}

const THETAS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
const K8 = THETAS.indexOf(0.8);

interface Cell {
  pos: number;
  neg: number;
  rulesTp: number;
  rulesFp: number;
  /** prefixes of conversations that need no person: how many, escalated by the rules, added by the model (at θ) */
  pre: number;
  rulesPre: number;
  gainPre: number[];
  gatedPre: number[];
  gainTp: number[];
  gainFp: number[];
  gatedTp: number[];
  gatedFp: number[];
}

function emptyCell(): Cell {
  const z = () => THETAS.map(() => 0);
  return { pos: 0, neg: 0, rulesTp: 0, rulesFp: 0, pre: 0, rulesPre: 0, gainPre: z(), gatedPre: z(), gainTp: z(), gainFp: z(), gatedTp: z(), gatedFp: z() };
}

function add(cell: Cell, s: Scored, p: number): void {
  const pos = s.c.needsHuman;
  if (s.prefix) {
    if (pos) return;
    cell.pre++;
    if (s.rules) cell.rulesPre++;
    else
      THETAS.forEach((th, k) => {
        if (p < th) return;
        cell.gainPre[k]!++;
        if (s.weak) cell.gatedPre[k]!++;
      });
    return;
  }
  if (pos) cell.pos++;
  else cell.neg++;
  if (s.rules) {
    if (pos) cell.rulesTp++;
    else cell.rulesFp++;
    return;
  }
  THETAS.forEach((th, k) => {
    if (p < th) return;
    if (pos) cell.gainTp[k]!++;
    else cell.gainFp[k]!++;
    if (s.weak) {
      if (pos) cell.gatedTp[k]!++;
      else cell.gatedFp[k]!++;
    }
  });
}

const pt = (x: number, n: number) => (n === 0 ? '  n/a' : `${((100 * x) / n).toFixed(1).padStart(5)}`);

function row(name: string, c: Cell, gated: boolean): string {
  const tp = gated ? c.gatedTp : c.gainTp;
  const fp = gated ? c.gatedFp : c.gainFp;
  const cells = THETAS.map((_, k) => `+${tp[k]}/+${fp[k]}`.padEnd(9)).join(' ');
  const pre = gated ? c.gatedPre : c.gainPre;
  return `${name.padEnd(7)} ${String(c.pos).padStart(4)} ${String(c.neg).padStart(4)} | rules ${pt(c.rulesTp, c.pos)} ${pt(c.rulesFp, c.neg)} | ${cells} | θ=0.8: recall ${pt(c.rulesTp + tp[K8]!, c.pos)} false ${pt(c.rulesFp + fp[K8]!, c.neg)} | calm prefixes ${c.pre}: rules ${c.rulesPre} +${pre[K8]}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const list = (flag: string) => {
    const k = args.indexOf(flag);
    return new Set(k >= 0 && args[k + 1] ? args[k + 1]!.split(',') : []);
  };
  const blind = list('--blind');
  const only = blind.size > 0 ? blind : list('--only');
  const exclude = list('--exclude');
  const gated = args.includes('--gated');
  const prefixes = args.includes('--train-prefixes');
  const fromIdx = args.indexOf('--rules-from');
  const from = fromIdx >= 0 ? args[fromIdx + 1] : undefined;
  const det = await detectionFrom(from);
  // with an older tree: train on the fixtures that tree had, score the --only batches from this tree
  const all =
    from === undefined
      ? scoreAll(det, [OWN_SET_DIR], exclude)
      : [
          ...scoreAll(det, [join(from, 'test/fixtures/conversations')], new Set([...exclude, ...only])),
          ...scoreAll(det, [OWN_SET_DIR], exclude).filter((s) => only.has(s.group)),
        ];
  const groups = [...new Set(all.map((s) => s.group))].filter((g) => only.size === 0 || only.has(g));
  const pooled = emptyCell();
  console.log(
    `${blind.size > 0 ? `blind batches ${[...blind].join(', ')}, one model trained on the rest` : 'leave-one-batch-out'}: ${all.length} conversations, ${groups.length} held-out batches; cells: +caught/+false over rules alone at θ = ${THETAS.join(', ')}`,
  );
  console.log('caveat: the rules were tuned on every batch here, so their misses are the hardest cases; the gain is a floor for a new writer');
  for (const variant of gated ? [false, true] : [false]) {
    console.log(variant ? '\n— model only where the rules found weak evidence —' : '\n— rules OR model ≥ θ —');
    console.log(`batch    pos  neg | rules recall false | ${THETAS.map((t) => `θ=${t}`.padEnd(9)).join(' ')}`);
    const total = emptyCell();
    const blindModel =
      blind.size > 0
        ? train(
            examples(
              all.filter((s) => !blind.has(s.group)),
              prefixes,
            ),
            FEATURE_SLOTS,
          )
        : null;
    for (const g of groups) {
      const w =
        blindModel ??
        train(
          examples(
            all.filter((s) => s.group !== g),
            prefixes,
          ),
          FEATURE_SLOTS,
        );
      const cell = emptyCell();
      for (const s of all.filter((x) => x.group === g)) {
        const p = probability(w, s.features);
        add(cell, s, p);
        add(total, s, p);
      }
      console.log(row(g, cell, variant));
    }
    console.log(row('pooled', total, variant));
    if (!variant) Object.assign(pooled, total);
  }
  console.log(
    `\npooled at θ=0.8: recall ${(pooled.rulesTp / pooled.pos).toFixed(3)} → ${((pooled.rulesTp + pooled.gainTp[K8]!) / pooled.pos).toFixed(3)}, false ${(pooled.rulesFp / pooled.neg).toFixed(3)} → ${((pooled.rulesFp + pooled.gainFp[K8]!) / pooled.neg).toFixed(3)}`,
  );
}

await main();
