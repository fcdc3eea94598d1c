// The outbox relay (src/delivery/relay.ts): a new case's first attempts start from its Postgres
// announcement, with no job in Redis; several workers take each case once; what nobody heard is
// taken when a worker starts listening; a slow attempt keeps its lease against the sweeper.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation, startPipeline, startWorkerProcess, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

type State = Pipeline['sandbox']['state'];
type Msg = State['slack']['messages'][number];
const payload = (m: Msg) => (m.metadata?.event_type === 'reva_case' ? m.metadata.event_payload : undefined);
const noWebhook = { webhook: null };
let channels = 0;
/** A store with a Slack channel of its own: one channel takes a post a second, and a case past it waits in a job. */
const ownChannel = (p: Pipeline) => p.createStore({ ...noWebhook, slack: { enabled: true, channel: `#relay-own-${++channels}`, botToken: 'xoxb-test-token' } });

async function waitAllDelivered(p: Pipeline, ids: string[], timeoutMs = 20_000) {
  await waitUntil(
    'every delivery DELIVERED',
    async () => (await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, status: { not: 'DELIVERED' } } })) === 0,
    timeoutMs,
    100,
  );
}

/** One Slack message, one Zendesk and one Freshdesk ticket per case. */
function expectOneOfEach(p: Pipeline, ids: string[]) {
  const s = p.sandbox.state;
  const counts = ids.map((id) => [
    s.slack.messages.filter((m) => payload(m)?.caseId === id && !payload(m)?.reply).length,
    s.zendesk.tickets.filter((t) => t.external_id === id).length,
    s.freshdesk.tickets.filter((t) => t.description.includes(id)).length,
  ]);
  expect(counts).toEqual(ids.map(() => [1, 1, 1]));
}

/** Job ids BullMQ has handed out on a queue (its id counter); 0 when no job was ever added. */
async function jobsAdded(p: Pipeline, queue: string): Promise<number> {
  const redis = new Redis(p.redis.url);
  try {
    return Number((await redis.get(`bull:${queue}:id`)) ?? 0);
  } finally {
    redis.disconnect();
  }
}

describe('outbox relay', () => {
  let p: Pipeline;
  beforeAll(async () => {
    // A sweeper that would take a minute: what is delivered below was the relay's doing.
    p = await startPipeline({ sweepIntervalMs: 60_000, sweepMinAgeMs: 60_000 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('delivers a new case from its announcement: no fan-out or retry job in Redis, one attempt each, leased', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await p.escalate(await ownChannel(p), seedConversation())).id);
    await waitAllDelivered(p, ids);
    expectOneOfEach(p, ids);
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
    expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
    expect(rows.every((r) => r.leaseUntil !== null && r.leaseUntil.getTime() > r.createdAt.getTime())).toBe(true);
    for (const queue of ['deliver-case', 'deliver-slack', 'deliver-zendesk', 'deliver-freshdesk']) expect(await jobsAdded(p, queue)).toBe(0);
  });

  it('cases written while no worker listens are taken as soon as one does (not left to the sweeper)', async () => {
    await p.stopWorkers();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await p.escalate(await ownChannel(p), seedConversation())).id);
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
    expect(waiting.map((r) => [r.status, r.attempts, r.leaseUntil])).toEqual(waiting.map(() => ['PENDING', 0, null]));
    const started = Date.now();
    await p.startWorkers().waitUntilReady();
    await waitAllDelivered(p, ids, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expectOneOfEach(p, ids);
    expect(await jobsAdded(p, 'deliver-slack')).toBe(0);
  });

  it('a relay whose connection is killed listens again and takes what was written while it was away', async () => {
    // OFFSET 0 keeps the filter apart: the planner may otherwise call pg_terminate_backend on any row, this session's too.
    const killed = await p.db.$queryRaw<{ killed: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS killed FROM (
        SELECT pid FROM pg_stat_activity WHERE application_name = 'reva-relay' AND datname = current_database() OFFSET 0) relays`;
    expect(killed).toEqual([{ killed: true }]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await p.escalate(await ownChannel(p), seedConversation())).id);
    await waitAllDelivered(p, ids, 10_000);
    expectOneOfEach(p, ids);
    expect(await jobsAdded(p, 'deliver-slack')).toBe(0);
    const listening = await p.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'reva-relay' AND datname = current_database()`;
    expect(listening[0]!.n).toBe(1);
  });

  it('a failed first attempt goes on as a retry job with the attempts it has left', async () => {
    const store = await ownChannel(p);
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', status: 500, times: 1 });
    const { id } = await p.escalate(store, seedConversation());
    await waitAllDelivered(p, [id]);
    const zendesk = await p.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: id, type: 'ZENDESK' } });
    expect(zendesk.attempts).toBe(2);
    expect(await jobsAdded(p, 'deliver-zendesk')).toBe(1);
    expectOneOfEach(p, [id]);
  });
});

