import closeWithGrace from 'close-with-grace';
import { ConfigError, LOCAL_SECRETS_FILE, loadConfig, withLocalSecrets, type Config } from './config.ts';
import pino from 'pino';
import { buildApp, REDACTED_PATHS } from './app.ts';
import { createDb } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { DeliveryQueues } from './delivery/queues.ts';
import { OutboxSweeper } from './delivery/sweeper.ts';
import { DeliveryWorkers } from './delivery/worker.ts';
import { ensureDemoStore, needsSandbox, sandboxConfig, startOrFindSandbox } from './demo.ts';
import { StoreDirectory } from './stores/store-directory.ts';
import { Lifecycle } from './escalations/lifecycle.ts';
import { SlaWorker } from './sla/worker.ts';

const say = (line: string) => console.log(`[reva] ${line}`);

function readConfig(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function main() {
  const local = withLocalSecrets(process.env);
  let config = readConfig(local.env);
  if (local.fromFile?.length) say(`${local.fromFile.join(' and ')} not set: using the generated value(s) in ${local.file}`);

  const { created, applied } = await migrateDatabase(config.databaseUrl);
  say(`${created ? 'created the database; ' : ''}${applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema up to date'}`);

  const closers: (() => Promise<void>)[] = [];
  let closeSandbox = async () => {};
  const runsApi = config.role !== 'worker';
  const runsWorker = config.role !== 'api';
  const db = createDb(config.databaseUrl, config.db);
  const queues = new DeliveryQueues(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs });

  if (needsSandbox(process.env)) {
    const { url, sandbox } = await startOrFindSandbox();
    if (sandbox) closeSandbox = () => sandbox.close();
    config = sandboxConfig(config, url);
    const demo = await ensureDemoStore(db, config, LOCAL_SECRETS_FILE);
    say(`no helpdesk credentials configured: Slack, Zendesk and Freshdesk calls go to the local sandbox at ${url}/ (open it to see messages and tickets)`);
    say(`demo store ${demo.id}${demo.created ? ' created' : ''}; its API key is DEMO_STORE_KEY in ${LOCAL_SECRETS_FILE}`);
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
    const workers = new DeliveryWorkers(config, db, new StoreDirectory(db, config.encryptionKey), log);
    const sweeper = new OutboxSweeper(db, queues, log);
    const sla = new SlaWorker(workers.connection, db, new Lifecycle(db, queues, log), log);
    workers.start();
    sla.start();
    sweeper.start();
    closers.push(() => sweeper.stop(), () => sla.close(), () => workers.close(), async () => workers.disconnect());
    say('workers started: deliveries (Slack, Zendesk, Freshdesk, webhook), SLA alerts, outbox sweeper');
  }
  closers.push(() => queues.close(), () => db.$disconnect(), () => closeSandbox());

  closeWithGrace({ delay: config.shutdownDrainMs + 25_000 }, async ({ err, signal }) => {
    if (err) console.error('[reva] shutting down after an error:', err);
    else say(`${signal ?? 'close'} received: finishing in-flight work`);
    for (const close of closers) await close();
  });
}

main().catch((err) => {
  console.error('[reva] failed to start:', err);
  process.exit(1);
});
