import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import {
  ConfigError,
  definedEnv,
  isZeroConfiguration,
  LOCAL_SECRETS_FILE,
  loadConfig,
  withLocalSecrets,
  withSandbox,
  type Config,
} from './config.ts';
import pino from 'pino';
import { buildApp, REDACTED_PATHS } from './app.ts';
import { createDb } from './db/client.ts';
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
  /** The `[reva]` start-up lines. */
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
  const say = options.say ?? ((line: string) => console.log(`[reva] ${line}`));
  const secretsFile = options.secretsFile ?? LOCAL_SECRETS_FILE;
  const env = definedEnv(rawEnv);
  const local = withLocalSecrets(env, secretsFile);
  let config = loadConfig(local.env);
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
      say(`${why}: the local sandbox at ${url}/ serves sandbox stores (open it to see their messages and tickets); every other store calls its real helpdesk${redirected}`);
      say(`demo store ${demo.id}${demo.created ? ' created' : demo.keyIssued ? ': new key issued' : ''}; its API key is DEMO_STORE_KEY in ${secretsFile}`);
    } else {
      say(`sandbox off (SANDBOX=${config.sandbox.mode}${config.sandbox.mode === 'auto' ? ' and the service is configured' : ''}): every store calls its real helpdesk${redirected}`);
    }

    if (runsApi) {
      const app = await buildApp({ config, db, queues });
      await app.listen({ port: config.port, host: config.host });
      // SIGTERM: /ready turns 503 at once, requests are still served for SHUTDOWN_DRAIN_MS, then the listener closes.
      closers.unshift(() => app.ctx.drain.drainAndClose(app, config.shutdownDrainMs));
      say(`API on ${config.publicUrl} (docs ${config.publicUrl}/docs, admin key: ${local.fromFile?.includes('ADMIN_API_KEY') ? `ADMIN_API_KEY in ${local.file}` : 'ADMIN_API_KEY'})`);
    }
    if (runsWorker) {
      const log = pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
      const workers = buildWorkers({ config, db, queues, log });
      closers.push(() => workers.close());
      say(`workers started: deliveries (${INTEGRATION_TYPES.map((t) => integrations[t].label).join(', ')}), SLA alerts, outbox sweeper`);
    }
  } catch (err) {
    // Leave nothing running behind a failed start (a test process would hang on it).
    await closeAll().catch(() => {});
    throw err;
  }
  return { config, demo, close: closeAll };
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
  try {
    const service = await start(process.env);
    closeWithGrace({ delay: service.config.shutdownDrainMs + SHUTDOWN_TIMEOUT_MS }, async ({ err, signal }) => {
      if (err) console.error('[reva] shutting down after an error:', err);
      else console.log(`[reva] ${signal ?? 'close'} received: finishing in-flight work`);
      await service.close();
    });
  } catch (err) {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('[reva] failed to start:', err);
    process.exit(1);
  }
}