describe('a slow helpdesk does not hold up the others', () => {
  let p: Pipeline;
  beforeAll(async () => {
    // Two new cases at once, one Slack request at a time: a hanging Slack fills both at the first two cases.
    p = await startPipeline({ sweepIntervalMs: 60_000, sweepMinAgeMs: 60_000, env: { DELIVERY_CONCURRENCY_CASES: '2', DELIVERY_CONCURRENCY_SLACK: '1' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('while Slack takes 3 s to answer, every new case gets its Zendesk ticket at once; Slack’s go later, once each', { timeout: 60_000 }, async () => {
    const stores = [];
    for (let i = 0; i < 4; i++) stores.push(await ownChannel(p));
    p.sandbox.setLatency('slack', 3000);
    const started = Date.now();
    const ids: string[] = [];
    for (const store of stores) ids.push((await p.escalate(store, seedConversation())).id);
    const tickets = () => ids.filter((id) => p.sandbox.state.zendesk.tickets.some((t) => t.external_id === id)).length;
    await waitUntil('every case’s Zendesk ticket', () => tickets() === ids.length, 10_000, 20);
    // Before Slack's first answer: the cases waiting for Slack did not keep the others' tickets back.
    expect(Date.now() - started).toBeLessThan(2500);
    p.sandbox.setLatency('slack', 0);
    await waitAllDelivered(p, ids, 30_000);
    expectOneOfEach(p, ids);
    // The first attempts handed to Slack's queue were given back: nobody used an attempt waiting.
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
    expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
  });
});

describe('a busy Slack channel does not hold up the other helpdesks', () => {
  let p: Pipeline;
  beforeAll(async () => {
    // Two first attempts at once per helpdesk: eight cases into one channel each wait for its 1 a second.
    // (The lanes are on by default in a worker process; this one answers the API too.)
    p = await startPipeline({ sweepIntervalMs: 60_000, sweepMinAgeMs: 60_000, env: { DELIVERY_CONCURRENCY_CASES: '2', DELIVERY_RELAY_LANES: 'on' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('eight cases into one channel: every ticket at once, the Slack messages at the channel’s pace and in order, one attempt each', {
    timeout: 60_000,
  }, async () => {
    const store = await ownChannel(p);
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await p.escalate(store, seedConversation())).id);
    const s = p.sandbox.state;
    const tickets = () =>
      ids.filter((id) => s.zendesk.tickets.some((t) => t.external_id === id) && s.freshdesk.tickets.some((t) => t.description.includes(id))).length;
    await waitUntil('every case’s Zendesk and Freshdesk ticket', () => tickets() === ids.length, 10_000, 20);
    // The channel takes the eight case messages over ~6 s; the tickets did not wait for them.
    const ticketsAfter = Date.now() - started;
    const caseMessages = () => s.slack.messages.filter((m) => ids.includes(String(payload(m)?.caseId)) && !payload(m)?.reply);
    expect(caseMessages().length).toBeLessThan(ids.length);
    expect(ticketsAfter).toBeLessThan(2000);
    await waitAllDelivered(p, ids, 30_000);
    expectOneOfEach(p, ids);
    expect(caseMessages().map((m) => payload(m)!.caseId)).toEqual(ids);
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
    expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
  });
});

describe('outbox relay with two worker processes', () => {
  let p: Pipeline;
  let child: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  beforeAll(async () => {
    p = await startPipeline({ sweepIntervalMs: 300, sweepMinAgeMs: 500, worker: { lockDurationMs: 1000 } });
  });
  afterEach(async () => {
    await child?.kill();
    for (const service of ['slack', 'zendesk', 'freshdesk'] as const) p.sandbox.setLatency(service, 0);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('both hear every case; each delivery is claimed and attempted once', async () => {
    child = await startWorkerProcess(p, { lockDurationMs: 1000 });
    const stores: StoreHandle[] = [];
    for (let k = 0; k < 8; k++)
      stores.push(await p.createStore({ ...noWebhook, slack: { enabled: true, channel: `#relay-${k}`, botToken: 'xoxb-test-token' } }));
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => p.escalate(stores[i % stores.length]!, seedConversation()).then((r) => r.id)));
    await waitAllDelivered(p, ids, 30_000);
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
    expectOneOfEach(p, ids);
  }, 60_000);

  it('an attempt slower than its lease keeps it (renewed), so the sweeper sends nothing again', async () => {
    // Slack answers after 2.5 s: five lease periods of 500 ms... renewed every 500 ms of a 1 s lease.
    p.sandbox.fail({ service: 'slack', method: 'chat.postMessage', hangMs: 2500, times: 1 });
    const store = await p.createStore({ ...noWebhook, slack: { enabled: true, channel: '#relay-slow', botToken: 'xoxb-test-token' } });
    const { id } = await p.escalate(store, seedConversation());
    await waitAllDelivered(p, [id], 20_000);
    const posts = p.sandbox.state.requests.filter(
      (r) => r.path.endsWith('chat.postMessage') && (r.body as { channel?: string } | undefined)?.channel === '#relay-slow',
    );
    expect(posts).toHaveLength(1);
    const slack = await p.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: id, type: 'SLACK' } });
    expect(slack.attempts).toBe(1);
    expectOneOfEach(p, [id]);
  }, 30_000);

  it('a worker killed in the middle of a relay attempt: the lease runs out, the sweeper sends it, nothing twice', async () => {
    await p.stopWorkers();
    child = await startWorkerProcess(p, { lockDurationMs: 1000, requestTimeoutMs: 3000 });
    for (const service of ['slack', 'zendesk', 'freshdesk'] as const) p.sandbox.setLatency(service, 1500);
    const store = await p.createStore({ ...noWebhook, slack: { enabled: true, channel: '#relay-crash', botToken: 'xoxb-test-token' } });
    const { id } = await p.escalate(store, seedConversation());
    await p.sandbox.waitFor(
      (s) => s.requests.some((r) => r.path.endsWith('chat.postMessage') && (r.body as { channel?: string } | undefined)?.channel === '#relay-crash'),
      10_000,
    );
    await child.kill();
    for (const service of ['slack', 'zendesk', 'freshdesk'] as const) p.sandbox.setLatency(service, 0);
    p.startWorkers();
    await waitAllDelivered(p, [id], 30_000);
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: id } });
    expect(rows.every((r) => r.attempts >= 2)).toBe(true);
    expectOneOfEach(p, [id]);
  }, 60_000);
});

describe('DELIVERY_RELAY=off', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline({ env: { DELIVERY_RELAY: 'off' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a new case goes through its fan-out job, as behind a transaction-pooling PgBouncer', async () => {
    const store = await p.createStore(noWebhook);
    const { id } = await p.escalate(store, seedConversation());
    await waitAllDelivered(p, [id]);
    expect(await jobsAdded(p, 'deliver-case')).toBe(1);
    expectOneOfEach(p, [id]);
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: id } });
    expect(rows.map((r) => r.leaseUntil?.getTime())).toEqual(rows.map(() => 0));
  });
});
