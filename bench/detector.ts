/**
 * Detector benchmark: `npx tsx bench/detector.ts`
 *
 * Prints (1) detect() conversations/s for ten-message conversations (5 customer + 5 assistant),
 * (2) scoreSentiment() sentences/s over the UCI labelled sentences (and VADER's for reference),
 * (3) balanced accuracy and recall on negatives for ours, AFINN (the `sentiment` package) and VADER
 * (`vader-sentiment`) on every shared eval set (measured only) and the three UCI sets (eval-sets.ts),
 * with the acceptance targets of issue #12.
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
import vader from 'vader-sentiment';
import { compileSettings, detect, scoreSentiment, type ConversationInput } from '../src/detection/index.ts';
import { evaluate, formatEval, type EvalRow } from './eval-sets.ts';

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

// Customer lines of a typical e-commerce support chat ({n} becomes an order number).
const ROUTINE_LINES = [
  'Hi, do you ship to Canada?',
  'How long does delivery take to Berlin?',
  'Can I change the delivery address for order {n}?',
  'Is the blue jacket available in size M?',
  'Do you have a discount code for first orders?',
  'Can I pay with PayPal?',
  'What is your return policy for sale items?',
  'ok',
  'Thanks, that helps a lot!',
  'Great, thanks so much!',
  'Could you send me the tracking number for order {n} please?',
  'Does the table come assembled or do I need tools?',
  'Perfect, I will wait for the email then.',
  'I ordered the walnut side table on Monday and the confirmation email says it ships in 3 days, is that still right?',
  'The size guide says M would fit me but I am between sizes, would you recommend the L instead?',
];
const FRUSTRATED_LINES = [
  'Where is my order #{n}? It has been two weeks.',
  'This is the third time I am asking! Nobody helps me.',
  'The blender arrived broken, the glass is cracked 😡',
  'I want a refund, this is ridiculous.',
  'I was charged twice for order {n}, please fix this.',
  'How do I reset my password? I am locked out of my account.',
  'I want to speak to a manager right now.',
  'Still waiting for my tracking number...',
  'The item is not what I expected, can I return it?',
  'Please cancel my order {n} before it ships.',
  'Hello, I received the package today but one of the two chairs has a scratch on the left leg, what can you do about it?',
  "I've been waiting for a refund for 10 days now, your colleague promised it would take 3 to 5 business days.",
];
const ASSISTANT_LINES = [
  'Let me check that for you.',
  'I understand your frustration, I am looking into it now.',
  'Your order is in transit and should arrive within 3 business days.',
  'I have started a return for you; you will receive a label by email.',
  'Could you share your order number?',
  'Thanks for your patience! I can see that order {n} left our warehouse yesterday and is with the carrier now; you should get a tracking update within 24 hours.',
];

/** Share of conversations in the realistic mix that come from a frustrated customer. */
export const FRUSTRATED_SHARE = 0.3;

/**
 * Ten-message conversations (5 customer + 5 assistant). mix "realistic": 70% routine (questions,
 * thanks; AI confident), 30% frustrated (complaints mixed with routine lines; AI less sure);
 * "escalating": every conversation frustrated.
 */
export function makeConversations(count: number, mix: 'realistic' | 'escalating' = 'realistic', seed = 42): ConversationInput[] {
  const out: ConversationInput[] = [];
  let state = seed;
  const rnd = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const fill = (line: string): string => line.replace('{n}', String(1000 + rnd(9000)));
  for (let c = 0; c < count; c++) {
    const frustrated = mix === 'escalating' || rnd(1000) < FRUSTRATED_SHARE * 1000;
    const messages: ConversationInput['messages'] = [];
    const used = new Set<string>(); // a customer does not send the same line twice (that is a repeat)
    for (let k = 0; k < 5; k++) {
      const pool = frustrated && rnd(3) > 0 ? FRUSTRATED_LINES : ROUTINE_LINES;
      let line = pool[rnd(pool.length)]!;
      while (used.has(line)) line = pool[rnd(pool.length)]!;
      used.add(line);
      messages.push({ role: 'customer', text: fill(line) });
      messages.push({ role: 'assistant', text: fill(ASSISTANT_LINES[rnd(ASSISTANT_LINES.length)]!) });
    }
    out.push({
      channel: 'web_chat',
      messages,
      aiConfidence: frustrated ? 0.2 + rnd(70) / 100 : 0.75 + rnd(25) / 100,
      customer: { tier: rnd(4) === 0 ? 'gold' : 'standard' },
      order: { number: String(1000 + c), total: rnd(800) },
    });
  }
  return out;
}

/**
 * Runs `body` (which returns how many operations it did) in ROUNDS rounds of about minMs / ROUNDS of
 * wall time each, and returns the best round's operations per second of this process's CPU time
 * (user + system): "on one core", and least disturbed by other processes competing for the machine
 * (the minimum-time convention of timeit / benchmark.js). Also the overall rate per wall-clock second.
 */
const ROUNDS = 5;
function timeLoop(minMs: number, body: () => number): { perCpuSecond: number; perWallSecond: number } {
  let best = 0;
  let ops = 0;
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    let roundOps = 0;
    const c0 = process.cpuUsage();
    const r0 = performance.now();
    do roundOps += body();
    while (performance.now() - r0 < minMs / ROUNDS);
    const cpu = process.cpuUsage(c0);
    const rate = roundOps / ((cpu.user + cpu.system) / 1e6 || 1e-6);
    if (rate > best) best = rate;
    ops += roundOps;
  }
  return { perCpuSecond: Math.round(best), perWallSecond: Math.round(ops / ((performance.now() - t0) / 1000)) };
}

