import { PrismaPg } from '@prisma/adapter-pg';
import type { DbOptions } from '../config-shape.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { poolConfig } from './sql.ts';

export type Db = PrismaClient;

/** Prisma over a pg pool with the same bounded waits as the plain pool (src/db/sql.ts). */
export function createDb(databaseUrl: string, options: Partial<DbOptions> | number = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg(poolConfig(databaseUrl, options)) });
}
