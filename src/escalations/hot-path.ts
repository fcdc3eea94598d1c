// The two statements every POST /escalate runs, each a single SQL round trip through plain pg:
// Prisma's nested create and interactive transaction cost several round trips each (see bench/run.ts).
import { randomUUID } from 'node:crypto';
import type { SqlPool } from '../db/sql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Escalation, IntegrationType } from '../generated/prisma/client.ts';
import { slaAlerts } from '../sla/schedule.ts';

interface Evaluated {
  storeId: string;
  channel: string;
  conversationId: string;
}

/**
 * Counts each evaluation unless its conversation has an open case (whose own update counts it);
 * returns that case's id, if any, per item. One statement for the whole batch (see GroupCommit).
 */
export async function countEvaluationsUnlessOpen(sql: SqlPool, items: Evaluated[]): Promise<(string | null)[]> {
  const { rows } = await sql.query<{ n: number; id: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::"Channel"[]) WITH ORDINALITY AS i("storeId", "conversationId", channel, n)
     ), open AS (
       SELECT i.n, e.id FROM input i JOIN escalations e ON e."storeId" = i."storeId" AND e."openConversationId" = i."conversationId"
     ), counted AS (
       INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
       SELECT i."storeId", i.channel, false, date_trunc('milliseconds', now() AT TIME ZONE 'UTC') FROM input i WHERE NOT EXISTS (SELECT 1 FROM open o WHERE o.n = i.n)
     )
     SELECT n::int AS n, id::text AS id FROM open`,
    [items.map((i) => i.storeId), items.map((i) => i.conversationId), items.map((i) => i.channel)],
  );
  const open: (string | null)[] = items.map(() => null);
  for (const row of rows) open[row.n - 1] = row.id;
  return open;
}

/** Counts dry runs (POST /escalations/evaluate) for the escalation rate, a batch per statement. */
export async function countDryRuns(sql: SqlPool, items: Omit<Evaluated, 'conversationId'>[]): Promise<undefined[]> {
  await sql.query(
    `INSERT INTO evaluations ("storeId", channel, escalated, "dryRun", "createdAt")
     SELECT s, c, false, true, date_trunc('milliseconds', now() AT TIME ZONE 'UTC') FROM unnest($1::uuid[], $2::"Channel"[]) AS i(s, c)`,
    [items.map((i) => i.storeId), items.map((i) => i.channel)],
  );
  return items.map(() => undefined);
}

export type NewCase = Omit<
  Escalation,
  | 'id'
  | 'status'
  | 'assignedTo'
  | 'assignedAt'
  | 'resolvedAt'
  | 'resolutionSummary'
  | 'closedAt'
  | 'firstResponseBreachedAt'
  | 'resolutionBreachedAt'
  | 'firstResponseWarnedAt'
  | 'resolutionWarnedAt'
  | 'updatedAt'
>;

/**
 * Writes the case, one PENDING delivery per integration (the outbox), its SLA timer (its first
 * alert, src/sla/worker.ts), its `created` event and the evaluation in one statement, hence one transaction. A second open case for the conversation fails
 * on the unique index (P2002 / 23505) like a Prisma create would.
 */
export async function insertCase(
  sql: SqlPool,
  c: NewCase,
  integrations: IntegrationType[],
  eventData: object,
  searchText: string,
  id: string = randomUUID(),
  firstAlertAt: Date = new Date(slaAlerts({ id, ...c })[0]!.at),
) {
  const deliveries = integrations.map((type) => ({ id: randomUUID(), type }));
  const json = (v: unknown) => JSON.stringify(v);
  // Prisma's DateTime columns are timestamp(3) without time zone, holding UTC.
  const utc = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
  await sql.query(
    `WITH e AS (
       INSERT INTO escalations (id, "storeId", "conversationId", "openConversationId", channel, priority, triggers, intent, keywords,
         summary, reason, "aiConfidence", sentiment, "customerId", "customerName", "customerEmail", "customerTier", "orderNumber",
         "orderTotal", "messageCount", "idempotencyKey", context, decision, "firstResponseDueAt", "resolutionDueAt", "searchVector",
         "createdAt", "updatedAt", "firstResponseWarnAt", "resolutionWarnAt", "slaTimeZone", "expectedFirstResponseAt")
       VALUES ($1::uuid, $2::uuid, $3, $4, $5::"Channel", $6::"Priority", $7::text[], $8, $9::text[], $10, $11, $12::float8, $13::float8,
         $14, $15, $16, $17, $18, $19::float8, $20::int, $21, $22::jsonb, $23::jsonb, $24::timestamp, $25::timestamp,
         to_tsvector('english', $26), $27::timestamp, $27::timestamp, $30::timestamp, $31::timestamp, $32, $33::timestamp)
       RETURNING id, "storeId"
     ), d AS (
       INSERT INTO escalation_integrations (id, "escalationId", "storeId", type, "updatedAt")
       SELECT x.id::uuid, e.id, e."storeId", x.type::"IntegrationType", $27::timestamp
       FROM e, jsonb_to_recordset($28::jsonb) AS x(id text, type text)
     ), t AS (
       INSERT INTO sla_timers ("escalationId", "nextAt") SELECT e.id, $34::timestamp FROM e
     ), ev AS (
       INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
       SELECT e.id, 'created', 'api', $29::jsonb, $27::timestamp FROM e
     )
     INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
     SELECT e."storeId", $5::"Channel", true, $27::timestamp FROM e`,
    [
      id,
      c.storeId,
      c.conversationId,
      c.openConversationId,
      c.channel,
      c.priority,
      c.triggers,
      c.intent,
      c.keywords,
      c.summary,
      c.reason,
      c.aiConfidence,
      c.sentiment,
      c.customerId,
      c.customerName,
      c.customerEmail,
      c.customerTier,
      c.orderNumber,
      c.orderTotal,
      c.messageCount,
      c.idempotencyKey,
      json(c.context),
      json(c.decision),
      utc(c.firstResponseDueAt),
      utc(c.resolutionDueAt),
      searchText,
      utc(c.createdAt),
      json(deliveries),
      json(eventData),
      c.firstResponseWarnAt && utc(c.firstResponseWarnAt),
      c.resolutionWarnAt && utc(c.resolutionWarnAt),
      c.slaTimeZone,
      c.expectedFirstResponseAt && utc(c.expectedFirstResponseAt),
      utc(firstAlertAt),
    ],
  );
  const escalation: Escalation = {
    ...c,
    id,
    status: 'OPEN',
    assignedTo: null,
    assignedAt: null,
    resolvedAt: null,
    resolutionSummary: null,
    closedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    updatedAt: c.createdAt,
  } as Escalation;
  return { escalation, deliveries };
}

export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') return true;
    // Raw statements report the database's own code.
    const meta = err.meta as { code?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } | undefined;
    return (
      meta?.code === '23505' ||
      meta?.driverAdapterError?.cause?.originalCode === '23505' ||
      meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation'
    );
  }
  return (err as { code?: string }).code === '23505';
}
