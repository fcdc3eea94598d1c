import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, seedConversation, happyConversation, type TestApp } from '../helpers/app.ts';

describe('smoke: the seed example end to end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('escalates the seed and not the happy conversation', async () => {
    const store = await t.createStore();
    const res = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: seedConversation() });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.decision.triggers.map((x: { type: string }) => x.type)).toEqual(
      expect.arrayContaining(['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH']),
    );
    const happy = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: happyConversation() });
    expect(happy.statusCode, happy.body).toBe(200);
    expect(happy.json().escalated).toBe(false);
    const list = await t.call(store.apiKey, { method: 'GET', url: '/escalations' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const one = await t.call(store.apiKey, { method: 'GET', url: `/escalations/${body.escalation.id}` });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().timeline[0].type).toBe('created');
    expect(one.json().context.messages).toHaveLength(5);
  });
});
