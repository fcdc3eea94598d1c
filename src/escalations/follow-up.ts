// A follow-up POST /escalate for a conversation whose case is open: its new messages are merged into
// the case. In plain pg, one transaction of three statements (lock and read, write, commit): through
// Prisma's interactive transaction the same work cost the API about four times the CPU of a new case.
import { escalationFromJson } from '../cases/escalation-row.ts';
import type { StoredContext } from '../cases/context.ts';
import type { Message } from '../detection/index.ts';
import { mergeMessages } from '../cases/context.ts';
import { NOW_UTC, type SqlPool } from '../db/sql.ts';
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
  /** The text the case is found by in search, from its summary and merged context. */
  searchText: (summary: string, context: StoredContext) => string;
}

/**
 * Merges the follow-up's messages into the open case under a row lock, so concurrent follow-ups merge
 * one after the other and none overwrites another's messages; counts the evaluation either way.
 * Null when the case no longer exists.
 */
export async function appendToCase(sql: SqlPool, f: FollowUp): Promise<Appended | null> {
  const client = await sql.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ e: Record<string, unknown> }>({
      name: 'follow-up-lock',
      text: `SELECT to_jsonb(e) - 'searchVector' AS e FROM escalations e WHERE id = $1::uuid FOR UPDATE`,
      values: [f.caseId],
    });
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return null;
    }
    const current = escalationFromJson(rows[0]!.e);
    const context = current.context as unknown as StoredContext;
    const { merged, added } = mergeMessages(context.messages, f.messages, f.limit);
    if (added.length === 0) {
      await client.query({
        name: 'follow-up-count',
        text: `INSERT INTO evaluations ("storeId", channel, escalated, "createdAt") VALUES ($1::uuid, $2::"Channel", false, ${NOW_UTC})`,
        values: [current.storeId, f.channel],
      });
      await client.query('COMMIT');
      return { row: current, eventId: null, deliveries: [] };
    }
    const next: StoredContext = { ...context, messages: merged };
    const { rows: written } = await client.query<{ e: Record<string, unknown>; event: string; deliveries: { id: string; type: IntegrationType }[] }>({
      name: 'follow-up-append',
      text: `WITH u AS (
          UPDATE escalations SET context = $2::jsonb, "messageCount" = "messageCount" + $3::int, "updatedAt" = ${NOW_UTC},
            "searchVector" = to_tsvector('english', $4::text)
          WHERE id = $1::uuid RETURNING *
        ), ev AS (
          INSERT INTO escalation_events ("escalationId", type, source, data, "createdAt")
          SELECT id, 'messages_appended', 'api', $5::jsonb, ${NOW_UTC} FROM u RETURNING id
        ), v AS (
          INSERT INTO evaluations ("storeId", channel, escalated, "createdAt") SELECT "storeId", $6::"Channel", false, ${NOW_UTC} FROM u
        )
        SELECT to_jsonb(u) - 'searchVector' AS e, (SELECT id::text FROM ev) AS event,
          (SELECT coalesce(json_agg(json_build_object('id', d.id, 'type', d.type)), '[]'::json) FROM escalation_integrations d
           WHERE d."escalationId" = u.id AND d.status::text IN ('DELIVERED', 'PENDING')) AS deliveries
        FROM u`,
      values: [f.caseId, JSON.stringify(next), added.length, f.searchText(current.summary, next), JSON.stringify({ messages: added }), f.channel],
    });
    await client.query('COMMIT');
    const w = written[0]!;
    return { row: escalationFromJson(w.e), eventId: w.event, deliveries: w.deliveries };
  } catch (err) {
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    // A connection that failed mid-transaction is not given back to the pool.
    client.release(broken && !('code' in broken) ? broken : undefined);
  }
}
