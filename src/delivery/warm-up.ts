// A fresh worker's first deliveries were its slowest: on a fresh stack at 50 cases/s the first case
// reached Slack 82 ms after its POST against 9–13 ms for the cases a second later (171–211 ms on a
// slower VM), the relay's claim and the worker's first marker save each opening a Postgres session and
// planning its statement, the rate limiter's first call loading its script, the Slack message's due
// times setting up ICU (its first Intl object: 13 ms by the worker's CPU profile). Before it takes
// work, the worker opens those sessions, prepares its hot statements on each, loads the limiter's
// scripts and formats a due time.
import type { SqlPool } from '../db/sql.ts';
import { warmUpPool } from '../db/warm-up.ts';
import { loadRateLimitScripts } from '../integrations/rate-limits.ts';
import { formatDue } from '../integrations/slack/format.ts';
import { claimForCreate, claimForRelay, extendLeases, recordDeliveredBatch, saveMetadataBatch } from './rows.ts';

/** Sessions opened per pool: the two batched statements of a pool rarely have more than one or two in flight. */
const SESSIONS = 2;

export async function warmUpDeliveries(sql: SqlPool, asyncCommitSql: SqlPool, redisUrl: string): Promise<void> {
  formatDue(new Date(0), null);
  await Promise.all([
    warmUpPool(asyncCommitSql, SESSIONS, [
      (s) => claimForRelay(s, [], 1000),
      (s) => claimForCreate(s, []),
      (s) => recordDeliveredBatch(s, []),
      (s) => extendLeases(s, [], 1000),
    ]),
    warmUpPool(sql, SESSIONS, [(s) => saveMetadataBatch(s, [])]),
    loadRateLimitScripts(redisUrl),
  ]);
}
