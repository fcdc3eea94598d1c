// The delivery pipeline for integration tests: the app, the delivery and SLA workers, the outbox sweeper,
// the helpdesk sandbox and a webhook receiver, on a private redis-server and the test Postgres.
// BullMQ queue names are global per Redis: a private Redis per test file keeps files from taking each
// other's jobs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { API_URL_VARIABLES, type Config } from '../../src/config.ts';
import { integrations } from '../../src/integrations/registry.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { databaseName, dropDatabase, migrateDatabase, withDatabase } from '../../src/db/migrate.ts';
import type { BackoffOptions } from '../../src/delivery/backoff.ts';
import { DeliveryQueues } from '../../src/delivery/queues.ts';
import type { OutboxSweeper } from '../../src/delivery/sweeper.ts';
import type { DeliveryWorkers, WorkerOptions } from '../../src/delivery/worker.ts';
import type { IntegrationType } from '../../src/generated/prisma/enums.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { SlaWorker } from '../../src/sla/worker.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { buildWorkers } from '../../src/workers.ts';
import { ADMIN_KEY, testConfig } from './app.ts';

export { ADMIN_KEY, seedConversation } from './app.ts';

export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const logLevel = process.env.TEST_LOG_LEVEL ?? 'silent';
export const testLog = pino({ level: logLevel });

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

// ── A private redis-server ────────────────────────────────────────────────────────────────────────

