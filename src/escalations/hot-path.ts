// The two statements every POST /escalate runs, each a single SQL round trip through plain pg:
// Prisma's nested create and interactive transaction cost several round trips each (see bench/run.ts).
import { randomUUID } from 'node:crypto';
import { NOW_UTC, type SqlPool } from '../db/sql.ts';
import type { Escalation, IntegrationType } from '../generated/prisma/client.ts';
import { slaAlerts } from '../sla/schedule.ts';
import type { DryRunCount } from './dry-run-counter.ts';
import { NEW_DELIVERIES_CHANNEL } from '../delivery/relay.ts';

// Prisma's DateTime columns are timestamp(3) without time zone, holding UTC.
const utc = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').replace('Z', '') : null);

/**
 * The open case of each input row: one probe of the (storeId, openConversationId) unique index per row.
 * As a plain join, planned while the table was small (a young deployment, or a table growing fast
 * between two analyses), it became a hash join over a full scan of that index, and a prepared statement
 * keeps its plan until the table's next ANALYZE: 7 ms of Postgres per follow-up instead of 1 (the bench's
 * `followups` phase at autovacuum's pace). OFFSET 0 keeps the subquery from being flattened into a join.
 * (Planned on an empty table, where every index that starts with the store costs the same, the probe
 * may use one of those until the table's first ANALYZE: autovacuum's, within a minute.)
 */
const openCaseOf = (input: string, conversationColumn: string, columns: string) =>
  `CROSS JOIN LATERAL (SELECT ${columns} FROM escalations o WHERE o."storeId" = ${input}."storeId" AND o."openConversationId" = ${input}.${conversationColumn} OFFSET 0) o`;

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
  const { rows } = await sql.query<{ n: number; id: string }>({
    // Named: each connection parses and plans it once.
    name: 'count-evaluations',
    text: `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::"Channel"[]) WITH ORDINALITY AS i("storeId", "conversationId", channel, n)
     ), open AS (
       SELECT i.n, o.id FROM input i ${openCaseOf('i', '"conversationId"', 'o.id')}
     ), counted AS (
       INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
       SELECT i."storeId", i.channel, false, ${NOW_UTC} FROM input i WHERE NOT EXISTS (SELECT 1 FROM open o WHERE o.n = i.n)
     )
     SELECT n::int AS n, id::text AS id FROM open`,
    values: [items.map((i) => i.storeId), items.map((i) => i.conversationId), items.map((i) => i.channel)],
  });
  const open: (string | null)[] = items.map(() => null);
  for (const row of rows) open[row.n - 1] = row.id;
  return open;
}

/** Counts evaluations that change nothing else (a follow-up with no new message): one statement for the whole batch (see GroupCommit). */
export async function countEvaluations(sql: SqlPool, items: { storeId: string; channel: string }[]): Promise<void> {
  await sql.query({
    name: 'count-unchanged',
    text: `INSERT INTO evaluations ("storeId", channel, escalated, "createdAt")
     SELECT i.s, i.c, false, ${NOW_UTC} FROM unnest($1::uuid[], $2::"Channel"[]) AS i(s, c)`,
    values: [items.map((i) => i.storeId), items.map((i) => i.channel)],
  });
}

