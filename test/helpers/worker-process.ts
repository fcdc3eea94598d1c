// A delivery worker in its own process (test/helpers/pipeline.ts startWorkerProcess), so a test can
// kill it with SIGKILL in the middle of a helpdesk call, like a crashed or OOM-killed worker.
import pino from 'pino';
import { createDb } from '../../src/db/client.ts';
import { DeliveryWorkers } from '../../src/delivery/worker.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { testConfig } from './app.ts';

const config = testConfig(JSON.parse(process.env.PIPELINE_ENV ?? '{}') as Record<string, string>);
const db = createDb(config.databaseUrl, 2);
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const workers = new DeliveryWorkers(config, db, new StoreDirectory(db, config.encryptionKey, 0), log, JSON.parse(process.env.PIPELINE_WORKER_OPTIONS ?? '{}'));
workers.start();
// The test process holds our stdin: when it dies, so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
await workers.waitUntilReady();
console.log('worker ready');
