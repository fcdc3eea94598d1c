// The delivery worker alone, side by side for several builds of the service (issue #13, delivery):
//   node --import tsx bench/delivery-worker.ts <checkout>[=label] … (each checkout built: dist/main.js, or BENCH_RUNTIME=tsx)
// For each checkout, in turn and BENCH_ROUNDS times: an API process (ROLE=api) accepts BENCH_CASES
// escalations with Slack, Zendesk and Freshdesk while the delivery queues are paused; then a worker
// process (ROLE=worker) is started, its CPU read from /proc once it is ready, the queues resumed, and
// the time until every delivery is DELIVERED measured, with the CPU the worker and the Postgres
// backends of the bench database used meanwhile. The sandbox runs in this process, at 0 ms (CPU per
// case) and then at BENCH_LATENCY_MS per call (throughput bound by concurrency). Best of the rounds.
// A build with the outbox relay (src/delivery/relay.ts) enqueues no job per case: its worker finds the
// waiting cases with the look-up it makes when it starts listening, paused queues or not.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startSandbox } from '../src/sandbox/index.ts';
import { cpuMs } from './cpu.ts';
import { BENCH_ADMIN_KEY, BENCH_DATABASE_URL, BENCH_REDIS_URL, benchEnv, conversation } from './env.ts';

const CASES = Number(process.env.BENCH_CASES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const STORES = Number(process.env.BENCH_STORES ?? 100);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 200);
const QUEUES = ['deliver-case', 'deliver-slack', 'deliver-zendesk', 'deliver-freshdesk', 'deliver-webhook', 'deliver-gorgias'];

const checkouts = process.argv.slice(2).map((arg) => {
  const [dir, label] = arg.split('=');
  return { dir: resolve(dir!), label: label ?? dir! };
});
if (checkouts.length === 0) throw new Error('usage: bench/delivery-worker.ts <checkout>[=label] …');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

/** Extra node arguments for the worker process, e.g. BENCH_WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function spawnReady(dir: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<ChildProcess> {
  // BENCH_RUNTIME=tsx runs the checkout's sources (no build needed), as bench/procs.ts does.
  const main = process.env.BENCH_RUNTIME === 'tsx' ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js'];
  const child = spawn(process.execPath, [...nodeArgs, ...main], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) done();
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => fail(new Error(`${dir} exited ${code}:\n${output}`)));
    setTimeout(() => fail(new Error(`${dir} not ready in 90 s:\n${output}`)), 90_000);
  });
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** A call of the setup; a 503 (the shared Postgres stalling under other loads) is tried again. */
async function api(base: string, key: string, method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 503 && attempt < 10) {
      await sleep(1000);
      continue;
    }
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res.json();
  }
}

/** CPU of the Postgres backends serving the bench database (sampled: backends come and go). */
class PostgresCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  constructor(private readonly pool: pg.Pool) {}
  async start() {
    for (const pid of await this.pids()) this.first.set(pid, cpuMs(pid) ?? 0);
    this.timer = setInterval(() => void this.sample(), 200);
  }
  private async pids(): Promise<number[]> {
    ownQueries++;
    const { rows } = await this.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return rows.map((r) => r.pid);
  }
  private async sample() {
    for (const pid of await this.pids().catch(() => [])) {
      const ms = cpuMs(pid);
      if (ms !== undefined) this.last.set(pid, ms);
    }
  }
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    let total = 0;
    for (const [pid, ms] of this.last) total += ms - (this.first.get(pid) ?? 0);
    return total;
  }
}

interface Run {
  seconds: number;
  deliveries: number;
  workerMs: number;
  postgresMs: number;
  slackCalls: number;
  slackRefused: number;
  /** Transactions of the worker in the bench database (pg_stat_database, the bench's own left out). */
  transactions: number;
}

/** Committed and rolled back transactions in the bench database so far, and how many the bench made itself. */
let ownQueries = 0;
async function transactionsSoFar(pool: pg.Pool): Promise<number> {
  ownQueries++;
  const { rows } = await pool.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(rows[0]!.n) - ownQueries;
}