/** Writes dry runs (POST /escalations/evaluate) counted in memory: one row each, as the analytics count rows. */
export async function writeDryRuns(sql: SqlPool, counts: DryRunCount[]): Promise<void> {
  await sql.query({
    name: 'write-dry-runs',
    text: `INSERT INTO evaluations ("storeId", channel, escalated, "dryRun", "createdAt")
     SELECT i.s, i.c, false, true, i.t FROM unnest($1::uuid[], $2::"Channel"[], $3::timestamp[], $4::int[]) AS i(s, c, t, n), generate_series(1, i.n)`,
    values: [counts.map((c) => c.storeId), counts.map((c) => c.channel), counts.map((c) => utc(c.at)), counts.map((c) => c.n)],
  });
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

/** A case to write, with what is written beside it. */
export interface CaseInsert {
  id: string;
  c: NewCase;
  integrations: IntegrationType[];
  eventData: object;
  searchText: string;
  /** Its first SLA alert (src/sla/worker.ts); by default from its due times. */
  firstAlertAt?: Date;
}

/** A case as read by the statement that found it open: its row (to_jsonb) and version (xmin), see follow-up.ts. */
export interface CaseVersion {
  e: Record<string, unknown>;
  v: string;
}

/**
 * Written, or not: the conversation has an open case. `open` is that case when it was open before the
 * statement began (the common follow-up); without it, a concurrent request opened it meanwhile.
 */
export type Inserted =
  | { escalation: Escalation; deliveries: { id: string; type: IntegrationType }[] }
  | { conflict: true; open?: CaseVersion & { id: string } };

/**
 * Writes each case, one PENDING delivery per integration (the outbox, announced to the workers'
 * relay), its SLA timer (its first alert, src/sla/worker.ts), its `created` event and the evaluation: a batch of cases in one
 * statement, hence one transaction and one WAL flush (see GroupCommit). A named statement, so each
 * connection parses and plans it once. A case whose conversation already has an open case is not
 * written and comes back as a conflict with that case read (a follow-up: one look-up in the index
 * instead of a row written and thrown away by the unique index), like a second case of the same
 * conversation in the batch (the unique index on the open conversation; no case read).
 */
export async function insertCases(sql: SqlPool, cases: PreparedCase[]): Promise<Inserted[]> {
  const { rows: written } = await sql.query<{ id: string; open: string | null } & Partial<CaseVersion>>({
    name: 'insert-cases',
    text: INSERT_CASES,
    values: [`[${cases.map((p) => p.json).join(',')}]`],
  });
  const ids = new Set<string>();
  const open = new Map<string, CaseVersion & { id: string }>();
  for (const r of written) {
    if (r.open) open.set(r.id, { id: r.open, e: r.e!, v: r.v! });
    else ids.add(r.id);
  }
  return cases.map(({ insert: { id, c }, deliveries }) =>
    ids.has(id)
      ? {
          // The spread goes last: properties added after a spread make V8 build a new hidden class
          // per call (~16 KB of garbage per case, measured), before it the clone is a plain copy.
          escalation: {
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
            ...c,
          } as Escalation,
          deliveries,
        }
      : open.has(id)
        ? { conflict: true, open: open.get(id)! }
        : { conflict: true },
  );
}

/** A case ready for insertCases: its deliveries' ids, and its row as the statement reads it, in JSON (which is also its weight in a batch). */
export interface PreparedCase {
  insert: CaseInsert;
  deliveries: { id: string; type: IntegrationType }[];
  json: string;
}

export function prepareCase(insert: CaseInsert): PreparedCase {
  const { id, c, integrations, eventData, searchText, firstAlertAt } = insert;
  const deliveries = integrations.map((type) => ({ id: randomUUID(), type }));
  const row = {
    id,
    storeId: c.storeId,
    conversationId: c.conversationId,
    openConversationId: c.openConversationId,
    channel: c.channel,
    priority: c.priority,
    triggers: c.triggers,
    intent: c.intent,
    keywords: c.keywords,
    summary: c.summary,
    reason: c.reason,
    aiConfidence: c.aiConfidence,
    sentiment: c.sentiment,
    customerId: c.customerId,
    customerName: c.customerName,
    customerEmail: c.customerEmail,
    customerTier: c.customerTier,
    orderNumber: c.orderNumber,
    orderTotal: c.orderTotal,
    messageCount: c.messageCount,
    idempotencyKey: c.idempotencyKey,
    context: c.context,
    decision: c.decision,
    firstResponseDueAt: utc(c.firstResponseDueAt),
    resolutionDueAt: utc(c.resolutionDueAt),
    searchText,
    createdAt: utc(c.createdAt),
    firstResponseWarnAt: utc(c.firstResponseWarnAt),
    resolutionWarnAt: utc(c.resolutionWarnAt),
    slaTimeZone: c.slaTimeZone,
    expectedFirstResponseAt: utc(c.expectedFirstResponseAt),
    firstAlertAt: utc(firstAlertAt ?? new Date(slaAlerts({ id, ...c })[0]!.at)),
    deliveries,
    event: eventData,
  };
  return { insert, deliveries, json: JSON.stringify(row) };
}

const INSERT_CASES = `WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "storeId" uuid, "conversationId" text, "openConversationId" text, channel "Channel",
    priority "Priority", triggers text[], intent text, keywords text[], summary text, reason text, "aiConfidence" float8, sentiment float8,
    "customerId" text, "customerName" text, "customerEmail" text, "customerTier" text, "orderNumber" text, "orderTotal" float8,
    "messageCount" int, "idempotencyKey" text, context jsonb, decision jsonb, "firstResponseDueAt" timestamp, "resolutionDueAt" timestamp,
    "searchText" text, "createdAt" timestamp, "firstResponseWarnAt" timestamp, "resolutionWarnAt" timestamp, "slaTimeZone" text,
    "expectedFirstResponseAt" timestamp, "firstAlertAt" timestamp, deliveries jsonb, event jsonb)
), open AS (
  -- Conversations with a case open before this statement: read, not written (as of the statement's snapshot).
  SELECT x.id AS req, o.id, o.v, o.e FROM x ${openCaseOf('x', '"openConversationId"', `o.id, o.xmin::text AS v, to_jsonb(o) - 'searchVector' AS e`)}
), e AS (
  INSERT INTO escalations (id, "storeId", "conversationId", "openConversationId", channel, priority, triggers, intent, keywords,
    summary, reason, "aiConfidence", sentiment, "customerId", "customerName", "customerEmail", "customerTier", "orderNumber",
    "orderTotal", "messageCount", "idempotencyKey", context, decision, "firstResponseDueAt", "resolutionDueAt", "searchVector",
    "createdAt", "updatedAt", "firstResponseWarnAt", "resolutionWarnAt", "slaTimeZone", "expectedFirstResponseAt")
  SELECT id, "storeId", "conversationId", "openConversationId", channel, priority, triggers, intent, keywords,
    summary, reason, "aiConfidence", sentiment, "customerId", "customerName", "customerEmail", "customerTier", "orderNumber",
    "orderTotal", "messageCount", "idempotencyKey", context, decision, "firstResponseDueAt", "resolutionDueAt", to_tsvector('english', "searchText"),
    "createdAt", "createdAt", "firstResponseWarnAt", "resolutionWarnAt", "slaTimeZone", "expectedFirstResponseAt"
  FROM x
  WHERE NOT EXISTS (SELECT 1 FROM open o WHERE o.req = x.id)
  ON CONFLICT ("storeId", "openConversationId") DO NOTHING
  RETURNING id, "storeId", channel, "createdAt"
), w AS (
  SELECT e.id, e."storeId", e.channel, e."createdAt", x."firstAlertAt", x.deliveries, x.event,
    -- The relay (src/delivery/relay.ts) hears of the case's deliveries once this commits: SLACK:<id>,ZENDESK:<id>.
    CASE WHEN jsonb_array_length(x.deliveries) > 0 THEN
      pg_notify('${NEW_DELIVERIES_CHANNEL}', (SELECT string_agg((j->>'type') || ':' || (j->>'id'), ',') FROM jsonb_array_elements(x.deliveries) AS j))::text
    END AS announced
  FROM e JOIN x ON x.id = e.id
), d AS (
  INSERT INTO escalation_integrations (id, "escalationId", "storeId", type, "updatedAt")
  SELECT (j->>'id')::uuid, w.id, w."storeId", (j->>'type')::"IntegrationType", w."createdAt" FROM w, jsonb_array_elements(w.deliveries) AS j
), t AS (
  INSERT INTO sla_timers ("escalationId", "nextAt") SELECT w.id, w."firstAlertAt" FROM w
), ev AS (
  INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt") SELECT w.id, 'created', 'api', w.event, w."createdAt" FROM w
), v AS (
  INSERT INTO evaluations ("storeId", channel, escalated, "createdAt") SELECT w."storeId", w.channel, true, w."createdAt" FROM w
)
SELECT id::text AS id, NULL::text AS open, NULL::text AS v, NULL::jsonb AS e FROM w
UNION ALL
SELECT req::text, id::text, v, e FROM open`;
