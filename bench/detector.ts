/**
 * Detector benchmark: `npx tsx bench/detector.ts`
 *
 * Prints (1) detect() conversations/s for ten-message conversations (5 customer + 5 assistant),
 * (2) scoreSentiment() sentences/s over the UCI labelled sentences, (3) the sign-agreement table,
 * AFINN alone (the `sentiment` package) vs ours, amazon = tuned, imdb and yelp = held out.
 *
 * Accuracy: a sentence is predicted negative when its score < 0 and positive otherwise (a score of 0,
 * "no opinion found", counts as positive = "not negative", the decision the escalation detector
 * makes; this is also the convention of the sentiment package's own validate.js and of the DESIGN's
 * AFINN ≈ 73% figure). The strict column counts 0 as a miss; `zeros` is how many scored 0.
 */
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import { compileSettings, detect, scoreSentiment, type ConversationInput } from '../src/detection/index.ts';

const require = createRequire(import.meta.url);

export interface LabelledSentence {
  text: string;
  label: 0 | 1;
}

export type SetName = 'amazon' | 'imdb' | 'yelp';
export const SETS: readonly SetName[] = ['amazon', 'imdb', 'yelp'];
export const TUNED_SETS: readonly SetName[] = ['amazon'];

/** The UCI labelled sentences shipped with the sentiment package (entries without a label dropped). */
export function loadLabelled(name: SetName): LabelledSentence[] {
  const raw = require(`sentiment/test/fixtures/${name}.json`) as { text?: unknown; class?: unknown }[];
  const out: LabelledSentence[] = [];
  for (const r of raw) {
    if (typeof r.text === 'string' && (r.class === 0 || r.class === 1)) out.push({ text: r.text, label: r.class });
  }
  return out;
}

export interface AccuracyRow {
  set: SetName;
  role: 'tuned' | 'held-out';
  n: number;
  /** AFINN alone: score < 0 → negative, else positive */
  afinn: number;
  afinnStrict: number;
  afinnZeros: number;
  ours: number;
  /** 0 counted as a miss */
  oursStrict: number;
  oursZeros: number;
}

export function sentimentAccuracy(): AccuracyRow[] {
  const afinn = new Sentiment();
  const rows: AccuracyRow[] = [];
  for (const set of SETS) {
    const data = loadLabelled(set);
    let a = 0;
    let aStrict = 0;
    let aZeros = 0;
    let o = 0;
    let oStrict = 0;
    let oZeros = 0;
    for (const { text, label } of data) {
      const s = afinn.analyze(text).score;
      if ((s < 0 ? 0 : 1) === label) a++;
      if (s === 0) aZeros++;
      else if ((s > 0 ? 1 : 0) === label) aStrict++;
      const r = scoreSentiment(text);
      if ((r < 0 ? 0 : 1) === label) o++;
      if (r === 0) oZeros++;
      else if ((r > 0 ? 1 : 0) === label) oStrict++;
    }
    const n = data.length;
    rows.push({
      set,
      role: TUNED_SETS.includes(set) ? 'tuned' : 'held-out',
      n,
      afinn: a / n,
      afinnStrict: aStrict / n,
      afinnZeros: aZeros,
      ours: o / n,
      oursStrict: oStrict / n,
      oursZeros: oZeros,
    });
  }
  return rows;
}

const CUSTOMER_LINES = [
  'Hi, where is my order #{n}? It has been two weeks.',
  'I ordered a blue jacket size M and got the wrong size.',
  'Can you tell me when my package will arrive?',
  'This is the third time I am asking! Nobody helps me.',
  'The blender arrived broken, the glass is cracked 😡',
  'I want a refund, this is ridiculous.',
  'Thanks, that helps a lot!',
  'ok',
  'I was charged twice for order {n}, please fix this.',
  'How do I reset my password? I am locked out of my account.',
  'I want to speak to a manager right now.',
  'Do you ship to Canada?',
  'Great, thanks so much!',
  'Still waiting for my tracking number...',
  'The item is not what I expected, can I return it?',
  'Please cancel my order {n} before it ships.',
];
const ASSISTANT_LINES = [
  'Let me check that for you.',
  'I understand your frustration, I am looking into it now.',
  'Your order is in transit and should arrive within 3 business days.',
  'I have started a return for you; you will receive a label by email.',
  'Could you share your order number?',
];

