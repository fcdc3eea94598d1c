import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Escalation } from '../generated/prisma/client.ts';
import { Invalid } from '../cases/errors.ts';
import type { ListQuery } from './schemas.ts';

type Filters = Omit<ListQuery, 'limit' | 'cursor' | 'storeId'>;

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || createdAt.getUTCFullYear() < 1970 || !/^[0-9a-f-]{36}$/.test(id))
    throw new Invalid('cursor: is not a cursor this API returned');
  return { createdAt, id };
}

/** The WHERE clause of the list and the CSV export. */
export function filterSql(storeId: string, f: Filters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`e."storeId" = ${storeId}::uuid`];
  // Compared as the enum types, not as text, so the (storeId, status|priority|channel, createdAt) indexes apply.
  if (f.status) parts.push(Prisma.sql`e.status = ANY(CAST(ARRAY[${Prisma.join(f.status)}] AS "EscalationStatus"[]))`);
  if (f.priority) parts.push(Prisma.sql`e.priority = ANY(CAST(ARRAY[${Prisma.join(f.priority)}] AS "Priority"[]))`);
  if (f.channel) parts.push(Prisma.sql`e.channel = ANY(CAST(ARRAY[${Prisma.join(f.channel)}] AS "Channel"[]))`);
  if (f.intent) parts.push(Prisma.sql`e.intent IN (${Prisma.join(f.intent)})`);
  if (f.trigger) parts.push(Prisma.sql`e.triggers && ARRAY[${Prisma.join(f.trigger)}]::text[]`);
  if (f.assignedTo) parts.push(Prisma.sql`lower(e."assignedTo") = lower(${f.assignedTo})`);
  if (f.from) parts.push(Prisma.sql`e."createdAt" >= ${new Date(f.from)}`);
  if (f.to) parts.push(Prisma.sql`e."createdAt" < ${new Date(f.to)}`);
  if (f.q) parts.push(Prisma.sql`e."searchVector" @@ websearch_to_tsquery('english', ${f.q})`);
  return Prisma.join(parts, ' AND ');
}

/** Above this many full-text matches, walking the newest cases finds a page sooner than the GIN index. */
const FEW_MATCHES = 5000;

/**
 * How a search is run: the planner cannot tell a rare term (an order number, a name) from a common
 * one and walks the createdAt index either way, scanning the whole store for a rare term. A capped
 * count through the GIN index tells them apart; few matches are then read from the index directly.
 */
async function fewMatches(db: Db, storeId: string, q: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM escalations WHERE "searchVector" @@ websearch_to_tsquery('english', ${q}) AND "storeId" = ${storeId}::uuid
      LIMIT ${FEW_MATCHES + 1}) x`;
  return (row?.n ?? 0) <= FEW_MATCHES;
}

/** Keyset pagination, newest first: stable while new cases arrive (they sort before the cursor). */
export async function listEscalations(db: Db, storeId: string, query: ListQuery) {
  const where = [filterSql(storeId, query)];
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(Prisma.sql`(e."createdAt", e.id) < (${c.createdAt}, ${c.id}::uuid)`);
  }
  let matched = Prisma.empty;
  if (query.q && (await fewMatches(db, storeId, query.q))) {
    matched = Prisma.sql`WITH matched AS MATERIALIZED (SELECT id FROM escalations WHERE "searchVector" @@ websearch_to_tsquery('english', ${query.q}) AND "storeId" = ${storeId}::uuid)`;
    where.push(Prisma.sql`e.id IN (SELECT id FROM matched)`);
  }
  const rows = await db.$queryRaw<Escalation[]>`
    ${matched}
    SELECT e.id, e."storeId", e."conversationId", e.channel::text AS channel, e.status::text AS status,
           e.priority::text AS priority, e.triggers, e.intent, e.keywords, e.summary, e.reason,
           e."aiConfidence", e.sentiment, e."messageCount",
           jsonb_build_object('customer', e.context->'customer', 'order', e.context->'order') AS context,
           e."assignedTo", e."assignedAt", e."resolvedAt", e."resolutionSummary", e."closedAt",
           e."firstResponseDueAt", e."resolutionDueAt", e."firstResponseBreachedAt", e."resolutionBreachedAt",
           e."createdAt", e."updatedAt"
    FROM escalations e
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY e."createdAt" DESC, e.id DESC
    LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