export interface DetectorBenchResult {
  /** detect() on ten-message conversations (5 customer + 5 assistant, realistic mix), per CPU-second of one core */
  conversationsPerSecond: number;
  /** the same per wall-clock second (lower when other processes compete for the CPU) */
  conversationsPerWallSecond: number;
  /** detect() when every conversation is a frustrated one (most triggers fire), per CPU-second */
  escalatingConversationsPerSecond: number;
  /** share of the realistic mix that detect() escalates */
  escalationRate: number;
  /** mean length of the customer messages in the realistic mix, characters */
  meanCustomerMessageChars: number;
  /** scoreSentiment() on the 3,000 labelled one-line reviews, per CPU-second of one core */
  sentencesPerSecond: number;
  sentencesPerWallSecond: number;
  /** the sentiment package's analyze() on the same sentences, for reference (CPU-second) */
  afinnSentencesPerSecond: number;
  /** vader-sentiment's polarity_scores() on the same sentences, for reference (CPU-second) */
  vaderSentencesPerSecond: number;
  /** balanced accuracy / recall on negatives, ours vs AFINN vs VADER (eval-sets.ts) */
  evaluation: EvalRow[];
}

export async function runDetectorBench(opts: { durationMs?: number } = {}): Promise<DetectorBenchResult> {
  const durationMs = opts.durationMs ?? 1500;
  const settings = compileSettings({ keywords: ['warranty claim', 'speak to the owner'] });
  const convs = makeConversations(2000, 'realistic');
  const hard = makeConversations(2000, 'escalating', 7);
  let sink = 0;
  let escalated = 0;
  let chars = 0;
  let customerMessages = 0;
  for (const c of convs) {
    if (detect(c, settings).shouldEscalate) escalated++; // also the warm-up
    for (const m of c.messages) {
      if (m.role !== 'customer') continue;
      chars += m.text.length;
      customerMessages++;
    }
  }
  for (const c of hard) sink += detect(c, settings).triggers.length;
  // detect() keeps no per-text cache, so texts repeating across conversations do not flatter the figure
  const d = timeLoop(durationMs, () => {
    for (const c of convs) sink += detect(c, settings).triggers.length;
    return convs.length;
  });
  const h = timeLoop(durationMs / 2, () => {
    for (const c of hard) sink += detect(c, settings).triggers.length;
    return hard.length;
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
  const v = timeLoop(Math.min(500, durationMs), () => {
    for (const t of sentences) sink += vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
    return sentences.length;
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');

  return {
    conversationsPerSecond: d.perCpuSecond,
    conversationsPerWallSecond: d.perWallSecond,
    escalatingConversationsPerSecond: h.perCpuSecond,
    escalationRate: escalated / convs.length,
    meanCustomerMessageChars: Math.round(chars / customerMessages),
    sentencesPerSecond: s.perCpuSecond,
    sentencesPerWallSecond: s.perWallSecond,
    afinnSentencesPerSecond: a.perCpuSecond,
    vaderSentencesPerSecond: v.perCpuSecond,
    evaluation: evaluate(),
  };
}

/** Acceptance targets of issue #12 (sentence level). */
const TARGETS: Record<string, { balanced: number; negRecall?: number }> = {
  airline: { balanced: 0.85, negRecall: 0.75 },
  'amazon-snippets': { balanced: 0.8, negRecall: 0.75 },
  tweets: { balanced: 0.93 },
  'UCI imdb': { balanced: 0.8 },
  'UCI yelp': { balanced: 0.8 },
};

export function formatDetectorBench(r: DetectorBenchResult): string {
  const lines: string[] = [];
  const n = (x: number): string => x.toLocaleString('en-US');
  lines.push(
    `detector: ${n(r.conversationsPerSecond)} ten-message conversations/s on one core (target ≥ 50,000; ${n(r.conversationsPerWallSecond)}/s wall clock)`,
  );
  lines.push(
    `  realistic mix: ${Math.round(FRUSTRATED_SHARE * 100)}% frustrated customers, ${Math.round(r.escalationRate * 100)}% escalated, customer messages ${r.meanCustomerMessageChars} chars on average; all-frustrated mix: ${n(r.escalatingConversationsPerSecond)}/s`,
  );
  lines.push(
    `sentiment: ${n(r.sentencesPerSecond)} sentences/s on one core (target ≥ 100,000; ${n(r.sentencesPerWallSecond)}/s wall clock; AFINN (sentiment package) ${n(r.afinnSentencesPerSecond)}/s, VADER ${n(r.vaderSentencesPerSecond)}/s)`,
  );
  lines.push(`(best of ${ROUNDS} rounds, per second of this process's CPU time, so other load on the machine counts as little as possible)`);
  lines.push('');
  lines.push(formatEval(r.evaluation));
  lines.push('');
  lines.push(
    'targets (#12): balanced ≥ 0.85 airline, ≥ 0.80 amazon-snippets, ≥ 0.93 tweets, ≥ 0.80 UCI imdb and yelp; recall on negatives ≥ 0.75 on airline and amazon-snippets',
  );
  const misses: string[] = [];
  for (const row of r.evaluation) {
    const t = TARGETS[row.set];
    if (!t) continue;
    if (row.ours.balanced < t.balanced) misses.push(`${row.set} balanced ${row.ours.balanced.toFixed(3)} < ${t.balanced}`);
    if (t.negRecall !== undefined && row.ours.negRecall < t.negRecall) misses.push(`${row.set} negatives ${row.ours.negRecall.toFixed(3)} < ${t.negRecall}`);
  }
  lines.push(misses.length === 0 ? 'all sentence-level targets met' : `not met: ${misses.join('; ')}`);
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
