import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { IntegrationType } from '../generated/prisma/client.ts';
import { PUSHED_EVENT_TYPES } from './worker.ts';
import { echoSourceOf, INTEGRATION_TYPES } from '../integrations/registry.ts';
import { caseJobId, type DeliveryQueues } from './queues.ts';
import { deliveryRequeues } from '../metrics.ts';

/**
 * The outbox sweeper: a PENDING delivery whose job is missing (Redis was down during the request,
 * or lost its data) or that no relay took (src/delivery/relay.ts), or whose relay attempt outlived
 * its lease (a crashed worker), is enqueued again. Runs in every worker process; the job id makes it idempotent.
 */
/** Older events are left alone: a helpdesk that has been failing for a day needs a person, not a sweep. */
const UPDATE_SWEEP_WINDOW_MS = 24 * 3600 * 1000;

const SWEEP_PAGE = 500;
const INBOUND_DEDUPE_KEEP_MS = 7 * 24 * 3600 * 1000;
const IDEMPOTENCY_KEEP_MS = 24 * 3600 * 1000;

/** SQL for the one echo rule (registry.echoSourceOf): no event pushed back to the helpdesk it came from. */
function notEcho(): Prisma.Sql {
  const pairs = INTEGRATION_TYPES.flatMap((type) => {
    const source = echoSourceOf(type);
    return source ? [Prisma.sql`(d.type::text = ${type} AND e.source = ${source})`] : [];
  });
  return pairs.length ? Prisma.sql`NOT (${Prisma.join(pairs, ' OR ')})` : Prisma.sql`TRUE`;
}

export class OutboxSweeper {
  private timer?: NodeJS.Timeout;
  private after?: string;
  private running?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly queues: DeliveryQueues,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 15_000,
    private readonly minAgeMs = 5_000,
  ) {}

  start() {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(
          () => undefined,
          (err) => this.log.warn({ err: (err as Error).message }, 'outbox sweep failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many deliveries it enqueued again. */
  async sweep(): Promise<number> {
    const requeued = await this.sweepDeliveries();
    await this.sweepUpdates();
    await this.sweepReconciles();
    await this.prune();
    return requeued;
  }

  /**
   * Dedupe records only matter while a redelivery can still come: Zendesk and Freshdesk retry for
   * hours, Idempotency-Key retries come within minutes. Older rows are deleted, a bounded batch at a time.
   */
  async prune(now = Date.now()): Promise<{ inbound: number; idempotency: number }> {
    const inbound = await this.db.$executeRaw`
      DELETE FROM inbound_events WHERE ctid IN (
        SELECT ctid FROM inbound_events WHERE "createdAt" < ${new Date(now - INBOUND_DEDUPE_KEEP_MS)} LIMIT 5000)`;
    const idempotency = await this.db.$executeRaw`
      DELETE FROM idempotency_records WHERE ctid IN (
        SELECT ctid FROM idempotency_records WHERE "createdAt" < ${new Date(now - IDEMPOTENCY_KEEP_MS)} LIMIT 5000)`;
    return { inbound, idempotency };
  }

  private async sweepDeliveries(): Promise<number> {
    // Pages through all PENDING rows, 500 per sweep, so rows waiting out a long backoff cannot hide
    // newer ones whose job was lost. Each row comes with its case's fan-out job id (queues.caseJobId,
    // from the case's first delivery id): a delivery whose first attempt is still queued is left to it.
    const stale = await this.db.$queryRaw<{ id: string; type: IntegrationType; firstId: string }[]>`
      SELECT d.id::text AS id, d.type, (SELECT min(s.id::text COLLATE "C") FROM escalation_integrations s WHERE s."escalationId" = d."escalationId") AS "firstId"
      FROM escalation_integrations d
      WHERE d.status = 'PENDING' AND d."updatedAt" < ${new Date(Date.now() - this.minAgeMs)} AND NOT coalesce(d."leaseUntil" > now() AT TIME ZONE 'UTC', false)
        ${this.after ? Prisma.sql`AND d.id > ${this.after}::uuid` : Prisma.empty}
      ORDER BY d.id
      LIMIT ${SWEEP_PAGE}`;
    this.after = stale.length === SWEEP_PAGE ? stale[stale.length - 1]!.id : undefined;
    const caseJobs = new Map<string, Promise<boolean>>();
    const orphans: typeof stale = [];
    for (const ref of stale) {
      const caseJob = caseJobId([ref.firstId]);
      if (!caseJobs.has(caseJob)) caseJobs.set(caseJob, this.queues.caseJobPending(caseJob));
      if (!(await caseJobs.get(caseJob))) orphans.push(ref);
    }
    // Read again after the job states: a fan-out job that finished meanwhile has recorded its
    // deliveries (it completes after them), and they need no job of their own.
    const still = orphans.length ? await this.stillPending(orphans.map((r) => r.id)) : new Set<string>();
    let requeued = 0;
    for (const ref of orphans) {
      if (!still.has(ref.id)) continue;
      if (await this.queues.requeueCreate({ id: ref.id, type: ref.type })) {
        requeued++;
        deliveryRequeues.inc({ integration: ref.type, reason: 'sweeper' });
      }
    }
    if (requeued) this.log.info({ requeued }, 'outbox sweeper enqueued deliveries again');
    return requeued;
  }

  /**
   * The deliveries still PENDING and not being tried, taken from the relay (src/delivery/relay.ts):
   * one a relay claimed meanwhile is left to it, and one sent again here is no longer the relay's to take.
   */
  private async stillPending(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE escalation_integrations SET "leaseUntil" = coalesce("leaseUntil", 'epoch')
      WHERE id = ANY(${ids}::uuid[]) AND status = 'PENDING' AND "updatedAt" < ${new Date(Date.now() - this.minAgeMs)}
        AND NOT coalesce("leaseUntil" > now() AT TIME ZONE 'UTC', false)
      RETURNING id::text AS id`;
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Timeline events recorded while Redis was away never got their update job: a delivered helpdesk
   * whose cursor is behind a recent event gets one job for its newest event, which sends them all.
   */
  private async sweepUpdates(): Promise<void> {
    const before = new Date(Date.now() - this.minAgeMs);
    const since = new Date(Date.now() - UPDATE_SWEEP_WINDOW_MS);
    const behind = await this.db.$queryRaw<{ id: string; type: IntegrationType; eventId: bigint }[]>`
      SELECT d.id, d.type, max(e.id) AS "eventId"
      FROM escalation_events e
      JOIN escalation_integrations d ON d."escalationId" = e."escalationId" AND d.status = 'DELIVERED' AND e.id > d."syncedEventId"
      WHERE e."createdAt" >= ${since} AND e."createdAt" < ${before} AND e.type IN (${Prisma.join(PUSHED_EVENT_TYPES)})
        AND ${notEcho()}
      GROUP BY d.id, d.type
      LIMIT 500`;
    for (const d of behind) await this.queues.enqueueUpdate([{ id: d.id, type: d.type }], d.eventId.toString());
  }

  /**
   * Reconcile jobs are delayed jobs too: a delivery still asking for one after its time (the job was
   * lost with Redis, or failed) gets it again.
   */
  private async sweepReconciles(): Promise<void> {
    const due = await this.db.escalationIntegration.findMany({
      where: { reconcileAfter: { lt: new Date(Date.now() - this.minAgeMs) } },
      select: { id: true, type: true, reconcileAfter: true },
      orderBy: { reconcileAfter: 'asc' },
      take: SWEEP_PAGE,
    });
    for (const d of due) await this.queues.enqueueReconcile(d, d.reconcileAfter!);
  }
}
