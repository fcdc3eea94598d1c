// Runs once in vitest's main process before any test file: brings the test database up to date.
// Workers are forked after this, with this process's env, so tests read process.env.DATABASE_URL;
// inject('databaseUrl') gives the same value.
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/reva_escalations_test';

export default async function setup(project: TestProject): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const { applied } = await migrateDatabase(databaseUrl);
  if (applied.length > 0) console.log(`test database: applied ${applied.join(', ')}`);
  process.env.DATABASE_URL = databaseUrl;
  project.provide('databaseUrl', databaseUrl);
}
