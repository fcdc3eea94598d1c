import { describe, it, expect } from 'vitest';
import { compileSettings, detect, type Decision, type Trigger, type TriggerType } from '../../../src/detection/index.ts';
import { HAPPY, SEED, chat, said } from './helpers.ts';

function trigger(d: Decision, type: TriggerType): Trigger | undefined {
  return d.triggers.find((t) => t.type === type);
}
function types(d: Decision): TriggerType[] {
  return d.triggers.map((t) => t.type);
}

describe('seed example and happy case', () => {
  it('the frustrated seed conversation fires LOW_CONFIDENCE, NEGATIVE_SENTIMENT and KEYWORD_MATCH', () => {
    const d = detect(SEED);
    expect(d.shouldEscalate).toBe(true);
    expect(types(d)).toEqual(expect.arrayContaining(['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH']));
    expect(trigger(d, 'LOW_CONFIDENCE')).toMatchObject({ value: 0.3, threshold: 0.7, messageIndexes: [3] });
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toMatchObject({ value: -0.8, threshold: -0.5 });
    expect(trigger(d, 'KEYWORD_MATCH')).toMatchObject({ value: ['speak to a manager'], threshold: null, messageIndexes: [4] });
    // also: the customer asked for a manager, and says it is the third time
    expect(trigger(d, 'MANUAL')).toMatchObject({ value: 'customer_request', messageIndexes: [4] });
    expect(trigger(d, 'REPEATED_QUESTION')).toMatchObject({ value: 2, messageIndexes: [2] });
    expect(d.sentiment).toBe(-0.8);
    expect(d.confidence).toBe(0.3);
    expect(d.intent).toBe('delivery');
    expect(d.keywords).toEqual(['speak to a manager']);
    expect(d.priority).toBe('HIGH');
    expect(d.turns).toBe(3);
    expect(d.summary).toBe('Delivery: Where is my order #1234? It’s been two weeks. … Latest: I want to speak to a manager right now.');
  });

  it('the seed conversation is negative by its own computed sentiment too', () => {
    const { customerSentiment: _ignored, ...withoutScore } = SEED;
    const d = detect(withoutScore);
    expect(d.sentiment).toBeLessThanOrEqual(-0.5);
    expect(trigger(d, 'NEGATIVE_SENTIMENT')?.messageIndexes).toEqual([0, 2]);
  });

  it('a happy conversation with high confidence does not escalate', () => {
    const d = detect(HAPPY);
    expect(d).toMatchObject({ shouldEscalate: false, triggers: [], priority: 'LOW', keywords: [], riskFlags: [], turns: 2 });
    expect(d.sentiment).toBeGreaterThan(0.3);
    expect(d.confidence).toBe(0.95);
  });
});

describe('LOW_CONFIDENCE', () => {
  it('fires strictly below the threshold', () => {
    expect(trigger(detect(chat(['hi there, a question'], { aiConfidence: 0.69 })), 'LOW_CONFIDENCE')?.value).toBe(0.69);
    expect(trigger(detect(chat(['hi there, a question'], { aiConfidence: 0.7 })), 'LOW_CONFIDENCE')).toBeUndefined();
    expect(trigger(detect(chat(['hi'], { aiConfidence: 0.9 })), 'LOW_CONFIDENCE')).toBeUndefined();
  });

  it('does not fire without a confidence, or with a non-number', () => {
    expect(detect(chat(['hi'])).confidence).toBeNull();
    expect(trigger(detect(chat(['hi'])), 'LOW_CONFIDENCE')).toBeUndefined();
    expect(trigger(detect(chat(['hi'], { aiConfidence: Number.NaN })), 'LOW_CONFIDENCE')).toBeUndefined();
  });

  it('uses the store threshold and clamps confidence to 0..1', () => {
    const strict = { confidenceThreshold: 0.9 };
    expect(trigger(detect(chat(['hi'], { aiConfidence: 0.85 }), strict), 'LOW_CONFIDENCE')).toMatchObject({ threshold: 0.9 });
    expect(detect(chat(['hi'], { aiConfidence: -3 })).confidence).toBe(0);
    expect(detect(chat(['hi'], { aiConfidence: 7 })).confidence).toBe(1);
  });
});

