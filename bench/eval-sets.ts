/**
 * Sentence-level sentiment evaluation: balanced accuracy (the mean of the recall on negatives and on
 * positives; a score ≥ 0 counts as positive) and the recall on negatives, for ours, AFINN (the
 * `sentiment` package) and VADER (`vader-sentiment`) side by side.
 *
 * Sets: every `*.json` in the shared eval folder (`{text, mean}`, label = sign of mean; measuring only:
 * nothing here prints or returns their texts) and the three UCI one-line review sets of the sentiment
 * package (amazon is the tuning set; imdb and yelp are held out).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import { scoreSentiment } from '../src/detection/index.ts';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** The shared eval folder: EVAL_DIR, else ../shared/eval beside the repository or its worktree. */
export function evalDir(): string | null {
  const candidates = [process.env.EVAL_DIR, resolve(here, '../../shared/eval'), '/work/shared/eval'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

export interface EvalItem {
  text: string;
  /** true when the human label is negative */
  negative: boolean;
}

export interface EvalSet {
  name: string;
  role: 'tuned' | 'held-out' | 'measured';
  items: EvalItem[];
}

/** The UCI one-line reviews of the sentiment package (class 0 = negative). */
export function uciSet(name: 'amazon' | 'imdb' | 'yelp'): EvalSet {
  const raw = require(`sentiment/test/fixtures/${name}.json`) as { text?: unknown; class?: unknown }[];
  const items: EvalItem[] = [];
  for (const r of raw) if (typeof r.text === 'string' && (r.class === 0 || r.class === 1)) items.push({ text: r.text, negative: r.class === 0 });
  return { name: `UCI ${name}`, role: name === 'amazon' ? 'tuned' : 'held-out', items };
}

/** The shared eval sets (measured only), by file name without "holdout-" and ".json". */
export function sharedSets(): EvalSet[] {
  const dir = evalDir();
  if (dir === null) return [];
  const out: EvalSet[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { text?: unknown; mean?: unknown }[];
    const items: EvalItem[] = [];
    for (const r of raw) {
      if (typeof r.text === 'string' && typeof r.mean === 'number' && r.mean !== 0) items.push({ text: r.text, negative: r.mean < 0 });
    }
    out.push({ name: f.replace(/^holdout-/, '').replace(/\.json$/, ''), role: 'measured', items });
  }
  return out;
}

export function allEvalSets(): EvalSet[] {
  return [...sharedSets(), uciSet('amazon'), uciSet('imdb'), uciSet('yelp')];
}

export interface Scores {
  balanced: number;
  negRecall: number;
  posRecall: number;
}

export type Scorer = (text: string) => number;

export function measure(items: readonly EvalItem[], score: Scorer): Scores {
  let neg = 0;
  let negHit = 0;
  let pos = 0;
  let posHit = 0;
  for (const it of items) {
    const predictedNegative = score(it.text) < 0;
    if (it.negative) {
      neg++;
      if (predictedNegative) negHit++;
    } else {
      pos++;
      if (!predictedNegative) posHit++;
    }
  }
  const negRecall = neg === 0 ? 1 : negHit / neg;
  const posRecall = pos === 0 ? 1 : posHit / pos;
  return { balanced: (negRecall + posRecall) / 2, negRecall, posRecall };
}

const afinn = new Sentiment();
export const SCORERS: Record<'ours' | 'afinn' | 'vader', Scorer> = {
  ours: scoreSentiment,
  afinn: (t) => afinn.analyze(t).score,
  vader: (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound,
};

export interface EvalRow {
  set: string;
  role: EvalSet['role'];
  n: number;
  negatives: number;
  ours: Scores;
  afinn: Scores;
  vader: Scores;
}

export function evaluate(sets: readonly EvalSet[] = allEvalSets(), withBaselines = true): EvalRow[] {
  const none: Scores = { balanced: NaN, negRecall: NaN, posRecall: NaN };
  return sets.map((s) => ({
    set: s.name,
    role: s.role,
    n: s.items.length,
    negatives: s.items.filter((i) => i.negative).length,
    ours: measure(s.items, SCORERS.ours),
    afinn: withBaselines ? measure(s.items, SCORERS.afinn) : none,
    vader: withBaselines ? measure(s.items, SCORERS.vader) : none,
  }));
}

const f3 = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(3));

export function formatEval(rows: readonly EvalRow[]): string {
  const lines = [
    'balanced accuracy (mean of the recall on negatives and on positives; score ≥ 0 = positive), recall on negatives in brackets',
    '| set | role | n (neg) | ours | AFINN | VADER |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const cell = (s: Scores): string => `${f3(s.balanced)} (${f3(s.negRecall)})`;
    lines.push(`| ${r.set} | ${r.role} | ${r.n} (${r.negatives}) | ${cell(r.ours)} | ${cell(r.afinn)} | ${cell(r.vader)} |`);
  }
  return lines.join('\n');
}
