import { describe, expect, it } from 'vitest';
import { compileSettings, detect } from '../../src/detection/index.ts';
import { evaluateConversation } from '../../src/escalations/decide.ts';
import type { StoreRecord } from '../../src/stores/store-directory.ts';

const store = (detection: Record<string, unknown> = {}): StoreRecord => ({
  id: 's-1',
  name: 'store',
  sandbox: false,
  updatedAt: new Date(),
  config: { detection } as StoreRecord['config'],
});

const conversations = [
  { conversationId: 'c-1', channel: 'web_chat', aiConfidence: 0.95, messages: [{ role: 'customer', text: 'Do you ship to Canada?' }] },
  {
    conversationId: 'c-2',
    channel: 'web_chat',
    aiConfidence: 0.9,
    messages: [
      { role: 'customer', text: 'Where is my order? It has been two weeks.' },
      { role: 'assistant', text: 'Let me check that for you.' },
      { role: 'customer', text: 'This is the third time I am asking. I want to speak to a manager.' },
    ],
  },
  { conversationId: 'c-3', channel: 'email', aiConfidence: 0.2, messages: [{ role: 'customer', text: 'The charger started smoking and burnt my desk.' }] },
] as const;

/** Lets every callback of this turn of the event loop, and their microtasks, run. */
const microtasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('detection of the requests read in one turn of the event loop', () => {
  it('runs together at the end of the turn, each with its own conversation and store settings, in the order asked', async () => {
    const strict = store({ sentimentThreshold: -0.1 });
    const asked = conversations.map((c, i) => ({ c, s: i === 1 ? strict : store() }));
    const done: string[] = [];
    const decisions = asked.map(({ c, s }) =>
      evaluateConversation(s, c as never).then((d) => {
        done.push(c.conversationId);
        return d;
      }),
    );
    await microtasks();
    expect(done).toEqual([]); // not one by one as asked: after the turn's other work
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual(['c-1', 'c-2', 'c-3']);
    const got = await Promise.all(decisions);
    for (const [i, { c, s }] of asked.entries()) expect(got[i]).toEqual(detect(c as never, compileSettings(s.config.detection ?? {})));
    expect(got.map((d) => d.shouldEscalate)).toEqual([false, true, true]);
  });

  it('answers a lone request in the same turn, and a request of the next turn in that turn', async () => {
    const first = await evaluateConversation(store(), conversations[2] as never);
    expect(first.riskFlags).toContain('safety');
    const later = evaluateConversation(store(), conversations[0] as never);
    await new Promise((resolve) => setImmediate(resolve));
    await microtasks();
    await expect(Promise.race([later, Promise.resolve('pending')])).resolves.not.toBe('pending');
  });
});
