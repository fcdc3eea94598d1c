import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, happyConversation, seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;

function expectError(res: { statusCode: number; json(): any; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  return res.json().message as string;
}

describe('auth and tenant isolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('POST /stores: admin only; returns the key once, stored hashed', async () => {
    const name = `Acme ${randomBytes(3).toString('hex')}`;
    const res = await t.call(ADMIN_KEY, { method: 'POST', url: '/stores', payload: { name } });
    expect(res.statusCode, res.body).toBe(201);
    const store = res.json();
    expect(store).toEqual({ id: expect.any(String), name, apiKey: expect.stringMatching(/^rk_live_[A-Za-z0-9_-]{40,}$/) });
    const keys = await t.app.ctx.db.apiKey.findMany({ where: { storeId: store.id } });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.keyHash).not.toContain(store.apiKey);
    expect(JSON.stringify(keys)).not.toContain(store.apiKey.slice(10));

    expect(expectError(await t.call(store.apiKey, { method: 'POST', url: '/stores', payload: { name: 'x' } }), 403)).toMatch(/admin/);
    expectError(await t.call(null, { method: 'POST', url: '/stores', payload: { name: 'x' } }), 401);
    expect(expectError(await t.call(ADMIN_KEY, { method: 'POST', url: '/stores', payload: { name: '' } }), 400)).toContain('body.name');
    expect(expectError(await t.call(ADMIN_KEY, { method: 'POST', url: '/stores', payload: {} }), 400)).toContain('body.name');
  });

  it('401 without a key, with a wrong key, or a malformed header', async () => {
    const headers = [undefined, 'Bearer nope', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${ADMIN_KEY}x`, `Bearer ${'k'.repeat(5000)}`];
    for (const authorization of headers) {
      for (const [method, url] of [
        ['POST', '/escalate'],
        ['GET', '/escalations'],
        ['GET', '/escalations/analytics'],
        ['GET', '/escalations/export'],
        ['GET', `/stores/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/escalation-config`],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: authorization ? { authorization } : {},
          payload: method === 'POST' ? seedConversation() : undefined,
        });
        expectError(res, 401);
      }
    }
  });

  it('a store key never reaches another store', async () => {
    const a = await t.createStore();
    const b = await t.createStore();
    const created = await t.call(b.apiKey, { method: 'POST', url: '/escalate', payload: seedConversation() });
    expect(created.statusCode).toBe(201);
    const id = created.json().escalation.id;

    const reads = [
      { method: 'GET', url: `/escalations/${id}` },
      { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'mallory' } },
      { method: 'POST', url: `/escalations/${id}/resolve`, payload: { summary: 'not mine' } },
      { method: 'POST', url: `/escalations/${id}/reopen`, payload: {} },
      { method: 'POST', url: `/escalations/${id}/feedback`, payload: { warranted: false } },
      { method: 'POST', url: `/escalations/${id}/retry` },
    ] as const;
    for (const r of reads) expectError(await t.call(a.apiKey, r as never), 404);

    // Naming the other store explicitly is forbidden, not a way in.
    expectError(await t.call(a.apiKey, { method: 'GET', url: `/escalations/${id}?storeId=${b.id}` }), 403);
    expectError(await t.call(a.apiKey, { method: 'GET', url: `/escalations?storeId=${b.id}` }), 403);
    expectError(await t.call(a.apiKey, { method: 'POST', url: '/escalate', payload: { ...seedConversation(), storeId: b.id } }), 403);
    expectError(await t.call(a.apiKey, { method: 'GET', url: `/stores/${b.id}/escalation-config` }), 403);
    expectError(await t.call(a.apiKey, { method: 'PUT', url: `/stores/${b.id}/escalation-config`, payload: {} }), 403);
    expectError(await t.call(a.apiKey, { method: 'GET', url: '/stores' }), 403);

    const listA = await t.call(a.apiKey, { method: 'GET', url: '/escalations' });
    expect(listA.json().items).toEqual([]);
    const exportA = await t.call(a.apiKey, { method: 'GET', url: '/escalations/export' });
    expect(exportA.body.trim().split('\n')).toHaveLength(1);
    const analyticsA = await t.call(a.apiKey, { method: 'GET', url: '/escalations/analytics' });
    expect(analyticsA.json().totals.escalated).toBe(0);

    // Nothing changed on B's case.
    const still = await t.call(b.apiKey, { method: 'GET', url: `/escalations/${id}` });
    expect(still.json()).toMatchObject({ status: 'OPEN', assignedTo: null });
    expect(still.json().timeline.map((e: { type: string }) => e.type)).toEqual(['created']);
  });

  it('the admin acts for a store named by storeId, and must name one', async () => {
    const store = await t.createStore();
    const created = await t.call(ADMIN_KEY, { method: 'POST', url: '/escalate', payload: { ...seedConversation(), storeId: store.id } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().escalation.storeId).toBe(store.id);
    const id = created.json().escalation.id;

    const list = await t.call(ADMIN_KEY, { method: 'GET', url: `/escalations?storeId=${store.id}` });
    expect(list.json().items.map((e: { id: string }) => e.id)).toEqual([id]);
    const one = await t.call(ADMIN_KEY, { method: 'GET', url: `/escalations/${id}?storeId=${store.id}` });
    expect(one.statusCode).toBe(200);
    const assign = await t.call(ADMIN_KEY, { method: 'POST', url: `/escalations/${id}/assign?storeId=${store.id}`, payload: { assignedTo: 'root' } });
    expect(assign.statusCode, assign.body).toBe(200);
    const analytics = await t.call(ADMIN_KEY, { method: 'GET', url: `/escalations/analytics?storeId=${store.id}` });
    expect(analytics.json().totals.escalated).toBe(1);
    const config = await t.call(ADMIN_KEY, { method: 'GET', url: `/stores/${store.id}/escalation-config` });
    expect(config.statusCode).toBe(200);

    for (const r of [
      { method: 'POST', url: '/escalate', payload: seedConversation() },
      { method: 'POST', url: '/escalations/evaluate', payload: happyConversation() },
      { method: 'GET', url: '/escalations' },
      { method: 'GET', url: '/escalations/analytics' },
      { method: 'GET', url: '/escalations/export' },
    ] as const) {
      const res = await t.call(ADMIN_KEY, r as never);
      expect(expectError(res, 400), `${r.method} ${r.url}`).toMatch(/storeId/);
    }

    // A case id names its store: the admin needs no storeId on the per-case routes.
    const byId = await t.call(ADMIN_KEY, { method: 'GET', url: `/escalations/${id}` });
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json()).toMatchObject({ id, storeId: store.id, assignedTo: 'root' });
    const resolved = await t.call(ADMIN_KEY, { method: 'POST', url: `/escalations/${id}/resolve`, payload: { summary: 'x' } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json().status).toBe('RESOLVED');
    expectError(await t.call(ADMIN_KEY, { method: 'GET', url: '/escalations/00000000-0000-4000-8000-000000000000' }), 404);

    const unknownStore = '00000000-0000-4000-8000-000000000000';
    expectError(await t.call(ADMIN_KEY, { method: 'POST', url: '/escalate', payload: { ...seedConversation(), storeId: unknownStore } }), 404);
    expectError(await t.call(ADMIN_KEY, { method: 'GET', url: `/stores/${unknownStore}/escalation-config` }), 404);
    expectError(await t.call(ADMIN_KEY, { method: 'PUT', url: `/stores/${unknownStore}/escalation-config`, payload: {} }), 404);
  });

  it('GET /stores lists stores for the admin', async () => {
    const store = await t.createStore();
    const res = await t.call(ADMIN_KEY, { method: 'GET', url: '/stores' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual({ id: store.id, name: store.name });
  });
});

describe('store escalation config', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const put = (key: string, storeId: string, payload: unknown) =>
    t.call(key, { method: 'PUT', url: `/stores/${storeId}/escalation-config`, payload: payload as object });
  const get = (key: string, storeId: string) => t.call(key, { method: 'GET', url: `/stores/${storeId}/escalation-config` });

  function fullConfig() {
    return {
      slack: { enabled: true, channel: '#support', channelsByPriority: { URGENT: '#urgent' }, botToken: `xoxb-${randomBytes(12).toString('hex')}` },
      zendesk: {
        enabled: true,
        subdomain: 'acme',
        email: 'ops@acme.test',
        apiToken: `zd-${randomBytes(16).toString('hex')}`,
        webhookSecret: `zdhook-${randomBytes(16).toString('hex')}`,
        customFields: { caseId: 360001, channel: 360002 },
      },
      freshdesk: {
        enabled: true,
        domain: 'acme',
        apiKey: `fd-${randomBytes(16).toString('hex')}`,
        webhookSecret: `fdhook-${randomBytes(16).toString('hex')}`,
        customFields: { caseId: 'cf_case_id' },
      },
      webhook: { enabled: true, url: 'https://chat.acme.test/hooks/reva', secret: whsec() },
      detection: { confidenceThreshold: 0.6, sentimentThreshold: -0.4, maxTurns: 8, keywords: ['warranty'] },
      sla: { URGENT: { firstResponseMinutes: 5, resolutionMinutes: 60 }, LOW: { firstResponseMinutes: 0.05, resolutionMinutes: 1 } },
      rules: [{ name: 'big orders', conditions: { all: [{ fact: 'orderTotal', operator: 'greaterThan', value: 500 }] }, event: { type: 'escalate' } }],
    };
  }
  const mask = (s: string) => `****${s.slice(-4)}`;

  it('round-trips the config with secrets masked, never storing or showing them in clear', async () => {
    const store = await t.createStore();
    const input = fullConfig();
    const res = await put(store.apiKey, store.id, input);
    expect(res.statusCode, res.body).toBe(200);
    const expected = {
      sandbox: false,
      ...input,
      slack: { ...input.slack, botToken: mask(input.slack.botToken) },
      zendesk: { ...input.zendesk, apiToken: mask(input.zendesk.apiToken), webhookSecret: mask(input.zendesk.webhookSecret) },
      freshdesk: { ...input.freshdesk, domain: 'acme.freshdesk.com', apiKey: mask(input.freshdesk.apiKey), webhookSecret: mask(input.freshdesk.webhookSecret) },
      webhook: { ...input.webhook, secret: mask(input.webhook.secret) },
    };
    expect(res.json()).toEqual(expected);
    const read = await get(store.apiKey, store.id);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(expected);
    const asAdmin = await get(ADMIN_KEY, store.id);
    expect(asAdmin.json()).toEqual(expected);

    const secrets = [
      input.slack.botToken,
      input.zendesk.apiToken,
      input.zendesk.webhookSecret,
      input.freshdesk.apiKey,
      input.freshdesk.webhookSecret,
      input.webhook.secret,
    ];
    const rows = await t.app.ctx.db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM stores WHERE id = ${store.id}::uuid`;
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows[0]);
    for (const s of secrets) {
      expect(res.body).not.toContain(s);
      expect(read.body).not.toContain(s);
      expect(raw).not.toContain(s);
      expect(raw).not.toContain(s.slice(0, -4));
    }
    expect((rows[0]!.config as Record<string, unknown>).slack).not.toHaveProperty('botToken');
  });

  it('keeps a secret the next PUT omits, and accepts the masked value sent back', async () => {
    const store = await t.createStore();
    const input = fullConfig();
    const first = (await put(store.apiKey, store.id, input)).json();

    // Omitted secrets keep their stored value.
    const { apiToken: _a, webhookSecret: _w, ...zendeskNoSecrets } = input.zendesk;
    const { botToken: _b, ...slackNoToken } = input.slack;
    const second = await put(store.apiKey, store.id, {
      ...input,
      zendesk: { ...zendeskNoSecrets, email: 'new@acme.test' },
      slack: { ...slackNoToken, channel: '#help' },
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().zendesk).toMatchObject({ email: 'new@acme.test', apiToken: first.zendesk.apiToken, webhookSecret: first.zendesk.webhookSecret });
    expect(second.json().slack).toMatchObject({ channel: '#help', botToken: first.slack.botToken });

    // What a GET shows can be PUT back unchanged (a read-modify-write client) without losing secrets.
    const shown = (await get(store.apiKey, store.id)).json();
    const back = await put(store.apiKey, store.id, { ...shown, detection: { ...shown.detection, maxTurns: 12 } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toEqual({ ...shown, detection: { ...shown.detection, maxTurns: 12 } });
    const stored = await t.app.ctx.stores.get(store.id);
    // The app caches stores briefly; saveConfig refreshes its own cache, so these are the saved secrets.
    expect(stored!.config.secrets).toEqual({
      slack: { botToken: input.slack.botToken },
      zendesk: { apiToken: input.zendesk.apiToken, webhookSecret: input.zendesk.webhookSecret },
      freshdesk: { apiKey: input.freshdesk.apiKey, webhookSecret: input.freshdesk.webhookSecret },
      webhook: { secret: input.webhook.secret },
    });

    // A new secret replaces the old one.
    const newToken = `zd-${randomBytes(16).toString('hex')}`;
    const replaced = await put(store.apiKey, store.id, { ...input, zendesk: { ...input.zendesk, apiToken: newToken } });
    expect(replaced.json().zendesk.apiToken).toBe(mask(newToken));
    expect((await t.app.ctx.stores.get(store.id))!.config.secrets.zendesk?.apiToken).toBe(newToken);
  });

  it('masks short secrets completely', async () => {
    const store = await t.createStore();
    const res = await put(store.apiKey, store.id, { zendesk: { enabled: true, subdomain: 'acme', email: 'a@acme.test', apiToken: 'short1' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().zendesk.apiToken).toBe('****');
    expect(res.body).not.toContain('short1');
  });

  it('400 naming the missing secret of an enabled integration', async () => {
    const store = await t.createStore();
    const zd = await put(store.apiKey, store.id, { zendesk: { enabled: true, subdomain: 'acme', email: 'ops@acme.test' } });
    expect(expectError(zd, 400)).toContain('zendesk.apiToken');
    const fd = await put(store.apiKey, store.id, { freshdesk: { enabled: true, domain: 'acme' } });
    expect(expectError(fd, 400)).toContain('freshdesk.apiKey');
    const wh = await put(store.apiKey, store.id, { webhook: { enabled: true, url: 'https://x.test/h' } });
    expect(expectError(wh, 400)).toContain('webhook.secret');
    // Disabled integrations need no secret.
    const off = await put(store.apiKey, store.id, { zendesk: { enabled: false, subdomain: 'acme', email: 'ops@acme.test' } });
    expect(off.statusCode, off.body).toBe(200);
  });

  it('normalises and checks helpdesk hosts (no URLs: no SSRF through config)', async () => {
    const store = await t.createStore();
    const fd = (domain: string) => put(store.apiKey, store.id, { freshdesk: { enabled: false, domain } });
    expect((await fd('acme')).json().freshdesk.domain).toBe('acme.freshdesk.com');
    expect((await fd('Acme.Freshdesk.com')).json().freshdesk.domain).toBe('acme.freshdesk.com');
    for (const bad of ['https://acme.freshdesk.com', 'evil.com', '127.0.0.1', 'acme.freshdesk.com.evil.com', 'acme.freshdesk.com/path', '']) {
      expect(expectError(await fd(bad), 400)).toContain('body.freshdesk.domain');
    }
    const zd = (subdomain: string) => put(store.apiKey, store.id, { zendesk: { enabled: false, subdomain, email: 'a@b.test' } });
    expect((await zd('Acme')).json().zendesk.subdomain).toBe('acme');
    for (const bad of ['https://acme.zendesk.com', 'acme.zendesk.com', '127.0.0.1', 'a/b', 'evil.com:8080', '']) {
      expect(expectError(await zd(bad), 400)).toContain('body.zendesk.subdomain');
    }
  });

  it('checks the webhook secret format and url', async () => {
    const store = await t.createStore();
    const wh = (webhook: Record<string, unknown>) => put(store.apiKey, store.id, { webhook: { enabled: true, url: 'https://x.test/h', ...webhook } });
    expect((await wh({ secret: whsec() })).statusCode).toBe(200);
    for (const bad of ['secret', 'whsec_', 'whsec_short', `whsk_${randomBytes(32).toString('base64')}`, `whsec_${'!'.repeat(40)}`]) {
      expect(expectError(await wh({ secret: bad }), 400)).toContain('body.webhook.secret');
    }
    for (const url of ['ftp://x.test/h', 'not a url', 'javascript:alert(1)']) {
      expect(expectError(await wh({ url, secret: whsec() }), 400)).toContain('body.webhook.url');
    }
  });

  it('validates the rest of the config with messages naming the field', async () => {
    const store = await t.createStore();
    const cases: [string, unknown][] = [
      ['body.slack.channel', { slack: { enabled: true, channel: 'has spaces' } }],
      ['body.slack.botToken', { slack: { enabled: true, channel: '#x', botToken: 'nope' } }],
      ['body.zendesk.email', { zendesk: { enabled: false, subdomain: 'a', email: 'not-an-email' } }],
      ['body.zendesk.customFields.caseId', { zendesk: { enabled: false, subdomain: 'a', email: 'a@b.test', customFields: { caseId: 'cf_x' } } }],
      ['body.freshdesk.customFields.caseId', { freshdesk: { enabled: false, domain: 'a', customFields: { caseId: 'bad name!' } } }],
      ['body.detection.confidenceThreshold', { detection: { confidenceThreshold: 2 } }],
      ['body.detection.maxTurns', { detection: { maxTurns: 0 } }],
      ['body.sla.URGENT.firstResponseMinutes', { sla: { URGENT: { firstResponseMinutes: 0.01, resolutionMinutes: 10 } } }],
      ['body.sla', { sla: { NOW: { firstResponseMinutes: 1, resolutionMinutes: 10 } } }],
      ['body', { unknownSection: {} }],
      ['body.rules', { rules: 'no' }],
    ];
    for (const [field, body] of cases) {
      expect(expectError(await put(store.apiKey, store.id, body), 400)).toContain(field);
    }
  });

  it('a config change applies to the next escalation (SLA from config)', async () => {
    const store = await t.createStore();
    const put1 = await put(store.apiKey, store.id, { sla: { URGENT: { firstResponseMinutes: 2, resolutionMinutes: 30 } } });
    expect(put1.statusCode, put1.body).toBe(200);
    const res = await t.call(store.apiKey, {
      method: 'POST',
      url: '/escalate',
      payload: {
        conversationId: `c-${randomBytes(4).toString('hex')}`,
        channel: 'email',
        messages: [{ role: 'customer', text: 'I will sue you, my lawyer is ready.' }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json().escalation;
    expect(e.priority).toBe('URGENT');
    expect(Date.parse(e.sla.firstResponseDueAt) - Date.parse(e.createdAt)).toBe(2 * 60_000);
    expect(Date.parse(e.sla.resolutionDueAt) - Date.parse(e.createdAt)).toBe(30 * 60_000);
  });
});