describe('NEGATIVE_SENTIMENT', () => {
  it('uses the caller sentiment when given, firing at or below the threshold', () => {
    expect(trigger(detect(chat(['Great, thanks!'], { customerSentiment: -0.5 })), 'NEGATIVE_SENTIMENT')?.value).toBe(-0.5);
    expect(trigger(detect(chat(['This is ridiculous!'], { customerSentiment: -0.49 })), 'NEGATIVE_SENTIMENT')).toBeUndefined();
    expect(detect(chat(['x'], { customerSentiment: -9 })).sentiment).toBe(-1);
  });

  it('computes sentiment from the customer messages otherwise', () => {
    const d = detect(said('Still waiting. This is ridiculous, worst service ever!'));
    expect(d.sentiment).toBeLessThan(-0.7);
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toMatchObject({ threshold: -0.5, messageIndexes: [0] });
    expect(trigger(d, 'NEGATIVE_SENTIMENT')?.reason).toContain('computed from 1 customer message');
  });

  it('does not fire on a neutral problem report or without customer messages', () => {
    expect(trigger(detect(said('I have a problem with my order')), 'NEGATIVE_SENTIMENT')).toBeUndefined();
    expect(detect({ channel: 'email', messages: [] }).triggers).toEqual([]);
  });

  it('uses the store threshold', () => {
    const d = detect(said('I have a problem with my order'), { sentimentThreshold: -0.3 });
    expect(trigger(d, 'NEGATIVE_SENTIMENT')).toMatchObject({ threshold: -0.3 });
  });
});

describe('MAX_TURNS_EXCEEDED', () => {
  const turns = (n: number): string[] => Array.from({ length: n }, (_, i) => `question number ${i} about sizes`);

  it('counts customer messages and fires above maxTurns (default 10)', () => {
    expect(trigger(detect(chat(turns(11))), 'MAX_TURNS_EXCEEDED')).toMatchObject({ value: 11, threshold: 10 });
    expect(trigger(detect(chat(turns(10))), 'MAX_TURNS_EXCEEDED')).toBeUndefined();
    expect(detect(chat(turns(10))).turns).toBe(10); // the 10 assistant replies do not count
  });

  it('uses the store maxTurns', () => {
    expect(trigger(detect(chat(turns(4)), { maxTurns: 3 }), 'MAX_TURNS_EXCEEDED')?.value).toBe(4);
  });
});

describe('MANUAL', () => {
  it('fires on the manual flag, with the caller reason', () => {
    const d = detect(chat(['hello'], { manual: true, reason: 'Agent took over' }));
    expect(trigger(d, 'MANUAL')).toMatchObject({ value: 'manual_flag', threshold: null });
    expect(trigger(d, 'MANUAL')?.reason).toContain('Agent took over');
    expect(d.shouldEscalate).toBe(true);
  });

  it.each([
    'can I talk to a human',
    'Transfer me to an agent please',
    'I want a real person',
    'let me speak with your supervisor',
    'REPRESENTATIVE!!',
    'agent',
    'get me your manager',
    'Could you connect me with someone from customer service?',
    'I want to talk to real people',
    "I'd like an agent please",
  ])('fires when the customer asks for a person: "%s"', (text) => {
    const t = trigger(detect(said('hi', text)), 'MANUAL');
    expect(t).toMatchObject({ value: 'customer_request', messageIndexes: [1] });
  });

  it.each([
    'The agent said my refund was approved',
    "I don't need to talk to a human, just tell me the price",
    'Are you a bot?',
    'My manager ordered these for the team',
    'Is the humanity hoodie in stock?',
    "I like 'Agent Maya' on the luggage tag, can you engrave that?",
  ])('does not fire on "%s"', (text) => {
    expect(trigger(detect(said(text)), 'MANUAL')).toBeUndefined();
  });

  it('names both when the flag is set and the customer asked', () => {
    const t = trigger(detect(chat(['I want a human'], { manual: true })), 'MANUAL');
    expect(t?.value).toBe('manual_flag');
    expect(t?.reason).toMatch(/Manual escalation requested.*Customer asked for a person/);
    expect(t?.messageIndexes).toEqual([0]);
  });

  it('only reads customer messages', () => {
    expect(trigger(detect({ channel: 'web_chat', messages: [{ role: 'assistant', text: 'Want me to transfer you to an agent?' }] }), 'MANUAL')).toBeUndefined();
  });
});

