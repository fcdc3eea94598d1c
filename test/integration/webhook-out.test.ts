// The outbound webhook (the chat backend's callback): Standard Webhooks signatures, a stable id across
// retries, and the private-address guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { isPrivateAddress } from '../../src/integrations/webhook/address-guard.ts';
import { seedConversation, startPipeline, WEBHOOK_SECRET, type Pipeline } from '../helpers/pipeline.ts';

const webhookOnly = (url: string) => ({ slack: null, zendesk: null, freshdesk: null, webhook: { enabled: true, url, secret: WEBHOOK_SECRET } });

describe('WEBHOOK_ALLOW_PRIVATE=true (the receiver is on loopback)', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  });
  afterAll(async () => {
    await p?.close();
  });
  const hooks = (id: string) => p.receiver.received.filter((r) => r.json.data.escalation?.id === id);

  it('sends escalation.created signed per Standard Webhooks, verifiable with the standardwebhooks package', async () => {
    const store = await p.createStore(webhookOnly(p.receiver.url));
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'WEBHOOK', 'DELIVERED');
    const [hook] = hooks(id);
    expect(hook).toBeTruthy();
    expect(hook!.headers['content-type']).toBe('application/json');
    expect(hook!.headers['webhook-id']).toBe(d.externalId);
    expect(hook!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(Math.abs(Number(hook!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    const payload = new Webhook(WEBHOOK_SECRET).verify(hook!.body, hook!.headers as Record<string, string>) as Record<string, any>;
    expect(payload.type).toBe('escalation.created');
    expect(payload.data.escalation).toMatchObject({ id, conversationId: payload.data.conversationId, url: `http://reva.test/dashboard/escalations/${id}` });
    expect(payload.data.decision.shouldEscalate).toBe(true);
    // A tampered body or another secret does not verify.
    expect(() =>
      new Webhook(WEBHOOK_SECRET).verify(hook!.body.replace('escalation.created', 'escalation.resolved'), hook!.headers as Record<string, string>),
    ).toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(hook!.body, hook!.headers as Record<string, string>)).toThrow();
  });

  it('keeps the webhook-id of a message across retries (receiver answers 500 once)', async () => {
    const store = await p.createStore(webhookOnly(p.receiver.url));
    p.receiver.fail(500);
    const { id } = await p.escalate(store, seedConversation());
    await p.waitForDelivery(store, id, 'WEBHOOK', 'DELIVERED');
    const tries = hooks(id);
    expect(tries.map((t) => t.status)).toEqual([500, 204]);
    expect(tries[1]!.headers['webhook-id']).toBe(tries[0]!.headers['webhook-id']);
    for (const t of tries) expect(() => new Webhook(WEBHOOK_SECRET).verify(t.body, t.headers as Record<string, string>)).not.toThrow();

    // Lifecycle events: their own ids, also stable across a retry.
    p.receiver.fail(503);
    const assign = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'carol' } });
    expect(assign.statusCode, assign.body).toBe(200);
    const assigned = await p.sandbox.waitFor(() => {
      const a = hooks(id).filter((h) => h.json.type === 'escalation.assigned');
      return a.length === 2 && a;
    });
    expect(assigned.map((a) => a.status)).toEqual([503, 204]);
    expect(assigned[0]!.headers['webhook-id']).toBe(assigned[1]!.headers['webhook-id']);
    expect(assigned[0]!.headers['webhook-id']).not.toBe(tries[0]!.headers['webhook-id']);
    expect(assigned[1]!.json.data.event).toMatchObject({ type: 'assigned', data: { assignedTo: 'carol' } });
  });

  it('a 410 Gone is final: FAILED after one attempt', async () => {
    const store = await p.createStore(webhookOnly(p.receiver.url));
    p.receiver.fail(410);
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'WEBHOOK', 'FAILED');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toMatch(/410/);
  });
});

describe('WEBHOOK_ALLOW_PRIVATE=false', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline({ env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it.each([
    ['a loopback IP', (port: string) => `http://127.0.0.1:${port}/hooks`],
    ['a short loopback IP', (port: string) => `http://127.1:${port}/hooks`],
    ['IPv6 loopback', (port: string) => `http://[::1]:${port}/hooks`],
    ['IPv4-mapped IPv6 loopback', (port: string) => `http://[::ffff:127.0.0.1]:${port}/hooks`],
    ['localhost', (port: string) => `http://localhost:${port}/hooks`],
    ['a private network address', () => 'http://10.1.2.3/hooks'],
  ])('refuses %s: a 400 naming the URL when saved; at connect time FAILED after one attempt, nothing sent', async (_name, url) => {
    const port = new URL(p.receiver.url).port;
    const target = url(port);
    const store = await p.createStore(webhookOnly('https://hooks.example.com/reva'));
    const put = await p.call(store.apiKey, {
      method: 'PUT',
      url: `/stores/${store.id}/escalation-config`,
      payload: { webhook: { enabled: true, url: target, secret: WEBHOOK_SECRET } },
    });
    expect(put.statusCode, put.body).toBe(400);
    expect(put.json().message).toContain(target);
    // A config saved before (while WEBHOOK_ALLOW_PRIVATE was true) is still refused when connecting.
    await p.app.ctx.stores.saveConfig(store.id, { webhook: { enabled: true, url: target } }, { webhook: { secret: WEBHOOK_SECRET } });
    const before = p.receiver.received.length;
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'WEBHOOK', 'FAILED');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toMatch(/private|loopback/);
    expect(d.lastError).toContain('WEBHOOK_ALLOW_PRIVATE');
    expect(p.receiver.received.length).toBe(before);
  });

  // Checked when connecting, not on the URL: a DNS name that resolves to a private address.
  it('refuses a host name that resolves to a private address', async (t) => {
    const name = hostname();
    const resolved = await lookup(name).catch(() => undefined);
    if (!resolved || !isPrivateAddress(resolved.address) || name === 'localhost') return t.skip();
    const store = await p.createStore(webhookOnly(`http://${name}:${new URL(p.receiver.url).port}/hooks`));
    const before = p.receiver.received.length;
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'WEBHOOK', 'FAILED');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain(`${name} resolves to a private address`);
    expect(d.lastError).toContain('WEBHOOK_ALLOW_PRIVATE');
    expect(p.receiver.received.length).toBe(before);
  });
});
