// A delivery worker in its own process (test/helpers/pipeline.ts startWorkerProcess), so a test can
// kill it with SIGKILL in the middle of a helpdesk call, like a crashed or OOM-killed worker.
import pino from 'pino';
import { createDb } from '../../src/db/client.ts';
import { DeliveryQueues } from '../../src/delivery/queues.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { buildWorkers } from '../../src/workers.ts';
import { testConfig } from './app.ts';

const config = testConfig(JSON.parse(process.env.PIPELINE_ENV ?? '{}') as Record<string, string>);
const db = createDb(config.databaseUrl, 2);
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// Only delivery workers: the test process runs the SLA worker and the sweeper.
const { deliveries: workers } = buildWorkers({
  config,
  db,
  queues: new DeliveryQueues(config.redisUrl),
  log,
  stores: new StoreDirectory(db, config.encryptionKey, 0),
  delivery: JSON.parse(process.env.PIPELINE_WORKER_OPTIONS ?? '{}'),
  run: { sla: false, sweeper: false },
});
// The test process holds our stdin: when it dies, so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
await workers!.waitUntilReady();
console.log('worker ready');
