// The system under test as separate processes: private Redis, sandbox, API and worker (or one ROLE=all
// process), plus the bench's view of it from outside: HTTP, rows in Postgres, the sandbox's state.
import pg from 'pg';
import { AUTOVACUUM_APPLICATION_NAME, BENCH_APPLICATION_NAME, CpuMeter, fixed, otherThreads, postgresAutovacuum, postgresBackends } from './cpu.ts';
import { BENCH_ADMIN_KEY, BENCH_DATABASE_URL, benchEnv } from './env.ts';
import { type Child, freePort, httpReady, nodeArgs, RUNTIME, startChild, startRedis } from './procs.ts';

export type Integration = 'slack' | 'zendesk' | 'freshdesk';

export interface Stack {
  apiUrl: string;
  sandboxUrl: string;
  redisUrl: string;
  /** The bench's own connection (application_name reva-bench: not counted as the service's Postgres CPU). */
  pool: pg.Pool;
  processes: { api: Child; worker?: Child; sandbox: Child; redis: Child };
  /** CPU of API, worker, Postgres, Redis (the service total), and beside it the sandbox and (unless told not to) the bench process, the load generator. */
  meter(opts?: { loadGenerator?: boolean }): CpuMeter;
  /** The bench's autovacuum (see autoVacuum): paused while a baseline runs, so its CPU is not charged to the baseline. */
  autovacuum: { pause(): Promise<void>; resume(): void };
  stop(): Promise<void>;
}

export const benchPool = () => new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 2, application_name: BENCH_APPLICATION_NAME });
export const benchDatabase = () => new URL(BENCH_DATABASE_URL).pathname.slice(1);

/** Store names of the end-to-end phases start with this; each phase deletes what earlier runs left. */
export const E2E_STORE_PREFIX = 'bench e2e';

/**
 * Deletes the stores earlier phases or runs created (cascading to their cases), so a new stack's
 * outbox sweeper has nothing old to resend and SLA due times of old cases never fire mid-phase.
 */
export async function cleanDatabase(pool: pg.Pool): Promise<void> {
  await pool.query(`DELETE FROM stores WHERE name LIKE $1`, [`${E2E_STORE_PREFIX}%`]);
  // Evaluations name their store without a foreign key (no cascade): those of the stores just deleted
  // would pile up run after run (1.26 million rows, 126 MB after a day of runs, rewritten at every start).
  await pool.query(`DELETE FROM evaluations e WHERE NOT EXISTS (SELECT 1 FROM stores s WHERE s.id = e."storeId")`);
  // Small tables are rewritten compactly (VACUUM FULL), as on a fresh database. Emptied by DELETE
  // and then analyzed, a table keeps its pages with next to no rows as statistics, and where
  // autovacuum is off (as on the development machine) nothing corrects them during the run: the
  // planner then reads the cases table from end to end to join one claimed delivery to its case
  // (Postgres's CPU per case grew 4.6 → 7.0 → 9.7 ms over a 30 s run). Large ones (the analytics
  // phase's million cases, gigabytes) keep their pages: their statistics are right.
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE 'bench\\_%' AND pg_total_relation_size(c.oid) < 256 * 1024 * 1024`,
  );
  for (const { name } of rows) await pool.query(`VACUUM FULL "${name}"`);
  // The cascade leaves every earlier run's cases as dead rows; where autovacuum is off they pile up
  // run after run and slow every later phase's queries.
  await pool.query('VACUUM ANALYZE');
}

/**
 * `split`: ROLE=api and ROLE=worker in two processes (as deployed); `all`: one ROLE=all process.
 * Extra environment for the service (e.g. worker concurrency) comes from BENCH_SERVICE_ENV (JSON).
 */
export async function startStack(layout: 'split' | 'all', label: string, runtime = RUNTIME): Promise<Stack> {
  const pool = benchPool();
  await cleanDatabase(pool);
  const redis = await startRedis();
  const sandboxPort = await freePort();
  const sandbox = await startChild(
    `${label}-sandbox`,
    process.execPath,
    nodeArgs('src/sandbox/main.ts', runtime),
    { SANDBOX_PORT: String(sandboxPort) },
    httpReady(`http://127.0.0.1:${sandboxPort}/_sandbox/state`),
  );
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const serviceEnv = (role: string, port: number) =>
    benchEnv({
      ROLE: role,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      SANDBOX: 'off',
      LOG_LEVEL: 'error',
      SLACK_API_URL: `${sandboxUrl}/slack/api/`,
      ZENDESK_API_URL: `${sandboxUrl}/zendesk`,
      FRESHDESK_API_URL: `${sandboxUrl}/freshdesk`,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      ...(process.env.BENCH_SERVICE_ENV ? JSON.parse(process.env.BENCH_SERVICE_ENV) : {}),
    });
  const apiPort = await freePort();
  const api = await startChild(
    `${label}-${layout === 'all' ? 'all' : 'api'}`,
    process.execPath,
    nodeArgs('src/main.ts', runtime),
    serviceEnv(layout === 'all' ? 'all' : 'api', apiPort),
    httpReady(`http://127.0.0.1:${apiPort}/health`),
  );
  let worker: Child | undefined;
  if (layout === 'split') {
    const workerPort = await freePort();
    worker = await startChild(
      `${label}-worker`,
      process.execPath,
      nodeArgs('src/main.ts', runtime),
      serviceEnv('worker', workerPort),
      httpReady(`http://127.0.0.1:${workerPort}/health`),
    );
  }
  const processes = { api, worker, sandbox, redis };
  const apiName = layout === 'all' ? 'API+worker' : 'API';
  const autovacuum = autoVacuum();
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    sandboxUrl,
    redisUrl: redis.url,
    pool,
    processes,
    autovacuum,
    meter: ({ loadGenerator = true } = {}) =>
      new CpuMeter([
        fixed(apiName, [api.pid]),
        ...(worker ? [fixed('worker', [worker.pid])] : []),
        postgresBackends(pool, benchDatabase()),
        postgresAutovacuum(pool, benchDatabase()),
        fixed('Redis', [redis.pid]),
        fixed('sandbox', [sandbox.pid], false),
        ...(loadGenerator ? [fixed('load generator', [process.pid], false)] : []),
        otherThreads(`${apiName}: other threads`, api.pid),
        ...(worker ? [otherThreads('worker: other threads', worker.pid)] : []),
      ]),
    async stop() {
      await autovacuum.stop();
      for (const child of [api, worker, sandbox, redis]) await child?.stop();
      await pool.end();
    },
  };
}

