// Postgres, Redis and their health: decorated on the app once, closed in onClose (fastify/demo's
// "external" plugins). What a caller passes in (tests share a db or queues) is left for it to close.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config-shape.ts';
import { createDb, type Db } from '../db/client.ts';
import { createSqlPool, type SqlPool } from '../db/sql.ts';
import { DeliveryQueues } from '../delivery/queues.ts';
import { DEFAULT_MONITOR_OPTIONS, DependencyMonitor, type MonitorOptions } from '../http/dependencies.ts';
import { Drain } from '../http/drain.ts';
import { watchDeliveryQueues } from '../metrics.ts';

export interface InfrastructureOptions {
  config: Config;
  db?: Db;
  queues?: DeliveryQueues;
  /** How Postgres and Redis are probed (/ready, 503 answers). */
  monitor?: Partial<MonitorOptions>;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    /** Plain pg pool of the hot path (POST /escalate). */
    sql: SqlPool;
    queues: DeliveryQueues;
    /** Whether Postgres and Redis answer (for /ready and the 503 answers). */
    dependencies: DependencyMonitor;
    drain: Drain;
  }
}

async function infrastructure(app: FastifyInstance, opts: InfrastructureOptions) {
  const { config } = opts;
  const db = opts.db ?? createDb(config.databaseUrl, config.db);
  const queues = opts.queues ?? new DeliveryQueues(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs });
  // Every statement of the request path finds its rows by an index: its plans can be cached.
  const sql = createSqlPool(config.databaseUrl, config.db, 'cached-index-only');
  // Its own connection: a probe must not wait behind a pool busy with requests. The monitor times the
  // probe itself; the pool's own limits, longer, only drop a connection that stays stalled.
  const probeLimitMs = 2 * (opts.monitor?.probeTimeoutMs ?? DEFAULT_MONITOR_OPTIONS.probeTimeoutMs);
  const probePool = createSqlPool(config.databaseUrl, {
    poolSize: 1,
    connectTimeoutMs: probeLimitMs,
    statementTimeoutMs: probeLimitMs,
    queryTimeoutMs: probeLimitMs,
  });
  const dependencies = new DependencyMonitor(
    {
      database: () => probePool.query('SELECT 1'),
      redis: async () => {
        if (!(await queues.ping())) throw new Error('redis did not answer PING');
      },
    },
    app.log,
    opts.monitor,
  );
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('sql', sql);
  app.decorate('queues', queues);
  app.decorate('dependencies', dependencies);
  app.decorate('drain', new Drain());
  dependencies.start();
  const unwatchQueues = watchDeliveryQueues(queues);
  app.addHook('onClose', async () => {
    unwatchQueues();
    dependencies.stop();
    await probePool.end();
    if (!opts.queues) await queues.close();
    if (!opts.db) await db.$disconnect();
    await sql.end();
  });
}

export default fp(infrastructure, { name: 'infrastructure', fastify: '5.x' });
