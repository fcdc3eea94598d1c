// The worker's plain pg pool (delivery statements, the SLA poll, store reads). Unlike the API's pools
// (src/db/sql.ts, which plan every run of a named statement), its named statements are planned once
// per connection: planning cost Postgres about as much as running them (0.6–0.9 ms for the claim, a
// batch of marker saves or of DELIVERED records, against 0.1–2 ms to run one), and every one of them
// finds its rows through an index whatever the values. The generic plan is made without sequential
// scans, so one made while a table was empty (a fresh install, or autovacuum off) still uses the
// index once the table has grown; a statement that has no index to use still scans.
import type { DbOptions } from '../config-shape.ts';
import { createSqlPool, type SqlPool } from '../db/sql.ts';

export function createDeliveryPool(databaseUrl: string, options: Partial<DbOptions> | number = {}): SqlPool {
  return createSqlPool(databaseUrl, options, 'generic-index-only');
}
