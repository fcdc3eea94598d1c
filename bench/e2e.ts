// The issue #13 phases: ratios against bare baselines, the delivery pipeline against a bare job,
// the fixed-rate ladder and the acceptance run. Black-box: HTTP in, rows in Postgres and the
// sandbox's state out; CPU of every process from /proc.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CpuMeter, fixed, postgresAutovacuum, postgresBackends } from './cpu.ts';
import { BENCH_DATABASE_URL, conversation } from './env.ts';
import { openLoop, quantile, type Sent } from './openloop.ts';
import { type Child, freePort, httpReady, startChild } from './procs.ts';
import { DEFAULT_WORKER_OPTIONS } from '../src/delivery/worker.ts';
import {
  benchDatabase,
  benchPool,
  createFleet,
  type FleetStore,
  type Integration,
  missingDeliveries,
  resetSandbox,
  type Stack,
  slackArrivals,
  startStack,
  waitDelivered,
} from './stack.ts';

export interface Settings {
  quick: boolean;
  /** Verdicts against the issue's acceptance numbers, printed at the end. */
  verdict(pass: boolean, line: string): void;
}

export const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

/**
 * A verdict's figure beside its threshold, with a decimal more where rounding would show the threshold
 * itself: a FAIL at 0.398 must not read "0.40 (needs ≥ 0.4)", nor a PASS at 12.04 ms "12.0 (needs ≤ 12)".
 */
const against = (n: number, d: number, threshold: number) => {
  let digits = d;
  while (digits < d + 3 && n !== threshold && Number(n.toFixed(digits)) === threshold) digits++;
  return fmt(n, digits);
};
export const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const progress = (line: string) => console.log(`▶ ${line} (${new Date().toISOString().slice(11, 19)})`);
const THREE: Integration[] = ['slack', 'zendesk', 'freshdesk'];
/**
 * Stores of a phase, each with its own Slack channel and helpdesk accounts: 200 even in quick mode, so
 * Slack's per-channel limit (about 1 message/s; a case posts 2 into its channel) is never the bottleneck.
 */
const stores = () => num('BENCH_STORES', 200);

/** CPU ms per unit for each group, and the total without the sandbox. */
function cpuTable(meter: CpuMeter, ms: Record<string, number>, units: number, unit: string): string {
  const names = meter.names;
  const head = `| CPU ms per ${unit} | ${names.join(' | ')} | service (API, worker, Postgres, Redis) |`;
  const sep = `|---|${names.map(() => '---|').join('')}---|`;
  const row = `| ${fmt(units)} × ${unit} | ${names.map((n) => fmt((ms[n] ?? 0) / units, 2)).join(' | ')} | **${fmt(meter.total(ms) / units, 2)}** |`;
  return [head, sep, row].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Ratios: closed loop (autocannon), side by side with bare Fastify routes in the same run.

export interface Closed {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
  /** CPU ms per request of the server side (service processes + Postgres + Redis). */
  cpuPerRequest: number;
  /** The same, per process group. */
  breakdown: string;
}

export async function closedLoop(url: string, meter: CpuMeter, seconds: number, headers: () => Record<string, string>, body: () => unknown): Promise<Closed> {
  await meter.start();
  const r = await autocannon({
    url,
    method: 'POST',
    connections: 16,
    duration: seconds,
    requests: [
      { setupRequest: (req: any) => ({ ...req, headers: { ...req.headers, 'content-type': 'application/json', ...headers() }, body: JSON.stringify(body()) }) },
    ],
  });
  const ms = await meter.stop();
  const n = Math.max(1, r['2xx'] + r.non2xx);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    bad: r.non2xx + r.errors,
    cpuPerRequest: meter.total(ms) / n,
    breakdown: meter.names
      .filter((name) => (ms[name] ?? 0) / n >= 0.005)
      .map((name) => `${name} ${fmt(ms[name]! / n, 2)}`)
      .join(' · '),
  };
}

