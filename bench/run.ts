// npm run bench [-- quick] [-- phase …]   (README "Benchmark" explains the phases and how to read the output)
// Prints figures and ratios; every number is measured in this run on this machine.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate.ts';
import { benchAnalytics } from './analytics.ts';
import { soak } from './soak.ts';
import { burst } from './burst.ts';
import { runConversationBench } from './conversations.ts';
import { acceptance, compareRuntimes, ladder, pipeline, ratios, type Settings } from './e2e.ts';
import { type Child, ensureBuilt, freePort, httpReady, RUNTIME, startChild } from './procs.ts';
import { formatDetectorBench, runDetectorBench } from './detector.ts';
import type { VariedFigures } from './varied-detector.ts';
import { spawnSync } from 'node:child_process';
import { followUps } from './follow-ups.ts';
import { BENCH_ADMIN_KEY, BENCH_DATABASE_URL, benchEnv, conversation } from './env.ts';
import { restoreFastPrototypes } from '../src/fast-prototypes.ts';

// The in-process phases (detector, conversations) run as the service runs them: ioredis, imported
// through the stack helpers, leaves String.prototype slow (src/fast-prototypes.ts).
restoreFastPrototypes();

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** A bench/server.ts process (registered, so it is killed with the bench). */
async function benchServer(mode: 'baseline' | 'full', port: number, env: Record<string, string>): Promise<Child> {
  return startChild(
    `server-${mode}`,
    process.execPath,
    ['--import', 'tsx', 'bench/server.ts', mode, String(port)],
    env,
    httpReady(`http://127.0.0.1:${port}/health`),
  );
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
  console.log(variedDetectorLine());
}

/** bench/varied-detector.ts in a fresh process: what varied traffic costs a detector that has not met it yet. */
function variedDetectorLine(): string {
  if (RUNTIME === 'dist') ensureBuilt();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/varied-detector.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`bench/varied-detector.ts exited with ${run.status}`);
  const r = JSON.parse(run.stdout) as VariedFigures;
  const us = (xs: number[]) => xs.map((x) => fmt(x)).join(' / ');
  return [
    `varied traffic: the own set's ${fmt(r.conversations)} conversations read three times by a fresh process after the API's warm-up (${fmt(r.warmUpMs)} ms):`,
    `  CPU µs a conversation, all threads, pass 1 / 2 / 3: ${us(r.passes)} (first pass ${fmt(r.passes[0]! / r.passes[2]!, 1)}× the third); elapsed µs: ${us(r.elapsed)}`,
  ].join('\n');
}

function benchConversations() {
  console.log('\n## Conversations: must-escalate recall and false escalations (default settings, labelled sets)');
  console.log(runConversationBench());
}

async function benchHttp() {
  console.log('\n## HTTP: POST /escalate vs a bare Fastify + single INSERT baseline (autocannon, 16 connections, 10 s each)');
  const port = await freePort();
  const baseline = await benchServer('baseline', port, benchEnv());
  await load(`http://127.0.0.1:${port}/escalate`, null, () => conversation(randomUUID(), false), 3); // warm-up
  const base = await load(`http://127.0.0.1:${port}/escalate`, null, () => conversation(randomUUID(), false));
  await baseline.stop();

  const fullPort = await freePort();
  const full = await benchServer('full', fullPort, benchEnv());
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
  await full.stop();
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

async function benchLarge() {
  const target = Number(process.env.BENCH_LARGE_ROWS ?? 1_000_000);
  console.log(`\n## List, search and analytics on ${fmt(target)} escalations in one store`);
  const port = await freePort();
  const server = await benchServer('full', port, benchEnv());
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
    await server.stop();
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

/** Each phase, selectable by name; the default set is the one the issue's acceptance is read from. */
const PHASES: Record<string, (settings: Settings) => Promise<void> | void> = {
  detector: benchDetector,
  conversations: benchConversations,
  ratios,
  followups: followUps,
  pipeline,
  ladder,
  accept: acceptance,
  // Older closed-loop comparison in one process, with the business-hours variant (issue #11).
  http: benchHttp,
  large: benchLarge,
  // One store's whole year on 1,000,000 cases (seeded once per bench database).
  analytics: benchAnalytics,
  runtime: compareRuntimes,
  // Only when named: 50/s for 10 minutes, watching memory, Redis and the backlog grow (or not).
  soak,
  // Only when named: a burst wider than Slack's channels; when each helpdesk's deliveries were done.
  burst,
};
const DEFAULT_PHASES = ['detector', 'conversations', 'ratios', 'followups', 'pipeline', 'ladder', 'accept'];

const args = process.argv.slice(2);
const quick = args.includes('quick');
const unknown = args.filter((a) => a !== 'quick' && !(a in PHASES));
if (unknown.length) {
  console.error(`unknown phase(s): ${unknown.join(', ')}; phases: ${Object.keys(PHASES).join(', ')}, plus \`quick\` for a short smoke run`);
  process.exit(2);
}
const selected = args.filter((a) => a !== 'quick');
const phases = selected.length ? selected : DEFAULT_PHASES;

const verdicts: string[] = [];
const settings: Settings = { quick, verdict: (pass, line) => void verdicts.push(`${pass ? 'PASS' : 'FAIL'}  ${line}`) };

const { applied } = await migrateDatabase(BENCH_DATABASE_URL);
if (applied.length) console.log(`bench database: applied ${applied.join(', ')}`);
const os = await import('node:os');
const { readFileSync } = await import('node:fs');
const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
/** Whether system calls empty the TLB (kernel page-table isolation): it changed between the VMs this bench ran on, and with it every figure. */
const pageTableIsolation = readText('/sys/devices/system/cpu/vulnerabilities/meltdown').trim() || 'unknown';
/** The clock the hypervisor reports (os.cpus() reads 0 MHz on some VMs). */
const cpuMhz = Math.round(Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(readText('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.speed ?? 0));
console.log(
  `# reva-escalations benchmark — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()} at ${cpuMhz} MHz; kernel ${os.release()}; meltdown: ${pageTableIsolation}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; service runs ${RUNTIME === 'dist' ? 'node dist/main.js' : 'tsx src/main.ts'}; phases: ${phases.join(', ')}${quick ? ' (quick)' : ''}`,
);
if (phases.some((p) => ['ratios', 'followups', 'pipeline', 'ladder', 'accept', 'runtime', 'soak', 'burst'].includes(p)) && RUNTIME === 'dist') ensureBuilt();
const began = Date.now();
try {
  for (const phase of phases) {
    const t0 = Date.now();
    await PHASES[phase]!(settings);
    console.log(`▶ ${phase} done in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
if (verdicts.length) console.log(`\n## Acceptance (issue #13)\n${verdicts.join('\n')}`);
console.log(`\nbench finished in ${Math.round((Date.now() - began) / 1000)} s`);
process.exit(process.exitCode ?? 0);
