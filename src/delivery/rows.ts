// The delivery worker's statements, in plain pg (a Prisma round trip costs about twice the CPU of the
// same one through pg, and the worker made 7–9 of them per delivery). A first attempt is at most:
// claim (read + attempts), the adapter's progress marks (src/integrations/*: only the marks that
// exactly-once needs), and one statement recording DELIVERED with its `delivered` event. The marks
// and the records of deliveries in flight together share statements (src/delivery/write-batch.ts).
// Each statement is named, so Postgres parses and plans it once per connection (the claim's planning
// cost about as much as running it).
import { NOW_UTC, type SqlPool } from '../db/sql.ts';
import type { Escalation, EscalationIntegration } from '../generated/prisma/client.ts';
import { head } from '../text/code-points.ts';
import { escalationFromJson, utcDates } from '../cases/escalation-row.ts';

export type DeliveryRow = EscalationIntegration & {
  escalation: Escalation;
  /** The store as read with the claim (its secrets still sealed); absent on the other paths. */
  storeRow?: StoreRow;
};

/** A store's row as the claim reads it. */
export interface StoreRow {
  id: string;
  name: string;
  sandbox: boolean;
  config: unknown;
  secrets: string | null;
  updatedAt: Date;
}

// Prisma's DateTime columns are timestamp(3) without time zone holding UTC (src/cases/escalation-row.ts).
const DELIVERY_DATES = ['reconcileAfter', 'leaseUntil', 'deliveredAt', 'createdAt', 'updatedAt'] as const;

function toDeliveryRow(d: Record<string, unknown>, escalation: Escalation, store: StoreRow | undefined): DeliveryRow {
  const delivery = utcDates(d, DELIVERY_DATES) as unknown as DeliveryRow;
  delivery.syncedEventId = BigInt(d.syncedEventId as string);
  delivery.escalation = escalation;
  if (store) delivery.storeRow = store;
  return delivery;
}

/**
 * The PENDING ones among these deliveries, each with its case and store, counting this attempt: one
 * statement for a whole case (the store as it is now, not a cached copy, and no read of its own).
 * Deliveries of one case share one case object (read, sent and parsed once), so what is rendered from
 * it once serves them all (src/integrations/render.ts). No indexed column changes (a HOT update; see
 * the delivery_updates_hot migration). The status is compared as text so that the rows are found by
 * their ids alone: on the status index the planner ANDed in every PENDING entry, live or dead, 4 ms a
 * claim after a few thousand cases.
 * A job's claim marks the row as no longer the relay's to take (an epoch lease, src/delivery/relay.ts).
 */
export function claimForCreate(sql: SqlPool, ids: string[]): Promise<DeliveryRow[]> {
  return claim(sql, 'delivery-claim', `"leaseUntil" = coalesce("leaseUntil", 'epoch')`, '', [ids]);
}

/**
 * The relay's claim (src/delivery/relay.ts): only deliveries no one has taken yet (no lease), which it
 * leases for `leaseMs`; a delivery announced to several workers is taken by one of them.
 */
export function claimForRelay(sql: SqlPool, ids: string[], leaseMs: number): Promise<DeliveryRow[]> {
  return claim(sql, 'delivery-claim-relay', `"leaseUntil" = ${NOW_UTC} + $2::int * interval '1 millisecond'`, `AND "leaseUntil" IS NULL`, [ids, leaseMs]);
}

async function claim(sql: SqlPool, name: string, lease: string, condition: string, values: unknown[]): Promise<DeliveryRow[]> {
  const { rows } = await sql.query<{ d: Record<string, unknown>; e: Record<string, unknown> | null; s: Record<string, unknown> | null }>({
    name,
    text: `WITH d AS (
       UPDATE escalation_integrations SET attempts = attempts + 1, "updatedAt" = ${NOW_UTC}, ${lease}
       WHERE id = ANY($1::uuid[]) AND status::text = 'PENDING' ${condition}
       RETURNING *
     ), r AS (
       SELECT d.*, row_number() OVER (PARTITION BY d."escalationId") AS nth FROM d
     )
     SELECT to_jsonb(r) - 'nth' || jsonb_build_object('syncedEventId', r."syncedEventId"::text) AS d,
       CASE WHEN r.nth = 1 THEN to_jsonb(e) - 'searchVector' END AS e,
       CASE WHEN r.nth = 1 AND s.id IS NOT NULL THEN
         jsonb_build_object('id', s.id, 'name', s.name, 'sandbox', s.sandbox, 'config', s.config, 'secrets', s.secrets, 'updatedAt', s."updatedAt")
       END AS s
     FROM r JOIN escalations e ON e.id = r."escalationId" LEFT JOIN stores s ON s.id = r."storeId"`,
    values,
  });
  const cases = new Map<string, { e: Record<string, unknown>; s: Record<string, unknown> | null }>();
  for (const r of rows) if (r.e) cases.set(r.d.escalationId as string, { e: r.e, s: r.s });
  const shared = new Map<string, { escalation: Escalation; store: StoreRow | undefined }>();
  return rows.map((r) => {
    const id = r.d.escalationId as string;
    let one = shared.get(id);
    if (!one) {
      const { e, s } = cases.get(id)!;
      one = { escalation: escalationFromJson(e), store: s ? (utcDates(s, ['updatedAt']) as unknown as StoreRow) : undefined };
      shared.set(id, one);
    }
    return toDeliveryRow(r.d, one.escalation, one.store);
  });
}

