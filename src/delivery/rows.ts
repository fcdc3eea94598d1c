// The delivery worker's statements, in plain pg (a Prisma round trip costs about twice the CPU of the
// same one through pg, and the worker made 7–9 of them per delivery). A first attempt is at most:
// claim (read + attempts), the adapter's progress marks (src/integrations/*: only the marks that
// exactly-once needs), and one statement recording DELIVERED with its `delivered` event.
import type { SqlPool } from '../db/sql.ts';
import type { Escalation, EscalationIntegration } from '../generated/prisma/client.ts';
import { head } from '../text/code-points.ts';

export type DeliveryRow = EscalationIntegration & { escalation: Escalation };

// Prisma's DateTime columns are timestamp(3) without time zone holding UTC; jsonb renders them
// without a zone, so they are read back as UTC here and written as UTC below.
const ESCALATION_DATES = [
  'assignedAt',
  'resolvedAt',
  'closedAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstResponseBreachedAt',
  'resolutionBreachedAt',
  'firstResponseWarnAt',
  'resolutionWarnAt',
  'expectedFirstResponseAt',
  'createdAt',
  'updatedAt',
] as const;
const DELIVERY_DATES = ['reconcileAfter', 'deliveredAt', 'createdAt', 'updatedAt'] as const;
// Truncated, not rounded up by the timestamp(3) columns: a row is never stamped later than the clock reads.
const NOW_UTC = `date_trunc('milliseconds', now() AT TIME ZONE 'UTC')`;

function utcDates<T extends Record<string, unknown>>(row: T, fields: readonly string[]): T {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'string') (row as Record<string, unknown>)[f] = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  }
  return row;
}

function toDeliveryRow(d: Record<string, unknown>, e: Record<string, unknown>): DeliveryRow {
  const delivery = utcDates(d, DELIVERY_DATES) as unknown as DeliveryRow;
  delivery.syncedEventId = BigInt(d.syncedEventId as string);
  delivery.escalation = utcDates(e, ESCALATION_DATES) as unknown as Escalation;
  return delivery;
}

/**
 * The PENDING ones among these deliveries, each with its case, counting this attempt: one statement
 * for a whole case. `updatedAt` moves too, so the outbox sweeper leaves a delivery being tried alone.
 */
export async function claimForCreate(sql: SqlPool, ids: string[]): Promise<DeliveryRow[]> {
  const { rows } = await sql.query<{ d: Record<string, unknown>; e: Record<string, unknown> }>(
    `WITH d AS (
       UPDATE escalation_integrations SET attempts = attempts + 1, "updatedAt" = ${NOW_UTC}
       WHERE id = ANY($1::uuid[]) AND status = 'PENDING'
       RETURNING *
     )
     SELECT to_jsonb(d) || jsonb_build_object('syncedEventId', d."syncedEventId"::text) AS d, to_jsonb(e) - 'searchVector' AS e
     FROM d JOIN escalations e ON e.id = d."escalationId"`,
    [ids],
  );
  return rows.map((r) => toDeliveryRow(r.d, r.e));
}

/** An attempt that never reached the helpdesk (it waits for an earlier request, or another run has it). */
export async function giveBackAttempt(sql: SqlPool, id: string): Promise<void> {
  await sql.query(`UPDATE escalation_integrations SET attempts = greatest(attempts - 1, 0) WHERE id = $1::uuid`, [id]);
}

/** Compare-and-set of the adapter state: false when another run saved first. */
export async function saveMetadata(sql: SqlPool, id: string, expected: unknown, metadata: unknown): Promise<boolean> {
  const { rowCount } = await sql.query(
    `UPDATE escalation_integrations SET metadata = $2::jsonb, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid AND metadata = $3::jsonb`,
    [id, JSON.stringify(metadata), JSON.stringify(expected ?? {})],
  );
  return rowCount === 1;
}

/** Moves reconcileAfter to `at` unless it is already later. */
export async function bookReconcile(sql: SqlPool, id: string, at: Date): Promise<void> {
  await sql.query(
    `UPDATE escalation_integrations SET "reconcileAfter" = GREATEST(coalesce("reconcileAfter", $2::timestamp), $2::timestamp) WHERE id = $1::uuid`,
    [id, utc(at)],
  );
}

export interface Delivered {
  externalId: string;
  externalUrl: string | null;
  metadata: unknown;
}

/**
 * DELIVERED and its `delivered` event, in one statement (hence one transaction). False when another
 * run of the same delivery recorded it first: only once.
 */
export async function recordDelivered(sql: SqlPool, d: DeliveryRow, result: Delivered): Promise<boolean> {
  const { rowCount } = await sql.query(
    `WITH u AS (
       UPDATE escalation_integrations
       SET status = 'DELIVERED', "externalId" = $2, "externalUrl" = $3, metadata = $4::jsonb, "lastError" = NULL,
           "deliveredAt" = ${NOW_UTC}, "updatedAt" = ${NOW_UTC}
       WHERE id = $1::uuid AND status IN ('PENDING', 'FAILED')
       RETURNING "escalationId", type, attempts
     )
     INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
     SELECT "escalationId", 'delivered', lower(type::text),
       jsonb_build_object('integration', type::text, 'externalId', $2::text, 'externalUrl', $3::text, 'attempts', attempts), ${NOW_UTC}
     FROM u`,
    [d.id, result.externalId, result.externalUrl, JSON.stringify(result.metadata ?? {})],
  );
  return rowCount === 1;
}

/** The error of a failed attempt; the last one (`final`) also makes it FAILED with a `delivery_failed` event. */
export async function recordFailure(sql: SqlPool, d: DeliveryRow, message: string, final: boolean): Promise<void> {
  const error = head(message, 2000);
  if (!final) {
    await sql.query(`UPDATE escalation_integrations SET "lastError" = $2, "updatedAt" = ${NOW_UTC} WHERE id = $1::uuid AND status = 'PENDING'`, [d.id, error]);
    return;
  }
  await sql.query(
    `WITH u AS (
       UPDATE escalation_integrations SET "lastError" = $2, status = 'FAILED', "updatedAt" = ${NOW_UTC}
       WHERE id = $1::uuid AND status = 'PENDING'
       RETURNING "escalationId", type, attempts
     )
     INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
     SELECT "escalationId", 'delivery_failed', lower(type::text),
       jsonb_build_object('integration', type::text, 'error', $2::text, 'attempts', attempts), ${NOW_UTC}
     FROM u`,
    [d.id, error],
  );
}

const utc = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
