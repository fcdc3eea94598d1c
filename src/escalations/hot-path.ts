// The two statements every POST /escalate runs, written as single SQL round trips: Prisma's
// nested create and interactive transaction cost several round trips each (see bench/run.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Escalation, IntegrationType } from '../generated/prisma/client.ts';

/**
 * Counts the evaluation unless the conversation has an open case (whose own update counts it);
 * returns that case's id, if any.
 */
export async function countEvaluationUnlessOpen(db: Db, storeId: string, channel: string, conversationId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH open AS (
      SELECT id FROM escalations WHERE "storeId" = ${storeId}::uuid AND "openConversationId" = ${conversationId}
    ), counted AS (
      INSERT INTO evaluations ("storeId", channel, escalated)
      SELECT ${storeId}::uuid, ${channel}::"Channel", false WHERE NOT EXISTS (SELECT 1 FROM open)
    )
    SELECT id::text AS id FROM open`;
  return rows[0]?.id ?? null;
}

export type NewCase = Omit<
  Escalation,
  'id' | 'status' | 'assignedTo' | 'assignedAt' | 'resolvedAt' | 'resolutionSummary' | 'closedAt' | 'firstResponseBreachedAt' | 'resolutionBreachedAt' | 'updatedAt'
>;

/**
 * Writes the case, one PENDING delivery per integration (the outbox), its `created` event and the
 * evaluation in one statement, hence one transaction. A second open case for the conversation fails
 * on the unique index (P2002 / 23505) like a Prisma create would.
 */
export async function insertCase(db: Db, c: NewCase, integrations: IntegrationType[], eventData: object, searchText: string) {
  const id = randomUUID();
  const deliveries = integrations.map((type) => ({ id: randomUUID(), type }));
  const json = (v: unknown) => JSON.stringify(v);
  await db.$executeRaw`
    WITH e AS (
      INSERT INTO escalations (id, "storeId", "conversationId", "openConversationId", channel, priority, triggers, intent, keywords,
        summary, reason, "aiConfidence", sentiment, "customerId", "customerName", "customerEmail", "customerTier", "orderNumber",
        "orderTotal", "messageCount", "idempotencyKey", context, decision, "firstResponseDueAt", "resolutionDueAt", "searchVector", "createdAt", "updatedAt")
      VALUES (${id}::uuid, ${c.storeId}::uuid, ${c.conversationId}, ${c.openConversationId}, ${c.channel}::"Channel", ${c.priority}::"Priority",
        ${c.triggers}::text[], ${c.intent}, ${c.keywords}::text[], ${c.summary}, ${c.reason}, ${c.aiConfidence}::float8, ${c.sentiment}::float8,
        ${c.customerId}, ${c.customerName}, ${c.customerEmail}, ${c.customerTier}, ${c.orderNumber}, ${c.orderTotal}::float8, ${c.messageCount}::int, ${c.idempotencyKey},
        ${json(c.context)}::jsonb, ${json(c.decision)}::jsonb, ${c.firstResponseDueAt}, ${c.resolutionDueAt},
        to_tsvector('english', ${searchText}), ${c.createdAt}, ${c.createdAt})
      RETURNING id, "storeId"
    ), d AS (
      INSERT INTO escalation_integrations (id, "escalationId", "storeId", type, "updatedAt")
      SELECT x.id::uuid, e.id, e."storeId", x.type::"IntegrationType", ${c.createdAt}
      FROM e, jsonb_to_recordset(${json(deliveries)}::jsonb) AS x(id text, type text)
    ), ev AS (
      INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
      SELECT e.id, 'created', 'api', ${json(eventData)}::jsonb, ${c.createdAt} FROM e
    )
    INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
    SELECT e."storeId", ${c.channel}::"Channel", true, ${c.createdAt} FROM e`;
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
    updatedAt: c.createdAt,
  } as Escalation;
  return { escalation, deliveries };
}

export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') return true;
    // Raw statements report the database's own code.
    const meta = err.meta as { code?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } | undefined;
    return meta?.code === '23505' || meta?.driverAdapterError?.cause?.originalCode === '23505' || meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation';
  }
  return (err as { code?: string }).code === '23505';
}
