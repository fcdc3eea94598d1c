import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSchema, dropDatabase, migrateDatabase, readMigrations, withDatabase } from '../../src/db/migrate.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/reva_escalations_test';
const tempUrls: string[] = [];

function tempDatabaseUrl(): string {
  const url = withDatabase(serverUrl, `reva_migrations_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  tempUrls.push(url);
  return url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const migrationNames = async () => (await readMigrations()).migrationDirectories.map((dir) => dir.path);

afterAll(async () => {
  await Promise.all(tempUrls.map((url) => dropDatabase(url)));
});

describe('database migrations', () => {
  it('apply to a fresh database, and a second run applies nothing', async () => {
    const names = await migrationNames();
    expect(names.length).toBeGreaterThan(0);
    const url = tempDatabaseUrl();

    expect(await migrateDatabase(url)).toEqual({ created: true, applied: names });
    expect(await migrateDatabase(url)).toEqual({ created: false, applied: [] });

    const finished = await query<{ migration_name: string }>(
      url,
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    expect(finished.map((row) => row.migration_name)).toEqual(names);
    // The Unsupported("tsvector") column and its GIN index made it through.
    const [index] = await query<{ indexdef: string }>(url, 'SELECT indexdef FROM pg_indexes WHERE indexname = $1', ['escalations_searchVector_idx']);
    expect(index?.indexdef).toMatch(/USING gin \("searchVector"\)/);
  });

  it('match prisma/schema.prisma (no drift)', async () => {
    // Replays the migrations in a shadow database and diffs it with schema.prisma.
    const { changed, sql } = await diffSchema(serverUrl);
    expect(sql, 'schema.prisma has changes no migration has: npm run db:migration -- <name>').toBe('');
    expect(changed).toBe(false);
  });

  it('apply once when three callers start at the same time', async () => {
    const names = await migrationNames();
    const url = tempDatabaseUrl();

    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.flatMap((r) => r.applied)).toEqual(names);
    expect(results.filter((r) => r.applied.length === 0)).toHaveLength(2);
  });
});