export interface RedisServer {
  port: number;
  url: string;
  /** Kills the server (its data is gone: it keeps nothing on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      // The shell kills redis-server when its stdin closes: on stop(), and when this process dies.
      if (proc && !exited(proc)) return;
      // (A background job's stdin is /dev/null unless redirected: hence fd 3.)
      const watchdog = 'exec 3<&0; redis-server "$@" & pid=$!; (read _ignored <&3; kill -9 $pid 2>/dev/null) & wait $pid';
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      const child = spawn('sh', ['-c', watchdog, 'sh', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      proc = child;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
        child.once('error', reject);
      });
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      child.stderr!.resume();
    },
    async stop() {
      const child = proc;
      proc = undefined;
      if (!child || exited(child)) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await gone;
    },
  };
  await server.start();
  return server;
}

// ── A webhook receiver (the chat backend's callback URL) ──────────────────────────────────────────

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next `times` requests with `status`. */
  fail(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = failures.shift() ?? 204;
      let json: ReceivedWebhook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { type: '(invalid json)', timestamp: '', data: {} };
      }
      received.push({ headers: req.headers, body, json, status, at: Date.now() });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/reva`,
    received,
    fail(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ── The pipeline ──────────────────────────────────────────────────────────────────────────────────

export interface PipelineOptions {
  /** Environment overrides on top of the test config (which points every helpdesk at the sandbox). */
  env?: Record<string, string>;
  /** Job attempts per delivery (default 3). */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Start the delivery workers (default true); see startWorkers(). */
  workers?: boolean;
  worker?: Partial<Pick<WorkerOptions, 'lockDurationMs' | 'stalledIntervalMs' | 'requestTimeoutMs'>>;
  sweepIntervalMs?: number;
  sweepMinAgeMs?: number;
}

export const TEST_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 400 };

export interface StoreHandle {
  id: string;
  apiKey: string;
  name: string;
}

export interface Pipeline {
  app: FastifyInstance;
  config: Config;
  /** The environment the config was made from (a worker in another process needs the same). */
  env: Record<string, string>;
  db: Db;
  queues: DeliveryQueues;
  workers?: DeliveryWorkers;
  sla: SlaWorker;
  sweeper: OutboxSweeper;
  sandbox: Sandbox;
  redis: RedisServer;
  receiver: WebhookReceiver;
  call(key: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** A store with Slack, Zendesk, Freshdesk and the webhook enabled (each section can be replaced or dropped with null). */
  createStore(config?: Record<string, unknown>): Promise<StoreHandle>;
  putConfig(store: StoreHandle, config: Record<string, unknown>): Promise<void>;
  escalate(store: StoreHandle, body: object): Promise<{ id: string; body: any }>;
  getCase(store: StoreHandle, id: string): Promise<any>;
  /** Polls GET /escalations/:id until `predicate(case)` holds. */
  waitForCase(store: StoreHandle, id: string, what: string, predicate: (c: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Waits until the delivery of `type` has `status` (and returns it). */
  waitForDelivery(store: StoreHandle, id: string, type: IntegrationType, status: string, timeoutMs?: number): Promise<any>;
  startWorkers(): DeliveryWorkers;
  /** Closes the in-process delivery workers (jobs they hold finish first). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export function defaultStoreConfig(receiverUrl: string) {
  return {
    slack: { enabled: true, channel: '#support', botToken: 'xoxb-test-token' },
    zendesk: { enabled: true, subdomain: 'acme', email: 'agent@acme.test', apiToken: 'zd-token', webhookSecret: 'zd-hook-secret' },
    freshdesk: { enabled: true, domain: 'acme', apiKey: 'fd-key', webhookSecret: 'fd-hook-secret' },
    webhook: { enabled: true, url: receiverUrl, secret: WEBHOOK_SECRET },
  };
}

// ── A private database ────────────────────────────────────────────────────────────────────────────
// The outbox sweeper re-sends every PENDING delivery it finds, whichever store it belongs to: on a
// shared database, the sweeper of one test process would hand another's deliveries to its own Redis.

const PIPELINE_DB_MARK = '_pipeline_';

async function createPrivateDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL!;
  const prefix = `${databaseName(base)}${PIPELINE_DB_MARK}`;
  // Databases of test processes that died without dropping theirs.
  const client = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) {
      const pid = Number(datname.slice(prefix.length).split('_')[0]);
      if (!isAlive(pid)) await dropDatabase(withDatabase(base, datname)).catch(() => {});
    }
  } finally {
    await client.end();
  }
  const url = withDatabase(base, `${prefix}${process.pid}_${randomBytes(3).toString('hex')}`);
  await migrateDatabase(url);
  return url;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The operator override of every registered helpdesk, pointed at this sandbox. */
export function sandboxOverrides(sandbox: Sandbox): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(API_URL_VARIABLES) as [IntegrationType, string][]).map(([type, name]) => [
      name,
      type === 'SLACK' ? sandbox.slackApiUrl : sandbox.urlOf(integrations[type].sandbox.service),
    ]),
  );
}

export async function startPipeline(opts: PipelineOptions = {}): Promise<Pipeline> {
  const [sandbox, redis, receiver, databaseUrl] = await Promise.all([startSandbox(), startRedis(), startWebhookReceiver(), createPrivateDatabase()]);
  const env: Record<string, string> = {
    ADMIN_API_KEY: ADMIN_KEY,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
    // Every helpdesk's operator override points at the sandbox (SLACK_API_URL, ZENDESK_API_URL, …).
    ...sandboxOverrides(sandbox),
    // The sandbox carries out a request at once unless a test says otherwise: a short window keeps retries quick.
    HELPDESK_LATE_COMMIT_MS: '1000',
    ...opts.env,
  };
  const config = testConfig(env);
  const db = createDb(config.databaseUrl, 5);
  const queues = new DeliveryQueues(config.redisUrl, { attempts: opts.attempts ?? 3 });
  const app = await buildApp({ config, db, queues, logger: false });
  await app.ready();
  // The same wiring as src/main.ts; the delivery workers are started below (or by the test).
  const all = buildWorkers({
    config,
    db,
    queues,
    log: testLog,
    stores: new StoreDirectory(db, config.encryptionKey, 0),
    delivery: { backoff: opts.backoff ?? TEST_BACKOFF, ...opts.worker },
    sweep: { intervalMs: opts.sweepIntervalMs ?? 300, minAgeMs: opts.sweepMinAgeMs ?? 500 },
    run: { deliveries: false },
  });
  const { sla, sweeper } = all;
  const startWorkers = () => {
    pipeline.workers = all.startDeliveries();
    return pipeline.workers;
  };

  const call: Pipeline['call'] = (key, o) => app.inject({ ...o, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(o.headers ?? {}) } });

  const getCase = async (store: StoreHandle, id: string) => {
    const res = await call(store.apiKey, { method: 'GET', url: `/escalations/${id}` });
    if (res.statusCode !== 200) throw new Error(`GET /escalations/${id}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const waitForCase: Pipeline['waitForCase'] = async (store, id, what, predicate, timeoutMs = 10_000) => {
    let last: unknown;
    try {
      return await waitUntil(
        what,
        async () => {
          last = await getCase(store, id);
          return predicate(last) ? last : undefined;
        },
        timeoutMs,
        100,
      );
    } catch (err) {
      const c = last as { deliveries?: unknown } | undefined;
      throw new Error(`${(err as Error).message}; deliveries: ${JSON.stringify(c?.deliveries)}`);
    }
  };
  const putConfig = async (store: StoreHandle, cfg: Record<string, unknown>) => {
    const payload = Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== null));
    const res = await call(store.apiKey, { method: 'PUT', url: `/stores/${store.id}/escalation-config`, payload });
    if (res.statusCode !== 200) throw new Error(`PUT escalation-config: ${res.statusCode} ${res.body}`);
  };

  const pipeline: Pipeline = {
    app,
    config,
    env,
    db,
    queues,
    sla,
    sweeper,
    sandbox,
    redis,
    receiver,
    call,
    async createStore(overrides = {}) {
      const res = await call(ADMIN_KEY, { method: 'POST', url: '/stores', payload: { name: `store-${randomBytes(4).toString('hex')}` } });
      if (res.statusCode !== 201) throw new Error(`POST /stores: ${res.statusCode} ${res.body}`);
      const store = res.json() as StoreHandle;
      await putConfig(store, { ...defaultStoreConfig(receiver.url), ...overrides });
      return store;
    },
    putConfig,
    async escalate(store, body) {
      const res = await call(store.apiKey, { method: 'POST', url: '/escalate', payload: body });
      if (res.statusCode !== 201) throw new Error(`POST /escalate: ${res.statusCode} ${res.body}`);
      const json = res.json();
      return { id: json.escalation.id as string, body: json };
    },
    getCase,
    waitForCase,
    async waitForDelivery(store, id, type, status, timeoutMs = 10_000) {
      const c = await waitForCase(
        store,
        id,
        `${type} delivery ${status}`,
        (x) => x.deliveries.some((d: { type: string; status: string }) => d.type === type && d.status === status),
        timeoutMs,
      );
      return c.deliveries.find((d: { type: string }) => d.type === type);
    },
    startWorkers,
    async stopWorkers() {
      pipeline.workers = undefined;
      await all.stopDeliveries();
    },
    async close() {
      // Each step runs even if an earlier one failed: no redis-server or database is left behind.
      const steps: (() => Promise<unknown> | void)[] = [
        () => all.close(),
        () => app.close(),
        () => queues.close(),
        () => Promise.all([sandbox.close(), receiver.close()]),
        () => redis.stop(),
        () => db.$disconnect(),
        () => dropDatabase(databaseUrl),
      ];
      const errors: unknown[] = [];
      for (const step of steps)
        await Promise.resolve()
          .then(step)
          .catch((err) => errors.push(err));
      if (errors.length) throw errors[0];
    },
  };
  if (opts.workers !== false) startWorkers();
  return pipeline;
}

// ── A delivery worker in another process, to be killed mid-request ────────────────────────────────

export interface WorkerProcess {
  child: ChildProcess;
  kill(): Promise<void>;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export async function startWorkerProcess(
  p: Pipeline,
  worker: Partial<Pick<WorkerOptions, 'lockDurationMs' | 'stalledIntervalMs' | 'requestTimeoutMs'>> = {},
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    env: { ...process.env, PIPELINE_ENV: JSON.stringify({ ...p.env, ...env }), PIPELINE_WORKER_OPTIONS: JSON.stringify({ backoff: TEST_BACKOFF, ...worker }) },
    // Its stdin is its lifeline: it exits when this process dies.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code}: ${output}`)));
  });
  return {
    child,
    async kill() {
      if (exited(child)) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
  };
}
