import type { SqlPool } from './sql.ts';

/** A statement of the hot path run with nothing to do (no rows in, none written): it only gets parsed and planned. */
export type EmptyRun = (sql: SqlPool) => Promise<unknown>;

/**
 * Opens `sessions` connections of the pool before any work arrives and prepares each named statement
 * on every one of them, so that the first requests after a start neither wait for a backend to be
 * forked and fill its caches (~15 ms of Postgres CPU each, see POOL_IDLE_TIMEOUT_MS) nor plan their
 * statement cold. Each statement runs `sessions` times at once: a pool hands concurrent queries
 * distinct connections, its idle ones first, so every session gets every statement.
 */
export async function warmUpPool(pool: SqlPool, sessions: number, statements: EmptyRun[]): Promise<void> {
  const n = Math.max(1, Math.min(sessions, pool.options.max ?? sessions));
  for (const run of statements) await Promise.all(Array.from({ length: n }, () => run(pool)));
}
