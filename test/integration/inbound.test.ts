import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyBaseLogger, LightMyRequestResponse } from 'fastify';
import { ADMIN_KEY, seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { slackSignature } from '../../src/integrations/slack/verify.ts';
import { zendeskSignature } from '../../src/integrations/zendesk/inbound.ts';
import { DeliveryWorkers } from '../../src/delivery/worker.ts';
import { INTEGRATION_TYPES } from '../../src/delivery/queues.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';

const SIGNING_SECRET = 'slack-signing-secret-for-tests';
const ZD_SECRET = 'zendesk-webhook-signing-secret';
const FD_SECRET = 'freshdesk-webhook-secret';

let t: TestApp;
let sb: Sandbox;

// ---- a stand-in for Slack's response_url endpoint ---------------------------------------------
let hooks: Server;
let hooksUrl: string;
const received = new Map<string, Record<string, unknown>[]>();

function responseUrl(): { url: string; messages: Record<string, unknown>[] } {
  const path = `/commands/${randomBytes(6).toString('hex')}`;
  const messages: Record<string, unknown>[] = [];
  received.set(path, messages);
  return { url: `${hooksUrl}${path}`, messages };
}

async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * BullMQ queues are global per Redis database, and anything else consuming them (a dev server, another
 * test file's workers) would take this file's jobs. A database of its own keeps the end-to-end test's
 * worker and its queue assertions to this file.
 */
function isolatedRedisUrl(): string {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = '/11';
  return url.toString();
}

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const list = received.get(req.url ?? '');
      if (list) list.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(list ? 200 : 404).end('ok');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  sb = await startSandbox();
  t = await startTestApp({
    REDIS_URL: isolatedRedisUrl(),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: sb.slackApiUrl,
    ZENDESK_API_URL: sb.zendeskUrl,
    FRESHDESK_API_URL: sb.freshdeskUrl,
  });
});

afterAll(async () => {
  // This file's Redis database: leave no jobs behind for the next run's end-to-end worker to wade through.
  if (t) await Promise.all(INTEGRATION_TYPES.map((type) => t.app.ctx.queues.queue(type).obliterate({ force: true })));
  await t?.close();
  await sb?.close();
  await new Promise((r) => hooks?.close(r));
});

// ---- signing helpers ---------------------------------------------------------------------------
const nowSeconds = () => Math.floor(Date.now() / 1000);

function slackPost(url: string, body: string, opts: { ts?: number; secret?: string; signature?: string | null } = {}) {
  const ts = String(opts.ts ?? nowSeconds());
  const signature = opts.signature === undefined ? slackSignature(opts.secret ?? SIGNING_SECRET, ts, body) : opts.signature;
  return t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
    },
  });
}

interface ClickOpts {
  actionId: string;
  channelId: string;
  user?: { id: string; name: string };
  responseUrl?: string;
  type?: string;
}
function clickBody(o: ClickOpts) {
  const user = o.user ?? { id: 'U0AGENT1', name: 'jane.agent' };
  const payload = {
    type: o.type ?? 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    container: { type: 'message', message_ts: '1712345678.000100', channel_id: o.channelId, is_ephemeral: false },
    channel: { id: o.channelId, name: 'support' },
    message: { ts: '1712345678.000100', type: 'message' },
    response_url: o.responseUrl ?? `${hooksUrl}/unused`,
    trigger_id: '123.456.abc',
    actions: [{ action_id: o.actionId, block_id: 'case_actions', type: 'button', value: 'x', action_ts: '1712345680.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
const click = (o: ClickOpts) => slackPost('/slack/interactions', clickBody(o));

interface CommandOpts {
  channelId: string;
  channelName?: string;
  user?: { id: string; name: string };
  responseUrl?: string;
}
function commandBody(text: string, o: CommandOpts) {
  const user = o.user ?? { id: 'U0AGENT1', name: 'jane.agent' };
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T0TEAM',
    team_domain: 'acme',
    channel_id: o.channelId,
    channel_name: o.channelName ?? 'somewhere',
    user_id: user.id,
    user_name: user.name,
    command: '/escalation',
    text,
    api_app_id: 'A0APP',
    response_url: o.responseUrl ?? `${hooksUrl}/unused`,
    trigger_id: '1.2.3',
  }).toString();
}
async function command(text: string, o: CommandOpts): Promise<{ response_type: string; text: string }> {
  const res = await slackPost('/slack/commands', commandBody(text, o));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function zendeskPost(
  storeId: string,
  body: object | string,
  opts: { secret?: string; ts?: string; invocation?: string | null; signature?: string | null } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = opts.ts ?? new Date().toISOString();
  const signature = opts.signature === undefined ? zendeskSignature(opts.secret ?? ZD_SECRET, ts, raw) : opts.signature;
  const invocation = opts.invocation === undefined ? String(Date.now()) + randomBytes(3).toString('hex') : opts.invocation;
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/zendesk/${storeId}`,
    payload: raw,
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': ts,
      ...(signature === null ? {} : { 'x-zendesk-webhook-signature': signature }),
      ...(invocation === null ? {} : { 'x-zendesk-webhook-invocation-id': invocation }),
    },
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
function freshdeskPost(storeId: string, body: object | string, auth: { basic?: string; header?: string } = { basic: FD_SECRET }) {
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/freshdesk/${storeId}`,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      ...(auth.basic !== undefined ? { authorization: basic('freshdesk', auth.basic) } : {}),
      ...(auth.header !== undefined ? { 'x-webhook-secret': auth.header } : {}),
    },
  });
}

