import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import {
  ConfigError,
  definedEnv,
  isZeroConfiguration,
  LOCAL_SECRETS_FILE,
  loadConfig,
  loadDotEnv,
  withLocalSecrets,
  withSandbox,
  type Config,
} from './config.ts';
import type { Logger } from 'pino';
import { createLogger } from './http/logger.ts';
import { restoreFastPrototypes } from './fast-prototypes.ts';
import { watchDeliveryQueues } from './metrics.ts';
import { buildWorkerServer } from './http/worker-server.ts';
import { createDb, loadQueryCompiler } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { DeliveryQueues } from './delivery/queues.ts';
import { ensureDemoStore, startOrFindSandbox, type DemoStore } from './demo.ts';
import { API_URL_VARIABLES } from './config.ts';
import { INTEGRATION_TYPES, integrations } from './integrations/registry.ts';
import { buildWorkers } from './workers.ts';

/** Longest a shutdown may take before the process exits anyway (compose's stop_grace_period is longer). */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

export interface StartOptions {
  /** Where generated keys and the demo store's key are kept (default .local/secrets.json). */
  secretsFile?: string;
  /** The `[reva]` start-up lines (default: info lines of the service's logger). */
  say?: (line: string) => void;
}

export interface Service {
  config: Config;
  /** The demo store, when this process serves sandbox stores. */
  demo?: DemoStore;
  /** Stops everything this start started, in order. */
  close(): Promise<void>;
}

/** Config → migrations → sandbox (when wanted) → API and/or workers. Throws ConfigError on a bad environment. */
export async function start(rawEnv: Record<string, string | undefined>, options: StartOptions = {}): Promise<Service> {
  const secretsFile = options.secretsFile ?? LOCAL_SECRETS_FILE;
  const env = definedEnv(rawEnv);
  const local = withLocalSecrets(env, secretsFile);
  let config = loadConfig(local.env);
  const log = createLogger(config.logLevel);
  const say = options.say ?? startupLines(config.logLevel);
  if (local.fromFile?.length) say(`${local.fromFile.join(' and ')} not set: using the generated value(s) in ${local.file}`);
  if (config.sandbox.mode === 'auto' && isZeroConfiguration(env)) config = withSandbox(config);

  const { created, applied } = await migrateDatabase(config.databaseUrl);
  say(`${created ? 'created the database; ' : ''}${applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema up to date'}`);

  const closers: (() => Promise<void>)[] = [];
  let closeSandbox = async () => {};
  const runsApi = config.role !== 'worker';
  const runsWorker = config.role !== 'api';
  const db = createDb(config.databaseUrl, config.db);
  const queues = new DeliveryQueues(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs });
  let demo: DemoStore | undefined;
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      for (const close of [...closers, () => queues.close(), () => db.$disconnect(), () => closeSandbox()]) await close();
    })());

  const overrides = Object.values(API_URL_VARIABLES).filter((name) => env[name]);
  const redirected = overrides.length ? `; ${overrides.join(', ')} redirect${overrides.length === 1 ? 's' : ''} every store's calls to that helpdesk` : '';

  try {
    if (config.sandbox.url) {
      const { url, sandbox } = await startOrFindSandbox(config.sandbox.port);
      if (sandbox) closeSandbox = () => sandbox.close();
      demo = await ensureDemoStore(db, config, secretsFile);
      const why = config.sandbox.mode === 'on' ? 'SANDBOX=on' : 'no configuration given';
      say(
        `${why}: the local sandbox at ${url}/ serves sandbox stores (open it to see their messages and tickets); every other store calls its real helpdesk${redirected}`,
      );
      say(`demo store ${demo.id}${demo.created ? ' created' : demo.keyIssued ? ': new key issued' : ''}; its API key is DEMO_STORE_KEY in ${secretsFile}`);
    } else {
      say(
        `sandbox off (SANDBOX=${config.sandbox.mode}${config.sandbox.mode === 'auto' ? ' and the service is configured' : ''}): every store calls its real helpdesk${redirected}`,
      );
    }

    const compilerMs = await loadQueryCompiler(db);
    say(`Prisma's query compiler loaded in ${Math.round(compilerMs)} ms`);
    // Everything is imported now; before the detector's warm-up compiles the hot code.
    restoreFastPrototypes();
    let api: { listen(): Promise<void> } | undefined;
    if (runsApi) {
      // Imported only where the API runs: a worker process need not build the detector's tables (~17 MB
      // of heap that every major GC would walk) nor load the routes.
      const [{ buildApp }, { warmUpDetector, warmUpStatements }] = await Promise.all([import('./app.ts'), import('./escalations/warm-up.ts')]);
      const app = await buildApp({ config, db, queues });
      let listening = false;
      // SIGTERM: /ready turns 503 at once, requests are still served for SHUTDOWN_DRAIN_MS, then the listener closes.
      closers.unshift(() => (listening ? app.ctx.drain.drainAndClose(app, config.shutdownDrainMs) : app.close()));
      // Before listening: the first requests would otherwise run the detector unoptimised, and open
      // the Postgres sessions and plan the statements they write with. After importing and building the
      // app: its plugins' set-up changed shapes the detector's compiled code depended on, which V8 then
      // threw away.
      restoreFastPrototypes();
      const warmUpMs = warmUpDetector();
      await warmUpStatements(app.sql).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'Postgres warm-up failed; starting without it'));
      api = {
        async listen() {
          await app.listen({ port: config.port, host: config.host });
          listening = true;
          say(
            `API on ${config.publicUrl} (docs ${config.publicUrl}/docs, admin key: ${local.fromFile?.includes('ADMIN_API_KEY') ? `ADMIN_API_KEY in ${local.file}` : 'ADMIN_API_KEY'}; detector warmed up in ${Math.round(warmUpMs)} ms)`,
          );
        },
      };
    }
    if (runsWorker) {
      const workers = buildWorkers({ config, db, queues, log, run: { deliveries: false } });
      closers.push(() => workers.close());
      // The deliveries take work once their Postgres sessions and Redis scripts are ready (src/delivery/warm-up.ts).
      const deliveriesWarmUpMs = await workers.warmUpAndStartDeliveries();
      say(
        `workers started (delivery warm-up ${Math.round(deliveriesWarmUpMs)} ms): deliveries (${INTEGRATION_TYPES.map((t) => integrations[t].label).join(', ')}), SLA alerts, outbox sweeper`,
      );
      if (!runsApi) {
        // The API serves these itself; a worker-only process needs its own for the healthcheck and the scraper.
        let draining = false;
        const server = await buildWorkerServer({ db, queues, log, draining: () => draining });
        const unwatch = watchDeliveryQueues(queues);
        await server.listen({ port: config.port, host: config.host });
        // On SIGTERM /ready turns 503 at once; /health and /metrics answer until the jobs in flight are done.
        closers.unshift(async () => {
          draining = true;
        });
        closers.push(async () => {
          unwatch();
          await server.close();
        });
        say(`worker health and metrics on http://${config.host}:${config.port} (/health, /ready, /metrics)`);
      }
    }
    restoreFastPrototypes(); // again: a module imported while the API or the workers were built may have slowed one
    // The API listens last, once everything it starts with is running: a process that answers /ready is
    // whole, and nothing awaited is left between listening and the caller's signal handlers (start() returns).
    await api?.listen();
  } catch (err) {
    // Leave nothing running behind a failed start (a test process would hang on it).
    await closeAll().catch(() => {});
    throw err;
  }
  return { config, demo, close: closeAll };
}