/** Waits until the stores' deliveries are all made (or the time is up); returns how many are still to make. */
async function drainBacklog(pool: pg.Pool, storeIds: string[], timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM escalation_integrations i JOIN escalations e ON e.id = i."escalationId" WHERE e."storeId" = ANY($1::uuid[]) AND i.status <> 'DELIVERED'`,
      [storeIds],
    );
    const left: number = rows[0].n;
    if (left === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Best req/s and, separately, the lowest CPU per request of the rounds (each the least disturbed). */
export function best(runs: Closed[]): Closed {
  const top = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const leanest = runs.reduce((a, b) => (b.cpuPerRequest < a.cpuPerRequest ? b : a));
  return {
    ...top,
    cpuPerRequest: leanest.cpuPerRequest,
    breakdown: leanest.breakdown,
    ok: runs.reduce((n, r) => n + r.ok, 0),
    bad: runs.reduce((n, r) => n + r.bad, 0),
  };
}

export async function ratios(s: Settings): Promise<void> {
  const seconds = num('BENCH_SECONDS', s.quick ? 3 : 10);
  const rounds = num('BENCH_ROUNDS', s.quick ? 1 : 2);
  console.log(`\n## Ratios: the service vs bare Fastify routes, same run (autocannon, 16 connections, ${seconds} s, best of ${rounds})`);
  const barePort = await freePort();
  const bare = await startChild(
    'ratios-bare',
    process.execPath,
    ['--import', 'tsx', 'bench/server.ts', 'bare', String(barePort)],
    {},
    httpReady(`http://127.0.0.1:${barePort}/health`),
  );
  const pool = benchPool();
  const bareMeter = new CpuMeter([fixed('bare', [bare.pid]), postgresBackends(pool, benchDatabase())]);
  const bareUrl = `http://127.0.0.1:${barePort}`;
  // Every request escalates (the case, and its deliveries where the store has integrations).
  const escalating = () => conversation(randomUUID(), true);
  const results: Record<string, Closed[]> = { base: [], none: [], constant: [], evaluate: [], baseAll: [], all: [] };
  const warm = Math.min(3, seconds);
  let stack: Stack | undefined;
  try {
    // API and worker as deployed; the store has no integration: accept path only.
    progress('ratios: POST /escalate without integrations and /escalations/evaluate (ROLE=api + ROLE=worker)');
    stack = await startStack('split', 'ratios');
    const [store] = await createFleet(stack, 1, [], 'ratios');
    const auth = () => ({ authorization: `Bearer ${store!.apiKey}` });
    const meter = stack.meter({ loadGenerator: false });
    const bareRun = async (path: string, secs: number) => {
      // The service's tables are vacuumed while the service runs, not charged to the baseline.
      await stack!.autovacuum.pause();
      try {
        return await closedLoop(`${bareUrl}${path}`, bareMeter, secs, () => ({}), escalating);
      } finally {
        stack!.autovacuum.resume();
      }
    };
    await bareRun('/escalate', warm);
    await closedLoop(`${stack.apiUrl}/escalate`, meter, warm, auth, escalating);
    await closedLoop(`${stack.apiUrl}/escalations/evaluate`, meter, warm, auth, escalating);
    for (let i = 0; i < rounds; i++) {
      results.base!.push(await bareRun('/escalate', seconds));
      results.none!.push(await closedLoop(`${stack.apiUrl}/escalate`, meter, seconds, auth, escalating));
      results.constant!.push(await bareRun('/escalations/evaluate', seconds));
      results.evaluate!.push(await closedLoop(`${stack.apiUrl}/escalations/evaluate`, meter, seconds, auth, escalating));
    }
    await stack.stop();
    stack = undefined;

    // Slack + Zendesk with their deliveries in the same process, spread over stores (one channel each).
    progress('ratios: POST /escalate with Slack + Zendesk, workers in the same process (ROLE=all)');
    stack = await startStack('all', 'ratios');
    const fleet = await createFleet(stack, stores(), ['slack', 'zendesk'], 'ratios-all');
    let next = 0;
    const rotate = () => ({ authorization: `Bearer ${fleet[next++ % fleet.length]!.apiKey}` });
    const allMeter = stack.meter({ loadGenerator: false });
    const storeIds = fleet.map((f) => f.id);
    await closedLoop(`${stack.apiUrl}/escalate`, allMeter, warm, rotate, escalating);
    const drainS = num('BENCH_DRAIN_S', s.quick ? 30 : 300);
    for (let i = 0; i < rounds; i++) {
      // The baseline gets the machine to itself: the previous round's deliveries are finished first.
      const backlog = await drainBacklog(stack.pool, storeIds, drainS * 1000);
      if (backlog > 0) console.log(`(the baseline below ran beside ${fmt(backlog)} deliveries not yet made: BENCH_DRAIN_S)`);
      results.baseAll!.push(await bareRun('/escalate', seconds));
      results.all!.push(await closedLoop(`${stack.apiUrl}/escalate`, allMeter, seconds, rotate, escalating));
    }
    // Nothing accepted may be lost: every stored case of these stores gets both deliveries.
    const { rows } = await stack.pool.query(`SELECT id FROM escalations WHERE "storeId" = ANY($1::uuid[])`, [storeIds]);
    const ids = rows.map((r) => r.id as string);
    const t0 = Date.now();
    const delivered = await waitDelivered(stack.pool, ids, 2, drainS * 1000);
    const accepted = results.all!.reduce((n, r) => n + r.ok, 0);
    console.log(
      `ROLE=all: ${fmt(ids.length)} cases stored (warm-up included), ${fmt(delivered)} of ${fmt(ids.length * 2)} deliveries made ${fmt((Date.now() - t0) / 1000, 1)} s after the load stopped${delivered < ids.length * 2 ? ` (gave up after ${drainS} s: BENCH_DRAIN_S)` : ''}; ${fmt(accepted)} 2xx answers in the measured rounds`,
    );
  } finally {
    await stack?.stop();
    await bare.stop();
    await pool.end();
  }

  const base = best(results.base!);
  const baseAll = best(results.baseAll!);
  const rows: [string, Closed, Closed | undefined, number | undefined][] = [
    ['bare Fastify: INSERT the body as one jsonb row', base, undefined, undefined],
    ['POST /escalate, no integration (ROLE=api)', best(results.none!), base, 0.5],
    ['bare Fastify: INSERT (again, before each ROLE=all round, its deliveries finished)', baseAll, undefined, undefined],
    ['POST /escalate, Slack + Zendesk, workers in the process (ROLE=all)', best(results.all!), baseAll, 0.35],
    ['bare Fastify: constant decision', best(results.constant!), undefined, undefined],
    ['POST /escalations/evaluate', best(results.evaluate!), best(results.constant!), 0.4],
  ];
  console.log(
    '| route | req/s | p50 ms | p99 ms | non-2xx+errors | server CPU ms/req | vs baseline (req/s) | CPU vs baseline | CPU ms/req by process |\n|---|---|---|---|---|---|---|---|---|',
  );
  for (const [name, r, vs] of rows) {
    console.log(
      `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.bad} | ${fmt(r.cpuPerRequest, 2)} | ${vs ? `**${fmt(r.rps / vs.rps, 2)}**` : ''} | ${vs ? `${fmt(r.cpuPerRequest / vs.cpuPerRequest, 1)}×` : ''} | ${r.breakdown} |`,
    );
  }
  console.log(
    'server CPU = service process(es) + Postgres backends of the bench DB + the private Redis (bare routes: their process + Postgres); autocannon (the bench process) not counted. ROLE=all includes the deliveries its workers made during the window.',
  );
  // Each round measured the route right after its baseline: the ratio of that pair follows the
  // machine's drift less than best ÷ best, which may pair a quiet minute with a busy one.
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  };
  const paired: [string, Closed[], Closed[]][] = [
    ['no integration', results.none!, results.base!],
    ['ROLE=all', results.all!, results.baseAll!],
    ['evaluate', results.evaluate!, results.constant!],
  ];
  console.log(
    `ratios paired by round (each against the baseline run just before it): ${paired
      .map(([name, runs, bases]) => {
        const ratios = runs.map((r, i) => r.rps / bases[i]!.rps);
        return `${name} ${ratios.map((x) => fmt(x, 2)).join(', ')} (median ${fmt(median(ratios), 2)})`;
      })
      .join('; ')}`,
  );
  for (const [name, r, vs, min] of rows) {
    if (vs && min !== undefined) s.verdict(r.rps / vs.rps >= min, `${name}: ${against(r.rps / vs.rps, 2, min)} of the baseline (needs ≥ ${min})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Pipeline: delivery capacity of a split stack vs a bare BullMQ job (one HTTP POST + one UPDATE).

async function postAll(stack: Stack, fleet: FleetStore[], n: number, connections = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < n) {
        const i = next++;
        const r = await fetch(`${stack.apiUrl}/escalate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fleet[i % fleet.length]!.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(conversation(randomUUID(), true)),
        });
        const body = (await r.json()) as any;
        if (r.status === 201 && body.escalation?.id) ids.push(body.escalation.id);
      }
    }),
  );
  return ids;
}

