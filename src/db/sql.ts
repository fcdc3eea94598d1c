import pg from 'pg';

export type SqlPool = pg.Pool;

/**
 * A plain pg pool for the two statements of the POST /escalate hot path: a Prisma raw query costs
 * about 1.7× the time of the same query through pg (notes/prisma-offline.md; bench/run.ts).
 */
export function createSqlPool(databaseUrl: string, max = 10): SqlPool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on('error', () => {}); // an idle client's error; the next query reports it
  return pool;
}
