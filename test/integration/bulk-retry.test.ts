// POST /deliveries/retry: once a store's settings are fixed, every FAILED delivery matching the filter
// is sent again exactly once (two calls at once included), and nothing outside the filter moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, seedConversation, startPipeline, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline();
}, 60_000);
afterAll(async () => {
  await p?.close();
});

const retry = async (key: string, body?: object) => {
  const res = await p.call(key, { method: 'POST', url: '/deliveries/retry', ...(body ? { payload: body } : {}) });
  return { status: res.statusCode, json: res.json() };
};

async function failedCases(store: StoreHandle, n: number, types: ('SLACK' | 'ZENDESK')[]) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await p.escalate(store, seedConversation())).id);
  for (const id of ids) for (const type of types) await p.waitForDelivery(store, id, type, 'FAILED');
  return ids;
}

const slackTopLevelPosts = (caseId: string) =>
  p.sandbox.state.slack.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(caseId)).length;

describe('bulk retry of failed deliveries', () => {
  it('re-delivers every FAILED delivery of the filter exactly once, even with two calls at once; the rest stays FAILED', async () => {
    const zendeskBroken = { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'invalid', webhookSecret: 'zd-hook-secret' };
    const a = await p.createStore({
      slack: { enabled: true, channel: '#missing-a', botToken: 'xoxb-test-token' },
      zendesk: zendeskBroken,
      freshdesk: null,
      webhook: null,
    });
    const b = await p.createStore({
      slack: { enabled: true, channel: '#missing-b', botToken: 'xoxb-test-token' },
      zendesk: null,
      freshdesk: null,
      webhook: null,
    });
    const aCases = await failedCases(a, 4, ['SLACK', 'ZENDESK']);
    const bCases = await failedCases(b, 2, ['SLACK']);
    const since = new Date();

    // The merchant fixes the Slack channel (the bot token is kept: omitted secrets stay).
    await p.putConfig(a, { slack: { enabled: true, channel: '#support' }, zendesk: { ...zendeskBroken, apiToken: undefined } });
    // Nothing failed after `since`: nothing is sent.
    expect(await retry(a.apiKey, { integration: 'slack', since: since.toISOString() })).toEqual({ status: 202, json: { requeued: 0 } });

    const [one, two] = await Promise.all([retry(a.apiKey, { integration: 'slack' }), retry(a.apiKey, { integration: 'SLACK', storeId: a.id })]);
    expect(one.status).toBe(202);
    expect(two.status).toBe(202);
    expect(one.json.requeued + two.json.requeued).toBe(4);

    for (const id of aCases) await p.waitForDelivery(a, id, 'SLACK', 'DELIVERED');
    // Give any duplicate job time to land before counting.
    await new Promise((r) => setTimeout(r, 500));
    for (const id of aCases) expect(slackTopLevelPosts(id), id).toBe(1);
    // Outside the filter: A's Zendesk deliveries and B's Slack deliveries are untouched.
    for (const id of aCases) expect((await p.getCase(a, id)).deliveries.find((d: { type: string }) => d.type === 'ZENDESK').status).toBe('FAILED');
    for (const id of bCases) expect((await p.getCase(b, id)).deliveries.find((d: { type: string }) => d.type === 'SLACK').status).toBe('FAILED');
    // The timeline says so.
    const { timeline } = await p.getCase(a, aCases[0]!);
    expect(timeline.filter((e: { type: string }) => e.type === 'delivery_retried')).toHaveLength(1);
    // Nothing left to retry for that filter.
    expect((await retry(a.apiKey, { integration: 'slack' })).json).toEqual({ requeued: 0 });

    // Another store's deliveries are not a store key's to retry; the admin replays them.
    const foreign = await retry(a.apiKey, { storeId: b.id });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ statusCode: 403, message: 'This API key belongs to another store' });
    await p.putConfig(b, { slack: { enabled: true, channel: '#support' } });
    const admin = await retry(ADMIN_KEY, { storeId: b.id, integration: 'slack', since: new Date(since.getTime() - 60_000).toISOString() });
    expect(admin).toEqual({ status: 202, json: { requeued: 2 } });
    for (const id of bCases) await p.waitForDelivery(b, id, 'SLACK', 'DELIVERED');
    for (const id of bCases) expect(slackTopLevelPosts(id)).toBe(1);

    // Still broken credentials fail again, and are counted again by the next retry: each call sends each once.
    expect((await retry(a.apiKey, { integration: 'zendesk' })).json).toEqual({ requeued: 4 });
    await waitUntil(
      'zendesk failed again',
      async () => (await p.db.escalationIntegration.count({ where: { escalationId: { in: aCases }, type: 'ZENDESK', status: 'FAILED' } })) === 4,
      10_000,
      100,
    );
  }, 90_000);

  it('validates the filter', async () => {
    const store = await p.createStore();
    const bad = await retry(store.apiKey, { integration: 'pager' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/integration/);
    expect((await retry(store.apiKey, { since: 'yesterday' })).status).toBe(400);
    expect((await retry(store.apiKey, { storeId: 'x' })).status).toBe(400);
    expect((await retry(store.apiKey, { extra: 1 })).status).toBe(400);
    expect((await retry(store.apiKey)).json).toEqual({ requeued: 0 });
    expect((await p.call(null, { method: 'POST', url: '/deliveries/retry', payload: {} })).statusCode).toBe(401);
  });
});
