import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Escalation } from '../generated/prisma/client.ts';
import { WARNING_FRACTION } from '../sla/schedule.ts';
import type { DeliveryQueues } from './queues.ts';

/**
 * The outbox sweeper: a PENDING delivery whose job is missing (Redis was down during the request,
 * or lost its data) is enqueued again. Runs in every worker process; the job id makes it idempotent.
 */
export class OutboxSweeper {
  private timer?: NodeJS.Timeout;
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
    await this.sweepSla();
    return requeued;
  }

  private async sweepDeliveries(): Promise<number> {
    const stale = await this.db.escalationIntegration.findMany({
      where: { status: 'PENDING', updatedAt: { lt: new Date(Date.now() - this.minAgeMs) } },
      select: { id: true, type: true },
      orderBy: { updatedAt: 'asc' },
      take: 500,
    });
    let requeued = 0;
    for (const ref of stale) if (await this.queues.requeueCreate(ref)) requeued++;
    if (requeued) this.log.info({ requeued }, 'outbox sweeper enqueued deliveries again');
    return requeued;
  }

  /**
   * SLA alerts are delayed jobs, lost with Redis like delivery jobs. Open cases whose next alert is
   * overdue and not recorded get their alerts scheduled again: jobs that still exist (pending or
   * done) make that a no-op, and the SLA worker posts each alert only once anyway.
   */
  private async sweepSla(): Promise<void> {
    const before = new Date(Date.now() - this.minAgeMs);
    const overdue = await this.db.$queryRaw<Pick<Escalation, 'id' | 'createdAt' | 'firstResponseDueAt' | 'resolutionDueAt'>[]>`
      SELECT id, "createdAt", "firstResponseDueAt", "resolutionDueAt" FROM escalations
      WHERE status IN ('OPEN', 'IN_PROGRESS') AND (
        ("firstResponseBreachedAt" IS NULL AND "assignedAt" IS NULL AND "resolvedAt" IS NULL
          AND "createdAt" + ("firstResponseDueAt" - "createdAt") * ${WARNING_FRACTION} < ${before})
        OR ("resolutionBreachedAt" IS NULL AND "resolvedAt" IS NULL
          AND "createdAt" + ("resolutionDueAt" - "createdAt") * ${WARNING_FRACTION} < ${before}))
      ORDER BY "createdAt" LIMIT 500`;
    for (const e of overdue) await this.queues.scheduleSla(e);
  }
}
