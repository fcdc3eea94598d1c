// npm run db:migration -- <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the existing migrations to prisma/schema.prisma. Needs a Postgres server (the
// one of DATABASE_URL) to replay the migrations in a temporary shadow database.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_DATABASE_URL, definedEnv } from '../config.ts';
import { diffSchema, LOCKFILE_CONTENT, LOCKFILE_NAME, migrationsDir, projectRoot } from './migrate.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lowercase letters, digits and _)');
  process.exit(2);
}

const { changed, sql } = await diffSchema(definedEnv(process.env).DATABASE_URL ?? DEFAULT_DATABASE_URL);
if (!changed) {
  console.log('no changes: the migrations already match prisma/schema.prisma');
} else {
  // Prisma's format: UTC YYYYMMDDHHMMSS.
  const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${timestamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql.endsWith('\n') ? sql : `${sql}\n`, { flag: 'wx' });
  const lockfile = path.join(migrationsDir, LOCKFILE_NAME);
  if (!existsSync(lockfile)) await writeFile(lockfile, LOCKFILE_CONTENT);
  console.log(`created ${path.relative(projectRoot, path.join(dir, 'migration.sql'))}`);
}
