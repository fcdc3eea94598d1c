// The Gorgias sandbox module speaks the contract the adapter is built on (notes/helpdesk-apis.md,
// Gorgias section): Basic auth, customers, tickets with messages and internal notes, tags, cursor
// lists, and the failure injection every sandbox module has (429 + Retry-After, hangs, commitAfterMs).
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { gorgiasSandbox, type GorgiasState } from '../../src/sandbox/gorgias.ts';

let sb: Sandbox;
beforeAll(async () => {
  // Every registered integration's module, Gorgias among them (as `npm run sandbox` serves them).
  sb = await startSandbox();
});
afterAll(async () => sb?.close());
beforeEach(() => sb.reset());

const state = (): GorgiasState => sb.stateOf(gorgiasSandbox);
const api = (email = 'agent@acme.test', key = 'api-key', timeout?: number): AxiosInstance =>
  axios.create({
    baseURL: `${sb.urlOf('gorgias')}/api`,
    auth: { username: email, password: key },
    validateStatus: () => true,
    ...(timeout ? { timeout } : {}),
  });

const note = (body: string, email = 'agent@acme.test') => ({ channel: 'internal-note', via: 'api', from_agent: true, sender: { email }, body_text: body });

async function customer(g: AxiosInstance, email = 'jane@example.com') {
  const res = await g.post('/customers', { name: 'Jane', email, channels: [{ type: 'email', address: email, preferred: true }] });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data as { id: number };
}

async function ticket(g: AxiosInstance, extra: Record<string, unknown> = {}) {
  const c = await customer(g, `c${Math.random().toString(36).slice(2)}@example.com`);
  const res = await g.post('/tickets', { customer: { id: c.id }, subject: 'Help', channel: 'api', via: 'api', messages: [note('context')], ...extra });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data as { id: number; customer: { id: number } };
}

describe('Gorgias sandbox: the API', () => {
  it('refuses missing or bad credentials with 401 and accepts a user email with an API key', async () => {
    expect((await axios.get(`${sb.urlOf('gorgias')}/api/account`, { validateStatus: () => true })).status).toBe(401);
    expect((await api('not-an-email').get('/account')).status).toBe(401);
    expect((await api('agent@acme.test', 'invalid').get('/account')).status).toBe(401);
    const ok = await api().get('/account');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-gorgias-account-api-call-limit']).toMatch(/^\d+\/40$/);
  });

  it('finds customers by email or external id, and answers 409 to a second customer with the same email', async () => {
    const g = api();
    const jane = await customer(g);
    expect((await g.get('/customers', { params: { email: 'JANE@example.com' } })).data).toMatchObject({ data: [{ id: jane.id }], meta: { next_cursor: null } });
    const dup = await g.post('/customers', { name: 'Jane', email: 'jane@example.com', channels: [] });
    expect(dup.status).toBe(409);
    expect(dup.data.error).toBeDefined();
    expect((await g.post('/customers', { name: 'No channels', email: 'x@example.com' })).status).toBe(400);
    const anon = await g.post('/customers', { name: 'Chat visitor', external_id: 'reva-conv-1', channels: [] });
    expect(anon.status).toBe(201);
    expect((await g.get('/customers/', { params: { external_id: 'reva-conv-1' } })).data.data.map((c: { id: number }) => c.id)).toEqual([anon.data.id]);
  });

  it('creates a ticket with an internal note, tags, priority and meta; validates like Gorgias', async () => {
    const g = api();
    const c = await customer(g);
    const bad = [
      {},
      { messages: [] },
      { messages: [{ channel: 'internal-note', via: 'api', sender: { email: 'agent@acme.test' }, body_text: 'x' }] }, // from_agent missing
      { messages: [{ ...note('x'), from_agent: false }] }, // an internal note is from an agent
      { messages: [note('x')], priority: 'urgent' },
      { messages: [note('x')], status: 'pending' },
      { messages: [note('x')], tags: ['flat-string'] },
      { messages: [note('x')], customer: { id: 999_999 } },
      { messages: [note('x', 'stranger@elsewhere.test')] },
      { messages: [{ ...note(''), body_text: '' }] },
    ];
    for (const body of bad) {
      const res = await g.post('/tickets', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.data.error, JSON.stringify(body)).toBeDefined();
    }
    expect(state().tickets).toHaveLength(0);

    const res = await g.post('/tickets/', {
      external_id: 'case-1',
      subject: '[HIGH] Delivery',
      status: 'open',
      priority: 'critical',
      channel: 'api',
      via: 'api',
      customer: { id: c.id },
      tags: [{ name: 'reva_escalation' }, { name: 'reva_case1' }],
      meta: { reva: { caseId: 'case-1' } },
      messages: [note('Escalated by Reva')],
    });
    expect(res.status, JSON.stringify(res.data)).toBe(201);
    expect(res.data).toMatchObject({
      external_id: 'case-1',
      status: 'open',
      priority: 'critical',
      customer: { id: c.id, email: 'jane@example.com' },
      tags: [{ name: 'reva_escalation' }, { name: 'reva_case1' }],
      messages: [{ channel: 'internal-note', public: false, from_agent: true, sender: { email: 'agent@acme.test' }, body_text: 'Escalated by Reva' }],
    });
    const page = await (await fetch(`${sb.url}/`)).text();
    expect(page).toContain('Gorgias');
    expect(page).toContain('[HIGH] Delivery');
    expect(page).toContain('internal note');
    // The agent's link lands on the ticket in the sandbox page.
    const link = await fetch(`${sb.urlOf('gorgias')}/app/ticket/${res.data.id}`, { redirect: 'manual' });
    expect(link.headers.get('location')).toBe(`/#gorgias-ticket-${res.data.id}`);
  });

  it('lists tickets by external id and by customer, newest first, page by page', async () => {
    const g = api();
    const first = await ticket(g, { external_id: 'case-A' });
    await ticket(g, { external_id: 'case-B' });
    const byExternal = await g.get('/tickets', { params: { external_id: 'case-A' } });
    expect(byExternal.data.data.map((t: { id: number }) => t.id)).toEqual([first.id]);
    const c = first.customer.id;
    const more = [];
    for (let i = 0; i < 3; i++) more.push((await g.post('/tickets', { customer: { id: c }, channel: 'api', via: 'api', messages: [note(`n${i}`)] })).data.id);
    const p1 = await g.get('/tickets', { params: { customer_id: c, limit: 2 } });
    expect(p1.data.data.map((t: { id: number }) => t.id)).toEqual([more[2], more[1]]);
    const p2 = await g.get('/tickets', { params: { customer_id: c, limit: 2, cursor: p1.data.meta.next_cursor } });
    expect(p2.data.data.map((t: { id: number }) => t.id)).toEqual([more[0], first.id]);
    expect(p2.data.meta.next_cursor).toBeNull();
    expect((await g.get('/tickets', { params: { limit: 101 } })).status).toBe(400);
  });

  it('adds, lists and deletes messages; closes and reopens; replaces tags', async () => {
    const g = api();
    const t = await ticket(g);
    for (const body of ['one', 'two']) expect((await g.post(`/tickets/${t.id}/messages`, note(body))).status).toBe(201);
    const listed = await g.get(`/tickets/${t.id}/messages`);
    expect(listed.data.data.map((m: { body_text: string }) => m.body_text)).toEqual(['context', 'one', 'two']);
    const two = listed.data.data[2].id;
    expect((await g.delete(`/tickets/${t.id}/messages/${two}`)).status).toBe(204);
    expect((await g.get(`/tickets/${t.id}/messages/${two}`)).status).toBe(404);
    expect((await g.post(`/tickets/${t.id}/messages`, { ...note('x'), channel: undefined })).status).toBe(400);

    expect((await g.put(`/tickets/${t.id}`, { status: 'closed', tags: [{ name: 'reva_duplicate' }] })).data).toMatchObject({
      status: 'closed',
      tags: [{ name: 'reva_duplicate' }],
    });
    expect((await g.put(`/tickets/${t.id}/`, { status: 'open' })).data.status).toBe('open');
    expect((await g.put(`/tickets/${t.id}`, { status: 'solved' })).status).toBe(400);
    expect(state().tickets[0]!.statusHistory.map((s) => s.status)).toEqual(['open', 'closed', 'open']);
    await g.post(`/tickets/${t.id}/tags`, { names: ['vip'] });
    expect((await g.get(`/tickets/${t.id}`)).data.tags.map((x: { name: string }) => x.name)).toEqual(['reva_duplicate', 'vip']);
    expect((await g.get('/tickets/424242')).status).toBe(404);
  });
});

