// npm run bench [-- section …]   sections: detector conversations http delivery large (default: all);
// analytics (seeds 1M cases once, bench/analytics.ts) runs only when named
// Prints figures and ratios; every number is measured in this run on this machine.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { benchAnalytics } from './analytics.ts';
import { runConversationBench } from './conversations.ts';
import { formatDetectorBench, runDetectorBench } from './detector.ts';
import { BENCH_ADMIN_KEY, BENCH_DATABASE_URL, benchEnv, conversation } from './env.ts';

const wanted = new Set(process.argv.slice(2));
const runs = (s: string) => wanted.size === 0 || wanted.has(s);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function spawnReady(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${args.join(' ')} not ready in 60 s:\n${output}`)), 60_000);
  });
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, key: string | null, makeBody: () => unknown, seconds = 10, connections = 16): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify(makeBody()) }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

async function benchDetector() {
  console.log('\n## Detector (one core, in process)');
  const result = await runDetectorBench();
  console.log(formatDetectorBench(result));
}

function benchConversations() {
  console.log('\n## Conversations: must-escalate recall and false escalations (default settings, labelled sets)');
  console.log(runConversationBench());
}

async function benchHttp() {
  console.log('\n## HTTP: POST /escalate vs a bare Fastify + single INSERT baseline (autocannon, 16 connections, 10 s each)');
  const port = await freePort();
  const baseline = await spawnReady(['bench/server.ts', 'baseline', String(port)], benchEnv(), /READY/);
  await load(`http://127.0.0.1:${port}/escalate`, null, () => conversation(randomUUID(), false), 3); // warm-up
  const base = await load(`http://127.0.0.1:${port}/escalate`, null, () => conversation(randomUUID(), false));
  await stop(baseline);

  const fullPort = await freePort();
  const full = await spawnReady(['bench/server.ts', 'full', String(fullPort)], benchEnv(), /READY/);
  const url = `http://127.0.0.1:${fullPort}`;
  const store = await api(url, BENCH_ADMIN_KEY, 'POST', '/stores', { name: 'bench http' });
  await api(url, BENCH_ADMIN_KEY, 'PUT', `/stores/${store.id}/escalation-config`, {
    slack: { enabled: true, channel: '#bench' },
    zendesk: { enabled: true, subdomain: 'bench', email: 'a@bench.test', apiToken: 'token' },
    freshdesk: { enabled: true, domain: 'bench', apiKey: 'key' },
  });
  // The same integrations plus business hours (issue #11): due times in open time, the handoff answer.
  const hoursStore = await api(url, BENCH_ADMIN_KEY, 'POST', '/stores', { name: 'bench http business hours' });
  const weekday = [
    ['09:00', '12:30'],
    ['13:30', '18:00'],
  ];
  await api(url, BENCH_ADMIN_KEY, 'PUT', `/stores/${hoursStore.id}/escalation-config`, {
    slack: { enabled: true, channel: '#bench' },
    zendesk: { enabled: true, subdomain: 'bench', email: 'a@bench.test', apiToken: 'token' },
    freshdesk: { enabled: true, domain: 'bench', apiKey: 'key' },
    businessHours: {
      timeZone: 'Europe/Paris',
      weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [['10:00', '14:00']] },
      holidays: ['2026-12-25', '2027-01-01'],
    },
  });
  await load(`${url}/escalate`, store.apiKey, () => conversation(randomUUID(), false), 3);
  const calm = await load(`${url}/escalate`, store.apiKey, () => conversation(randomUUID(), false));
  const escalating = await load(`${url}/escalate`, store.apiKey, () => conversation(randomUUID(), true));
  // Alternating halves, so the table growing during the run does not favour either store.
  const halves: Load[][] = [[], []];
  for (let i = 0; i < 4; i++) {
    const key = i % 2 === 0 ? hoursStore.apiKey : store.apiKey;
    halves[i % 2]!.push(await load(`${url}/escalate`, key, () => conversation(randomUUID(), true), 5));
  }
  await stop(full);
  const mean = (ls: Load[]): Load => ({
    rps: ls.reduce((n, l) => n + l.rps, 0) / ls.length,
    p50: ls.reduce((n, l) => n + l.p50, 0) / ls.length,
    p99: Math.max(...ls.map((l) => l.p99)),
    errors: ls.reduce((n, l) => n + l.errors, 0),
    non2xx: ls.reduce((n, l) => n + l.non2xx, 0),
  });
  const [withHours, withoutHours] = [mean(halves[0]!), mean(halves[1]!)];

  const row = (name: string, l: Load, ratio?: number) =>
    `| ${name} | ${fmt(l.rps)} | ${fmt(l.p50, 1)} | ${fmt(l.p99, 1)} | ${l.errors + l.non2xx} | ${ratio === undefined ? '' : `${fmt(ratio * 100)}%`} |`;
  console.log('| path | req/s | p50 ms | p99 ms | errors | vs baseline |\n|---|---|---|---|---|---|');
  console.log(row('baseline: Fastify + 1 INSERT', base));
  console.log(row('POST /escalate, not escalated (detector + evaluation row)', calm, calm.rps / base.rps));
  console.log(row('POST /escalate, escalated (case + 3 deliveries + events, 3 jobs + 4 SLA jobs)', escalating, escalating.rps / base.rps));
  console.log(row('  same, store without business hours (2 × 5 s, alternating)', withoutHours, withoutHours.rps / base.rps));
  console.log(row('  same, store with business hours (Europe/Paris, 2 ranges a day, holidays; 2 × 5 s, alternating)', withHours, withHours.rps / base.rps));
  console.log(`business hours: ${fmt((withHours.rps / withoutHours.rps) * 100)}% of the throughput without them`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Waits until every delivery of these cases is DELIVERED; returns how many are. */
async function drain(pool: pg.Pool, ids: string[], perCase: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  let delivered = 0;
  while (Date.now() < until) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM escalation_integrations WHERE "escalationId" = ANY($1::uuid[]) AND status = 'DELIVERED'`,
      [ids],
    );
    delivered = rows[0].n;
    if (delivered >= ids.length * perCase) break;
    await sleep(100);
  }
  return delivered;
}

async function benchDelivery() {
  const rate = Number(process.env.BENCH_E2E_RATE ?? 20);
  const seconds = Number(process.env.BENCH_E2E_SECONDS ?? 30);
  console.log('\n## Delivery: service + workers in one process (ROLE=all), sandbox in the bench process, 3 integrations per case');
  // Leftovers of an interrupted run would be sent again by the outbox sweeper and skew the figures.
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 2 });
  await pool.query(`UPDATE escalation_integrations SET status = 'SKIPPED' WHERE status = 'PENDING'`);
  const { Redis } = await import('ioredis');
  const redis = new Redis(benchEnv().REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();
  const sandbox = await startSandbox({ port: 0 });
  const port = await freePort();
  const env = benchEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    ROLE: 'all',
    SLACK_API_URL: sandbox.slackApiUrl,
    ZENDESK_API_URL: sandbox.zendeskUrl,
    FRESHDESK_API_URL: sandbox.freshdeskUrl,
    SLACK_BOT_TOKEN: 'xoxb-bench',
  });
  const service = await spawnReady(['src/main.ts'], env, /workers started/);
  const url = `http://127.0.0.1:${port}`;
  try {
    const store = await api(url, BENCH_ADMIN_KEY, 'POST', '/stores', { name: 'bench delivery' });
    await api(url, BENCH_ADMIN_KEY, 'PUT', `/stores/${store.id}/escalation-config`, {
      slack: { enabled: true, channel: '#bench' },
      zendesk: { enabled: true, subdomain: 'bench', email: 'a@bench.test', apiToken: 'token' },
      freshdesk: { enabled: true, domain: 'bench', apiKey: 'key' },
    });
    const escalate = () => api(url, store.apiKey, 'POST', '/escalate', conversation(randomUUID(), true)).then((r) => r.escalation.id as string);

    // Capacity: a burst of cases, 16 at a time, then the time until every delivery is made.
    const burst = 600;
    let t0 = Date.now();
    const burstIds: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (burstIds.length < burst) burstIds.push(await escalate());
      }),
    );
    const accepted = (Date.now() - t0) / 1000;
    const burstDelivered = await drain(pool, burstIds, 3, 300_000);
    const burstSeconds = (Date.now() - t0) / 1000;
    console.log(
      `capacity: ${fmt(burstIds.length)} escalations accepted in ${fmt(accepted, 1)} s; all ${fmt(burstDelivered)} deliveries made ${fmt(burstSeconds, 1)} s after the first request → ${fmt(burstDelivered / burstSeconds, 1)} deliveries/s`,
    );

    // Latency at a fixed rate below that capacity.
    sandbox.reset();
    const sentAt = new Map<string, number>();
    let failures = 0;
    const inflight: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < rate * seconds; i++) {
      const wait = started + (i * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      const sent = Date.now();
      inflight.push(
        escalate().then(
          (id) => void sentAt.set(id, sent),
          () => void failures++,
        ),
      );
    }
    await Promise.all(inflight);
    const ids = [...sentAt.keys()];
    await drain(pool, ids, 3, 120_000);
    const latencies: number[] = [];
    for (const m of sandbox.state.slack.messages) {
      if (m.thread_ts) continue;
      const id = /take_case:([0-9a-f-]{36})/.exec(JSON.stringify(m.blocks ?? []))?.[1];
      const t = id ? sentAt.get(id) : undefined;
      if (t) latencies.push(Date.parse(m.postedAt) - t);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `fixed rate: ${rate} escalations/s for ${seconds} s (${fmt(ids.length)} sent, ${failures} failed); POST /escalate → Slack message at the sandbox: p50 ${fmt(quantile(latencies, 0.5))} ms, p99 ${fmt(quantile(latencies, 0.99))} ms, max ${fmt(latencies.at(-1) ?? NaN)} ms (${fmt(latencies.length)} messages)`,
    );

    // A slow helpdesk: every sandbox answer after 200 ms.
    for (const s of ['slack', 'zendesk', 'freshdesk'] as const) sandbox.setLatency(s, 200);
    const batch = 300;
    t0 = Date.now();
    const slowIds = await Promise.all(Array.from({ length: batch }, () => escalate()));
    const delivered = await drain(pool, slowIds, 3, 300_000);
    const elapsed = (Date.now() - t0) / 1000;
    console.log(
      `slow helpdesk (200 ms per call): ${fmt(delivered)} of ${fmt(batch * 3)} deliveries in ${fmt(elapsed, 1)} s → ${fmt(delivered / elapsed, 1)} deliveries/s (8 concurrent jobs per helpdesk; a Slack delivery is 2 calls, postMessage + getPermalink)`,
    );
  } finally {
    await pool.end();
    await stop(service);
    await sandbox.close();
  }
}