/** `[reva] …` lines as info lines of the logger (JSON, or pretty on a terminal with pino-pretty installed). */
function startupLines(level: string) {
  const log = lifecycleLogger(level);
  return (line: string) => log.info(`[reva] ${line}`);
}

/**
 * Start-up and shutdown lines are written at any level but silent (as they were before they went
 * through pino): an operator who asks for warnings only still sees where the service listens.
 */
function lifecycleLogger(level: string): Logger {
  return createLogger(level === 'silent' ? 'silent' : 'info');
}

/** True when this file is the program (node dist/main.js, tsx src/main.ts), not imported by a test. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Before the configuration is known: the level the operator asked for, if any.
  const earlyLogger = () => lifecycleLogger(definedEnv(process.env).LOG_LEVEL ?? 'info');
  let early = earlyLogger();
  try {
    // The process environment wins over .env.
    if (loadDotEnv()) {
      early = earlyLogger();
      early.info('[reva] read settings from .env (variables set in the environment win)');
    }
    const service = await start(process.env);
    const log = lifecycleLogger(service.config.logLevel);
    closeWithGrace({ delay: service.config.shutdownDrainMs + SHUTDOWN_TIMEOUT_MS }, async ({ err, signal }) => {
      if (err) log.error({ err }, '[reva] shutting down after an error');
      else log.info(`[reva] ${signal ?? 'close'} received: finishing in-flight work`);
      await service.close();
    });
  } catch (err) {
    if (err instanceof ConfigError) early.fatal(`[reva] ${err.message}`);
    else early.fatal({ err }, '[reva] failed to start');
    // pino writes synchronously to stdout unless a transport (pino-pretty) is in use; give one a moment.
    setTimeout(() => process.exit(1), 50);
  }
}
