// POST /stores/:id/integrations/:type/test: real calls through each adapter's SDK against the sandbox
// (which speaks the helpdesks' API contracts) and a real webhook receiver. Good credentials are ok;
// a wrong token, an unknown Slack channel and an unreachable host each get a sentence saying so.
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/app.ts';
import { WEBHOOK_SECRET, freePort, startPipeline, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

let p: Pipeline;
let store: StoreHandle;

beforeAll(async () => {
  p = await startPipeline({ workers: false });
  store = await p.createStore();
}, 60_000);
afterAll(async () => {
  await p?.close();
});

const check = async (s: StoreHandle, type: string, body?: unknown, key = s.apiKey) => {
  const res = await p.call(key, {
    method: 'POST',
    url: `/stores/${s.id}/integrations/${type}/test`,
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, json: res.json() };
};

describe('integration credentials test', () => {
  it('answers ok for good credentials, for every integration, and creates nothing', async () => {
    const pingsBefore = p.receiver.received.length;
    const slack = await check(store, 'slack');
    expect(slack).toEqual({
      status: 200,
      json: { ok: true, detail: expect.stringMatching(/^Slack accepted the token of the bot reva-bot in the workspace Sandbox; #support found\.$/) },
    });
    expect(await check(store, 'zendesk')).toEqual({
      status: 200,
      json: { ok: true, detail: expect.stringMatching(/^Zendesk accepted the token of agent \(agent\) on acme\.$/) },
    });
    expect(await check(store, 'freshdesk')).toEqual({
      status: 200,
      json: { ok: true, detail: 'Freshdesk accepted the API key of Sandbox Agent <agent@sandbox.test> on acme.freshdesk.com.' },
    });
    const webhook = await check(store, 'webhook');
    expect(webhook.json).toEqual({
      ok: true,
      detail: expect.stringMatching(new RegExp(`^${p.receiver.url.replace(/[./]/g, '\\$&')} answered 204 to a signed reva\\.ping event in \\d+ ms\\.$`)),
    });
    // The ping is a Standard Webhooks message the receiver can verify with the store's secret.
    const ping = p.receiver.received[pingsBefore]!;
    expect(ping.json.type).toBe('reva.ping');
    expect(() => new Webhook(WEBHOOK_SECRET).verify(ping.body, ping.headers as Record<string, string>)).not.toThrow();
    // The checks called who-am-I endpoints only.
    const state = p.sandbox.state;
    expect(state.slack.messages).toHaveLength(0);
    expect(state.zendesk.tickets).toHaveLength(0);
    expect(state.freshdesk.tickets).toHaveLength(0);
    const paths = p.sandbox.state.requests.map((r) => `${r.service} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['slack /api/auth.test', 'slack /api/conversations.list', 'zendesk /api/v2/users/me.json', 'freshdesk /api/v2/agents/me']),
    );
  });

  it('a wrong token, key or API token: a sentence naming the setting to fix', async () => {
    const bad = await p.createStore({
      slack: { enabled: true, channel: '#support', botToken: 'xoxb-invalid' },
      zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'invalid', webhookSecret: 'zd-hook-secret' },
      freshdesk: { enabled: true, domain: 'acme', apiKey: 'invalid', webhookSecret: 'fd-hook-secret' },
    });
    expect((await check(bad, 'slack')).json).toEqual({
      ok: false,
      error: 'Slack did not accept the bot token (invalid_auth): check slack.botToken (a bot token, xoxb-…, of an app installed in your workspace).',
    });
    expect((await check(bad, 'zendesk')).json).toEqual({
      ok: false,
      error:
        'Zendesk did not accept the email agent@acme.test with this API token (HTTP 401): check zendesk.email and zendesk.apiToken, and that token access is on.',
    });
    expect((await check(bad, 'freshdesk')).json).toEqual({ ok: false, error: 'Freshdesk did not accept the API key (HTTP 401): check freshdesk.apiKey.' });
    // A receiver that refuses the signature.
    p.receiver.fail(401);
    expect((await check(bad, 'webhook')).json).toEqual({
      ok: false,
      error: `${p.receiver.url} answered 401 to a signed test event: check that the receiver verifies with the same secret (webhook.secret).`,
    });
  });

  it('an unknown Slack channel, by name or by ID, and one among the priority channels', async () => {
    const byName = await p.createStore({ slack: { enabled: true, channel: '#missing-room', botToken: 'xoxb-test-token' } });
    expect((await check(byName, 'slack')).json).toEqual({
      ok: false,
      error:
        'Slack has no channel #missing-room that the bot reva-bot in the workspace Sandbox can see: check the name, or invite the bot to a private channel (/invite @bot).',
    });
    const byId = await p.createStore({ slack: { enabled: true, channel: 'CMISSING42', botToken: 'xoxb-test-token' } });
    expect((await check(byId, 'slack')).json).toMatchObject({ ok: false, error: expect.stringMatching(/^Slack has no channel CMISSING42 /) });
    const priority = await p.createStore({
      slack: { enabled: true, channel: 'C0123ABCD', channelsByPriority: { URGENT: '#missing-urgent' }, botToken: 'xoxb-test-token' },
    });
    expect((await check(priority, 'slack')).json).toMatchObject({ ok: false, error: expect.stringMatching(/^Slack has no channel #missing-urgent /) });
  });

  it('unsaved settings in the body are tested without being saved; omitted secrets are the saved ones', async () => {
    const draftBad = await check(store, 'slack', { enabled: true, channel: '#support', botToken: 'xoxb-invalid' });
    expect(draftBad.json).toMatchObject({ ok: false, error: expect.stringMatching(/invalid_auth/) });
    const draftChannel = await check(store, 'slack', { enabled: true, channel: '#missing-draft' });
    expect(draftChannel.json).toMatchObject({ ok: false, error: expect.stringMatching(/no channel #missing-draft/) });
    const masked = await check(store, 'zendesk', { enabled: false, subdomain: 'acme', email: 'agent@acme.test', apiToken: '****' });
    expect(masked.json).toMatchObject({ ok: true, detail: expect.stringMatching(/\(The integration is disabled: enable it to send cases there\.\)$/) });
    // Nothing was saved.
    const saved = await p.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` });
    expect(saved.json().slack).toMatchObject({ channel: '#support', botToken: '****oken' });
    expect(saved.json().zendesk.enabled).toBe(true);
    expect((await check(store, 'slack')).json.ok).toBe(true);
    // A draft is validated like a PUT.
    const invalid = await check(store, 'slack', { enabled: true, channel: 'not a channel!' });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^body\.channel: must be a channel name/) });
  });

  it('a store tests its own integrations only; unknown types are a 400; an unconfigured integration says so', async () => {
    const other = await p.createStore();
    const foreign = await check(other, 'slack', undefined, store.apiKey);
    expect(foreign.status).toBe(403);
    expect((await check(other, 'slack', undefined, ADMIN_KEY)).json.ok).toBe(true);
    const unknown = await check(store, 'pager');
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/params\.type/);
    const bare = await p.createStore({ slack: null, zendesk: null, freshdesk: null, webhook: null });
    expect((await check(bare, 'freshdesk')).json).toEqual({
      ok: false,
      error: 'Freshdesk is not configured for this store: save its settings first, or send them in the body to test them before saving.',
    });
  });
});

