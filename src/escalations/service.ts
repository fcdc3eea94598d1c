import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SqlPool } from '../db/sql.ts';
import type { Escalation } from '../generated/prisma/client.ts';
import type { DeliveryQueues, JobRef } from '../delivery/queues.ts';
import { evaluateConversation, type FullDecision } from './decide.ts';
import { slaDueTimes } from '../sla/due-times.ts';
import { planHandoff, type Handoff } from '../sla/handoff.ts';
import type { StoreDirectory, StoreRecord } from '../stores/store-directory.ts';
import { Conflict, NotFound, Unprocessable } from '../cases/errors.ts';
import type { EscalateBody } from './schemas.ts';
import { serializeCase } from '../cases/serialize.ts';
import type { StoredContext } from '../cases/context.ts';
import { appendToCase, type PreparedAppend, prepareAppend, writeAppends } from './follow-up.ts';
import { type CaseVersion, countEvaluations, countEvaluationsUnlessOpen, insertCases, type PreparedCase, prepareCase, writeDryRuns } from './hot-path.ts';
import { DryRunCounter } from './dry-run-counter.ts';
import { type BatchWeight, GroupCommit } from './group-commit.ts';
import { searchText } from './search-text.ts';
import { enabledIntegrations } from '../integrations/registry.ts';

export interface EscalateResult {
  statusCode: 200 | 201;
  body: Record<string, unknown>;
}

const MAX_STORED_MESSAGES = 2000;
/** statusCode of an idempotency record whose first call is still running. */
const PENDING = 0;
const IDEMPOTENCY_WAIT_MS = 10_000;
const IDEMPOTENCY_ABANDONED_MS = 60_000;
/**
 * A batch of new cases or merges stops at this many characters of rows: conversations near the 5 MB
 * body limit go a few per statement instead of 256 (over a gigabyte, past what a string or a
 * Postgres value may hold), while everyday cases of a few kilobytes still go up to 256 together.
 */
const BATCH_CHARS: BatchWeight<{ json: string }> = { of: (p) => p.json.length, max: 32 * 1024 * 1024 };

export class EscalationService {
  // Evaluations are counted a batch per statement: under load one commit serves many requests.
  private readonly evaluations = new GroupCommit((items: { storeId: string; channel: string; conversationId: string }[]) =>
    countEvaluationsUnlessOpen(this.sql, items),
  );
  // Follow-ups too: the merges of new messages into open cases, one statement at a time like new cases;
  // and a follow-up that adds nothing (the same conversation posted again) is one evaluation counted.
  private readonly appends = new GroupCommit((items: PreparedAppend[]) => writeAppends(this.sql, items), 1, 256, BATCH_CHARS);
  private readonly unchangedFollowUps = new GroupCommit((items: { storeId: string; channel: string }[]) =>
    countEvaluations(this.sql, items).then(() => items.map(() => true)),
  );
  private readonly dryRuns = new DryRunCounter(
    (counts) => writeDryRuns(this.sql, counts),
    (err, dropped) => this.log.warn({ err: (err as Error).message, dropped }, 'dry-run counts not written yet; trying again in a second'),
  );
  // New cases too: one statement, one transaction and one WAL flush for the cases of concurrent
  // requests; each request is answered once its own case is committed. One statement at a time:
  // a statement costs Postgres about a millisecond of CPU besides its cases (0.2 ms each; its commit
  // the most), so the cases that arrive while one runs wait for it and go together in the next
  // (measured: twice the cases per statement and a quarter less Postgres CPU per case than with two).
  private readonly cases = new GroupCommit((items: PreparedCase[]) => insertCases(this.sql, items), 1, 256, BATCH_CHARS);

  constructor(
    private readonly db: Db,
    private readonly sql: SqlPool,
    private readonly stores: StoreDirectory,
    private readonly queues: DeliveryQueues,
    private readonly publicUrl: string,
    private readonly log: FastifyBaseLogger,
    /** Whether the workers take new cases from their announcement (src/delivery/relay.ts) rather than a fan-out job. */
    private readonly relay = true,
  ) {}

  async store(storeId: string): Promise<StoreRecord> {
    const store = await this.stores.get(storeId);
    if (!store) throw new NotFound(`Store ${storeId} not found`);
    return store;
  }

  /** Dry run: the decision only. The evaluation is still counted for the escalation rate, written within a second (DryRunCounter). */
  async evaluate(storeId: string, body: EscalateBody): Promise<FullDecision> {
    const store = await this.store(storeId);
    const decision = await evaluateConversation(store, body);
    this.dryRuns.count(storeId, body.channel);
    return decision;
  }

  /** Writes the dry runs counted so far (they are written every second; tests and shutdown need them now). */
  flushCounts(): Promise<void> {
    return this.dryRuns.flush();
  }