describe('Gorgias sandbox: failure injection', () => {
  it('answers 429 with Retry-After (and the rule is used up)', async () => {
    sb.fail({ service: 'gorgias', method: 'POST /api/tickets', status: 429, retryAfter: 3 });
    const g = api();
    const c = await customer(g);
    const body = { customer: { id: c.id }, channel: 'api', via: 'api', messages: [note('x')] };
    const limited = await g.post('/tickets/', body);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.data.error.msg).toMatch(/rate limit/);
    expect(state().tickets).toHaveLength(0);
    expect((await g.post('/tickets', body)).status).toBe(201);
  });

  it('hangs a request for hangMs, and fails one with a 5xx', async () => {
    sb.fail({ service: 'gorgias', method: 'GET /api/tickets', hangMs: 2000 });
    await expect(api(undefined, undefined, 200).get('/tickets')).rejects.toMatchObject({ code: 'ECONNABORTED' });
    sb.fail({ service: 'gorgias', method: 'POST /api/tickets/*/messages', status: 503 });
    const t = await ticket(api());
    expect((await api().post(`/tickets/${t.id}/messages`, note('x'))).status).toBe(503);
  });

  it('commitAfterMs: the ticket is made after the delay and never answered', async () => {
    const g = api();
    const c = await customer(g);
    sb.fail({ service: 'gorgias', method: 'POST /api/tickets', commitAfterMs: 400 });
    const started = Date.now();
    await expect(
      api(undefined, undefined, 100).post('/tickets', { customer: { id: c.id }, channel: 'api', via: 'api', messages: [note('late')] }),
    ).rejects.toMatchObject({
      code: 'ECONNABORTED',
    });
    expect(state().tickets).toHaveLength(0);
    const made = await sb.waitFor(() => state().tickets[0], 3000);
    expect(Date.parse(made.created_datetime) - started).toBeGreaterThanOrEqual(350);
    // A note the same way: stored, and the connection closed without an answer.
    sb.fail({ service: 'gorgias', method: 'POST /api/tickets/*/messages', commitAfterMs: 50 });
    await expect(g.post(`/tickets/${made.id}/messages`, note('late note'))).rejects.toBeDefined();
    expect(state().tickets[0]!.messages.map((m) => m.body_text)).toContain('late note');
  });
});