describe('REPEATED_QUESTION', () => {
  it('fires on similar messages, ignoring greetings and acknowledgements', () => {
    const d = detect(chat(['Where is my order 1234?', 'ok', 'thanks', 'Where is my order #1234??']));
    expect(trigger(d, 'REPEATED_QUESTION')).toMatchObject({ value: 1, threshold: 1, messageIndexes: [0, 6] });
  });

  it('counts each repeat', () => {
    const d = detect(said('When will my refund arrive?', 'when will my refund arrive', 'WHEN WILL MY REFUND ARRIVE???'));
    expect(trigger(d, 'REPEATED_QUESTION')?.value).toBe(2);
  });

  it('fires on explicit phrases, with ordinal and counted repeats', () => {
    expect(trigger(detect(said('I already asked this, where is my refund?')), 'REPEATED_QUESTION')?.value).toBe(1);
    expect(trigger(detect(said('This is the third time I am asking!')), 'REPEATED_QUESTION')?.value).toBe(2);
    expect(trigger(detect(said('I have asked 4 times about my refund')), 'REPEATED_QUESTION')?.value).toBe(3);
    expect(trigger(detect(said('How many times do I have to ask?')), 'REPEATED_QUESTION')?.value).toBe(2);
  });

  it('does not fire on different questions, greetings or an ordinal without asking', () => {
    expect(trigger(detect(said('Do you ship to Canada?', 'How long does shipping take?', 'Can I pay with PayPal?')), 'REPEATED_QUESTION')).toBeUndefined();
    expect(trigger(detect(said('hi', 'hi', 'hello', 'thanks', 'thanks', 'ok', 'ok')), 'REPEATED_QUESTION')).toBeUndefined();
    expect(trigger(detect(said('This is the second time I order from you, love it')), 'REPEATED_QUESTION')).toBeUndefined();
  });
});

describe('shouldEscalate and settings', () => {
  it('is true exactly when a trigger fired', () => {
    for (const input of [SEED, HAPPY, said('hello'), said('I want a refund, this is ridiculous')]) {
      const d = detect(input);
      expect(d.shouldEscalate).toBe(d.triggers.length > 0);
    }
  });

  it('accepts compiled settings and plain settings alike', () => {
    const plain = { confidenceThreshold: 0.8, keywords: ['warranty claim'] };
    const compiled = compileSettings(plain);
    const input = chat(['I want to make a warranty claim'], { aiConfidence: 0.75 });
    expect(detect(input, compiled)).toEqual(detect(input, plain));
    expect(types(detect(input, compiled))).toEqual(['LOW_CONFIDENCE', 'KEYWORD_MATCH']);
  });

  it('compileSettings clamps and defaults bad values', () => {
    const s = compileSettings({
      confidenceThreshold: 4,
      sentimentThreshold: Number.NaN,
      maxTurns: 0.5,
      keywords: ['  Speak to the OWNER! ', '', 42 as unknown as string, 'speak to the owner'],
    });
    expect(s).toMatchObject({ compiled: true, confidenceThreshold: 1, sentimentThreshold: -0.5, maxTurns: 1, keywords: ['speak to the owner'] });
    expect(compileSettings({ keywords: Array.from({ length: 2000 }, (_, i) => `kw${i}`) }).keywords).toHaveLength(500);
  });
});