function expectStandard401(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(401);
  expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), requestId: expect.any(String) });
}

// ---- fixtures: a store with cases "delivered" to Slack, Zendesk and Freshdesk ----------------------
interface Fixture {
  store: { id: string; name: string; apiKey: string };
  channelId: string;
  channelName: string;
  cases: { id: string; zendeskTicket: string; freshdeskTicket: string }[];
}

const ticketNumber = () => String(100000 + Math.floor(Math.random() * 899_999_999));

async function fixture(n = 1, opts: { webhook?: boolean; secrets?: boolean } = {}): Promise<Fixture> {
  const store = await t.createStore();
  const suffix = randomBytes(4).toString('hex');
  const channelName = `support-${suffix}`;
  const channelId = `C${suffix.toUpperCase()}Z9`;
  const secrets = opts.secrets ?? true;
  const config = {
    slack: { enabled: true, channel: `#${channelName}` },
    zendesk: { enabled: true, subdomain: 'acme', email: 'ops@acme.test', apiToken: 'zd-token', ...(secrets ? { webhookSecret: ZD_SECRET } : {}) },
    freshdesk: { enabled: true, domain: 'acme', apiKey: 'fd-key', ...(secrets ? { webhookSecret: FD_SECRET } : {}) },
    ...(opts.webhook === false
      ? {}
      : { webhook: { enabled: true, url: 'http://127.0.0.1:9/chat-backend', secret: `whsec_${randomBytes(24).toString('base64')}` } }),
  };
  const put = await t.call(ADMIN_KEY, { method: 'PUT', url: `/stores/${store.id}/escalation-config`, payload: config });
  expect(put.statusCode, put.body).toBe(200);
  const cases: Fixture['cases'] = [];
  for (let i = 0; i < n; i++) {
    const res = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: seedConversation() });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().escalation.id as string;
    const c = { id, zendeskTicket: ticketNumber(), freshdeskTicket: ticketNumber() };
    await markDelivered(id, channelId, c.zendeskTicket, c.freshdeskTicket);
    cases.push(c);
  }
  return { store, channelId, channelName, cases };
}

/** As if the workers had delivered the case: the ids the helpdesks gave back. */
async function markDelivered(escalationId: string, channelId: string, zendeskTicket: string, freshdeskTicket: string) {
  const db = t.app.ctx.db;
  const ts = `${nowSeconds()}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const common = { status: 'DELIVERED' as const, deliveredAt: new Date() };
  await db.escalationIntegration.updateMany({
    where: { escalationId, type: 'SLACK' },
    data: { ...common, externalId: ts, metadata: { channel: channelId, ts } },
  });
  await db.escalationIntegration.updateMany({ where: { escalationId, type: 'ZENDESK' }, data: { ...common, externalId: zendeskTicket } });
  await db.escalationIntegration.updateMany({ where: { escalationId, type: 'FRESHDESK' }, data: { ...common, externalId: freshdeskTicket } });
  await db.escalationIntegration.updateMany({ where: { escalationId, type: 'WEBHOOK' }, data: { ...common, externalId: `msg_${escalationId}` } });
}

async function getCase(f: Fixture, id: string) {
  const res = await t.call(f.store.apiKey, { method: 'GET', url: `/escalations/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    status: string;
    assignedTo: string | null;
    resolutionSummary: string | null;
    timeline: { type: string; source: string; actor: string | null; data: Record<string, unknown> }[];
  };
}

// =================================================================================================