/** A table whose statistics say fewer rows than this is analyzed every 5 s (see autoVacuum). */
const YOUNG_TABLE_ROWS = 1000;

/**
 * Autovacuum, done by the bench where autovacuum is off (as on the development machine), with its
 * default rules: every minute (its naptime) each table with more than 50 + 20% dead rows, or 1,000 +
 * 20% rows inserted since its last vacuum, is vacuumed, and each changed by more than 50 rows + 10%
 * since its last analysis is analyzed. A young table (its statistics, pg_class.reltuples, say under
 * YOUNG_TABLE_ROWS rows: the bench's tables start empty) is analyzed every 5 s instead, so that the
 * short runs do not keep plans made for empty tables: the statements the service prepares keep their
 * plan until their tables are analyzed (Postgres replans them then, as in production, where autovacuum
 * analyzes a new table within its first minute), and a plan made for an empty table makes the SLA
 * poll rescan its due-time index once per timer, the open-case look-up probe an index of the store's
 * cases instead of the conversation's (every index serves an empty table equally). Young by the
 * statistics, not by the rows live now: a phase that opens 1,000 cases in its first second must get
 * them analyzed within 5 s, not at the next naptime (the `followups` phase: 8 ms of Postgres per
 * follow-up instead of 1 for up to a minute). Past that size, the naptime's pace: analyzed every 5 s,
 * a table growing from empty at 50 cases/s crossed the 10% threshold at nearly every tick (0.4–0.75 ms
 * of Postgres CPU per case in the acceptance run, in the `autovacuum` column), where production's large
 * tables are analyzed once per 10% of their size.
 * The service's statements must therefore plan well on statistics a minute old; two that did not (the
 * delivery batch records, session 30; the open-case look-up of the accept path, session 31) cost up to
 * 7× the Postgres CPU between analyses. Without the vacuum every update leaves its old row and index
 * entries behind: a case followed up 30 times is found through 30 entries of its conversation's index.
 * Its CPU counts in the service total (its own connection, not the bench's), as autovacuum's workers do
 * in production, and is shown apart (postgresAutovacuum).
 */
