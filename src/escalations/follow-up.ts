// A follow-up POST /escalate for a conversation whose case is open: its new messages are merged into
// the case. In plain pg, a read and one compare-and-set statement: through Prisma's interactive
// transaction the same work cost the API about four times the CPU of a new case, and a transaction
// holding a row lock costs two more round trips (BEGIN, COMMIT) than the merge needs.
import { escalationFromJson, utcDates } from '../cases/escalation-row.ts';
import type { StoredContext } from '../cases/context.ts';
import type { Message } from '../detection/index.ts';
import { mergeMessages } from '../cases/context.ts';
import { NOW_UTC, type SqlPool } from '../db/sql.ts';
import { Conflict } from '../cases/errors.ts';
import { searchText, searchTextAdded } from './search-text.ts';
import type { CaseVersion } from './hot-path.ts';
import type { Escalation, IntegrationType } from '../generated/prisma/client.ts';

export interface Appended {
  /** The case after the merge. */
  row: Escalation;
  /** The `messages_appended` event, when something was added. */
  eventId: string | null;
  /** The case's deliveries that get the new messages (DELIVERED or PENDING). */
  deliveries: { id: string; type: IntegrationType }[];
}

export interface FollowUp {
  caseId: string;
  channel: string;
  messages: Message[];
  /** At most this many messages are kept on the case. */
  limit: number;
  /** Writes the merge (the caller batches these, see writeAppends). */
  write: (append: AppendWrite) => Promise<AppendWritten | null>;
  /** Counts the evaluation of a follow-up that added nothing (the caller batches these too, see countEvaluations). */
  countUnchanged: (storeId: string, channel: string) => Promise<unknown>;
}

/** One merge to write: the case's new context, if the case is still at the version it was read at. */
export interface AppendWrite {
  caseId: string;
  /** The row version (xmin) the merge was made on. */
  version: string;
  context: StoredContext;
  added: Message[];
  /** The case's whole search text, or with `extendsSearch` only what the merge adds to it (search-text.ts). */
  searchText: string;
  extendsSearch: boolean;
  channel: string;
}

/** A merge ready for writeAppends: its row as the statement reads it, in JSON (which is also its weight in a batch). */
export interface PreparedAppend {
  caseId: string;
  json: string;
}

export function prepareAppend(a: AppendWrite): PreparedAppend {
  const row = {
    id: a.caseId,
    v: a.version,
    context: a.context,
    added: a.added.length,
    searchText: a.searchText,
    extend: a.extendsSearch,
    event: { messages: a.added },
    channel: a.channel,
  };
  return { caseId: a.caseId, json: JSON.stringify(row) };
}

export interface AppendWritten {
  updatedAt: string;
  /** The `messages_appended` event. */
  event: string;
  deliveries: { id: string; type: IntegrationType }[];
}

/** Tries before a follow-up gives up on a case that keeps changing under it (each miss means another write went in). */
const MAX_TRIES = 20;

/** The case as it is now (row and version), or null when it no longer exists. */
async function readCase(sql: SqlPool, caseId: string): Promise<CaseVersion | null> {
  const { rows } = await sql.query<CaseVersion>({
    name: 'follow-up-read',
    text: `SELECT to_jsonb(e) - 'searchVector' AS e, xmin::text AS v FROM escalations e WHERE id = $1::uuid`,
    values: [caseId],
  });
  return rows[0] ?? null;
}

/**
 * Merges the follow-up's messages into the open case by compare-and-set on the row's version (xmin):
 * a write that went in after the case was read (another follow-up, an assignment) makes the update
 * miss, and the merge is done again on the case as it is then, so concurrent follow-ups merge one
 * after the other and none overwrites another's messages. No transaction: the read and the one
 * statement that writes the messages, event, evaluation and search text (f.write, batched with other
 * follow-ups' merges) are two round trips (the read is saved when the caller has the case already,
 * `read`). Counts the evaluation either way. Null when the case no longer exists.
 */