describe('Slack Take Case end to end (delivery workers against the sandbox)', () => {
  it('posts the case, a click assigns it, and the worker updates the Slack message: taker shown, button gone', async () => {
    const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
    const db = t.app.ctx.db;
    const workers = new DeliveryWorkers(t.config, db, new StoreDirectory(db, t.config.encryptionKey), logger, {
      backoff: { baseDelayMs: 50, maxDelayMs: 500 },
    });
    workers.start();
    try {
      const store = await t.createStore();
      const channel = `e2e-${randomBytes(4).toString('hex')}`;
      const put = await t.call(ADMIN_KEY, {
        method: 'PUT',
        url: `/stores/${store.id}/escalation-config`,
        payload: { slack: { enabled: true, channel: `#${channel}`, botToken: 'xoxb-e2e-token' } },
      });
      expect(put.statusCode, put.body).toBe(200);
      const created = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: seedConversation() });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().escalation.id as string;

      const delivery = await waitFor(async () => {
        const d = await db.escalationIntegration.findFirst({ where: { escalationId: id, type: 'SLACK' } });
        return d?.status === 'DELIVERED' ? d : undefined;
      }, 20_000);
      const { channel: channelId, ts } = delivery.metadata as { channel: string; ts: string };
      const posted = sb.state.slack.messages.find((m) => m.channel === channelId && m.ts === ts)!;
      expect(JSON.stringify(posted.blocks)).toContain(`take_case:${id}`);

      const reply = responseUrl();
      const res = await click({ actionId: `take_case:${id}`, channelId, user: { id: 'U0E2E', name: 'erin' }, responseUrl: reply.url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');

      const updated = await sb.waitFor((s) => {
        const m = s.slack.messages.find((x) => x.channel === channelId && x.ts === ts);
        return m?.updatedAt ? m : undefined;
      }, 20_000);
      const blocks = JSON.stringify(updated.blocks);
      expect(blocks).toContain('Taken by *erin (U0E2E)*');
      expect(blocks).not.toContain('take_case:');
      expect(blocks).toContain(`view_context:${id}`);
      await sb.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === ts && m.text.includes('Assigned to erin (U0E2E)')), 10_000);
      const row = await db.escalation.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'IN_PROGRESS', assignedTo: 'erin (U0E2E)' });
    } finally {
      await workers.close();
    }
  }, 60_000);
});

describe('signatures and secrets', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(1);
  });

  it('Slack interactions: missing, forged, stale, replayed and tampered requests get 401', async () => {
    const body = clickBody({ actionId: `take_case:${f.cases[0]!.id}`, channelId: f.channelId });
    expectStandard401(await slackPost('/slack/interactions', body, { signature: null }));
    expectStandard401(await slackPost('/slack/interactions', body, { secret: 'not-the-secret' }));
    expectStandard401(await slackPost('/slack/interactions', body, { signature: `v0=${'0'.repeat(64)}` }));
    expectStandard401(await slackPost('/slack/interactions', body, { ts: nowSeconds() - 6 * 60 }));
    expectStandard401(await slackPost('/slack/interactions', body, { ts: nowSeconds() + 6 * 60 }));
    // A request captured earlier and replayed: its signature only holds for its old timestamp.
    const oldTs = nowSeconds() - 3600;
    const captured = slackSignature(SIGNING_SECRET, String(oldTs), body);
    expectStandard401(await slackPost('/slack/interactions', body, { ts: nowSeconds(), signature: captured }));
    expectStandard401(await slackPost('/slack/interactions', body, { ts: oldTs, signature: captured }));
    // Signed for one body, sent with another.
    const other = clickBody({ actionId: `take_case:${randomUUID()}`, channelId: f.channelId });
    const ts = String(nowSeconds());
    expectStandard401(await slackPost('/slack/interactions', other, { ts: Number(ts), signature: slackSignature(SIGNING_SECRET, ts, body) }));
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: f.cases[0]!.id } });
    expect(row.status).toBe('OPEN');
  });

  it('Slack commands: missing, forged and stale requests get 401', async () => {
    const body = commandBody('list', { channelId: f.channelId });
    expectStandard401(await slackPost('/slack/commands', body, { signature: null }));
    expectStandard401(await slackPost('/slack/commands', body, { secret: 'wrong' }));
    expectStandard401(await slackPost('/slack/commands', body, { ts: nowSeconds() - 301 }));
    const res = await t.app.inject({ method: 'POST', url: '/slack/commands', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectStandard401(res);
  });

  it('Zendesk: missing, forged, stale, replayed and tampered webhooks get 401', async () => {
    const body = { ticket_id: f.cases[0]!.zendeskTicket, status: 'Solved', assignee_name: '', assignee_email: '' };
    expectStandard401(await zendeskPost(f.store.id, body, { signature: null }));
    expectStandard401(await zendeskPost(f.store.id, body, { secret: 'wrong-secret' }));
    expectStandard401(await zendeskPost(f.store.id, body, { ts: new Date(Date.now() - 6 * 60_000).toISOString() }));
    expectStandard401(await zendeskPost(f.store.id, body, { ts: new Date(Date.now() + 6 * 60_000).toISOString() }));
    const oldTs = new Date(Date.now() - 3600_000).toISOString();
    const raw = JSON.stringify(body);
    expectStandard401(await zendeskPost(f.store.id, raw, { ts: oldTs, signature: zendeskSignature(ZD_SECRET, oldTs, raw) }));
    const ts = new Date().toISOString();
    const tampered = raw.replace('Solved', 'Closed');
    expectStandard401(await zendeskPost(f.store.id, tampered, { ts, signature: zendeskSignature(ZD_SECRET, ts, raw) }));
    // Unsigned junk is a 401 before it is a 400.
    expectStandard401(await zendeskPost(f.store.id, '{not json', { secret: 'wrong' }));
    // Unknown or malformed store ids: nothing to verify against.
    expectStandard401(await zendeskPost(randomUUID(), body));
    expectStandard401(await zendeskPost('not-a-store', body));
    expect((await getCase(f, f.cases[0]!.id)).status).toBe('OPEN');
  });

  it('Zendesk and Freshdesk: a store without a webhook secret gets 401', async () => {
    const bare = await fixture(1, { secrets: false, webhook: false });
    const zd = await zendeskPost(bare.store.id, { ticket_id: bare.cases[0]!.zendeskTicket, status: 'solved' });
    expectStandard401(zd);
    expect(zd.json().message).toMatch(/webhookSecret/);
    const fd = await freshdeskPost(bare.store.id, { ticket_id: bare.cases[0]!.freshdeskTicket, status: 'Resolved' }, { basic: FD_SECRET, header: FD_SECRET });
    expectStandard401(fd);
    expect(fd.json().message).toMatch(/webhookSecret/);
  });

  it('Freshdesk: missing and wrong secrets get 401', async () => {
    const body = { ticket_id: f.cases[0]!.freshdeskTicket, status: 'Resolved', agent_name: '', agent_email: '' };
    expectStandard401(await freshdeskPost(f.store.id, body, {}));
    expectStandard401(await freshdeskPost(f.store.id, body, { basic: 'wrong' }));
    expectStandard401(await freshdeskPost(f.store.id, body, { header: 'wrong' }));
    expectStandard401(await freshdeskPost(f.store.id, body, { header: '' }));
    const asUser = await t.app.inject({
      method: 'POST',
      url: `/webhooks/freshdesk/${f.store.id}`,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: basic(FD_SECRET, 'X') },
    });
    expectStandard401(asUser);
    expectStandard401(await freshdeskPost(randomUUID(), body));
    expect((await getCase(f, f.cases[0]!.id)).status).toBe('OPEN');
  });

  it('bounds bodies, and a verified but malformed body is a 400', async () => {
    const big = 'x'.repeat(300 * 1024);
    const res = await zendeskPost(f.store.id, JSON.stringify({ ticket_id: '1', status: 'open', pad: big }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, message: expect.stringMatching(/256 KiB/) });
    const bad = await zendeskPost(f.store.id, '{not json');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ statusCode: 400, message: 'Body is not valid JSON' });
    const missing = await zendeskPost(f.store.id, { status: 'open' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/ticket_id/);
    const slackBad = await slackPost('/slack/interactions', 'payload=%7Bnope');
    expect(slackBad.statusCode).toBe(400);
  });
});

