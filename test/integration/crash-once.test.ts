// Exactly once when the worker dies or Postgres goes away between a helpdesk call and saving its
// result (issue #9): the next attempt finds what the helpdesk already made and adopts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { createSqlPool } from '../../src/db/sql.ts';
import { DeliveryWorkers } from '../../src/delivery/worker.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { seedConversation, startPipeline, startWorkerProcess, testLog, TEST_BACKOFF, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const only = (...keep: ('slack' | 'zendesk' | 'freshdesk' | 'webhook')[]) =>
  Object.fromEntries((['slack', 'zendesk', 'freshdesk', 'webhook'] as const).filter((k) => !keep.includes(k)).map((k) => [k, null]));

type State = Pipeline['sandbox']['state'];
type Msg = State['slack']['messages'][number];
const payload = (m: Msg) => (m.metadata?.event_type === 'reva_case' ? m.metadata.event_payload : undefined);

/** Ten messages: the four oldest go to the Slack thread as one history reply. */
function longConversation() {
  const c = seedConversation();
  const earlier = [
    { role: 'customer' as const, text: 'Hello, I ordered a jacket last month.' },
    { role: 'assistant' as const, text: 'Thanks, let me look that up.' },
    { role: 'customer' as const, text: 'It was order #1234.' },
    { role: 'assistant' as const, text: 'I can see it, one moment.' },
  ];
  return { ...c, messages: [...earlier, ...c.messages, { role: 'customer' as const, text: 'Hello???' }] };
}

/** Every case has exactly one of everything, and it is the one its delivery recorded. */
async function expectNoDuplicates(p: Pipeline, ids: string[]) {
  const s = p.sandbox.state;
  const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } } });
  const problems: string[] = [];
  for (const id of ids) {
    const d = (type: string) => rows.find((r) => r.escalationId === id && r.type === type)!;
    const top = s.slack.messages.filter((m) => payload(m)?.caseId === id && !payload(m)?.reply);
    if (top.length !== 1 || top[0]!.ts !== d('SLACK').externalId) problems.push(`${id}: ${top.length} Slack messages`);
    const history = s.slack.messages.filter((m) => payload(m)?.caseId === id && payload(m)?.reply === 'h0');
    if (history.length !== 1 || history[0]!.thread_ts !== d('SLACK').externalId) problems.push(`${id}: ${history.length} history replies`);
    const zd = s.zendesk.tickets.filter((t) => t.external_id === id);
    if (zd.length !== 1 || String(zd[0]!.id) !== d('ZENDESK').externalId) problems.push(`${id}: ${zd.length} Zendesk tickets`);
    const fd = s.freshdesk.tickets.filter((t) => t.description.includes(id));
    if (fd.length !== 1 || String(fd[0]!.id) !== d('FRESHDESK').externalId) problems.push(`${id}: ${fd.length} Freshdesk tickets`);
  }
  expect(problems).toEqual([]);
}

async function waitAllDelivered(p: Pipeline, ids: string[], timeoutMs: number) {
  await waitUntil(
    'every delivery DELIVERED',
    async () => {
      const pending = await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, status: { not: 'DELIVERED' } } });
      return pending === 0;
    },
    timeoutMs,
    250,
  ).catch(async (err) => {
    const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids }, status: { not: 'DELIVERED' } } });
    throw new Error(`${(err as Error).message}: ${JSON.stringify(rows.map((r) => [r.type, r.status, r.attempts, r.lastError]))}`);
  });
  await waitUntil(
    'no reconcile pending',
    async () => (await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, reconcileAfter: { not: null } } })) === 0,
    20_000,
    250,
  );
}

describe('a worker SIGKILLed in the middle of 200 escalations', () => {
  let p: Pipeline;
  beforeAll(async () => {
    // The workers that take over hold short locks too: a lapsed lock can hand a running job to a second
    // worker, which must not post again either.
    p = await startPipeline({ workers: false, attempts: 5, worker: { lockDurationMs: 2000, stalledIntervalMs: 1000 } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('leaves no duplicate Slack message, thread reply or ticket', async () => {
    // Spread over 20 stores with their own Slack channel and helpdesk accounts: one channel takes a post
    // a second (issue #13), 400 posts in one channel would take minutes.
    const stores: StoreHandle[] = [];
    for (let k = 0; k < 20; k++) {
      stores.push(
        await p.createStore({
          ...only('slack', 'zendesk', 'freshdesk'),
          slack: { enabled: true, channel: `#support-${k}`, botToken: 'xoxb-test-token' },
          zendesk: { enabled: true, subdomain: `acme${k}`, email: 'agent@acme.test', apiToken: 'zd-token', webhookSecret: 'zd-hook-secret' },
          freshdesk: { enabled: true, domain: `acme${k}`, apiKey: 'fd-key', webhookSecret: 'fd-hook-secret' },
        }),
      );
    }
    const child = await startWorkerProcess(p, { lockDurationMs: 1000, stalledIntervalMs: 500, requestTimeoutMs: 3000 });
    // Every helpdesk call takes a while, so the kill finds calls in flight on all three.
    for (const service of ['slack', 'zendesk', 'freshdesk'] as const) p.sandbox.setLatency(service, 40);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 200; i++) ids.push((await p.escalate(stores[i % stores.length]!, longConversation())).id);
      // About a third of the Slack work is done: calls on all three helpdesks are in flight.
      await p.sandbox.waitFor((s) => s.slack.messages.length >= 120, 60_000);
      await child.kill();
      p.startWorkers();
      await waitAllDelivered(p, ids, 120_000);
      // Calls the dead worker had in flight reached the helpdesks: the new worker adopted their results.
      const retried = await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, attempts: { gt: 1 } } });
      expect(retried).toBeGreaterThan(0);
      await expectNoDuplicates(p, ids);
    } finally {
      await child.kill();
      for (const service of ['slack', 'zendesk', 'freshdesk'] as const) p.sandbox.setLatency(service, 0);
    }
  }, 180_000);
});

