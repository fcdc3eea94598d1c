// The API's logs and metrics: one JSON line per request (no secrets), inbound webhooks counted by
// source and outcome, queue families on the API's /metrics too.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ADMIN_KEY, testConfig } from '../helpers/app.ts';
import { sample } from '../helpers/metrics.ts';

const lines: Record<string, any>[] = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp({ config: testConfig({ LOG_LEVEL: 'info' }), logger: { stream } });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

const metrics = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

describe('API observability', () => {
  it('writes one JSON line per request, with its id, route, status and time, and no credentials', async () => {
    lines.length = 0;
    const res = await app.inject({
      method: 'GET',
      url: '/escalations?limit=1',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-request-id': 'obs-test-1' },
    });
    expect(res.statusCode).toBe(400); // the admin must name a store
    const mine = lines.filter((l) => l.reqId === 'obs-test-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      url: '/escalations?limit=1',
      route: '/escalations',
      statusCode: 400,
      responseTimeMs: expect.any(Number),
    });
    expect(JSON.stringify(lines)).not.toContain(ADMIN_KEY);
    expect(lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
  });

  it('counts inbound webhooks by source and outcome', async () => {
    const store = (await app.inject({ method: 'POST', url: '/stores', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { name: 'obs' } })).json();
    const put = await app.inject({
      method: 'PUT',
      url: `/stores/${store.id}/escalation-config`,
      headers: { authorization: `Bearer ${store.apiKey}` },
      payload: { freshdesk: { enabled: true, domain: 'acme', apiKey: 'fd-key', webhookSecret: 'fd-hook-secret' } },
    });
    expect(put.statusCode).toBe(200);
    const count = async (source: string, outcome: string) => sample(await metrics(), 'escalation_inbound_webhooks_total', { source, outcome }) ?? 0;
    const before = {
      unauthorized: await count('freshdesk', 'unauthorized'),
      ignored: await count('freshdesk', 'ignored'),
      zendesk: await count('zendesk', 'unauthorized'),
    };
    const body = { ticket_id: '424242', status: 'Resolved' };
    const wrong = await app.inject({ method: 'POST', url: `/webhooks/freshdesk/${store.id}`, headers: { 'x-webhook-secret': 'nope' }, payload: body });
    expect(wrong.statusCode).toBe(401);
    const unknownTicket = await app.inject({
      method: 'POST',
      url: `/webhooks/freshdesk/${store.id}`,
      headers: { 'x-webhook-secret': 'fd-hook-secret' },
      payload: body,
    });
    expect(unknownTicket.statusCode).toBe(200);
    expect(unknownTicket.json().status).toBe('ignored');
    const unsigned = await app.inject({ method: 'POST', url: `/webhooks/zendesk/${store.id}`, payload: { ticket_id: '1', status: 'solved' } });
    expect(unsigned.statusCode).toBe(401);
    expect(await count('freshdesk', 'unauthorized')).toBe(before.unauthorized + 1);
    expect(await count('freshdesk', 'ignored')).toBe(before.ignored + 1);
    expect(await count('zendesk', 'unauthorized')).toBe(before.zendesk + 1);
  });

  it("the API's /metrics has the queue and delivery families as well", async () => {
    const text = await metrics();
    for (const queue of ['deliver-slack', 'deliver-zendesk', 'deliver-freshdesk', 'deliver-webhook'])
      expect(sample(text, 'escalation_queue_jobs', { queue, state: 'waiting' }), queue).toBeGreaterThanOrEqual(0);
    for (const family of [
      'escalation_deliveries_total',
      'escalation_delivery_latency_seconds',
      'escalation_queue_oldest_waiting_seconds',
      'http_request_duration_seconds',
    ])
      expect(text).toContain(`# TYPE ${family}`);
  });
});
