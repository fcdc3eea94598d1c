// The worker's plain pg pools (delivery statements, the SLA poll, store reads). Unlike the API's pools
// (src/db/sql.ts, which plan every run of a named statement), their named statements are planned once
// per connection: planning cost Postgres about as much as running them (0.6–0.9 ms for the claim, a
// batch of marker saves or of DELIVERED records, against 0.1–2 ms to run one), and every one of them
// finds its rows through an index whatever the values. The generic plan is made without sequential
// scans, so one made while a table was empty (a fresh install, or autovacuum off) still uses the
// index once the table has grown; a statement that has no index to use still scans.
import type { DbOptions } from '../config-shape.ts';
import { createSqlPool, dbOptions, type SqlPool } from '../db/sql.ts';

export function createDeliveryPool(databaseUrl: string, options: Partial<DbOptions> | number = {}): SqlPool {
  return createSqlPool(databaseUrl, options, 'generic-index-only');
}

/** Connections of the async-commit pool: it serves two batched statements and the relay's lease renewals. */
const ASYNC_COMMIT_POOL_SIZE = 4;

/**
 * The pool for the delivery writes that need not wait for their WAL flush (synchronous_commit=off):
 * claims (an attempt counted, a lease taken) and DELIVERED records. In a Postgres crash the last few
 * hundred milliseconds of them may be lost, and a retry repairs that without a duplicate: every
 * helpdesk request is preceded by a durable marker save (saveProgress), whose commit also flushes the
 * claim before it, so a lost DELIVERED record leaves a PENDING delivery with its marker, and the
 * retry looks for (Slack, Freshdesk, Gorgias) or replays (Zendesk's Idempotency-Key) what was sent
 * instead of sending it again; an outbound webhook goes again with its webhook-id, which receivers
 * deduplicate, as after any retry. A lost claim leaves an attempt uncounted and a lease untaken: the delivery is
 * claimed again. What it saves is a WAL flush (an fsync) per claim and per record: 4.97 → 3.07 flushes
 * per case in the bench's 50/s run. The CPU saved was not measurable above this machine's noise (with
 * every commit async, an experiment, Postgres went from 5.1 to 4.2 ms per case); on a real disk the
 * flushes are latency and IOPS.
 * The marker saves and the case inserts stay durable: they must be on disk before the request they
 * announce, or before the 201.
 */
export function createAsyncCommitPool(databaseUrl: string, options: Partial<DbOptions> | number = {}): SqlPool {
  const o = dbOptions(options);
  return createSqlPool(databaseUrl, { ...o, poolSize: Math.min(o.poolSize, ASYNC_COMMIT_POOL_SIZE) }, 'generic-index-only', 'async');
}
