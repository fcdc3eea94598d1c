import { describe, it, expect } from 'vitest';
import { MAX_SUMMARY_CHARS, buildSummary, detect, type ConversationInput } from '../../../src/detection/index.ts';
import { SEED, said } from './helpers.ts';

describe('total on any input', () => {
  it('empty messages → no triggers, intent other', () => {
    expect(detect({ channel: 'web_chat', messages: [] })).toEqual({
      shouldEscalate: false,
      priority: 'LOW',
      triggers: [],
      sentiment: 0,
      confidence: null,
      intent: 'other',
      keywords: [],
      riskFlags: [],
      summary: 'Other: no customer messages.',
      turns: 0,
    });
  });

  it('survives malformed input shapes without throwing', () => {
    const bad = [
      null,
      undefined,
      {},
      { messages: null },
      { messages: 'hello' },
      { messages: [null, 42, 'x', { role: 'customer' }, { role: 'customer', text: 12 }, { role: 'robot', text: 'hi' }] },
      { messages: [{ role: 'customer', text: '\u0000\uD800\uDFFF\u200B' }], aiConfidence: 'high', customerSentiment: {} },
      { messages: [{ role: 'customer', text: 'x' }], customer: 'vip', order: 5, detectedIntent: 7, manual: 'yes' },
    ] as unknown as ConversationInput[];
    for (const input of bad) {
      const d = detect(input);
      expect(d.intent).toBeTypeOf('string');
      expect(Array.isArray(d.triggers)).toBe(true);
      expect(d.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    }
    expect(detect(bad[6]!).confidence).toBeNull();
    expect(detect(bad[7]!).triggers.find((t) => t.type === 'MANUAL')).toBeUndefined(); // manual must be true
  });

  it('500 messages of 5,000 characters with emoji: bounded, fast, still correct', () => {
    const chunk = 'Where is my order?? 😡😡 This is taking forever 🙄 ';
    const big = chunk.repeat(Math.ceil(5000 / chunk.length)).slice(0, 5000);
    const messages = Array.from({ length: 500 }, (_, i) => ({
      role: i % 2 === 0 ? ('customer' as const) : ('assistant' as const),
      text: i === 498 ? `${big.slice(0, 4000)} I want to speak to a manager. ${big.slice(0, 700)}` : big,
    }));
    const input: ConversationInput = { channel: 'web_chat', messages, aiConfidence: 0.9 };
    detect(input); // warm-up
    const t0 = performance.now();
    const d = detect(input);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000); // typically 10–80 ms: this catches a super-linear blow-up, not a slow machine
    expect(d.turns).toBe(250);
    expect(d.triggers.map((t) => t.type)).toEqual(['NEGATIVE_SENTIMENT', 'KEYWORD_MATCH', 'MAX_TURNS_EXCEEDED', 'MANUAL', 'REPEATED_QUESTION']);
    expect(d.keywords).toEqual(['speak to a manager']); // found in the tail of a long message
    expect(d.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(JSON.stringify(d).length).toBeLessThan(20_000);
  });

  it('a single 1 MB message is capped', () => {
    const t0 = performance.now();
    const d = detect(said('refund '.repeat(150_000)));
    expect(performance.now() - t0).toBeLessThan(1000); // capped input: typically a few ms
    expect(d.intent).toBe('refund_return');
  });
});

describe('summary', () => {
  it('is prefixed by the intent, quotes the first problem statement and the latest message', () => {
    expect(detect(SEED).summary).toBe('Delivery: Where is my order #1234? It’s been two weeks. … Latest: I want to speak to a manager right now.');
  });

  it('skips greetings and acknowledgements', () => {
    const d = detect(said('Hi!', 'My blender arrived with a cracked jug', 'ok', 'Can you send a replacement?', 'thanks'));
    expect(d.summary).toBe('Damaged item: My blender arrived with a cracked jug … Latest: Can you send a replacement?');
  });

  it('uses one message when there is only one informative message', () => {
    expect(detect(said('hello', 'Can I change the delivery address for order 778?', 'thanks')).summary).toBe(
      'Delivery: Can I change the delivery address for order 778?',
    );
  });

  it('is at most 300 characters, cut at word boundaries, whitespace collapsed', () => {
    const long = 'The   package\n\nwas left at the wrong door and somebody took it. '.repeat(20);
    const s = detect(said(long, `Latest:\t${long}`)).summary;
    expect(s.length).toBeLessThanOrEqual(300);
    expect(s).toMatch(/^Delivery: The package was left at the wrong door/);
    expect(s).toContain('… Latest: Latest: The package');
    expect(s).not.toMatch(/\s{2,}|\n|\t/);
    expect(s.endsWith('…')).toBe(true);
  });

  it('trims leading and trailing spaces', () => {
    expect(detect(said('   My parcel is late again   ')).summary).toBe('Delivery: My parcel is late again');
  });

  it('buildSummary handles no messages', () => {
    expect(buildSummary('other', [])).toBe('Other: no customer messages.');
  });
});
