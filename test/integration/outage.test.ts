// Failures: rate limits, helpdesk errors, a worker killed mid-request, Redis going away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation, startPipeline, startWorkerProcess, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';
import { sample } from '../helpers/metrics.ts';
import { metricsRegistry } from '../../src/metrics.ts';

const ATTEMPTS = 3;
let p: Pipeline;
beforeAll(async () => {
  // Short locks so a job of a killed worker is taken over within about a second.
  p = await startPipeline({ attempts: ATTEMPTS, worker: { lockDurationMs: 1500, stalledIntervalMs: 500, requestTimeoutMs: 1000 } });
});
afterAll(async () => {
  await p?.close();
});

const only = (...keep: ('slack' | 'zendesk' | 'freshdesk' | 'webhook')[]) =>
  Object.fromEntries((['slack', 'zendesk', 'freshdesk', 'webhook'] as const).filter((k) => !keep.includes(k)).map((k) => [k, null]));
const requestsTo = (service: string, method: string, path: RegExp) =>
  p.sandbox.state.requests.filter((r) => r.service === service && r.method === method && path.test(r.path));
const at = (iso: string) => Date.parse(iso);

describe('helpdesk errors', () => {
  it('a 429 with Retry-After is waited out, for Slack, Zendesk and Freshdesk', async () => {
    const store = await p.createStore(only('slack', 'zendesk', 'freshdesk'));
    p.sandbox.fail({ service: 'slack', method: 'chat.postMessage', status: 429, retryAfter: 1 });
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', status: 429, retryAfter: 1 });
    p.sandbox.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', status: 429, retryAfter: 1 });
    const before = p.sandbox.state.requests.length;
    const { id } = await p.escalate(store, seedConversation());
    const c = await p.waitForCase(store, id, 'all delivered', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'));
    for (const [service, method, path] of [
      ['slack', 'POST', /chat\.postMessage/],
      ['zendesk', 'POST', /^\/api\/v2\/tickets(\.json)?$/],
      ['freshdesk', 'POST', /^\/api\/v2\/tickets$/],
    ] as const) {
      const tries = p.sandbox.state.requests.slice(before).filter((r) => r.service === service && r.method === method && path.test(r.path));
      expect(tries.length, service).toBeGreaterThanOrEqual(2);
      const waited = at(tries[1]!.at) - at(tries[0]!.at);
      expect(waited, `${service} waited ${waited} ms`).toBeGreaterThanOrEqual(950);
      expect(waited, `${service} waited ${waited} ms`).toBeLessThan(5000);
    }
    // A rate limit is a wait, not a failed try (issue #13): the attempt is given back.
    for (const d of c.deliveries) expect(d.attempts).toBe(1);
  });

  it('a Slack error the retry cannot fix (channel_not_found) is FAILED at once, with the error named', async () => {
    const store = await p.createStore({ ...only('slack'), slack: { enabled: true, channel: '#missing-channel', botToken: 'xoxb-test-token' } });
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'SLACK', 'FAILED');
    expect(d).toMatchObject({ attempts: 1, lastError: 'Slack: channel_not_found' });
  });

  it('5xx is retried, then FAILED after the configured attempts with lastError and a delivery_failed event; /retry re-drives it', async () => {
    const store = await p.createStore(only('zendesk'));
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', status: 503, times: ATTEMPTS });
    const before = requestsTo('zendesk', 'POST', /tickets/).length;
    const { id } = await p.escalate(store, seedConversation());
    const failed = await p.waitForDelivery(store, id, 'ZENDESK', 'FAILED');
    expect(failed.attempts).toBe(ATTEMPTS);
    expect(failed.lastError).toMatch(/Zendesk answered 503/);
    expect(requestsTo('zendesk', 'POST', /tickets/).length - before).toBe(ATTEMPTS);
    const c = await p.getCase(store, id);
    const event = c.timeline.find((e: { type: string }) => e.type === 'delivery_failed');
    expect(event).toMatchObject({ source: 'zendesk', data: { integration: 'ZENDESK', attempts: ATTEMPTS } });
    expect(event.data.error).toMatch(/503/);

    const retry = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/retry` });
    expect(retry.statusCode, retry.body).toBe(200);
    const delivered = await p.waitForDelivery(store, id, 'ZENDESK', 'DELIVERED');
    expect(delivered.lastError).toBeNull();
    expect(p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id)).toHaveLength(1);
  });

  it('a 401 is not retried (FAILED after exactly one attempt) and does not block the other integrations', async () => {
    const store = await p.createStore({
      ...only('slack', 'zendesk', 'freshdesk'),
      zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'invalid', webhookSecret: 'zd-hook-secret' },
    });
    const before = requestsTo('zendesk', 'POST', /tickets/).length;
    const { id } = await p.escalate(store, seedConversation());
    const c = await p.waitForCase(store, id, 'all settled', (x) => x.deliveries.every((d: { status: string }) => d.status !== 'PENDING'));
    const byType = Object.fromEntries(c.deliveries.map((d: { type: string }) => [d.type, d]));
    expect(byType.SLACK.status).toBe('DELIVERED');
    expect(byType.FRESHDESK.status).toBe('DELIVERED');
    expect(byType.ZENDESK).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(byType.ZENDESK.lastError).toMatch(/401/);
    // Give a wrongly scheduled retry the time to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(requestsTo('zendesk', 'POST', /tickets/).length - before).toBe(1);

    // The merchant fixes the token and retries.
    await p.putConfig(store, {
      ...only('slack', 'zendesk', 'freshdesk'),
      slack: { enabled: true, channel: '#support' },
      zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'zd-token' },
      freshdesk: { enabled: true, domain: 'acme' },
    });
    const retry = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/retry` });
    expect(retry.statusCode, retry.body).toBe(200);
    await p.waitForDelivery(store, id, 'ZENDESK', 'DELIVERED');
  });
});