function autoVacuum(): { pause(): Promise<void>; resume(): void; stop(): Promise<void> } {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL, application_name: AUTOVACUUM_APPLICATION_NAME });
  // Throttled as autovacuum is (autovacuum_vacuum_cost_delay 2 ms): a manual VACUUM runs flat out.
  let running = client
    .connect()
    .then(() => client.query(`SET vacuum_cost_delay = '2ms'`))
    .catch(() => {});
  let paused = false;
  let ticks = 0;
  const timer = setInterval(() => {
    if (paused) return;
    // Autovacuum's own pace (autovacuum_naptime, a minute): a VACUUM scans the indexes of the tables
    // it cleans, an ANALYZE samples up to 30,000 rows; every 5 s would cost several times what
    // production pays.
    const napNow = ++ticks % 12 === 0;
    running = running
      .then(async () => {
        const { rows } = await client.query<{ name: string; vacuum: boolean; analyze: boolean; young: boolean }>(
          `SELECT s.relname AS name,
                  n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup AS vacuum,
                  n_mod_since_analyze > 50 + 0.1 * n_live_tup AS analyze,
                  c.reltuples < $1 AS young
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname NOT LIKE 'bench\\_%'`,
          [YOUNG_TABLE_ROWS],
        );
        for (const { name, vacuum, analyze, young } of rows) {
          if (vacuum && napNow) await client.query(`VACUUM "${name}"`);
          if (analyze && (napNow || young)) await client.query(`ANALYZE "${name}"`);
        }
      })
      .catch(() => {});
  }, 5000);
  return {
    async pause() {
      paused = true;
      await running;
    },
    resume() {
      paused = false;
    },
    async stop() {
      clearInterval(timer);
      await running;
      await client.end().catch(() => {});
    },
  };
}

export async function call(base: string, key: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

export interface FleetStore {
  id: string;
  apiKey: string;
  channel: string;
}

/**
 * `n` stores, each with its own Slack channel, Zendesk account and Freshdesk account, so per-channel
 * and per-account limits are not what a run measures.
 */
export async function createFleet(stack: Stack, n: number, enabled: Integration[], tag: string): Promise<FleetStore[]> {
  const stores: FleetStore[] = [];
  const one = async (i: number) => {
    const store = await call(stack.apiUrl, BENCH_ADMIN_KEY, 'POST', '/stores', { name: `${E2E_STORE_PREFIX} ${tag} ${i}` });
    const channel = `#bench-${tag}-${i}`;
    const account = `bench-${tag}-${i}`;
    if (enabled.length)
      await call(stack.apiUrl, BENCH_ADMIN_KEY, 'PUT', `/stores/${store.id}/escalation-config`, {
        ...(enabled.includes('slack') ? { slack: { enabled: true, channel } } : {}),
        ...(enabled.includes('zendesk') ? { zendesk: { enabled: true, subdomain: account, email: 'a@bench.test', apiToken: 'token' } } : {}),
        ...(enabled.includes('freshdesk') ? { freshdesk: { enabled: true, domain: account, apiKey: 'key' } } : {}),
      });
    stores[i] = { id: store.id, apiKey: store.apiKey, channel };
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return stores;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls DELIVERED rows of these cases until there are `perCase` each or the time is up; returns the count. */
export async function waitDelivered(pool: pg.Pool, ids: string[], perCase: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM escalation_integrations WHERE "escalationId" = ANY($1::uuid[]) AND status = 'DELIVERED'`,
      [ids],
    );
    const delivered: number = rows[0].n;
    if (delivered >= ids.length * perCase || Date.now() > until) return delivered;
    await sleep(100);
  }
}

/** Cases whose deliveries are not all DELIVERED, with the status of each missing one. */
export async function missingDeliveries(pool: pg.Pool, ids: string[]): Promise<{ escalationId: string; type: string; status: string }[]> {
  const { rows } = await pool.query(
    `SELECT "escalationId", type::text, status::text FROM escalation_integrations WHERE "escalationId" = ANY($1::uuid[]) AND status <> 'DELIVERED' ORDER BY "escalationId"`,
    [ids],
  );
  const present = await pool.query(`SELECT "escalationId", count(*)::int AS n FROM escalation_integrations WHERE "escalationId" = ANY($1::uuid[]) GROUP BY 1`, [
    ids,
  ]);
  const counted = new Map(present.rows.map((r) => [r.escalationId as string, r.n as number]));
  const noRows = ids.filter((id) => !counted.has(id)).map((escalationId) => ({ escalationId, type: '*', status: 'no delivery rows' }));
  return [...rows, ...noRows];
}

/** Case id -> when the sandbox received its Slack case message (the top-level one, not thread replies). */
export async function slackArrivals(sandboxUrl: string): Promise<Map<string, number>> {
  const state = (await (await fetch(`${sandboxUrl}/_sandbox/state`)).json()) as { slack: { messages: any[] } };
  const arrivals = new Map<string, number>();
  for (const m of state.slack.messages) {
    if (m.thread_ts) continue;
    const caseId = m.metadata?.event_payload?.caseId ?? /take_case:([0-9a-f-]{36})/.exec(JSON.stringify(m.blocks ?? []))?.[1];
    if (typeof caseId === 'string' && !arrivals.has(caseId)) arrivals.set(caseId, Date.parse(m.postedAt));
  }
  return arrivals;
}

export const resetSandbox = (sandboxUrl: string) => fetch(`${sandboxUrl}/_sandbox/reset`, { method: 'POST' }).then((r) => r.text());