export async function appendToCase(sql: SqlPool, f: FollowUp, read?: CaseVersion): Promise<Appended | null> {
  for (let tries = 1; ; tries++) {
    const found = read ?? (await readCase(sql, f.caseId));
    read = undefined;
    if (!found) return null;
    const current = escalationFromJson(found.e);
    const context = current.context as unknown as StoredContext;
    const { merged, added } = mergeMessages(context.messages, f.messages, f.limit);
    if (added.length === 0) {
      await f.countUnchanged(current.storeId, f.channel);
      return { row: current, eventId: null, deliveries: [] };
    }
    const next: StoredContext = { ...context, messages: merged };
    const addedText = searchTextAdded(current.summary, context.messages, merged, added);
    const w = await f.write({
      caseId: f.caseId,
      version: found.v,
      context: next,
      added,
      searchText: addedText ?? searchText(current.summary, merged),
      extendsSearch: addedText !== null,
      channel: f.channel,
    });
    // The case as written: what was read, with what this statement changed.
    if (w) {
      const row = utcDates({ ...current, context: next as never, messageCount: current.messageCount + added.length, updatedAt: w.updatedAt }, ['updatedAt']);
      return { row: row as unknown as Escalation, eventId: w.event, deliveries: w.deliveries };
    }
    if (tries >= MAX_TRIES) throw new Conflict(`Case ${f.caseId} kept changing while its new messages were added; retry`);
  }
}

/**
 * Writes each merge whose case is still at the version it was read at (compare-and-set on xmin): the
 * context, message count and search text, a `messages_appended` event and the evaluation, for a batch
 * of follow-ups in one statement, hence one commit (see GroupCommit). Null for each that missed: its
 * case changed since it was read (or two follow-ups of one case were in the batch: one of them wins).
 * The cases are found by `= ANY` of their ids, a probe of the primary key each, whatever the statistics.
 */
export async function writeAppends(sql: SqlPool, appends: PreparedAppend[]): Promise<(AppendWritten | null)[]> {
  const { rows: written } = await sql.query<AppendWritten & { n: number }>({
    name: 'follow-up-append',
    text: `WITH x AS (
        SELECT a.n::int - 1 AS n, x.* FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(r, n),
          jsonb_to_record(a.r) AS x(id uuid, v text, context jsonb, added int, "searchText" text, extend boolean, event jsonb, channel "Channel")
      ), u AS (
        UPDATE escalations e SET context = x.context, "messageCount" = e."messageCount" + x.added, "updatedAt" = ${NOW_UTC},
          "searchVector" = CASE WHEN x.extend THEN coalesce(e."searchVector", ''::tsvector) || to_tsvector('english', x."searchText")
            ELSE to_tsvector('english', x."searchText") END
        FROM x WHERE e.id = ANY($2::uuid[]) AND e.id = x.id AND e.xmin = x.v::xid
        RETURNING x.n, e.id, e."storeId", e."updatedAt", x.event, x.channel
      ), ev AS (
        INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
        SELECT id, 'messages_appended', 'api', event, ${NOW_UTC} FROM u RETURNING id, "escalationId"
      ), v AS (
        INSERT INTO evaluations ("storeId", channel, escalated, "createdAt") SELECT "storeId", channel, false, ${NOW_UTC} FROM u
      )
      SELECT u.n, to_json(u."updatedAt")#>>'{}' AS "updatedAt", ev.id::text AS event,
        (SELECT coalesce(json_agg(json_build_object('id', d.id, 'type', d.type)), '[]'::json) FROM escalation_integrations d
         WHERE d."escalationId" = u.id AND d.status::text IN ('DELIVERED', 'PENDING')) AS deliveries
      FROM u JOIN ev ON ev."escalationId" = u.id`,
    values: [`[${appends.map((p) => p.json).join(',')}]`, appends.map((p) => p.caseId)],
  });
  const out: (AppendWritten | null)[] = appends.map(() => null);
  for (const { n, ...w } of written) out[n] = w;
  return out;
}