async function runOnce(dir: string, latencyMs: number): Promise<Run> {
  // One connection: the samples leave out its backend (pg_backend_pid), so only the worker's count.
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 1 });
  const redis = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = QUEUES.map((name) => new Queue(name, { connection: redis }));
  const sandbox = await startSandbox({ port: 0 });
  const env = (role: string, port: number) =>
    benchEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      ROLE: role,
      SANDBOX: 'off',
      SLACK_API_URL: sandbox.slackApiUrl,
      ZENDESK_API_URL: sandbox.zendeskUrl,
      FRESHDESK_API_URL: sandbox.freshdeskUrl,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY_FIXED,
      SHUTDOWN_DRAIN_MS: '0',
      // The start-up lines (what spawnReady waits for) are not printed when silent.
      LOG_LEVEL: 'warn',
    });
  let apiProcess: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  try {
    await redis.flushdb();
    await pool.query(`UPDATE escalation_integrations SET status = 'SKIPPED' WHERE status = 'PENDING'`).catch(() => {});
    for (const q of queues) await q.pause();
    const port = await freePort();
    apiProcess = await spawnReady(dir, env('api', port), /API on /);
    const url = `http://127.0.0.1:${port}`;
    // Stores with a channel and helpdesk accounts each (as the pipeline phase's fleet), so Slack's 1/s per
    // channel and the helpdesks' per-account limits are not what the run measures.
    const keys: string[] = [];
    for (let i = 0; i < STORES; i++) {
      const store = await api(url, BENCH_ADMIN_KEY, 'POST', '/stores', { name: `bench delivery worker ${i}` });
      await api(url, BENCH_ADMIN_KEY, 'PUT', `/stores/${store.id}/escalation-config`, {
        slack: { enabled: true, channel: `#bench-${i}` },
        zendesk: { enabled: true, subdomain: `bench-${i}`, email: 'a@bench.test', apiToken: 'token' },
        freshdesk: { enabled: true, domain: `bench-${i}`, apiKey: 'key' },
      });
      keys.push(store.apiKey);
    }
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < CASES) {
          const r = await api(url, keys[next++ % keys.length]!, 'POST', '/escalate', conversation(randomUUID(), true));
          ids.push(r.escalation.id);
        }
      }),
    );
    await stop(apiProcess);
    apiProcess = undefined;
    sandbox.reset();
    for (const s of ['slack', 'zendesk', 'freshdesk'] as const) sandbox.setLatency(s, latencyMs);
    worker = await spawnReady(dir, env('worker', await freePort()), /workers started/, WORKER_NODE_ARGS);
    await sleep(1000);
    const pgCpu = new PostgresCpu(pool);
    const tx0 = await transactionsSoFar(pool);
    await pgCpu.start();
    const cpu0 = cpuMs(worker.pid!)!;
    const t0 = Date.now();
    for (const q of queues) await q.resume();
    let delivered = 0;
    while (Date.now() - t0 < 600_000) {
      ownQueries++;
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM escalation_integrations WHERE "escalationId" = ANY($1::uuid[]) AND status = 'DELIVERED'`,
        [ids],
      );
      delivered = rows[0].n;
      if (delivered >= ids.length * 3) break;
      await sleep(50);
    }
    const seconds = (Date.now() - t0) / 1000;
    const workerMs = cpuMs(worker.pid!)! - cpu0;
    const postgresMs = await pgCpu.stop();
    const slackCalls = sandbox.state.requests.filter((r) => r.service === 'slack').length;
    // Requests Slack's per-channel limit refused: the limiter let them bunch up.
    const slackRefused = sandbox.state.slack.rateLimited.length;
    // Backends report their counts to pg_stat_database within a second of going idle.
    await sleep(1500);
    const transactions = (await transactionsSoFar(pool)) - tx0;
    return { seconds, deliveries: delivered, workerMs, postgresMs, slackCalls, slackRefused, transactions };
  } finally {
    if (apiProcess) await stop(apiProcess);
    if (worker) await stop(worker);
    for (const q of queues) await q.close();
    redis.disconnect();
    await sandbox.close();
    await pool.end();
  }
}

// One key for every process of every run: the stores are created by one and read by the other.
const BENCH_ENCRYPTION_KEY_FIXED = Buffer.alloc(32, 7).toString('base64');

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

for (const latency of new Set([0, LATENCY_MS])) {
  const best = new Map<string, Run>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of checkouts) {
      const r = await runOnce(c.dir, latency);
      console.error(`${c.label} @${latency} ms round ${round + 1}: ${JSON.stringify(r)}`);
      const b = best.get(c.label);
      const better = latency === 0 ? !b || r.workerMs + r.postgresMs < b.workerMs + b.postgresMs : !b || r.seconds < b.seconds;
      if (better) best.set(c.label, r);
    }
  }
  console.log(`\n### helpdesk latency ${latency} ms, ${CASES} cases × 3 deliveries (Slack, Zendesk, Freshdesk), best of ${ROUNDS}`);
  console.log('| checkout | deliveries/s | worker CPU ms / case | Postgres CPU ms / case | Postgres transactions / case | Slack calls / case |');
  console.log('|---|---|---|---|---|---|');
  for (const c of checkouts) {
    const r = best.get(c.label)!;
    const cases = r.deliveries / 3;
    console.log(
      `| ${c.label} | ${fmt(r.deliveries / r.seconds, 1)} | ${fmt(r.workerMs / cases, 2)} | ${fmt(r.postgresMs / cases, 2)} | ${fmt(r.transactions / cases, 2)} | ${fmt(r.slackCalls / cases, 2)} |`,
    );
  }
}
