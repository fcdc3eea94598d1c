// npm run db:migrate — applies prisma/migrations to DATABASE_URL.
import { DEFAULT_DATABASE_URL, definedEnv } from '../config.ts';
import { migrateDatabase } from './migrate.ts';

const databaseUrl = definedEnv(process.env).DATABASE_URL ?? DEFAULT_DATABASE_URL;

try {
  const { applied } = await migrateDatabase(databaseUrl, (msg) => console.log(msg));
  if (applied.length === 0) console.log('no pending migrations');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