async function benchLarge() {
  const target = Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000);
  console.log(`\n## List, search and analytics on ${fmt(target)} escalations in one store`);
  const port = await freePort();
  const server = await spawnReady(['bench/server.ts', 'full', String(port)], benchEnv(), /READY/);
  const url = `http://127.0.0.1:${port}`;
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 2 });
  try {
    const existing = await pool.query(`SELECT s.id FROM stores s WHERE s.name = 'bench large' LIMIT 1`);
    let storeId: string = existing.rows[0]?.id;
    const { rows: countRows } = storeId ? await pool.query(`SELECT count(*)::int AS n FROM escalations WHERE "storeId" = $1`, [storeId]) : { rows: [{ n: 0 }] };
    if (!storeId || countRows[0].n < target) {
      if (storeId) await pool.query('DELETE FROM stores WHERE id = $1', [storeId]);
      const store = await api(url, BENCH_ADMIN_KEY, 'POST', '/stores', { name: 'bench large' });
      storeId = store.id;
      const t0 = Date.now();
      await seedLarge(pool, storeId, target);
      console.log(`seeded ${fmt(target)} escalations + evaluations with SQL in ${fmt((Date.now() - t0) / 1000, 1)} s (kept for the next run)`);
    }
    // The store key is not stored in clear: the admin key with storeId reads the same data.
    const q = (path: string) => `${url}${path}${path.includes('?') ? '&' : '?'}storeId=${storeId}`;
    const get = async (path: string, seconds = 5) => {
      const r = await autocannon({ url: q(path), connections: 4, duration: seconds, headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } });
      return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
    };
    console.log('| request | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|');
    for (const path of [
      '/escalations?limit=50',
      '/escalations?limit=50&status=OPEN&priority=HIGH,URGENT',
      '/escalations?limit=50&trigger=KEYWORD_MATCH&channel=email',
      '/escalations?limit=50&q=123457',
      '/escalations?limit=50&q=never%20arrived&status=OPEN',
      '/escalations?limit=50&q=refund%20damaged',
    ]) {
      const r = await get(path);
      console.log(`| GET ${path} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.non2xx} |`);
    }
    for (const range of ['from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z', 'from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z']) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const res = await fetch(q(`/escalations/analytics?${range}&interval=week`), { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } });
        await res.json();
        times.push(performance.now() - t0);
      }
      console.log(`GET /escalations/analytics?${range}: ${times.map((t) => `${fmt(t)} ms`).join(', ')}`);
    }
  } finally {
    await pool.end();
    await stop(server);
  }
}