function makeConversations(count: number): ConversationInput[] {
  const out: ConversationInput[] = [];
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let c = 0; c < count; c++) {
    const messages: ConversationInput['messages'] = [];
    for (let k = 0; k < 5; k++) {
      const line = CUSTOMER_LINES[rnd(CUSTOMER_LINES.length)]!.replace('{n}', String(1000 + rnd(9000)));
      messages.push({ role: 'customer', text: line });
      messages.push({ role: 'assistant', text: ASSISTANT_LINES[rnd(ASSISTANT_LINES.length)]! });
    }
    out.push({
      channel: 'web_chat',
      messages,
      aiConfidence: rnd(100) / 100,
      customer: { tier: rnd(4) === 0 ? 'gold' : 'standard' },
      order: { number: String(c), total: rnd(800) },
    });
  }
  return out;
}

function timeLoop(minMs: number, body: () => number): { ops: number; ms: number } {
  let ops = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    ops += body();
    ms = performance.now() - t0;
  } while (ms < minMs);
  return { ops, ms };
}

export interface DetectorBenchResult {
  /** detect() on ten-message conversations, one core */
  conversationsPerSecond: number;
  /** scoreSentiment() on the labelled one-line reviews, one core */
  sentencesPerSecond: number;
  /** the sentiment package's analyze() on the same sentences, for reference */
  afinnSentencesPerSecond: number;
  accuracy: AccuracyRow[];
}

export async function runDetectorBench(opts: { durationMs?: number } = {}): Promise<DetectorBenchResult> {
  const durationMs = opts.durationMs ?? 1500;
  const settings = compileSettings({ keywords: ['warranty claim', 'speak to the owner'] });
  const convs = makeConversations(2000);
  let sink = 0;
  for (const c of convs) sink += detect(c, settings).triggers.length; // warm-up
  const d = timeLoop(durationMs, () => {
    for (const c of convs) sink += detect(c, settings).triggers.length;
    return convs.length;
  });

  const sentences: string[] = [];
  for (const set of SETS) for (const s of loadLabelled(set)) sentences.push(s.text);
  for (const s of sentences) sink += scoreSentiment(s);
  const s = timeLoop(durationMs, () => {
    for (const t of sentences) sink += scoreSentiment(t);
    return sentences.length;
  });
  const afinn = new Sentiment();
  const a = timeLoop(Math.min(500, durationMs), () => {
    for (const t of sentences) sink += afinn.analyze(t).score;
    return sentences.length;
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');

  return {
    conversationsPerSecond: Math.round(d.ops / (d.ms / 1000)),
    sentencesPerSecond: Math.round(s.ops / (s.ms / 1000)),
    afinnSentencesPerSecond: Math.round(a.ops / (a.ms / 1000)),
    accuracy: sentimentAccuracy(),
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function formatDetectorBench(r: DetectorBenchResult): string {
  const lines: string[] = [];
  lines.push(`detector: ${r.conversationsPerSecond.toLocaleString('en-US')} ten-message conversations/s (target ≥ 50,000)`);
  lines.push(
    `sentiment: ${r.sentencesPerSecond.toLocaleString('en-US')} sentences/s (target ≥ 100,000; sentiment package alone ${r.afinnSentencesPerSecond.toLocaleString('en-US')}/s)`,
  );
  lines.push('');
  lines.push('sign agreement with human labels (score < 0 → negative, else positive; strict: 0 = miss)');
  lines.push('| set | role | n | AFINN alone | ours | AFINN strict | ours strict | zeros AFINN → ours |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const row of r.accuracy) {
    lines.push(
      `| ${row.set} | ${row.role} | ${row.n} | ${pct(row.afinn)} | ${pct(row.ours)} | ${pct(row.afinnStrict)} | ${pct(row.oursStrict)} | ${row.afinnZeros} → ${row.oursZeros} |`,
    );
  }
  return lines.join('\n');
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

if (isEntryPoint()) {
  const result = await runDetectorBench();
  console.log(formatDetectorBench(result));
}
