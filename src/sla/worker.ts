import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Lifecycle } from '../escalations/lifecycle.ts';
import { SLA_QUEUE, targetMet, type SlaJob } from './schedule.ts';
import { slaAlerts } from '../http/metrics.ts';

/**
 * Fires SLA warnings and breaches: each is posted once (Slack thread, ticket notes, outbound event
 * through Lifecycle.record) and none for a target already met.
 */
export class SlaWorker {
  private worker?: Worker<SlaJob>;

  constructor(
    private readonly connection: Redis,
    private readonly db: Db,
    private readonly lifecycle: Lifecycle,
    private readonly log: FastifyBaseLogger,
  ) {}

  start() {
    this.worker = new Worker<SlaJob>(SLA_QUEUE, (job) => this.fire(job.data), { connection: this.connection, concurrency: 4 });
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'sla worker error'));
  }

  async close() {
    await this.worker?.close();
  }

  async fire({ escalationId, kind, stage }: SlaJob): Promise<string> {
    const e = await this.db.escalation.findUnique({ where: { id: escalationId } });
    if (!e) return 'gone';
    if (targetMet(e, kind) || e.status === 'CLOSED') return 'met';
    const due = kind === 'firstResponse' ? e.firstResponseDueAt : e.resolutionDueAt;
    const dueAt = due.toISOString();
    // A warning that runs late (workers or Redis were away) would follow its own breach: only the breach is sent.
    if (stage === 'warning' && Date.now() >= due.getTime()) return 'superseded';
    if (stage === 'breach') {
      const field = kind === 'firstResponse' ? 'firstResponseBreachedAt' : 'resolutionBreachedAt';
      // The conditional update is the "only once", even if the job ran twice.
      const marked = await this.db.escalation.updateMany({ where: { id: e.id, [field]: null }, data: { [field]: new Date() } });
      if (marked.count === 0) return 'already';
      await this.lifecycle.record(e, 'sla_breached', { source: 'sla' }, { kind, dueAt });
      slaAlerts.inc({ stage: 'breach', kind });
      return 'breached';
    }
    const warned = await this.db.escalationEvent.findFirst({
      where: { escalationId: e.id, type: 'sla_warning', data: { path: ['kind'], equals: kind } },
      select: { id: true },
    });
    if (warned) return 'already';
    await this.lifecycle.record(e, 'sla_warning', { source: 'sla' }, { kind, dueAt });
    slaAlerts.inc({ stage: 'warning', kind });
    return 'warned';
  }
}
