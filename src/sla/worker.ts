import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Lifecycle } from '../escalations/lifecycle.ts';
import { runBreachActions } from './breach-actions.ts';
import { SLA_QUEUE, targetMet, type SlaJob } from './schedule.ts';
import { slaAlerts } from '../metrics.ts';

/**
 * Fires SLA warnings and breaches: each is posted once (Slack thread, ticket notes, outbound event
 * through Lifecycle.record) and none for a target already met. A breach then runs the store's
 * breach actions (src/sla/breach-actions.ts), each once.
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
      // The mark and its event commit together: a crash cannot leave a breach without its post.
      const breach = await this.db.$transaction(async (tx) => {
        const marked = await tx.escalation.updateMany({ where: { id: e.id, [field]: null }, data: { [field]: new Date() } });
        if (marked.count === 0) return null;
        return tx.escalationEvent.create({ data: { escalationId: e.id, type: 'sla_breached', source: 'sla', data: { kind, dueAt } } });
      });
      if (breach) {
        slaAlerts.inc({ stage: 'breach', kind });
        await this.lifecycle.push(e, breach);
      }
      // Also on a retry: policies not run yet (a crash after the mark) run now, those done never again.
      for (const { row, event } of await runBreachActions(this.db, e, kind, dueAt)) await this.lifecycle.push(row, event);
      return breach ? 'breached' : 'already';
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
