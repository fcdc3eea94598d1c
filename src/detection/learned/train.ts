/**
 * Logistic regression over hashed binary features (features.ts), trained offline (scripts/
 * train-detector-model.ts, bench/learned-cv.ts): stochastic gradient descent with L2, a fixed seed
 * and a fixed number of epochs, so the same examples always give the same weights.
 */

export interface Example {
  /** distinct feature indexes (featureSet) */
  features: Int32Array;
  label: boolean;
}

export interface TrainOptions {
  epochs: number;
  /** initial learning rate, decayed as 1/(1 + t/n) */
  rate: number;
  /** L2 strength per example step */
  l2: number;
  seed: number;
  /** weight of a positive example relative to a negative one */
  positiveWeight: number;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<TrainOptions> = Object.freeze({ epochs: 40, rate: 0.5, l2: 1e-4, seed: 12, positiveWeight: 1 });

/** mulberry32: a small deterministic generator for the shuffles */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function featureScale(n: number): number {
  return n > 0 ? 1 / Math.sqrt(n) : 0;
}

/** A trained model: weights of the (length-normalised) features and an intercept outside the normalisation. */
export interface Trained {
  weights: Float64Array;
  intercept: number;
}

/** Trains dense weights over `slots` feature slots, and the intercept (not regularised). */
export function train(examples: readonly Example[], slots: number, options: Partial<TrainOptions> = {}): Trained {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const w = new Float64Array(slots);
  let b = 0;
  const order = examples.map((_, k) => k);
  const next = rng(o.seed);
  let t = 0;
  // lazy L2: each weight decays by `scale`; w holds weights ÷ scale
  let scale = 1;
  const total = examples.length * o.epochs;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      const x = order[k]!;
      order[k] = order[j]!;
      order[j] = x;
    }
    for (const k of order) {
      const ex = examples[k]!;
      const f = ex.features;
      const v = featureScale(f.length);
      let z = 0;
      for (let i = 0; i < f.length; i++) z += w[f[i]!]!;
      z = z * v * scale + b;
      const p = 1 / (1 + Math.exp(-z));
      const y = ex.label ? 1 : 0;
      const lr = o.rate / (1 + (t * 10) / total);
      t++;
      scale *= 1 - lr * o.l2;
      if (scale < 1e-9) {
        for (let i = 0; i < w.length; i++) w[i]! *= scale;
        scale = 1;
      }
      const g = (p - y) * (ex.label ? o.positiveWeight : 1);
      const step = (lr * g * v) / scale;
      b -= lr * g;
      for (let i = 0; i < f.length; i++) w[f[i]!]! -= step;
    }
  }
  for (let i = 0; i < w.length; i++) w[i]! *= scale;
  return { weights: w, intercept: b };
}

/** The model's probability for a feature set. */
export function probability(model: Trained, features: Int32Array): number {
  const w = model.weights;
  let z = 0;
  for (let i = 0; i < features.length; i++) z += w[features[i]!]!;
  z = z * featureScale(features.length) + model.intercept;
  return 1 / (1 + Math.exp(-z));
}
