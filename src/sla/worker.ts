import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SqlPool } from '../db/sql.ts';
import type { Lifecycle } from '../escalations/lifecycle.ts';
import { runBreachActions } from './breach-actions.ts';
import { alertPending, nextAlertAt, slaAlerts, targetMet, type SlaJob } from './schedule.ts';
import { slaAlerts as slaAlertsTotal } from '../metrics.ts';

export interface SlaWorkerOptions {
  /** How often each worker process looks for due alerts: an alert goes out at most this late. */
  pollMs: number;
  /** A claimed case is claimable again after this, should its process die while alerting. */
  leaseMs: number;
  /** Cases claimed per statement, and alerted this many at a time. */
  batch: number;
  concurrency: number;
  /**
   * Plain pg for the poll (default: through Prisma): it runs twice a second in every worker process,
   * mostly finding nothing, and a Prisma raw query costs about twice the CPU of the same one on pg.
   */
  sql?: SqlPool;
}

export const DEFAULT_SLA_WORKER_OPTIONS: SlaWorkerOptions = { pollMs: 500, leaseMs: 15_000, batch: 100, concurrency: 4 };

/**
 * Fires SLA warnings and breaches from the due times stored on the case (its row in sla_timers holds
 * its earliest pending alert): no job per case. Every worker process polls; a case is claimed by moving
 * its timer a lease ahead under FOR UPDATE SKIP LOCKED, so processes never work on the same case at
 * once, and a process that dies leaves the case to another when the lease ends. Each alert is posted
 * once (Slack thread, ticket notes, outbound event through Lifecycle) and none for a target already
 * met. A breach then runs the store's breach actions (src/sla/breach-actions.ts), each once.
 */
export class SlaWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly options: SlaWorkerOptions;

  constructor(
    private readonly db: Db,
    private readonly lifecycle: Lifecycle,
    private readonly log: FastifyBaseLogger,
    options: Partial<SlaWorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_SLA_WORKER_OPTIONS, ...options };
  }

  start() {
    this.timer = setInterval(() => {
      this.running ??= this.poll()
        .then(
          () => undefined,
          (err) => this.log.warn({ err: (err as Error).message }, 'sla poll failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.options.pollMs);
    this.timer.unref();
  }

  async close() {
    clearInterval(this.timer);
    await this.running;
  }

  /** Alerts every case whose next alert is due; returns how many cases it looked at. */
  async poll(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim(now);
      total += claimed.length;
      const queue = [...claimed];
      await Promise.all(
        Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
          for (let id = queue.shift(); id; id = queue.shift())
            await this.alertCase(id).catch((err: unknown) =>
              this.log.warn({ err: (err as Error).message, escalationId: id }, 'sla alert failed; retried after the lease'),
            );
        }),
      );
      if (claimed.length < this.options.batch) return total;
    }
  }

  private async claim(now: Date): Promise<string[]> {
    const leaseEnd = new Date(now.getTime() + this.options.leaseMs);
    if (this.options.sql) {
      const { rows } = await this.options.sql.query<{ id: string }>({
        name: 'sla-claim',
        // The due timers are found once (MATERIALIZED), then updated by key: as `IN (subquery)`, a plan
        // made while the table looked empty rescanned the due-time index once per timer, every poll.
        text: `WITH due AS MATERIALIZED (
            SELECT "escalationId" FROM sla_timers WHERE "nextAt" <= $2::timestamp ORDER BY "nextAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
          UPDATE sla_timers t SET "nextAt" = $1::timestamp FROM due WHERE t."escalationId" = due."escalationId"
          RETURNING t."escalationId"::text AS id`,
        // timestamp(3) columns hold UTC without a zone (src/delivery/rows.ts)
        values: [utc(leaseEnd), utc(now), this.options.batch],
      });
      return rows.map((r) => r.id);
    }
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      WITH due AS MATERIALIZED (
        SELECT "escalationId" FROM sla_timers WHERE "nextAt" <= ${now} ORDER BY "nextAt" LIMIT ${this.options.batch} FOR UPDATE SKIP LOCKED)
      UPDATE sla_timers t SET "nextAt" = ${leaseEnd} FROM due WHERE t."escalationId" = due."escalationId"
      RETURNING t."escalationId"::text AS id`;
    return rows.map((r) => r.id);
  }

  /** Sends the case's due alerts in time order, then sets its timer to the next one (or drops it). */
  private async alertCase(id: string) {
    const e = await this.db.escalation.findUnique({ where: { id } });
    const now = Date.now();
    if (e) for (const alert of slaAlerts(e)) if (alert.at <= now && alertPending(e, alert)) await this.fire(alert);
    const fresh = e && (await this.db.escalation.findUnique({ where: { id } }));
    const next = fresh && nextAlertAt(fresh);
    if (next) await this.db.slaTimer.update({ where: { escalationId: id }, data: { nextAt: next } });
    else await this.db.slaTimer.deleteMany({ where: { escalationId: id } });
  }

  async fire({ escalationId, kind, stage }: SlaJob): Promise<string> {
    const e = await this.db.escalation.findUnique({ where: { id: escalationId } });
    if (!e) return 'gone';
    if (targetMet(e, kind) || e.status === 'CLOSED') return 'met';
    const due = kind === 'firstResponse' ? e.firstResponseDueAt : e.resolutionDueAt;
    const dueAt = due.toISOString();
    const breachField = kind === 'firstResponse' ? 'firstResponseBreachedAt' : 'resolutionBreachedAt';
    // A warning that runs late (workers were away) would follow its own breach: only the breach is sent.
    if (stage === 'warning' && Date.now() >= due.getTime()) return 'superseded';
    const field = stage === 'breach' ? breachField : kind === 'firstResponse' ? 'firstResponseWarnedAt' : 'resolutionWarnedAt';
    const type = stage === 'breach' ? 'sla_breached' : 'sla_warning';
    // The conditional update is the "only once", even if two processes fire it; the mark and its
    // event commit together, so a crash cannot leave an alert marked but not posted.
    const event = await this.db.$transaction(async (tx) => {
      const marked = await tx.escalation.updateMany({
        where: { id: e.id, [field]: null, ...(stage === 'warning' ? { [breachField]: null } : {}) },
        data: { [field]: new Date() },
      });
      if (marked.count === 0) return null;
      return tx.escalationEvent.create({ data: { escalationId: e.id, type, source: 'sla', data: { kind, dueAt } } });
    });
    if (event) {
      slaAlertsTotal.inc({ stage, kind });
      await this.lifecycle.push(e, event);
    }
    if (stage === 'warning') return event ? 'warned' : 'already';
    // Also on a retry: policies not run yet (a crash after the mark) run now, those done never again.
    for (const { row, event } of await runBreachActions(this.db, e, kind, dueAt)) await this.lifecycle.push(row, event);
    return event ? 'breached' : 'already';
  }
}

const utc = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