/** 1M cases spread over 2026, with realistic mixes; search vectors computed by Postgres. */
async function seedLarge(pool: pg.Pool, storeId: string, n: number) {
  const chunk = 100_000;
  for (let start = 0; start < n; start += chunk) {
    await pool.query(
      `INSERT INTO escalations (id, "storeId", "conversationId", channel, status, priority, triggers, intent, keywords, summary,
         sentiment, "aiConfidence", "messageCount", context, decision, "firstResponseDueAt", "resolutionDueAt",
         "assignedTo", "assignedAt", "resolvedAt", "createdAt", "updatedAt", "searchVector")
       SELECT gen_random_uuid(), $1::uuid, 'bench-' || g, (ARRAY['web_chat','email','sms','whatsapp','instagram','messenger','voice'])[1 + g % 7]::"Channel",
         (ARRAY['OPEN','IN_PROGRESS','RESOLVED','CLOSED'])[1 + (g / 7) % 4]::"EscalationStatus",
         (ARRAY['LOW','MEDIUM','HIGH','URGENT'])[1 + (g / 3) % 4]::"Priority",
         CASE g % 4 WHEN 0 THEN ARRAY['LOW_CONFIDENCE','KEYWORD_MATCH'] WHEN 1 THEN ARRAY['NEGATIVE_SENTIMENT']
           WHEN 2 THEN ARRAY['REPEATED_QUESTION','MANUAL'] ELSE ARRAY['MAX_TURNS_EXCEEDED','KEYWORD_MATCH'] END,
         (ARRAY['refund_return','delivery','damaged_item','billing','cancellation','account','legal','other'])[1 + g % 8],
         ARRAY['refund'], s.summary, -0.5, 0.4, 10, '{"customer":{"name":"Bench"},"order":{}}'::jsonb, '{}'::jsonb,
         t + interval '1 hour', t + interval '1 day',
         CASE WHEN (g / 7) % 4 > 0 THEN 'agent' || (g % 20) END,
         CASE WHEN (g / 7) % 4 > 0 THEN t + (g % 3600) * interval '1 second' END,
         CASE WHEN (g / 7) % 4 > 1 THEN t + (g % 86400) * interval '1 second' END,
         t, t, to_tsvector('english', s.summary)
       FROM generate_series($2::int, $3::int) AS g,
         LATERAL (SELECT timestamp '2026-01-01' + (g::float / $4) * interval '330 days' AS t) AS tt,
         LATERAL (SELECT (ARRAY['Order never arrived, customer wants a refund','Damaged item in the box, asks for replacement','Charged twice on the card','Wants to cancel the order','Cannot log in to the account','Threatens legal action over a refund','Package stuck in transit','Return label not working'])[1 + g % 8] || ' #' || g AS summary) AS s`,
      [storeId, start, Math.min(n, start + chunk) - 1, n],
    );
    await pool.query(
      `INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
       SELECT $1::uuid, 'web_chat', g % 3 = 0, timestamp '2026-01-01' + (g::float / $4) * interval '330 days' FROM generate_series($2::int, $3::int) g`,
      [storeId, start * 3, Math.min(n, start + chunk) * 3 - 1, n * 3],
    );
  }
  await pool.query('ANALYZE escalations; ANALYZE evaluations');
}

const { applied } = await migrateDatabase(BENCH_DATABASE_URL);
if (applied.length) console.log(`bench database: applied ${applied.join(', ')}`);
console.log(`# reva-escalations benchmark — ${new Date().toISOString()}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (runs('detector')) await benchDetector();
if (runs('conversations')) benchConversations();
if (runs('http')) await benchHttp();
if (runs('delivery')) await benchDelivery();
if (runs('large')) await benchLarge();
if (wanted.has('analytics')) await benchAnalytics();
process.exit(0);
