import { PrismaPg } from '@prisma/adapter-pg';
import type { DbOptions } from '../config-shape.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { poolConfig } from './sql.ts';

export type Db = PrismaClient;

/** Prisma over a pg pool with the same bounded waits as the plain pool (src/db/sql.ts). */
export function createDb(databaseUrl: string, options: Partial<DbOptions> | number = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg(poolConfig(databaseUrl, options)) });
}

/**
 * Prisma loads its query compiler (WebAssembly, about 0.4 s of CPU) on a client's first query. Done at
 * start, so that it is not the first request or the first delivery that waits for it. Returns the ms.
 */
export async function loadQueryCompiler(db: Db): Promise<number> {
  const t0 = performance.now();
  await db.$queryRaw`SELECT 1`;
  return performance.now() - t0;
}
