import { describe, expect, it } from 'vitest';
import { loadOwnSet } from '../../../bench/conversations.ts';
import { detect, type ConversationInput, type Decision } from '../../../src/detection/index.ts';
import { FEATURE_SLOTS, featureSet, type LearnedConversation } from '../../../src/detection/learned/features.ts';
import { LEARNED_THRESHOLD, learnedScore, packWeights, topPhrases, unpackWeights, weakEvidence } from '../../../src/detection/learned/model.ts';
import { learnedConversationOf, prefixesOf } from '../../../src/detection/learned/read.ts';
import { probability, train } from '../../../src/detection/learned/train.ts';
import { isLearnedTrigger } from '../../../src/detection/learned/trigger.ts';
import { chat, HAPPY } from './helpers.ts';

function conv(texts: readonly string[], sentiment = 0): LearnedConversation {
  return learnedConversationOf(
    texts.map((text) => ({ role: 'customer' as const, text })),
    sentiment,
    texts.length,
  );
}

function features(...texts: string[]): Set<number> {
  return new Set(featureSet(conv(texts)));
}

function learned(d: Decision) {
  return d.triggers.find(isLearnedTrigger);
}

describe('learned scorer: features', () => {
  it('are the same for the same conversation, and within the hashed slots', () => {
    const a = featureSet(conv(['my parcel has not arrived after 3 weeks', 'still nothing']));
    const b = featureSet(conv(['my parcel has not arrived after 3 weeks', 'still nothing']));
    expect([...a]).toEqual([...b]);
    for (const f of a) expect(f >= 0 && f < FEATURE_SLOTS).toBe(true);
  });

  it('mark a negated word apart from the same word said plainly', () => {
    const negated = features('it has not arrived');
    const plain = features('it has arrived');
    const onlyNegated = [...negated].filter((f) => !plain.has(f));
    // "not" itself, "has not", "not arrived" and the negated "arrived"
    expect(onlyNegated.length).toBeGreaterThanOrEqual(4);
    // negation stops at punctuation: "not sure, arrived" does not negate "arrived"
    const stopped = features('not sure, arrived');
    const plainArrived = features('sure arrived');
    expect([...features('not arrived')].filter((f) => !plainArrived.has(f) && !stopped.has(f)).length).toBeGreaterThan(0);
  });

  it('keep a quantity by its unit: "3 weeks" and "three weeks" share a feature that "3 apples" does not have', () => {
    const digits = features('waited 3 weeks');
    const words = features('waited three weeks');
    const apples = features('waited 3 apples');
    const shared = [...digits].filter((f) => words.has(f) && !apples.has(f));
    expect(shared.length).toBeGreaterThan(0);
  });

  it('read the latest message apart from earlier ones', () => {
    const thanksLast = features('it broke', 'thanks');
    const thanksFirst = features('thanks', 'it broke');
    expect([...thanksLast].sort()).not.toEqual([...thanksFirst].sort());
  });
});

describe('learned scorer: training and weights', () => {
  it('trains the same weights from the same examples (fixed seed) and separates a separable set', () => {
    const examples = [
      { features: Int32Array.from([1, 2]), label: true },
      { features: Int32Array.from([1, 3]), label: true },
      { features: Int32Array.from([4, 2]), label: false },
      { features: Int32Array.from([4, 5]), label: false },
    ];
    const a = train(examples, 8);
    const b = train(examples, 8);
    expect([...a.weights]).toEqual([...b.weights]);
    expect(a.intercept).toBe(b.intercept);
    expect(probability(a, Int32Array.from([1]))).toBeGreaterThan(0.5);
    expect(probability(a, Int32Array.from([4]))).toBeLessThan(0.5);
  });

  it('packs and unpacks weights to within their rounding, dropping the small ones', () => {
    const w = new Float64Array(64);
    w[0] = 1.2345;
    w[7] = -0.5;
    w[30] = 0.0001;
    w[63] = 2;
    const back = unpackWeights(packWeights(w, 1000, 0.002), 6);
    expect(back[0]).toBeCloseTo(1.235, 3);
    expect(back[7]).toBeCloseTo(-0.5, 3);
    expect(back[30]).toBe(0);
    expect(back[63]).toBeCloseTo(2, 3);
  });

  it('weak evidence: a negative message, a complaint fact or a sentiment below 0; none in a plain question', () => {
    expect(weakEvidence(conv(['do you ship to Canada?']))).toBe(false);
    expect(weakEvidence(conv(['do you ship to Canada?'], -0.1))).toBe(true);
    expect(weakEvidence(conv(['this is a bit disappointing']))).toBe(true);
  });

  it('scores within 0..1 and names only phrases of the customer words, no stop words alone', () => {
    const c = conv(['I ordered the lamp three weeks ago', 'it still has not arrived and nobody replies to my emails']);
    const p = learnedScore(c);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    const text = c.messages.map((m) => m.toks.join(' ')).join(' ');
    for (const ph of topPhrases(c)) {
      expect(text).toContain(ph.text);
      expect(['i', 'the', 'to', 'and', 'my', 'it', 'has']).not.toContain(ph.text);
    }
  });
});