  async close(): Promise<void> {
    await this.dryRuns.close();
  }

  /**
   * With an Idempotency-Key the first call reserves the key (a row without an answer yet), runs, and
   * stores its answer; a retry, even one that arrives while the first is still running, gets that answer.
   */
  async escalate(storeId: string, body: EscalateBody, idempotencyKey?: string): Promise<EscalateResult> {
    if (!idempotencyKey) return this.escalateOnce(storeId, body);
    const where = { storeId_key: { storeId, key: idempotencyKey } };
    const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
    for (;;) {
      const reserved = await this.db.idempotencyRecord.createMany({
        data: [{ storeId, key: idempotencyKey, requestHash, statusCode: PENDING, response: {} }],
        skipDuplicates: true,
      });
      if (reserved.count === 1) break;
      const record = await this.db.idempotencyRecord.findUnique({ where });
      if (!record) continue; // the first call failed and released the key: try again
      if (record.statusCode !== PENDING || record.requestHash !== requestHash) return this.replay(record, requestHash);
      // A reservation whose owner died (process killed) is taken over after a while.
      const abandoned = await this.db.idempotencyRecord.updateMany({
        where: { storeId, key: idempotencyKey, statusCode: PENDING, createdAt: { lt: new Date(Date.now() - IDEMPOTENCY_ABANDONED_MS) } },
        data: { createdAt: new Date() },
      });
      if (abandoned.count === 1) break;
      if (Date.now() > deadline) throw new Conflict('A request with this Idempotency-Key is still being processed; retry later');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      const result = await this.escalateOnce(storeId, body, idempotencyKey);
      // Kept as text: jsonb would reorder the keys, and a replay must be the same bytes as the first answer.
      await this.db.idempotencyRecord.update({ where, data: { statusCode: result.statusCode, response: { json: JSON.stringify(result.body) } } });
      return result;
    } catch (err) {
      await this.db.idempotencyRecord.deleteMany({ where: { storeId, key: idempotencyKey, statusCode: PENDING } }).catch(() => {});
      throw err;
    }
  }

  private replay(record: { requestHash: string; statusCode: number; response: unknown }, requestHash: string): EscalateResult {
    if (record.requestHash !== requestHash) throw new Unprocessable('This Idempotency-Key was already used with a different request body');
    return { statusCode: record.statusCode as 200 | 201, body: JSON.parse((record.response as { json: string }).json) as Record<string, unknown> };
  }

  private async escalateOnce(storeId: string, body: EscalateBody, idempotencyKey?: string): Promise<EscalateResult> {
    const store = await this.store(storeId);
    const decision = await evaluateConversation(store, body);
    if (!decision.shouldEscalate) {
      const openId = await this.evaluations.submit({ storeId, channel: body.channel, conversationId: body.conversationId });
      if (!openId) return { statusCode: 200, body: { escalated: false, decision } };
      const appended = await this.appendToOpenCase(store, openId, body, decision);
      if (appended) return appended;
    }
    // A conversation with an open case (a follow-up, or one a concurrent request opened) gets that case instead.
    for (let attempt = 0; ; attempt++) {
      const created = await this.createCase(store, body, decision, idempotencyKey);
      if (!('conflict' in created)) {
        const { escalation, jobs, handoff } = created;
        // The insert announced the deliveries to the workers' relay; without it, a fan-out job (the
        // request's only Redis call). SLA alerts need none (slaNextAt, src/sla/worker.ts).
        if (!this.relay) await this.enqueue(() => this.queues.enqueueCreate(jobs), escalation.id);
        return {
          statusCode: 201,
          body: { escalated: true, escalation: serializeCase(escalation, this.publicUrl), decision, handoff },
        };
      }
      // The insert read the open case it found; one opened meanwhile by another request is looked up.
      const openId =
        created.open?.id ??
        (
          await this.sql.query<{ id: string }>({
            name: 'open-case-of-conversation',
            text: `SELECT id::text AS id FROM escalations WHERE "storeId" = $1::uuid AND "openConversationId" = $2`,
            values: [storeId, body.conversationId],
          })
        ).rows[0]?.id;
      const appended = openId && (await this.appendToOpenCase(store, openId, body, decision, created.open));
      if (appended) return appended;
      // That case was resolved in between: open a new one.
      if (attempt > 0) throw new Conflict(`Conversation ${body.conversationId} changed while it was escalated; retry`);
    }
  }