/**
 * The sandbox does the same work per case in every run and is not ours: how much it needed says how
 * fast the machine was, and the service's CPU divided by it moves less with the machine than either.
 */
function printMachineGauge(servicePerCase: number, sandboxPerCase: number, label = ''): void {
  if (!(sandboxPerCase > 0)) return;
  console.log(
    `machine gauge${label}: the sandbox needed ${fmt(sandboxPerCase, 2)} ms per case; service ÷ sandbox ${fmt(servicePerCase / sandboxPerCase, 2)} (compare this between runs of different builds: it moves less with the machine than either figure)`,
  );
}

/** `cases` posted 16 at a time, then every delivery: the counts, times and CPU of the service's processes. */
async function measureBurst(stack: Stack, fleet: FleetStore[], cases: number) {
  const meter = stack.meter();
  await meter.start();
  const t0 = Date.now();
  const ids = await postAll(stack, fleet, cases);
  const acceptedS = (Date.now() - t0) / 1000;
  const delivered = await waitDelivered(stack.pool, ids, 3, num('BENCH_DRAIN_S', 300) * 1000);
  const seconds = (Date.now() - t0) / 1000;
  const ms = await meter.stop();
  return {
    ids: ids.length,
    acceptedS,
    delivered,
    seconds,
    cpuPerCase: meter.total(ms) / (delivered / 3),
    sandboxPerCase: (ms.sandbox ?? 0) / (delivered / 3),
    table: (unit: string) => cpuTable(meter, ms, delivered / 3, unit),
  };
}