describe('learned scorer in detect()', () => {
  const own = loadOwnSet();
  const decided = own.map((c) => ({ c, d: detect(c.input) }));
  const fired = decided.filter(({ d }) => learned(d) !== undefined);

  // a statistical scorer: a new calm conversation may now and then score high, so the guard is a rate
  it('catches conversations of our own set that no rule escalates, and escalates at most 1% of the calm ones', () => {
    const caught = fired.filter(({ c }) => c.needsHuman);
    const calm = decided.filter(({ c }) => !c.needsHuman);
    expect(caught.length).toBeGreaterThan(0);
    const loud = fired.filter(({ c }) => !c.needsHuman).map(({ c }) => c.id);
    expect(loud.length, loud.join(', ')).toBeLessThanOrEqual(0.01 * calm.length);
  });

  it('escalates at most 1% of the calm conversations of our own set mid-conversation (every prefix up to a customer message)', () => {
    const loud: string[] = [];
    let prefixes = 0;
    for (const c of own) {
      if (c.needsHuman) continue;
      for (const messages of prefixesOf(c.input.messages)) {
        prefixes++;
        if (learned(detect({ ...c.input, messages }))) loud.push(`${c.id}@${messages.length}`);
      }
    }
    expect(prefixes).toBeGreaterThan(100);
    expect(loud.length, loud.join(', ')).toBeLessThanOrEqual(0.01 * prefixes);
  });

  it('fires only when no rule fired, as a NEGATIVE_SENTIMENT that explains itself', () => {
    for (const { c, d } of fired) {
      expect(d.triggers).toHaveLength(1);
      const t = learned(d)!;
      expect(t.type).toBe('NEGATIVE_SENTIMENT');
      expect(t.value as number).toBeLessThanOrEqual(t.threshold as number);
      expect(t.threshold).toBe(-LEARNED_THRESHOLD);
      expect(t.reason).toMatch(/^Learned complaint score 0\.\d\d is at or above 0\.80 .*weighing most: "/);
      expect(t.messageIndexes!.length).toBeGreaterThan(0);
      for (const k of t.messageIndexes!) expect(c.input.messages[k]!.role).toBe('customer');
    }
  });

  it('does not escalate calm look-alikes: a question answered, a complaint resolved with thanks, a neutral use of a trigger word', () => {
    const calm: ConversationInput[] = [
      HAPPY,
      chat(['Hi, is the blue jacket still in stock in medium?', 'Perfect, ordering now, thanks!']),
      chat(['My parcel was late last week', 'It arrived this morning, all sorted, thank you!']),
      chat(['I bought this as a gift for my manager', 'Can you add a gift note saying happy birthday?']),
      chat(['What is your returns policy for sale items?']),
      chat(['I have a problem with my order']),
      chat(["We've been customers for 5 years and never had to ask for anything before, could you check the new address is on file?"]),
    ];
    for (const input of calm) {
      const d = detect(input);
      expect(learned(d)).toBeUndefined();
      expect(d.shouldEscalate).toBe(false);
    }
  });

  it('stays silent when the caller gives its own sentiment', () => {
    for (const { c } of fired) {
      const d = detect({ ...c.input, customerSentiment: 0.2 });
      expect(learned(d)).toBeUndefined();
    }
  });

  it('never throws on odd input and leaves empty conversations alone', () => {
    expect(learned(detect({ channel: 'web_chat', messages: [] }))).toBeUndefined();
    expect(() =>
      detect({
        channel: 'web_chat',
        messages: [
          { role: 'customer', text: '' },
          { role: 'customer', text: '?? !! 3' },
        ],
      }),
    ).not.toThrow();
  });
});