  private async createCase(store: StoreRecord, body: EscalateBody, decision: FullDecision, idempotencyKey?: string) {
    const now = new Date();
    const id = randomUUID();
    const due = slaDueTimes(store.config, decision.priority, now);
    const handoff = await this.handoff(store, decision.priority, id, body, now);
    const integrations = enabledIntegrations(store.config, decision.route?.integrations);
    const context: StoredContext = {
      messages: body.messages.slice(-MAX_STORED_MESSAGES),
      customer: body.customer ?? {},
      order: body.order ?? {},
      orderHistoryCount: body.orderHistoryCount,
      detectedIntent: body.detectedIntent,
      manual: body.manual,
      metadata: body.metadata ?? {},
      slackChannel: decision.route?.slackChannel,
      handoff,
    };
    const inserted = await this.cases.submit(
      prepareCase({
        id,
        c: {
          storeId: store.id,
          conversationId: body.conversationId,
          openConversationId: body.conversationId,
          channel: body.channel,
          priority: decision.priority,
          triggers: [...new Set(decision.triggers.map((t) => t.type))],
          intent: decision.intent,
          keywords: decision.keywords,
          summary: decision.summary,
          reason: body.reason ?? null,
          aiConfidence: body.aiConfidence ?? null,
          sentiment: decision.sentiment,
          customerId: body.customer?.id ?? null,
          customerName: body.customer?.name ?? null,
          customerEmail: body.customer?.email ?? null,
          customerTier: body.customer?.tier ?? null,
          orderNumber: body.order?.number ?? null,
          orderTotal: body.order?.total ?? null,
          messageCount: body.messages.length,
          idempotencyKey: idempotencyKey ?? null,
          context: context as never,
          decision: decision as never,
          ...due,
          expectedFirstResponseAt: new Date(handoff.expectedFirstResponseAt),
          createdAt: now,
        },
        integrations,
        eventData: { priority: decision.priority, triggers: decision.triggers.map((t) => t.type), integrations },
        searchText: searchText(decision.summary, context.messages),
      }),
    );
    if ('conflict' in inserted) return inserted;
    return { escalation: inserted.escalation, jobs: inserted.deliveries as JobRef[], handoff };
  }

  /** What the chat backend tells the customer (DESIGN §3 "handoff"). */
  private handoff(store: StoreRecord, priority: string, caseId: string, body: EscalateBody, now = new Date()): Promise<Handoff> {
    return planHandoff({ sql: this.sql, storeId: store.id, config: store.config, priority, caseId, locale: body.locale, now });
  }

  /** The conversation already has an open case: add what is new to it and tell the helpdesks. */
  /** Null when the case is gone (resolved and pruned in between). */
  private async appendToOpenCase(
    store: StoreRecord,
    caseId: string,
    body: EscalateBody,
    decision: FullDecision,
    read?: CaseVersion,
  ): Promise<EscalateResult | null> {
    const appended = await appendToCase(
      this.sql,
      {
        caseId,
        channel: body.channel,
        messages: body.messages,
        limit: MAX_STORED_MESSAGES,
        write: (append) => this.appends.submit(prepareAppend(append)),
        countUnchanged: (storeId, channel) => this.unchangedFollowUps.submit({ storeId, channel }),
      },
      read,
    );
    if (!appended) return null;
    const { row, eventId, deliveries } = appended;
    if (eventId) await this.enqueue(() => this.queues.enqueueUpdate(deliveries, eventId), row.id);
    // The estimate as of now for the open case (the promise made when it was opened stays on the case).
    const handoff = await this.handoff(store, row.priority, row.id, body);
    return {
      statusCode: 200,
      body: { escalated: true, deduplicated: true, escalation: serializeCase(row, this.publicUrl), decision, handoff },
    };
  }

  /** Redis being away must not fail an accepted escalation: the rows are the outbox, the sweeper resends. */
  private async enqueue(send: () => Promise<void>, escalationId: string) {
    try {
      await send();
    } catch (err) {
      // Not a line per request: a Redis outage is logged once by the API's dependency monitor.
      this.log.debug({ err: (err as Error).message, escalationId }, 'enqueue failed; the outbox sweeper will retry');
    }
  }

  async get(storeId: string, id: string) {
    const row = await this.db.escalation.findFirst({
      where: { id, storeId },
      include: { deliveries: { orderBy: { type: 'asc' } }, events: { orderBy: { id: 'asc' } } },
    });
    if (!row) throw new NotFound(`Escalation ${id} not found`);
    return serializeCase(row, this.publicUrl, { deliveries: row.deliveries, events: row.events, full: true });
  }

  async findOwned(storeId: string, id: string): Promise<Escalation> {
    const row = await this.db.escalation.findFirst({ where: { id, storeId } });
    if (!row) throw new NotFound(`Escalation ${id} not found`);
    return row;
  }

  ensureOpen(row: Escalation) {
    if (row.status === 'RESOLVED' || row.status === 'CLOSED') throw new Conflict(`Escalation ${row.id} is ${row.status}`);
  }
}