describe('answers that never come', () => {
  it('a Zendesk request that hangs times out and is retried; the Idempotency-Key keeps it to one ticket', async () => {
    const store = await p.createStore(only('zendesk'));
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 3000 });
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'ZENDESK', 'DELIVERED');
    expect(d.attempts).toBe(2);
    const tickets = p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id);
    expect(tickets).toHaveLength(1);
    expect(d.externalId).toBe(String(tickets[0]!.id));
  });

  it('a Zendesk retry sends the same request again even if the case changed meanwhile (same Idempotency-Key, same body)', async () => {
    const store = await p.createStore(only('zendesk'));
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 3000 });
    const conversation = seedConversation();
    const { id } = await p.escalate(store, conversation);
    await p.sandbox.waitFor((s) => s.zendesk.tickets.some((t) => t.external_id === id));
    // The customer writes again before the retry.
    const again = await p.call(store.apiKey, {
      method: 'POST',
      url: '/escalate',
      payload: { ...conversation, messages: [...conversation.messages, { role: 'customer', text: 'Hello?? Anyone there?' }] },
    });
    expect(again.statusCode, again.body).toBe(200);
    const d = await p.waitForCase(store, id, 'Zendesk settled', (c) => c.deliveries[0].status !== 'PENDING');
    expect(d.deliveries[0].lastError, d.deliveries[0].lastError ?? '').toBeNull();
    const tickets = p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id);
    expect(tickets).toHaveLength(1);
    expect(d.deliveries[0].externalId).toBe(String(tickets[0]!.id));
  });

  it('a Freshdesk create whose answer was lost is found again, even on a manual retry after FAILED', async () => {
    const store = await p.createStore(only('freshdesk'));
    // Attempt 1 creates the ticket but its answer never arrives; attempts 2 and 3 cannot look it up.
    p.sandbox.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 3000 });
    p.sandbox.fail({ service: 'freshdesk', method: 'GET /api/v2/*', status: 500, times: ATTEMPTS - 1 });
    const { id } = await p.escalate(store, seedConversation());
    await p.waitForDelivery(store, id, 'FRESHDESK', 'FAILED');
    expect(p.sandbox.state.freshdesk.tickets.filter((t) => t.description.includes(id))).toHaveLength(1);
    const retry = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/retry` });
    expect(retry.statusCode, retry.body).toBe(200);
    const d = await p.waitForDelivery(store, id, 'FRESHDESK', 'DELIVERED');
    const tickets = p.sandbox.state.freshdesk.tickets.filter((t) => t.description.includes(id));
    expect(tickets).toHaveLength(1);
    expect(d.externalId).toBe(String(tickets[0]!.id));
  });

  it('an update made while the create is still retrying is not lost', async () => {
    const store = await p.createStore(only('slack'));
    // The create needs more time than an update's attempts would last.
    p.sandbox.fail({ service: 'slack', method: 'chat.postMessage', status: 429, retryAfter: 1 });
    const { id } = await p.escalate(store, seedConversation());
    const assign = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'dave' } });
    expect(assign.statusCode, assign.body).toBe(200);
    const d = await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
    const reply = await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === d.externalId && m.text.includes('dave')), 5000);
    expect(reply.text).toContain('Assigned to dave');
  });

  it('a thread history interrupted by an error continues where it stopped on the retry', async () => {
    const store = await p.createStore(only('slack'));
    const messages = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('customer' as const), text: `${i} ${'x'.repeat(1500)}` }));
    // Slow enough to fail the third history reply once the first two are in.
    p.sandbox.setLatency('slack', 150);
    try {
      const { id } = await p.escalate(store, { ...seedConversation(), messages: [...messages, { role: 'customer', text: 'I want a manager' }] });
      const parent = await p.sandbox.waitFor((s) => s.slack.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id)), 5000);
      await p.sandbox.waitFor((s) => s.slack.messages.filter((m) => m.thread_ts === parent.ts).length >= 2, 5000);
      p.sandbox.fail({ service: 'slack', method: 'chat.postMessage', status: 500 });
      await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
      const thread = p.sandbox.state.slack.messages.filter((m) => m.thread_ts === parent.ts).map((m) => m.text);
      expect(new Set(thread).size).toBe(thread.length);
      expect(thread.at(-1)).toContain('more messages');
    } finally {
      p.sandbox.setLatency('slack', 0);
    }
  });
});

describe('a worker killed in the middle of a create', () => {
  let store: StoreHandle;
  beforeAll(async () => {
    store = await p.createStore(only('zendesk', 'freshdesk'));
  });

  it('makes no second Zendesk ticket or Freshdesk ticket: the next worker finds the one already made', async () => {
    await p.stopWorkers();
    const child = await startWorkerProcess(p, { lockDurationMs: 1000, stalledIntervalMs: 500 });
    try {
      // The tickets are created but the answers never come back to the worker.
      p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 60_000 });
      p.sandbox.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 60_000 });
      const { id } = await p.escalate(store, seedConversation());
      await p.sandbox.waitFor(
        (s) => s.zendesk.tickets.some((t) => t.external_id === id) && s.freshdesk.tickets.some((t) => t.description.includes(id)),
        10_000,
      );
      await child.kill();
      p.startWorkers();
      const c = await p.waitForCase(
        store,
        id,
        'both delivered by the new worker',
        (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'),
        15_000,
      );
      const zTickets = p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id);
      const fTickets = p.sandbox.state.freshdesk.tickets.filter((t) => t.description.includes(id));
      expect(zTickets).toHaveLength(1);
      expect(fTickets).toHaveLength(1);
      const byType = Object.fromEntries(c.deliveries.map((d: { type: string }) => [d.type, d]));
      expect(byType.ZENDESK.externalId).toBe(String(zTickets[0]!.id));
      expect(byType.FRESHDESK.externalId).toBe(String(fTickets[0]!.id));
      expect(byType.ZENDESK.attempts).toBe(2);
      expect(byType.FRESHDESK.attempts).toBe(2);
    } finally {
      await child.kill();
      if (!p.workers) p.startWorkers();
    }
  });
});

describe('Redis away during POST /escalate', () => {
  it('loses no escalation: 201 at once, and every delivery goes out once (what needs Redis, once it is back)', async () => {
    // Short SLA targets: the alerts come from Postgres (sla_timers) and go out while Redis is away too.
    const target = { firstResponseMinutes: 0.05, resolutionMinutes: 60 };
    const store = await p.createStore({ sla: { URGENT: target, HIGH: target, MEDIUM: target, LOW: target } });
    await p.redis.stop();
    try {
      const started = Date.now();
      const { id, body } = await p.escalate(store, seedConversation());
      expect(Date.now() - started).toBeLessThan(5000);
      expect(body.escalated).toBe(true);
      const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: id } });
      expect(rows).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 1000));
      await p.redis.start();
      const c = await p.waitForCase(
        store,
        id,
        'all delivered after Redis came back',
        (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'),
        20_000,
      );
      expect(c.deliveries).toHaveLength(4);
      expect(p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id)).toHaveLength(1);
      expect(p.receiver.received.filter((r) => r.json.data.escalation?.id === id && r.json.type === 'escalation.created')).toHaveLength(1);
      const breached = await p.waitForCase(
        store,
        id,
        'the first-response SLA breach',
        (x) => x.timeline.some((e: { type: string }) => e.type === 'sla_breached'),
        10_000,
      );
      // The warning comes first, or not at all when the sweeper got to it only after the due time.
      const alerts = breached.timeline
        .filter((e: { source: string }) => e.source === 'sla')
        .map((e: { type: string; data: { kind: string } }) => `${e.type}:${e.data.kind}`);
      expect([['sla_warning:firstResponse', 'sla_breached:firstResponse'], ['sla_breached:firstResponse']]).toContainEqual(alerts);
      // The Slack message went out once.
      expect(p.sandbox.state.slack.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id))).toHaveLength(1);
    } finally {
      await p.redis.start().catch(() => {});
    }
  });

  it('with no worker listening either, the rows wait PENDING; the sweeper sends them once Redis is back', async () => {
    const store = await p.createStore(only('slack', 'zendesk'));
    await p.stopWorkers();
    const sweptBefore = sample(await metricsRegistry.metrics(), 'escalation_delivery_requeues_total', { integration: 'SLACK', reason: 'sweeper' }) ?? 0;
    await p.redis.stop();
    try {
      const { id } = await p.escalate(store, seedConversation());
      const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: id } });
      expect(rows.map((r) => r.status)).toEqual(['PENDING', 'PENDING']);
      await new Promise((r) => setTimeout(r, 1000));
      await p.redis.start();
      // The sweeper's re-enqueues are counted (an on-call engineer sees the outbox at work).
      await waitUntil(
        'the sweeper enqueued the Slack delivery',
        async () =>
          (sample(await metricsRegistry.metrics(), 'escalation_delivery_requeues_total', { integration: 'SLACK', reason: 'sweeper' }) ?? 0) > sweptBefore,
        10_000,
        100,
      );
      p.startWorkers();
      await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
      await p.waitForDelivery(store, id, 'ZENDESK', 'DELIVERED');
      expect(p.sandbox.state.zendesk.tickets.filter((t) => t.external_id === id)).toHaveLength(1);
      expect(p.sandbox.state.slack.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id))).toHaveLength(1);
    } finally {
      await p.redis.start().catch(() => {});
      if (!p.workers) p.startWorkers();
    }
  });

  it('the pipeline works normally afterwards', async () => {
    await waitUntil('redis reachable', () => p.queues.ping());
    const store = await p.createStore(only('slack'));
    const { id } = await p.escalate(store, seedConversation());
    await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
  });
});