export async function pipeline(s: Settings): Promise<void> {
  const cases = num('BENCH_PIPELINE_CASES', s.quick ? 100 : 600);
  const concurrency = num('BENCH_JOBS_CONCURRENCY', 24);
  console.log(`\n## Pipeline: ${fmt(cases)} cases × 3 integrations, API and worker in separate processes, vs a bare job at concurrency ${concurrency}`);
  progress('pipeline: starting API, worker, sandbox and Redis');
  const stack = await startStack('split', 'pipeline');
  let jobs: Child | undefined;
  try {
    const fleet = await createFleet(stack, stores(), THREE, 'pipeline');
    await waitDelivered(stack.pool, await postAll(stack, fleet, 20), 3, 30_000); // warm-up
    await resetSandbox(stack.sandboxUrl);

    progress(`pipeline: ${cases} cases posted 16 at a time, then every delivery`);
    const first = await measureBurst(stack, fleet, cases);
    console.log(
      `service: ${fmt(first.ids)} cases accepted in ${fmt(first.acceptedS, 1)} s; ${fmt(first.delivered)} of ${fmt(first.ids * 3)} deliveries made ${fmt(first.seconds, 1)} s after the first POST → **${fmt(first.delivered / first.seconds, 1)} deliveries/s**`,
    );
    console.log(first.table('delivered case'));
    printMachineGauge(first.cpuPerCase, first.sandboxPerCase, ', first burst');
    const serviceRate = first.delivered / first.seconds;
    const serviceCpu = first.cpuPerCase;

    // The same burst again, the processes' code now compiled by V8 (the first burst pays for that:
    // a service after a deploy, not one that has been running).
    progress(`pipeline: the same ${cases} cases again, processes warm`);
    await new Promise((r) => setTimeout(r, num('BENCH_PIPELINE_PAUSE_S', 10) * 1000)); // Slack channels' bursts back
    await resetSandbox(stack.sandboxUrl);
    const warm = await measureBurst(stack, fleet, cases);
    console.log(
      `warm: ${fmt(warm.delivered)} of ${fmt(warm.ids * 3)} deliveries made ${fmt(warm.seconds, 1)} s after the first POST → ${fmt(warm.delivered / warm.seconds, 1)} deliveries/s; **${fmt(warm.cpuPerCase, 2)} ms CPU per delivered case** (first burst: ${fmt(serviceCpu, 2)})`,
    );
    console.log(warm.table('delivered case, warm'));
    printMachineGauge(warm.cpuPerCase, warm.sandboxPerCase, ', warm');

    progress(`pipeline: baseline, ${cases * 3} BullMQ jobs of one HTTP POST + one pg UPDATE`);
    await resetSandbox(stack.sandboxUrl);
    await stack.pool.query('CREATE TABLE IF NOT EXISTS bench_jobs (id int PRIMARY KEY, done_at timestamptz)');
    await stack.pool.query('TRUNCATE bench_jobs');
    const total = cases * 3;
    await stack.pool.query('INSERT INTO bench_jobs (id) SELECT generate_series(1, $1::int)', [total]);
    const jobsPort = await freePort();
    jobs = await startChild(
      'pipeline-jobs',
      process.execPath,
      ['--import', 'tsx', 'bench/server.ts', 'jobs', String(jobsPort)],
      {
        DATABASE_URL: BENCH_DATABASE_URL,
        REDIS_URL: stack.redisUrl,
        BENCH_JOBS_CONCURRENCY: String(concurrency),
        BENCH_JOBS_POST_URL: `${stack.sandboxUrl}/slack/api/chat.postMessage`,
      },
      httpReady(`http://127.0.0.1:${jobsPort}/`),
    );
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('bench-jobs', { connection });
    const jobsMeter = new CpuMeter([
      fixed('job worker', [jobs.pid]),
      postgresBackends(stack.pool, benchDatabase()),
      postgresAutovacuum(stack.pool, benchDatabase()),
      fixed('Redis', [stack.processes.redis.pid]),
      fixed('sandbox', [stack.processes.sandbox.pid], false),
      fixed('load generator', [process.pid], false),
    ]);
    await jobsMeter.start();
    const j0 = Date.now();
    for (let start = 1; start <= total; start += 500) {
      const batch = Array.from({ length: Math.min(500, total - start + 1) }, (_, k) => ({
        name: 'job',
        // A channel of its own per job: the floor has no rate limiter, and the sandbox enforces Slack's 1/s per channel.
        data: { id: start + k, channel: `${fleet[(start + k) % fleet.length]!.channel}-job-${start + k}` },
        opts: { removeOnComplete: true, attempts: 3 },
      }));
      await queue.addBulk(batch);
    }
    let done = 0;
    const until = Date.now() + 300_000;
    while (done < total && Date.now() < until) {
      done = (await stack.pool.query('SELECT count(*)::int AS n FROM bench_jobs WHERE done_at IS NOT NULL')).rows[0].n;
      if (done < total) await new Promise((r) => setTimeout(r, 100));
    }
    const jobSeconds = (Date.now() - j0) / 1000;
    const jms = await jobsMeter.stop();
    await queue.close();
    connection.disconnect();
    console.log(
      `baseline: ${fmt(done)} of ${fmt(total)} jobs in ${fmt(jobSeconds, 1)} s → **${fmt(done / jobSeconds, 1)} jobs/s** (concurrency ${concurrency}; CPU below per 3 jobs = one case's worth)`,
    );
    console.log(cpuTable(jobsMeter, jms, done / 3, '3 jobs'));
    console.log(
      `deliveries vs bare jobs (both the first burst of a fresh process): **${fmt(serviceRate / (done / jobSeconds), 2)}** of the rate, **${fmt(serviceCpu / (jobsMeter.total(jms) / (done / 3)), 1)}×** the CPU (service processes: API, worker, Postgres, Redis)`,
    );
    s.verdict(
      serviceCpu <= 12,
      `CPU per delivered case, 3 integrations, API + worker + Postgres + Redis (pipeline, first burst of fresh processes): ${against(serviceCpu, 1, 12)} ms (needs ≤ 12)`,
    );

    // Helpdesks at the speed of the network: every sandbox answer 200 ms late; throughput is then concurrency-bound.
    const slowMs = num('BENCH_SLOW_MS', 200);
    const slowCases = num('BENCH_SLOW_CASES', s.quick ? 50 : 300);
    progress(`pipeline: ${slowCases} cases with every helpdesk answering after ${slowMs} ms`);
    await resetSandbox(stack.sandboxUrl);
    for (const service of ['slack', 'zendesk', 'freshdesk']) {
      await fetch(`${stack.sandboxUrl}/_sandbox/latency`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service, ms: slowMs }),
      });
    }
    const s0 = Date.now();
    const slowIds = await postAll(stack, fleet, slowCases, 64);
    const slowDelivered = await waitDelivered(stack.pool, slowIds, 3, num('BENCH_DRAIN_S', 300) * 1000);
    const slowS = (Date.now() - s0) / 1000;
    console.log(
      `slow helpdesks (${slowMs} ms per call): ${fmt(slowDelivered)} of ${fmt(slowIds.length * 3)} deliveries in ${fmt(slowS, 1)} s → **${fmt(slowDelivered / slowS, 1)} deliveries/s**`,
    );
    await resetSandbox(stack.sandboxUrl);
  } finally {
    await jobs?.stop();
    await stack.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Fixed rate: the ladder and the acceptance run.

interface Step {
  rate: number;
  seconds: number;
  sent: Sent[];
  ids: string[];
  delivered: number;
  missing: { escalationId: string; type: string; status: string }[];
  toSlack: number[];
  noSlack: number;
  postLatency: number[];
  cpu: Record<string, number>;
  /** Service CPU ms per case sent in each window of the load (WINDOW_S), the last one with the drain. */
  cpuByWindow: number[];
  /** The same by process (API, worker, Postgres, Redis), to tell whose warm-up it is. */
  cpuByWindowByProcess: Record<string, number[]>;
  drainS: number;
  /** POST → Slack message cut in three, per case that reached Slack (see latencyParts). */
  parts: Parts[];
}

interface Parts {
  total: number;
  api: number;
  relay: number;
  worker: number;
}

/**
 * One case's POST → Slack in three parts, from the rows in Postgres: the API (request sent → the case's
 * time, taken just before its insert), the relay (→ a worker claimed its Slack delivery: the insert's
 * commit, the announcement, the claim) and the worker (claimed → the sandbox received the case
 * message). The claim time is the lease's start: its end less the lease. The relay renews the lease of
 * every delivery in flight at each tick of a timer (every half lease, src/delivery/relay.ts), so a
 * delivery in flight at a tick, most often waiting for its thread reply's slot after the message went
 * out, ends with a lease that starts after the claim: where that start is after the message arrived, the
 * claim time is unknown and the relay and worker parts are NaN (left out of their rows, counted); a
 * renewal before the arrival shifts time from the worker's part to the relay's, within the case's total.
 */
async function latencyParts(stack: Stack, accepted: Sent[], arrivals: Map<string, number>): Promise<Parts[]> {
  const sentAt = new Map<string, number>();
  for (const r of accepted) {
    const id = (r.body as any)?.escalation?.id as string | undefined;
    if (id && arrivals.has(id)) sentAt.set(id, r.sentAt);
  }
  if (sentAt.size === 0) return [];
  const { rows } = await stack.pool.query<{ e: string; created: number; claimed: number | null }>(
    `SELECT e.id::text AS e, extract(epoch FROM e."createdAt") * 1000 AS created,
       extract(epoch FROM d."leaseUntil") * 1000 - $2::float8 AS claimed
     FROM escalations e JOIN escalation_integrations d ON d."escalationId" = e.id AND d.type = 'SLACK'
     WHERE e.id = ANY($1::uuid[]) AND d."leaseUntil" > 'epoch'`,
    [[...sentAt.keys()], DEFAULT_WORKER_OPTIONS.lockDurationMs],
  );
  const parts: Parts[] = [];
  for (const r of rows) {
    const sent = sentAt.get(r.e)!;
    const arrived = arrivals.get(r.e)!;
    const created = Number(r.created);
    const claimed = Number(r.claimed);
    const known = claimed <= arrived;
    parts.push({ total: arrived - sent, api: created - sent, relay: known ? claimed - created : NaN, worker: known ? arrived - claimed : NaN });
  }
  return parts.sort((a, b) => a.total - b.total);
}

/** p50 and p99 of each part, and what each part was on average in the slowest 1% of cases (the tail's cause). */
function partsTable(parts: Parts[]): string {
  if (parts.length === 0) return 'POST → Slack by part: no timestamps';
  const tail = parts.slice(Math.floor(parts.length * 0.99));
  const keys = ['total', 'api', 'relay', 'worker'] as const;
  const names = {
    total: 'POST → Slack',
    api: 'API: POST → case insert',
    relay: 'relay: insert → claimed by a worker',
    worker: 'worker: claim → Slack message',
  };
  const lines = ['| part (ms) | p50 | p99 | mean of the slowest 1% |', '|---|---|---|---|'];
  for (const k of keys) {
    const sorted = parts
      .map((p) => p[k])
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const known = tail.map((p) => p[k]).filter(Number.isFinite);
    const mean = known.reduce((n, x) => n + x, 0) / known.length;
    lines.push(`| ${names[k]} | ${fmt(quantile(sorted, 0.5))} | ${fmt(quantile(sorted, 0.99))} | ${fmt(mean)} |`);
  }
  const unknown = parts.filter((p) => !Number.isFinite(p.relay)).length;
  if (unknown > 0) {
    lines.push(
      `(${fmt(unknown)} of ${fmt(parts.length)} cases left out of the relay and worker rows: their lease was renewed after the message arrived, so their claim time is not known)`,
    );
  }
  return lines.join('\n');
}

export async function fixedRate(stack: Stack, fleet: FleetStore[], rate: number, seconds: number, drainS: number): Promise<Step> {
  await resetSandbox(stack.sandboxUrl);
  const meter = stack.meter();
  await meter.start();
  // Service CPU at each window's end, to show how a fresh process's cost falls as it warms up.
  const marks: Record<string, number>[] = [];
  const windows = setInterval(() => void meter.read().then((ms) => marks.push(ms)), WINDOW_S * 1000);
  const sent = await openLoop({
    url: stack.apiUrl,
    rate,
    seconds,
    request: (i) => ({ path: '/escalate', headers: { authorization: `Bearer ${fleet[i % fleet.length]!.apiKey}` }, body: conversation(randomUUID(), true) }),
  });
  const accepted = sent.filter((r) => r.status >= 200 && r.status < 300);
  const ids = accepted.map((r) => (r.body as any)?.escalation?.id as string).filter(Boolean);
  const d0 = Date.now();
  const delivered = await waitDelivered(stack.pool, ids, 3, drainS * 1000);
  const waited = (Date.now() - d0) / 1000;
  clearInterval(windows);
  const cpu = await meter.stop();
  const perWindow = rate * WINDOW_S;
  const ends = [...marks.slice(0, Math.floor(seconds / WINDOW_S) - 1), cpu];
  const perCase = (values: number[]) =>
    values.map((end, i) => (end - (i === 0 ? 0 : values[i - 1]!)) / (i === ends.length - 1 ? sent.length - i * perWindow : perWindow));
  const cpuByWindow = perCase(ends.map((ms) => meter.total(ms)));
  const cpuByWindowByProcess = Object.fromEntries(
    meter.names.filter((name) => meter.total({ [name]: 1 }) === 1).map((name) => [name, perCase(ends.map((ms) => ms[name] ?? 0))]),
  );
  const arrivals = await slackArrivals(stack.sandboxUrl);
  const toSlack: number[] = [];
  let noSlack = 0;
  for (const r of accepted) {
    const at = arrivals.get((r.body as any)?.escalation?.id);
    if (at === undefined) noSlack++;
    else toSlack.push(at - r.sentAt);
  }
  toSlack.sort((a, b) => a - b);
  const missing = delivered < ids.length * 3 ? await missingDeliveries(stack.pool, ids) : [];
  const parts = await latencyParts(stack, accepted, arrivals).catch(() => []);
  return {
    rate,
    seconds,
    sent,
    ids,
    delivered,
    missing,
    toSlack,
    noSlack,
    postLatency: accepted.map((r) => r.latencyMs).sort((a, b) => a - b),
    cpu,
    cpuByWindow,
    cpuByWindowByProcess,
    drainS: waited,
    parts,
  };
}

/** Seconds per window of windowLine. */
const WINDOW_S = 10;

/**
 * Service CPU per case sent in each 10 s of a fixed-rate step (the last window holds the drain too):
 * fresh processes pay for V8 compiling their hot paths (perf on this machine: a fifth of the API's and
 * the worker's CPU went to compiler threads, and a third of the API's main thread ran unoptimised code
 * in a 30 s run at 50/s), so the first windows cost more than a warm service does.
 */
function windowLine(st: Step): string {
  const byProcess = Object.entries(st.cpuByWindowByProcess)
    .map(([name, values]) => `${name} ${values.map((v) => fmt(v, 1)).join(' → ')}`)
    .join('; ');
  return `service CPU ms per case by ${WINDOW_S} s window (the last window includes the drain): ${st.cpuByWindow.map((v) => fmt(v, 1)).join(' → ')} (${byProcess})`;
}

/** CPU per second of each process with no load: the floor that low rates pay per case. */
export async function idleLine(stack: Stack, seconds = 5): Promise<string> {
  const meter = stack.meter({ loadGenerator: false });
  await meter.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const ms = await meter.stop();
  return `idle (${seconds} s, no load): ${meter.names.map((n) => `${n} ${fmt(ms[n]! / seconds, 1)}`).join(' · ')} CPU ms/s`;
}

const STEP_HEAD =
  '| rate/s | sent | 2xx | POST p50/p99 ms | POST→Slack p50 / p99 / max ms | delivered / expected | drain s | generator lag max ms |\n|---|---|---|---|---|---|---|---|';

function stepRow(st: Step): string {
  const lag = Math.max(...st.sent.map((r) => r.lagMs));
  return `| ${st.rate} | ${fmt(st.sent.length)} | ${fmt(st.ids.length)} | ${fmt(quantile(st.postLatency, 0.5), 1)} / ${fmt(quantile(st.postLatency, 0.99), 1)} | ${fmt(quantile(st.toSlack, 0.5))} / **${fmt(quantile(st.toSlack, 0.99))}** / ${fmt(st.toSlack.at(-1) ?? Number.NaN)} | ${fmt(st.delivered)} / ${fmt(st.ids.length * 3)}${st.delivered === st.ids.length * 3 ? ' ✓' : ' ✗'} | ${fmt(st.drainS, 1)} | ${fmt(lag)} |`;
}

function stepProblems(st: Step): string[] {
  const out: string[] = [];
  const failed = st.sent.filter((r) => r.status < 200 || r.status >= 300);
  if (failed.length) {
    const kinds = new Map<string, number>();
    for (const f of failed) kinds.set(f.error ?? String(f.status), (kinds.get(f.error ?? String(f.status)) ?? 0) + 1);
    out.push(`  ${st.rate}/s: ${failed.length} POSTs not accepted: ${[...kinds].map(([k, n]) => `${k} × ${n}`).join(', ')} (why: bench/results/*-api.log)`);
  }
  if (st.missing.length) {
    const byKind = new Map<string, number>();
    for (const m of st.missing) byKind.set(`${m.type} ${m.status}`, (byKind.get(`${m.type} ${m.status}`) ?? 0) + 1);
    out.push(
      `  ${st.rate}/s: ${st.missing.length} deliveries missing after ${fmt(st.drainS, 0)} s: ${[...byKind].map(([k, n]) => `${k} × ${n}`).join(', ')}; first cases: ${[...new Set(st.missing.map((m) => m.escalationId))].slice(0, 3).join(', ')}`,
    );
  }
  if (st.noSlack) out.push(`  ${st.rate}/s: ${st.noSlack} accepted cases without a Slack case message in the sandbox`);
  return out;
}

function cpuRows(meter: CpuMeter, steps: Step[]): string {
  const names = meter.names;
  const lines = [`| rate/s | ${names.join(' | ')} | service (API, worker, Postgres, Redis) |`, `|---|${names.map(() => '---|').join('')}---|`];
  for (const st of steps) {
    const cases = st.delivered / 3;
    lines.push(`| ${st.rate} | ${names.map((n) => fmt((st.cpu[n] ?? 0) / cases, 2)).join(' | ')} | **${fmt(meter.total(st.cpu) / cases, 2)}** |`);
  }
  return lines.join('\n');
}

export async function ladder(s: Settings): Promise<void> {
  const rates = (process.env.BENCH_LADDER ?? (s.quick ? '10,25' : '10,25,50,100')).split(',').map(Number);
  const seconds = num('BENCH_LADDER_SECONDS', s.quick ? 5 : 20);
  console.log(
    `\n## Ladder: fixed rate (open loop), ${seconds} s per step, Slack + Zendesk + Freshdesk, ${stores()} stores with a channel each, API and worker separate`,
  );
  progress('ladder: starting API, worker, sandbox and Redis');
  const stack = await startStack('split', 'ladder');
  try {
    const fleet = await createFleet(stack, stores(), THREE, 'ladder');
    await fixedRate(stack, fleet, 10, 2, 30); // warm-up: JIT, pools, connections
    console.log(await idleLine(stack));
    const steps: Step[] = [];
    for (const rate of rates) {
      progress(`ladder: ${rate} escalations/s for ${seconds} s`);
      const step = await fixedRate(stack, fleet, rate, seconds, num('BENCH_DRAIN_S', 60));
      steps.push(step);
      if (step.delivered < step.ids.length * 3) {
        console.log(
          `stopping the ladder: ${rate}/s left deliveries undone after ${fmt(step.drainS)} s (BENCH_DRAIN_S); a higher rate would start on its backlog`,
        );
        break;
      }
    }
    console.log(STEP_HEAD);
    for (const st of steps) console.log(stepRow(st));
    for (const st of steps) for (const line of stepProblems(st)) console.log(line);
    console.log('CPU ms per delivered case, from the first POST of the step to its last delivery:');
    console.log(cpuRows(stack.meter(), steps));
  } finally {
    await stack.stop();
  }
}

/** WAL flushes (fsyncs) of the whole Postgres server so far. */
async function walFlushes(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query('SELECT wal_sync::bigint AS n FROM pg_stat_wal');
  return Number(rows[0].n);
}

/**
 * The acceptance run. Fresh processes pay for V8 compiling their hot paths during their first half
 * minute at this rate (service CPU per case by 10 s window, measured from the first POST: 19.2 → 13.9
 * → 12.4 → 10.9 → 10.3 → 10.9), a cost per process start, not per case: counted into a 60 s run it
 * added ~2.3 ms to every case, and it would add less to a longer run. So the run starts with a
 * warm-up at the same rate, whose cases count for "every case delivered" and the p99 (a deploy's
 * first minute must meet them too) and whose CPU per case is printed beside the measured run's; the
 * CPU verdict is the warm processes' (the pipeline phase keeps a verdict on fresh processes).
 */
export async function acceptance(s: Settings): Promise<void> {
  const rate = num('BENCH_ACCEPT_RATE', 50);
  const seconds = num('BENCH_ACCEPT_SECONDS', s.quick ? 10 : 60);
  const warmS = num('BENCH_ACCEPT_WARMUP_S', s.quick ? 5 : 30);
  console.log(
    `\n## Acceptance run: ${rate} escalations/s for ${seconds} s after a ${warmS} s warm-up at the same rate, Slack + Zendesk + Freshdesk, ${stores()} stores with a channel each, API and worker separate`,
  );
  progress('accept: starting API, worker, sandbox and Redis');
  const stack = await startStack('split', 'accept');
  try {
    const fleet = await createFleet(stack, stores(), THREE, 'accept');
    const drainS = num('BENCH_DRAIN_S', 300);
    progress(`accept: warm-up, ${rate} escalations/s for ${warmS} s (fresh processes)`);
    const warm = await fixedRate(stack, fleet, rate, warmS, drainS);
    console.log(await idleLine(stack));
    progress(`accept: ${rate} escalations/s for ${seconds} s`);
    const walBefore = await walFlushes(stack.pool);
    // A long drain: "every case delivered" asks whether anything is lost; slowness is the p99's verdict.
    const st = await fixedRate(stack, fleet, rate, seconds, drainS);
    const walAfter = await walFlushes(stack.pool);
    const [head, separator] = STEP_HEAD.split('\n');
    console.log(`| step ${head}\n|---${separator}`);
    console.log(`| warm-up (fresh processes) ${stepRow(warm)}`);
    console.log(`| measured ${stepRow(st)}`);
    for (const line of [...stepProblems(warm), ...stepProblems(st)]) console.log(line);
    console.log(partsTable(st.parts));
    const meter = stack.meter();
    const cases = st.delivered / 3;
    const cpu = meter.total(st.cpu) / cases;
    console.log(cpuTable(meter, st.cpu, cases, 'delivered case'));
    console.log(`measured: ${windowLine(st)}`);
    const coldCpu = meter.total(warm.cpu) / (warm.delivered / 3);
    console.log(`warm-up, fresh processes: **${fmt(coldCpu, 2)} ms** CPU per delivered case; ${windowLine(warm)}`);
    // Session 24: four runs of one build read 10.5–13.3 ms per case, the gauge 4.57–4.81.
    printMachineGauge(cpu, (st.cpu.sandbox ?? 0) / cases);
    console.log(
      `Postgres WAL flushes per case: ${fmt((walAfter - walBefore) / Math.max(1, st.ids.length), 2)} (pg_stat_wal.wal_sync, the whole server: commits that waited for the disk, and the WAL writer's own)`,
    );
    const everything = (x: Step) => x.sent.length === x.ids.length && x.delivered === x.ids.length * 3 && x.noSlack === 0;
    const p99 = quantile(st.toSlack, 0.99);
    const warmP99 = quantile(warm.toSlack, 0.99);
    s.verdict(
      everything(warm) && everything(st),
      `${rate}/s for ${warmS} + ${seconds} s: every case accepted and delivered (${fmt(warm.ids.length + st.ids.length)} of ${fmt(warm.sent.length + st.sent.length)} accepted, ${fmt(warm.delivered + st.delivered)} of ${fmt((warm.ids.length + st.ids.length) * 3)} deliveries)`,
    );
    s.verdict(
      p99 <= 300 && warmP99 <= 300,
      `${rate}/s for ${seconds} s: p99 POST → Slack message ${against(p99, 0, 300)} ms (warm-up: ${against(warmP99, 0, 300)} ms; needs ≤ 300)`,
    );
    s.verdict(
      cpu <= 12,
      `${rate}/s for ${seconds} s: CPU per delivered case, API + worker + Postgres + Redis, processes warm ${against(cpu, 1, 12)} ms (needs ≤ 12; the fresh processes' warm-up: ${fmt(coldCpu, 1)})`,
    );
  } finally {
    await stack.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Runtime: is tsx representative of `node dist/main.js`? The same fixed-rate step under each.

export async function compareRuntimes(s: Settings): Promise<void> {
  const rate = num('BENCH_RUNTIME_RATE', s.quick ? 10 : 25);
  const seconds = num('BENCH_RUNTIME_SECONDS', s.quick ? 5 : 15);
  console.log(`\n## Runtime: the same step (${rate}/s for ${seconds} s, 3 integrations) under node dist/main.js and under tsx`);
  const rows: string[] = [];
  for (const runtime of ['dist', 'tsx'] as const) {
    progress(`runtime: ${runtime}`);
    const stack = await startStack('split', `runtime-${runtime}`, runtime);
    try {
      const fleet = await createFleet(stack, stores(), THREE, `runtime-${runtime}`);
      await fixedRate(stack, fleet, 10, 2, 30);
      const st = await fixedRate(stack, fleet, rate, seconds, 60);
      const cases = st.delivered / 3;
      const meter = stack.meter();
      rows.push(
        `| ${runtime} | ${fmt(st.cpu.API! / cases, 2)} | ${fmt(st.cpu.worker! / cases, 2)} | ${fmt(meter.total(st.cpu) / cases, 2)} | ${fmt(quantile(st.toSlack, 0.5))} / ${fmt(quantile(st.toSlack, 0.99))} |`,
      );
    } finally {
      await stack.stop();
    }
  }
  console.log('| runtime | API CPU ms/case | worker CPU ms/case | all but sandbox | POST→Slack p50 / p99 ms |\n|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}
