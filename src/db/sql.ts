import pg from 'pg';
import type { DbOptions } from '../config-shape.ts';

export type SqlPool = pg.Pool;

/**
 * The time now as Prisma's DateTime columns hold it (timestamp(3) without time zone, UTC), truncated,
 * not rounded up by the column: a row is never stamped later than the clock reads.
 */
export const NOW_UTC = `date_trunc('milliseconds', now() AT TIME ZONE 'UTC')`;

/** The defaults of src/config.ts, for callers (scripts, tests) that pass no options. */
export const DEFAULT_DB_OPTIONS: DbOptions = { poolSize: 10, connectTimeoutMs: 3000, statementTimeoutMs: 10_000, queryTimeoutMs: 12_000 };

/** A session left idle inside a transaction (its client stalled or died) holds its locks no longer than this. */
const IDLE_IN_TRANSACTION_MS = 60_000;

/**
 * A pooled connection left idle is closed after this long (pg-pool's default is 10 s). A new one costs
 * Postgres a forked backend that fills its caches again (~15 ms of CPU and ~700 page faults, measured
 * on this machine) and the client a new plan for each named statement; with 10 s, a steady load of
 * 50 cases/s had its bursts open ~25 connections a minute that the next lull closed again.
 */
export const POOL_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Reads the options as given: a number is the pool size (the older signature). */
export function dbOptions(options: Partial<DbOptions> | number = {}): DbOptions {
  return { ...DEFAULT_DB_OPTIONS, ...(typeof options === 'number' ? { poolSize: options } : options) };
}

/**
 * How a pool's sessions plan named statements and the foreign-key checks of their writes (the
 * checks are cached SPI plans, planned like named statements).
 * - `per-run`: planned on every run. A generic plan cached while a table was empty (a fresh install,
 *   or autovacuum off) kept a sequential scan of escalation_integrations for every claim and marker
 *   save after the table had grown (the bench's accept run: 38,662 scans reading 81M rows, Postgres
 *   10.7 ms CPU per case).
 * - `cached-index-only`: Postgres's default plan cache (a generic plan after five runs), with
 *   sequential scans ruled out, so a plan cached while a table was tiny is still an index scan once it
 *   has grown. Only for pools whose statements all find their rows by an index (the API's request
 *   path): re-planning the insert of a batch of cases and its three foreign-key checks per case cost
 *   Postgres a third of its CPU per case.
 */
export type PlanMode = 'per-run' | 'cached-index-only' | 'generic-index-only';

const PLAN_OPTIONS: Record<PlanMode, string> = {
  'per-run': '-c plan_cache_mode=force_custom_plan',
  'cached-index-only': '-c enable_seqscan=off',
  // planned once per connection, without sequential scans: the delivery worker's pool (delivery/pool.ts)
  'generic-index-only': '-c plan_cache_mode=force_generic_plan -c enable_seqscan=off',
};

/**
 * When a pool's commits return:
 * - `durable`: once the commit is flushed to the WAL on disk (Postgres's default).
 * - `async`: at once (synchronous_commit=off); the flush follows within a few hundred milliseconds, or
 *   with the next durable commit of anyone (the WAL is one sequence). Only for writes whose loss in a
 *   Postgres crash a retry repairs (src/delivery/pool.ts); what another session reads is the same.
 */
export type CommitMode = 'durable' | 'async';

export const ASYNC_COMMIT_APPLICATION_NAME = 'reva-async-commit';

/**
 * pg pool settings with every wait bounded: connecting and waiting for a pooled connection
 * (connectionTimeoutMillis), a statement on the server (statement_timeout) and an answer that never
 * comes (query_timeout: pg-pool then drops the connection, so a stalled socket does not come back).
 */
export function poolConfig(
  databaseUrl: string,
  options: Partial<DbOptions> | number = {},
  plans: PlanMode = 'per-run',
  commits: CommitMode = 'durable',
): pg.PoolConfig {
  const o = dbOptions(options);
  return {
    connectionString: databaseUrl,
    max: o.poolSize,
    connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    query_timeout: o.queryTimeoutMs,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    // Idle connections do not keep a process alive that has nothing else to do (a script, a test).
    allowExitOnIdle: true,
    options: commits === 'async' ? `${PLAN_OPTIONS[plans]} -c synchronous_commit=off` : PLAN_OPTIONS[plans],
    // Its sessions are told apart in pg_stat_activity.
    ...(commits === 'async' ? { application_name: ASYNC_COMMIT_APPLICATION_NAME } : {}),
    keepAlive: true,
  };
}

/**
 * A plain pg pool for the two statements of the POST /escalate hot path: a Prisma raw query costs
 * about 1.7× the time of the same query through pg (notes/prisma-offline.md; bench/run.ts).
 */
export function createSqlPool(
  databaseUrl: string,
  options: Partial<DbOptions> | number = {},
  plans: PlanMode = 'per-run',
  commits: CommitMode = 'durable',
): SqlPool {
  const pool = new pg.Pool(poolConfig(databaseUrl, options, plans, commits));
  pool.on('error', () => {}); // an idle client's error; the next query reports it
  return pool;
}