/** Deliveries whose relay attempt is still running: their lease goes on for another `leaseMs`. */
export async function extendLeases(sql: SqlPool, ids: string[], leaseMs: number): Promise<void> {
  await sql.query({
    name: 'delivery-extend-leases',
    text: `UPDATE escalation_integrations SET "leaseUntil" = ${NOW_UTC} + $2::int * interval '1 millisecond'
     WHERE id = ANY($1::uuid[]) AND status::text = 'PENDING'`,
    values: [ids, leaseMs],
  });
}

/**
 * Up to `limit` deliveries that were announced to no relay (its connection was down, or every worker
 * was busy), of these helpdesks (null: all), oldest first: their ids by case and helpdesk, for the
 * relay's lanes to claim like announced ones.
 */
export async function unannounced(sql: SqlPool, limit: number, types: readonly string[] | null): Promise<{ caseId: string; type: string; ids: string[] }[]> {
  const { rows } = await sql.query<{ caseId: string; type: string; ids: string[] }>({
    name: 'delivery-unannounced',
    text: `SELECT "escalationId"::text AS "caseId", type::text AS type, array_agg(id::text) AS ids FROM (
       SELECT id, "escalationId", type, "createdAt" FROM escalation_integrations
       WHERE status = 'PENDING' AND "leaseUntil" IS NULL AND ($2::text[] IS NULL OR type::text = ANY($2::text[]))
       ORDER BY "createdAt" LIMIT $1
     ) p GROUP BY "escalationId", type ORDER BY min("createdAt")`,
    values: [limit, types],
  });
  return rows;
}

/** An attempt that never reached the helpdesk (it waits for an earlier request, or another run has it). */
export async function giveBackAttempt(sql: SqlPool, id: string): Promise<void> {
  await sql.query({
    name: 'delivery-give-back',
    text: `UPDATE escalation_integrations SET attempts = greatest(attempts - 1, 0) WHERE id = $1::uuid`,
    values: [id],
  });
}

export interface MetadataWrite {
  id: string;
  expected: unknown;
  metadata: unknown;
}

// BY_ID: the batch statements find their rows by `id = ANY(ids)`, not only by the join with the JSON
// records: Postgres guesses 100 rows for jsonb_to_recordset, and against a table of a few thousand
// rows (any young deployment) it then chose a hash join over a sequential scan of the whole table
// for every statement (the bench's 50/s run: 2.5–4 ms of Postgres per case for the marks and the
// DELIVERED records until an ANALYZE; 0.2–0.45 ms by the primary key).

/** Compare-and-set of adapter states, several deliveries in one statement: the ids of those saved (not those another run saved first). */
export async function saveMetadataBatch(sql: SqlPool, writes: MetadataWrite[]): Promise<Set<string>> {
  const { rows } = await sql.query<{ id: string }>({
    name: 'delivery-save-metadata',
    text: `UPDATE escalation_integrations t SET metadata = v.m, "updatedAt" = ${NOW_UTC}
     FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, m jsonb, e jsonb)
     WHERE t.id = ANY($2::uuid[]) AND t.id = v.id AND t.metadata = v.e
     RETURNING t.id`,
    // One JSON document, not arrays of JSON texts: an array parameter is quoted element by element by
    // the client and parsed twice by Postgres (array_in, then jsonb_in for each element). The ids
    // again as an array: see BY_ID.
    values: [JSON.stringify(writes.map((w) => ({ id: w.id, m: w.metadata, e: w.expected ?? {} }))), writes.map((w) => w.id)],
  });
  return new Set(rows.map((r) => r.id));
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

export interface DeliveredWrite extends Delivered {
  id: string;
}

/**
 * DELIVERED and its `delivered` event, for several deliveries in one statement (hence one
 * transaction): the ids of those recorded. One left out was recorded first by another run: only once.
 * The status is compared as text, as in the claim: the rows are found by their ids alone.
 */
export async function recordDeliveredBatch(sql: SqlPool, writes: DeliveredWrite[]): Promise<Set<string>> {
  const { rows } = await sql.query<{ id: string }>({
    name: 'delivery-record-delivered',
    text: `WITH u AS (
       UPDATE escalation_integrations t
       SET status = 'DELIVERED', "externalId" = v.ext, "externalUrl" = v.url, metadata = v.m, "lastError" = NULL,
           "deliveredAt" = ${NOW_UTC}, "updatedAt" = ${NOW_UTC}
       FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ext text, url text, m jsonb)
       WHERE t.id = ANY($2::uuid[]) AND t.id = v.id AND t.status::text IN ('PENDING', 'FAILED')
       RETURNING t.id, t."escalationId", t.type, t.attempts, v.ext, v.url
     ), e AS (
       INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
       SELECT "escalationId", 'delivered', lower(type::text),
         jsonb_build_object('integration', type::text, 'externalId', ext, 'externalUrl', url, 'attempts', attempts), ${NOW_UTC}
       FROM u
     )
     SELECT id FROM u`,
    values: [JSON.stringify(writes.map((w) => ({ id: w.id, ext: w.externalId, url: w.externalUrl, m: w.metadata ?? {} }))), writes.map((w) => w.id)],
  });
  return new Set(rows.map((r) => r.id));
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
