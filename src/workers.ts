// The worker side of the object graph, built once: the delivery workers, the SLA worker and the outbox
// sweeper, wired to the same Postgres and queues. src/main.ts and the tests (test/helpers/pipeline.ts)
// both build it here.
import type { FastifyBaseLogger } from 'fastify';
import { AnalyticsRollups } from './analytics/rollups.ts';
import type { Config } from './config-shape.ts';
import type { Db } from './db/client.ts';
import type { DeliveryQueues } from './delivery/queues.ts';
import { OutboxSweeper } from './delivery/sweeper.ts';
import { DeliveryWorkers, type WorkerOptions } from './delivery/worker.ts';
import { createAsyncCommitPool, createDeliveryPool } from './delivery/pool.ts';
import { Lifecycle } from './escalations/lifecycle.ts';
import { closeRateLimits } from './integrations/rate-limits.ts';
import { SlaWorker, type SlaWorkerOptions } from './sla/worker.ts';
import { StoreDirectory } from './stores/store-directory.ts';

export interface WorkerDeps {
  config: Config;
  db: Db;
  /** The producers: the sweeper and the SLA worker enqueue through them. */
  queues: DeliveryQueues;
  log: FastifyBaseLogger;
  /** Default: a directory with the usual cache. */
  stores?: StoreDirectory;
  delivery?: Partial<WorkerOptions>;
  sweep?: { intervalMs?: number; minAgeMs?: number };
  sla?: Partial<SlaWorkerOptions>;
  /** Which parts to run (default all): a test may start the delivery workers itself, or only them. */
  run?: { deliveries?: boolean; sla?: boolean; sweeper?: boolean; analytics?: boolean };
}

export interface Workers {
  /** Undefined while stopped (run.deliveries false, or after stopDeliveries()). */
  readonly deliveries: DeliveryWorkers | undefined;
  readonly sla: SlaWorker;
  readonly sweeper: OutboxSweeper;
  /** Starts (again) the delivery workers. */
  startDeliveries(): DeliveryWorkers;
  /**
   * Starts the delivery workers once warm (DeliveryWorkers.warmUp: sessions open, statements prepared),
   * as a process does at its start; resolves with the warm-up's milliseconds. A failed warm-up is
   * logged and the workers start anyway: each path opens what it needs when it runs.
   */
  warmUpAndStartDeliveries(): Promise<number>;
  /** Closes the delivery workers (jobs they hold finish first). */
  stopDeliveries(): Promise<void>;
  /** Stops everything, in order: no new sweeps, then the workers, then their connections. */
  close(): Promise<void>;
}

/** Builds and starts the workers. */
export function buildWorkers(deps: WorkerDeps): Workers {
  const { config, db, queues, log } = deps;
  const run = { deliveries: true, sla: true, sweeper: true, analytics: true, ...deps.run };
  // One plain pg pool for the delivery workers, the SLA poll and store reads (unless the caller brings the workers' own).
  const sql = deps.delivery?.sql ?? createDeliveryPool(config.databaseUrl, config.db);
  // And one for the delivery writes that need not wait for their WAL flush (claims, DELIVERED records).
  const asyncCommitSql = deps.delivery?.asyncCommitSql ?? (deps.delivery?.sql ? sql : createAsyncCommitPool(config.databaseUrl, config.db));
  const stores = deps.stores ?? new StoreDirectory(db, config.encryptionKey, undefined, sql);
  let sqlEnded = false;
  const sla = new SlaWorker(db, new Lifecycle(db, queues, log), log, { sql, ...deps.sla });
  const sweeper = new OutboxSweeper(db, queues, log, deps.sweep?.intervalMs, deps.sweep?.minAgeMs);
  // Folds finished days of analytics (src/analytics/rollups.ts); one process at a time does the work.
  const analytics = new AnalyticsRollups(db, log);
  let deliveries: DeliveryWorkers | undefined;
  const newDeliveries = () => new DeliveryWorkers(config, db, stores, log, { sql, asyncCommitSql, attempts: queues.attempts, ...deps.delivery });

  const workers: Workers = {
    get deliveries() {
      return deliveries;
    },
    sla,
    sweeper,
    startDeliveries() {
      deliveries = newDeliveries();
      deliveries.start();
      return deliveries;
    },
    async warmUpAndStartDeliveries() {
      const next = newDeliveries();
      const started = performance.now();
      await next.warmUp().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'delivery warm-up failed; starting without it'));
      deliveries = next;
      next.start();
      return performance.now() - started;
    },
    async stopDeliveries() {
      const running = deliveries;
      deliveries = undefined;
      await running?.close();
      running?.disconnect();
    },
    async close() {
      // Each step runs even if an earlier one failed.
      const steps = [
        () => sweeper.stop(),
        () => analytics.stop(),
        () => sla.close(),
        () => workers.stopDeliveries(),
        () => closeRateLimits(config.redisUrl),
        async () => {
          if (sql === deps.delivery?.sql || sqlEnded) return;
          sqlEnded = true;
          await sql.end();
          if (asyncCommitSql !== sql && asyncCommitSql !== deps.delivery?.asyncCommitSql) await asyncCommitSql.end();
        },
      ];
      const errors: unknown[] = [];
      for (const step of steps) await step().catch((err: unknown) => errors.push(err));
      if (errors.length) throw errors[0];
    },
  };
  if (run.deliveries) workers.startDeliveries();
  if (run.sla) sla.start();
  if (run.sweeper) sweeper.start();
  if (run.analytics) analytics.start();
  return workers;
}