describe('Postgres cut between the helpdesk call and saving its result', () => {
  let p: Pipeline;
  beforeAll(async () => {
    // The sweeper (on a direct connection) re-enqueues what the cut left PENDING.
    p = await startPipeline({ workers: false, sweepIntervalMs: 300, sweepMinAgeMs: 500 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('makes no second message or ticket: the retry finds the one the helpdesk made', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(p.config.databaseUrl).port || 5432) });
    const proxied = new URL(p.config.databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const db = createDb(proxied.toString(), 4);
    const sql = createSqlPool(proxied.toString(), 4);
    const workers = new DeliveryWorkers(p.config, db, new StoreDirectory(db, p.config.encryptionKey, 0), testLog, {
      backoff: TEST_BACKOFF,
      requestTimeoutMs: 5000,
      sql,
    });
    workers.start();
    try {
      const CASES = 3;
      // A channel each: one channel takes a post a second, and every create must be in flight at the cut.
      const stores: StoreHandle[] = [];
      for (let k = 0; k < CASES; k++)
        stores.push(
          await p.createStore({ ...only('slack', 'zendesk', 'freshdesk'), slack: { enabled: true, channel: `#cut-${k}`, botToken: 'xoxb-test-token' } }),
        );
      // The helpdesks answer after 1.5 s; the database is gone by then.
      p.sandbox.fail({ service: 'slack', method: 'chat.postMessage', hangMs: 1500, times: CASES });
      p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', hangMs: 1500, times: CASES });
      p.sandbox.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', hangMs: 1500, times: CASES });
      const ids: string[] = [];
      for (let i = 0; i < CASES; i++) ids.push((await p.escalate(stores[i]!, longConversation())).id);
      const creates = (s: State) => s.requests.filter((r) => r.method === 'POST' && /chat\.postMessage$|^\/api\/v2\/tickets(\.json)?$/.test(r.path)).length;
      await p.sandbox.waitFor((s) => creates(s) >= 3 * CASES, 10_000);
      proxy.cut();
      // Every helpdesk carried out its call; none of the results could be saved.
      await p.sandbox.waitFor(
        (s) =>
          ids.every(
            (id) =>
              s.zendesk.tickets.some((t) => t.external_id === id) &&
              s.freshdesk.tickets.some((t) => t.description.includes(id)) &&
              s.slack.messages.some((m) => payload(m)?.caseId === id),
          ),
        10_000,
      );
      await new Promise((r) => setTimeout(r, 2000));
      const stillPending = await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, status: 'PENDING' } });
      expect(stillPending).toBe(3 * CASES);
      proxy.pass();
      await waitAllDelivered(p, ids, 30_000);
      await expectNoDuplicates(p, ids);
      // The retries looked before sending again.
      const paths = p.sandbox.state.requests.map((r) => r.path);
      expect(paths.filter((x) => x.endsWith('conversations.history')).length).toBeGreaterThanOrEqual(CASES);
      expect(paths.filter((x) => x.endsWith('/search/tickets')).length).toBeGreaterThanOrEqual(CASES);
      const attempts = await p.db.escalationIntegration.findMany({ where: { escalationId: { in: ids } }, select: { attempts: true } });
      expect(attempts.every((a) => a.attempts >= 2)).toBe(true);
    } finally {
      proxy.pass();
      await workers.close();
      workers.disconnect();
      await db.$disconnect();
      await sql.end();
      await proxy.close();
    }
  }, 90_000);
});

describe('two runs of the same delivery at once (a job handed to a second worker when its lock lapsed)', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('one message, one ticket, one "delivered" event', async () => {
    const store = await p.createStore(only('slack', 'freshdesk'));
    // Slow helpdesks: both runs read the delivery before either has saved anything.
    p.sandbox.setLatency('slack', 150);
    p.sandbox.setLatency('freshdesk', 150);
    try {
      const { id } = await p.escalate(store, longConversation());
      const rows = await p.db.escalationIntegration.findMany({ where: { escalationId: id } });
      for (const r of rows) await p.queues.queue(r.type).add('create', { deliveryId: r.id, action: 'create' }, { jobId: `${r.id}-second-run` });
      await waitAllDelivered(p, [id], 20_000);
      const s = p.sandbox.state;
      expect(s.slack.messages.filter((m) => payload(m)?.caseId === id && !payload(m)?.reply)).toHaveLength(1);
      expect(s.slack.messages.filter((m) => payload(m)?.caseId === id && payload(m)?.reply === 'h0')).toHaveLength(1);
      expect(s.freshdesk.tickets.filter((t) => t.description.includes(id))).toHaveLength(1);
      const delivered = await p.db.escalationEvent.count({ where: { escalationId: id, type: 'delivered' } });
      expect(delivered).toBe(2);
    } finally {
      p.sandbox.setLatency('slack', 0);
      p.sandbox.setLatency('freshdesk', 0);
    }
  }, 60_000);
});