describe('Zendesk webhooks', () => {
  it('"Solved" resolves the case, with a zendesk timeline event; the same status again is a no-op', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const body = { ticket_id: c.zendeskTicket, status: 'Solved', assignee_name: 'Ann Agent', assignee_email: 'ann@acme.test' };
    const res = await zendeskPost(f.store.id, body, { invocation: `inv-${c.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'applied', escalationId: c.id, caseStatus: 'RESOLVED', actions: ['resolved'] });
    const after = await getCase(f, c.id);
    expect(after).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'Solved in Zendesk' });
    expect(after.timeline.filter((e) => e.type === 'resolved')).toEqual([
      expect.objectContaining({ source: 'zendesk', actor: 'Ann Agent', data: expect.objectContaining({ summary: 'Solved in Zendesk', to: 'RESOLVED' }) }),
    ]);

    // Redelivery of the same invocation: recognised and dropped.
    const dup = await zendeskPost(f.store.id, body, { invocation: `inv-${c.id}` });
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ status: 'duplicate', escalationId: c.id });
    // Another invocation with the same status: nothing to do, still 200 (never a 409 to Zendesk).
    const again = await zendeskPost(f.store.id, { ...body, status: 'solved' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'unchanged', caseStatus: 'RESOLVED' });
    expect((await getCase(f, c.id)).timeline.filter((e) => e.type === 'resolved')).toHaveLength(1);

    // The change does not echo back to Zendesk, but goes to the others.
    const events = await t.app.ctx.db.escalationEvent.findMany({ where: { escalationId: c.id, type: 'resolved' } });
    const jobs = await t.app.ctx.queues.queue('ZENDESK').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const zdDelivery = await t.app.ctx.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: c.id, type: 'ZENDESK' } });
    expect(jobs.some((j) => j?.id === `${zdDelivery.id}-${events[0]!.id}`)).toBe(false);
    const slackDelivery = await t.app.ctx.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: c.id, type: 'SLACK' } });
    expect(await t.app.ctx.queues.queue('SLACK').getJob(`${slackDelivery.id}-${events[0]!.id}`)).toBeTruthy();
  });

  it('maps open with an assignee to assign, reopens a resolved case, and closes', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const send = (status: string, assignee = '') =>
      zendeskPost(f.store.id, { ticket_id: c.zendeskTicket, status, assignee_name: assignee, assignee_email: assignee ? 'bo@acme.test' : '' });

    expect((await send('Open')).json()).toMatchObject({ status: 'unchanged', caseStatus: 'OPEN' });
    expect((await send('Open', 'Bo Agent')).json()).toMatchObject({ status: 'applied', actions: ['assigned'], caseStatus: 'IN_PROGRESS' });
    expect((await send('Pending', 'Bo Agent')).json()).toMatchObject({ status: 'unchanged', caseStatus: 'IN_PROGRESS' });
    expect((await send('Hold', 'Cy Agent')).json()).toMatchObject({ status: 'applied', actions: ['assigned'] });
    expect((await send('solved', 'Cy Agent')).json()).toMatchObject({ status: 'applied', actions: ['resolved'], caseStatus: 'RESOLVED' });
    expect((await send('New')).json()).toMatchObject({ status: 'applied', actions: ['reopened'], caseStatus: 'IN_PROGRESS' });
    expect((await send('Closed')).json()).toMatchObject({ status: 'applied', actions: ['closed'], caseStatus: 'CLOSED' });
    expect((await send('Closed')).json()).toMatchObject({ status: 'unchanged', caseStatus: 'CLOSED' });
    expect((await send('Open', 'Bo Agent')).json()).toMatchObject({ status: 'unchanged', caseStatus: 'CLOSED' });
    expect((await send('deleted')).json()).toMatchObject({ status: 'ignored' });

    const after = await getCase(f, c.id);
    expect(after.assignedTo).toBe('Cy Agent');
    const synced = after.timeline.filter((e) => e.source === 'zendesk').map((e) => e.type);
    expect(synced).toEqual(['assigned', 'assigned', 'resolved', 'reopened', 'status_changed']);
  });

  it('answers 200 ignored for a ticket that is not one of ours', async () => {
    const f = await fixture(1);
    const res = await zendeskPost(f.store.id, { ticket_id: '999999999999', status: 'solved', assignee_name: '', assignee_email: '' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/999999999999/) });
    // Another store's ticket is not ours either.
    const other = await fixture(1);
    const cross = await zendeskPost(f.store.id, { ticket_id: other.cases[0]!.zendeskTicket, status: 'solved' });
    expect(cross.json()).toMatchObject({ status: 'ignored' });
    expect((await getCase(other, other.cases[0]!.id)).status).toBe('OPEN');
  });

  it('concurrent redeliveries of one invocation apply once', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const body = { ticket_id: c.zendeskTicket, status: 'solved', assignee_name: '', assignee_email: '' };
    const results = await Promise.all([1, 2, 3].map(() => zendeskPost(f.store.id, body, { invocation: `burst-${c.id}` })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.json().status).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect((await getCase(f, c.id)).timeline.filter((e) => e.type === 'resolved')).toHaveLength(1);
  });
});

describe('Freshdesk webhooks', () => {
  it('"Resolved" with the secret as Basic password resolves the case with a freshdesk event', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const body = { ticket_id: c.freshdeskTicket, status: 'Resolved', agent_name: 'Dee Agent', agent_email: 'dee@acme.test' };
    const res = await freshdeskPost(f.store.id, body, { basic: FD_SECRET });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'applied', actions: ['resolved'], caseStatus: 'RESOLVED' });
    const after = await getCase(f, c.id);
    expect(after).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'Resolved in Freshdesk' });
    expect(after.timeline.find((e) => e.type === 'resolved')).toMatchObject({ source: 'freshdesk', actor: 'Dee Agent' });
    // The redelivery applies nothing.
    const again = await freshdeskPost(f.store.id, body, { basic: FD_SECRET });
    expect(again.statusCode).toBe(200);
    expect(['duplicate', 'unchanged']).toContain(again.json().status);
    expect((await getCase(f, c.id)).timeline.filter((e) => e.type === 'resolved')).toHaveLength(1);
  });

  it('accepts X-Webhook-Secret and numeric statuses', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const res = await freshdeskPost(f.store.id, { ticket_id: Number(c.freshdeskTicket), status: 4, agent_name: '', agent_email: '' }, { header: FD_SECRET });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'applied', actions: ['resolved'] });
    const after = await getCase(f, c.id);
    expect(after.status).toBe('RESOLVED');
    expect(after.timeline.find((e) => e.type === 'resolved')).toMatchObject({ source: 'freshdesk', actor: null });
    const closed = await freshdeskPost(f.store.id, { ticket_id: c.freshdeskTicket, status: '5' }, { header: FD_SECRET });
    expect(closed.json()).toMatchObject({ status: 'applied', actions: ['closed'], caseStatus: 'CLOSED' });
  });

  it('drops identical redeliveries while the case is unchanged, yet applies Resolved → Open → Resolved', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const pending = { ticket_id: c.freshdeskTicket, status: 'Pending', agent_name: 'Eve Agent', agent_email: 'eve@acme.test' };
    expect((await freshdeskPost(f.store.id, pending)).json()).toMatchObject({ status: 'applied', actions: ['assigned'] });
    expect((await freshdeskPost(f.store.id, pending)).json()).toMatchObject({ status: 'unchanged' });
    expect((await freshdeskPost(f.store.id, pending)).json()).toMatchObject({ status: 'duplicate' });
    expect((await freshdeskPost(f.store.id, pending, { header: FD_SECRET })).json()).toMatchObject({ status: 'duplicate' });

    const resolved = { ...pending, status: 'Resolved' };
    const open = { ...pending, status: 'Open' };
    expect((await freshdeskPost(f.store.id, resolved)).json()).toMatchObject({ status: 'applied', actions: ['resolved'] });
    expect((await freshdeskPost(f.store.id, open)).json()).toMatchObject({ status: 'applied', actions: ['reopened'], caseStatus: 'IN_PROGRESS' });
    expect((await freshdeskPost(f.store.id, resolved)).json()).toMatchObject({ status: 'applied', actions: ['resolved'] });
    const types = (await getCase(f, c.id)).timeline.filter((e) => e.source === 'freshdesk').map((e) => e.type);
    expect(types).toEqual(['assigned', 'resolved', 'reopened', 'resolved']);

    const unknown = await freshdeskPost(f.store.id, { ...pending, ticket_id: '424242424242' });
    expect(unknown.json()).toMatchObject({ status: 'ignored' });
    const custom = await freshdeskPost(f.store.id, { ...pending, status: 'Waiting on Customer' });
    expect(custom.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/not mapped/) });
  });
});

describe('Slack Take Case button', () => {
  it('a click assigns the case to the clicker (IN_PROGRESS) and confirms privately', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const reply = responseUrl();
    const res = await click({ actionId: `take_case:${c.id}`, channelId: f.channelId, user: { id: 'U0JANE', name: 'jane' }, responseUrl: reply.url });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ status: 'IN_PROGRESS', assignedTo: 'jane (U0JANE)' });
    expect(row.assignedAt).toBeInstanceOf(Date);
    const event = (await getCase(f, c.id)).timeline.find((e) => e.type === 'assigned');
    expect(event).toMatchObject({ source: 'slack', actor: 'jane (U0JANE)', data: expect.objectContaining({ assignedTo: 'jane (U0JANE)' }) });
    const [message] = await waitFor(() => reply.messages.length > 0 && reply.messages);
    expect(message).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('yours') });
    // The Slack message update is queued for the Slack delivery (the worker runs chat.update).
    const slack = await t.app.ctx.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: c.id, type: 'SLACK' } });
    const assigned = await t.app.ctx.db.escalationEvent.findFirstOrThrow({ where: { escalationId: c.id, type: 'assigned' } });
    expect(await t.app.ctx.queues.queue('SLACK').getJob(`${slack.id}-${assigned.id}`)).toBeTruthy();

    // Clicking again: still yours, nothing recorded twice.
    const again = responseUrl();
    await click({ actionId: `take_case:${c.id}`, channelId: f.channelId, user: { id: 'U0JANE', name: 'jane' }, responseUrl: again.url });
    const [second] = await waitFor(() => again.messages.length > 0 && again.messages);
    expect(second!.text).toMatch(/already have this case/);
    expect((await getCase(f, c.id)).timeline.filter((e) => e.type === 'assigned')).toHaveLength(1);
  });

  it('two concurrent clicks by two agents: exactly one assignee, the other is told politely', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const a = responseUrl();
    const b = responseUrl();
    const [ra, rb] = await Promise.all([
      click({ actionId: `take_case:${c.id}`, channelId: f.channelId, user: { id: 'U0ALICE', name: 'alice' }, responseUrl: a.url }),
      click({ actionId: `take_case:${c.id}`, channelId: f.channelId, user: { id: 'U0BOB', name: 'bob' }, responseUrl: b.url }),
    ]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } });
    expect(['alice (U0ALICE)', 'bob (U0BOB)']).toContain(row.assignedTo);
    expect(row.status).toBe('IN_PROGRESS');
    const events = (await getCase(f, c.id)).timeline.filter((e) => e.type === 'assigned');
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(row.assignedTo);

    await waitFor(() => a.messages.length > 0 && b.messages.length > 0);
    const [winner, loser] = row.assignedTo === 'alice (U0ALICE)' ? [a, b] : [b, a];
    expect(winner.messages[0]!.text).toMatch(/yours/);
    expect(loser.messages[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(loser.messages[0]!.text).toMatch(new RegExp(`Thanks for jumping in.*already taken by \\*${row.assignedTo!.replace(/[()]/g, '\\$&')}\\*`));
  });

  it('only acts in the channel the case was posted in; unknown cases are "not found"', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const other = await fixture(1);
    // A forged action id: another store's case, clicked from this store's channel.
    const forged = responseUrl();
    await click({ actionId: `take_case:${other.cases[0]!.id}`, channelId: f.channelId, responseUrl: forged.url });
    const [m1] = await waitFor(() => forged.messages.length > 0 && forged.messages);
    expect(m1!.text).toMatch(/couldn't find that case/);
    expect((await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: other.cases[0]!.id } })).assignedTo).toBeNull();

    for (const actionId of [`take_case:${randomUUID()}`, 'take_case:not-a-uuid', 'take_case:']) {
      const r = responseUrl();
      const res = await click({ actionId, channelId: f.channelId, responseUrl: r.url });
      expect(res.statusCode).toBe(200);
      const [m] = await waitFor(() => r.messages.length > 0 && r.messages);
      expect(m!.text).toMatch(/couldn't find that case/);
    }

    // View Full Context (a URL button) and other interaction types are just acknowledged.
    const view = await click({ actionId: `view_context:${c.id}`, channelId: f.channelId });
    expect(view.statusCode).toBe(200);
    expect(view.body).toBe('');
    const shortcut = await click({ actionId: `take_case:${c.id}`, channelId: f.channelId, type: 'view_submission' });
    expect(shortcut.statusCode).toBe(200);
    expect((await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('OPEN');
  });

  it('does not take a resolved case', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    await t.call(f.store.apiKey, { method: 'POST', url: `/escalations/${c.id}/resolve`, payload: { summary: 'done' } });
    const r = responseUrl();
    await click({ actionId: `take_case:${c.id}`, channelId: f.channelId, responseUrl: r.url });
    const [m] = await waitFor(() => r.messages.length > 0 && r.messages);
    expect(m!.text).toMatch(/already resolved/);
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ status: 'RESOLVED', assignedTo: null });
  });
});

describe('/escalation slash command', () => {
  it('help, and bad syntax explained', async () => {
    const f = await fixture(0);
    for (const text of ['', 'help']) {
      const res = await command(text, { channelId: f.channelId });
      expect(res.response_type).toBe('ephemeral');
      expect(res.text).toMatch(/\/escalation list/);
      expect(res.text).toMatch(/\/escalation reply <id> <message>/);
    }
    expect((await command('take', { channelId: f.channelId })).text).toMatch(/^Usage: `\/escalation take <case id>`/);
    expect((await command('resolve abcdef12', { channelId: f.channelId })).text).toMatch(/Usage: `\/escalation resolve/);
    expect((await command('frobnicate', { channelId: f.channelId })).text).toMatch(/Unknown subcommand `frobnicate`/);
  });

  it('list: the open and in-progress cases of the store linked to the channel', async () => {
    const f = await fixture(3);
    const [a, b, c] = f.cases;
    await t.call(f.store.apiKey, { method: 'POST', url: `/escalations/${b!.id}/assign`, payload: { assignedTo: 'Bo' } });
    await t.call(f.store.apiKey, { method: 'POST', url: `/escalations/${c!.id}/resolve`, payload: { summary: 'done' } });
    // Linked through the Slack messages posted in the channel (channel_id).
    const res = await command('list', { channelId: f.channelId });
    expect(res.response_type).toBe('in_channel');
    expect(res.text).toMatch(/1 open, 1 in progress/);
    expect(res.text).toContain(`\`${a!.id.slice(0, 8)}\``);
    expect(res.text).toContain(`\`${b!.id.slice(0, 8)}\``);
    expect(res.text).toContain('taken by Bo');
    expect(res.text).not.toContain(c!.id.slice(0, 8));
    expect(res.text).toContain(`http://reva.test/dashboard/escalations/${a!.id}`);
    // A channel of the same *name* in another workspace is not linked: names are unique only per workspace.
    const byName = await command('list', { channelId: 'CNEWCHANNEL', channelName: f.channelName });
    expect(byName).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/not linked to a store/) });
    // A channel linked to nothing.
    const nowhere = await command('list', { channelId: 'CUNLINKED1', channelName: `random-${randomBytes(3).toString('hex')}` });
    expect(nowhere).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/not linked to a store/) });
    // Another store's channel does not see these cases.
    const other = await fixture(1);
    expect((await command('list', { channelId: other.channelId })).text).not.toContain(a!.id.slice(0, 8));
    // Nothing open.
    const empty = await fixture(1);
    await t.call(empty.store.apiKey, { method: 'POST', url: `/escalations/${empty.cases[0]!.id}/resolve`, payload: { summary: 'x' } });
    expect((await command('list', { channelId: empty.channelId })).text).toMatch(/No open escalations/);
  });

  it('take <short id>: assigns; a second agent is told who has it', async () => {
    const f = await fixture(1);
    const c = f.cases[0]!;
    const res = await command(`take ${c.id.slice(0, 6)}`, { channelId: f.channelId, user: { id: 'U0KIM', name: 'kim' } });
    expect(res).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/is yours, kim/) });
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ status: 'IN_PROGRESS', assignedTo: 'kim (U0KIM)' });
    const second = await command(`take ${c.id}`, { channelId: f.channelId, user: { id: 'U0LEE', name: 'lee' } });
    expect(second.text).toMatch(/already taken by \*kim \(U0KIM\)\*/);
    expect((await command(`take ${c.id.toUpperCase()}`, { channelId: f.channelId, user: { id: 'U0KIM', name: 'kim' } })).text).toMatch(/You already have/);
    expect((await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: c.id } })).assignedTo).toBe('kim (U0KIM)');
  });

  it('resolve <id> <summary> and reply <id> <message>', async () => {
    const f = await fixture(2);
    const [c, d] = f.cases;
    const replied = await command(`reply ${c!.id.slice(0, 8)} Hi Jane, your refund of $89.90 is on its way &amp; will arrive in 3 days.`, {
      channelId: f.channelId,
      user: { id: 'U0MAX', name: 'max' },
    });
    expect(replied.text).toMatch(/reply is on its way to the customer/);
    const reply = (await getCase(f, c!.id)).timeline.find((e) => e.type === 'agent_reply');
    expect(reply).toMatchObject({
      source: 'slack',
      actor: 'max (U0MAX)',
      data: { message: 'Hi Jane, your refund of $89.90 is on its way & will arrive in 3 days.', agent: 'max' },
    });
    // The reply goes to the chat backend's webhook (escalation.agent_reply) through the delivery queue.
    const webhook = await t.app.ctx.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: c!.id, type: 'WEBHOOK' } });
    const replyEvent = await t.app.ctx.db.escalationEvent.findFirstOrThrow({ where: { escalationId: c!.id, type: 'agent_reply' } });
    expect(await t.app.ctx.queues.queue('WEBHOOK').getJob(`${webhook.id}-${replyEvent.id}`)).toBeTruthy();

    const resolved = await command(`resolve ${c!.id} Refund issued, customer confirmed`, { channelId: f.channelId, user: { id: 'U0MAX', name: 'max' } });
    expect(resolved.text).toMatch(/Resolved case/);
    const after = await getCase(f, c!.id);
    expect(after).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'Refund issued, customer confirmed' });
    expect(after.timeline.find((e) => e.type === 'resolved')).toMatchObject({ source: 'slack', actor: 'max (U0MAX)' });
    expect((await command(`resolve ${c!.id} again`, { channelId: f.channelId })).text).toMatch(/already resolved/);

    // Without a chat-backend webhook the agent is told the customer will not get it.
    const noHook = await fixture(1, { webhook: false });
    const noted = await command(`reply ${noHook.cases[0]!.id} hello`, { channelId: noHook.channelId });
    expect(noted.text).toMatch(/no chat-backend webhook/);
    // d stays untouched.
    expect((await getCase(f, d!.id)).status).toBe('OPEN');
  });

  it("unknown ids, ambiguous prefixes, short prefixes and other stores' cases", async () => {
    const f = await fixture(1);
    const other = await fixture(1);
    const opts = { channelId: f.channelId };
    expect((await command('take 0000000000', opts)).text).toMatch(/No case `0000000000`/);
    expect((await command(`take ${randomUUID()}`, opts)).text).toMatch(/No case/);
    expect((await command('take abc', opts)).text).toMatch(/is not a case id.*6 or more/);
    expect((await command('take hello-world', opts)).text).toMatch(/is not a case id/);
    expect((await command(`take ${other.cases[0]!.id}`, opts)).text).toMatch(/No case/);
    expect((await command(`resolve ${other.cases[0]!.id.slice(0, 8)} nope`, opts)).text).toMatch(/No case/);
    expect((await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: other.cases[0]!.id } })).status).toBe('OPEN');

    // Two cases sharing a prefix in one store.
    const prefix = randomBytes(4).toString('hex');
    const template = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: f.cases[0]!.id } });
    for (const n of ['1', '2']) {
      const { id: _id, searchVector: _sv, openConversationId: _o, ...rest } = template as typeof template & { searchVector?: unknown };
      await t.app.ctx.db.escalation.create({
        data: {
          ...rest,
          id: `${prefix}-aaaa-4aaa-8aaa-${n.repeat(12)}`,
          conversationId: `dup-${prefix}-${n}`,
          openConversationId: `dup-${prefix}-${n}`,
          context: rest.context as object,
          decision: rest.decision as object,
        },
      });
    }
    const ambiguous = await command(`take ${prefix}`, opts);
    expect(ambiguous.text).toMatch(/matches more than one case/);
    expect(ambiguous.text).toContain(`${prefix}-aaaa`);
    expect((await command(`take ${prefix}-aaaa-4aaa-8aaa-1111`, opts)).text).toMatch(/is yours/);
  });
});