describe('unreachable hosts', () => {
  let t: TestApp;
  let dead: string;
  beforeAll(async () => {
    const port = await freePort();
    dead = `http://127.0.0.1:${port}`;
    t = await startTestApp({ SLACK_API_URL: `${dead}/api/`, ZENDESK_API_URL: dead, FRESHDESK_API_URL: dead, HELPDESK_REQUEST_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => t?.close());

  it('each integration says it could not reach the host, and why', async () => {
    const s = await t.createStore();
    const put = await t.call(s.apiKey, {
      method: 'PUT',
      url: `/stores/${s.id}/escalation-config`,
      payload: {
        slack: { enabled: true, channel: '#support', botToken: 'xoxb-test-token' },
        zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'zd-token' },
        freshdesk: { enabled: true, domain: 'acme', apiKey: 'fd-key' },
        webhook: { enabled: true, url: `${dead}/hooks`, secret: WEBHOOK_SECRET },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const run = async (type: string) => (await t.call(s.apiKey, { method: 'POST', url: `/stores/${s.id}/integrations/${type}/test` })).json();
    expect(await run('slack')).toEqual({ ok: false, error: `Could not reach Slack at ${dead}/api/: the connection was refused (nothing listens there).` });
    expect(await run('zendesk')).toEqual({ ok: false, error: `Could not reach Zendesk at ${dead}: the connection was refused (nothing listens there).` });
    expect(await run('freshdesk')).toEqual({ ok: false, error: `Could not reach Freshdesk at ${dead}: the connection was refused (nothing listens there).` });
    expect(await run('webhook')).toEqual({ ok: false, error: `Could not reach ${dead}/hooks: the connection was refused (nothing listens there).` });
  });

  it('a host that accepts the connection and never answers: no answer within the time limit, for each integration', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slow = await startTestApp({
      SLACK_API_URL: `${origin}/api/`,
      ZENDESK_API_URL: origin,
      FRESHDESK_API_URL: origin,
      HELPDESK_REQUEST_TIMEOUT_MS: '1000',
    });
    try {
      const s = await slow.createStore();
      const put = await slow.call(s.apiKey, {
        method: 'PUT',
        url: `/stores/${s.id}/escalation-config`,
        payload: {
          slack: { enabled: true, channel: '#support', botToken: 'xoxb-test-token' },
          zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'zd-token' },
          freshdesk: { enabled: true, domain: 'acme', apiKey: 'fd-key' },
          webhook: { enabled: true, url: `${origin}/hooks`, secret: WEBHOOK_SECRET },
        },
      });
      expect(put.statusCode, put.body).toBe(200);
      const started = Date.now();
      const results = await Promise.all(
        ['slack', 'zendesk', 'freshdesk', 'webhook'].map(async (type) =>
          (await slow.call(s.apiKey, { method: 'POST', url: `/stores/${s.id}/integrations/${type}/test` })).json(),
        ),
      );
      expect(results).toEqual([
        { ok: false, error: `Could not reach Slack at ${origin}/api/: no answer within 1 s.` },
        { ok: false, error: `Could not reach Zendesk at ${origin}: no answer within 1 s.` },
        { ok: false, error: `Could not reach Freshdesk at ${origin}: no answer within 1 s.` },
        { ok: false, error: `Could not reach ${origin}/hooks: no answer within 1 s.` },
      ]);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await slow.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
