import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { StoredContext } from '../cases/context.ts';
import type { FullDecision } from '../cases/decision.ts';
import { caseUrl } from '../cases/serialize.ts';
import type { EscalationIntegration, Escalation } from '../generated/prisma/client.ts';
import { recordDelivery } from '../metrics.ts';
import { echoSourceOf, INTEGRATION_TYPES, integrations } from '../integrations/registry.ts';
import { ConcurrentAttempt, DeliveryError, SettleWait, type AdapterRegistry, type DeliveryContext } from '../integrations/types.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import type { StoreDirectory } from '../stores/store-directory.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { addReconcileJob, queueName, type DeliveryJob } from './queues.ts';
import { head } from '../text/code-points.ts';

export interface WorkerOptions {
  concurrency: Record<IntegrationType, number>;
  backoff: BackoffOptions;
  registry: AdapterRegistry;
  /** How long a job stays locked to a worker that stopped renewing it (crashed) before another takes it over. */
  lockDurationMs: number;
  /** How often workers look for such stalled jobs. */
  stalledIntervalMs: number;
  /** Default: HELPDESK_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs: number;
  /** Default: HELPDESK_LATE_COMMIT_MS. */
  lateCommitMs: number;
}

function mapTypes<T>(f: (type: IntegrationType) => T): Record<IntegrationType, T> {
  return Object.fromEntries(INTEGRATION_TYPES.map((t) => [t, f(t)])) as Record<IntegrationType, T>;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'requestTimeoutMs' | 'lateCommitMs'> = {
  concurrency: mapTypes((t) => integrations[t].concurrency),
  backoff: DEFAULT_BACKOFF,
  registry: mapTypes((t) => integrations[t].adapter),
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
};

type DeliveryRow = EscalationIntegration & { escalation: Escalation };

/** Timeline events that are pushed to the helpdesks (thread posts, ticket notes, outbound events). */
export const PUSHED_EVENT_TYPES = [
  'assigned',
  'status_changed',
  'resolved',
  'reopened',
  'agent_reply',
  'messages_appended',
  'sla_warning',
  'sla_breached',
  'sla_action',
];
const UPDATES_PER_JOB = 5;
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Consumes the delivery queues: one BullMQ worker per integration, each with its own concurrency. */
export class DeliveryWorkers {
  readonly connection: Redis;
  private readonly workers: Worker<DeliveryJob>[] = [];
  private readonly options: WorkerOptions;
  /** Producers for the reconcile jobs this worker schedules (on the worker's connection). */
  private readonly queues = new Map<string, Queue<DeliveryJob>>();

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly stores: StoreDirectory,
    private readonly log: FastifyBaseLogger,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = {
      ...DEFAULT_WORKER_OPTIONS,
      requestTimeoutMs: config.helpdeskRequestTimeoutMs,
      lateCommitMs: config.helpdeskLateCommitMs,
      ...options,
    };
    // Workers block on Redis and must survive its restarts: no per-command retry limit.
    this.connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (err) => this.log.warn({ err: err.message }, 'worker redis connection error'));
  }

  start() {
    for (const type of INTEGRATION_TYPES) {
      const worker = new Worker<DeliveryJob>(queueName(type), (job, token) => this.process(job, token), {
        connection: this.connection,
        concurrency: this.options.concurrency[type],
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs,
        settings: { backoffStrategy: (attemptsMade, _type, err) => backoffDelay(attemptsMade, err, this.options.backoff) },
      });
      worker.on('error', (err) => this.log.warn({ err: err.message, queue: worker.name }, 'worker error'));
      this.workers.push(worker);
    }
  }

  /** The queues this process consumes, with each worker's concurrency. */
  consumed(): { queue: string; concurrency: number }[] {
    return this.workers.map((w) => ({ queue: w.name, concurrency: w.concurrency }));
  }

  /** Resolves once every worker is connected to Redis. */
  async waitUntilReady() {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private queue(type: DeliveryRow['type']): Queue<DeliveryJob> {
    let queue = this.queues.get(type);
    if (!queue) {
      queue = new Queue<DeliveryJob>(queueName(type), {
        connection: this.connection,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'custom' },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      queue.on('error', () => {});
      this.queues.set(type, queue);
    }
    return queue;
  }

  /** Close after everything that shares the connection (the SLA worker) is closed. */
  disconnect() {
    this.connection.disconnect();
  }

  private async process(job: Job<DeliveryJob>, token?: string) {
    const delivery = await this.db.escalationIntegration.findUnique({
      where: { id: job.data.deliveryId },
      include: { escalation: true },
    });
    if (!delivery) return 'gone';
    if (job.data.action === 'create') return this.create(job, delivery, token);
    if (job.data.action === 'reconcile') return this.reconcile(job, delivery);
    return this.update(job, delivery, token);
  }

  private async context(delivery: DeliveryRow): Promise<DeliveryContext> {
    const store = await this.stores.get(delivery.storeId);
    if (!store) throw new UnrecoverableError(`store ${delivery.storeId} no longer exists`);
    return {
      config: this.config,
      store,
      escalation: delivery.escalation,
      context: delivery.escalation.context as unknown as StoredContext,
      decision: delivery.escalation.decision as unknown as FullDecision,
      delivery,
      caseUrl: caseUrl(this.config.publicUrl, delivery.escalationId),
      requestTimeoutMs: this.options.requestTimeoutMs,
      lateCommitMs: this.options.lateCommitMs,
      saveProgress: async (metadata) => {
        // Compare-and-set: two runs of one delivery (a lapsed lock) must not both think they go first.
        const saved = await this.db.escalationIntegration.updateMany({
          where: { id: delivery.id, metadata: { equals: (delivery.metadata ?? {}) as object } },
          data: { metadata: metadata as object },
        });
        if (saved.count === 0) throw new ConcurrentAttempt();
        delivery.metadata = metadata as never;
      },
      reconcileLater: async () => {
        // Covers every request sent up to now (and the one about to go): each lands within lateCommitMs of its start.
        const at = new Date(Date.now() + this.options.lateCommitMs + 1000);
        await this.db.$executeRaw`
          UPDATE escalation_integrations SET "reconcileAfter" = GREATEST(coalesce("reconcileAfter", ${at}), ${at})
          WHERE id = ${delivery.id}::uuid`;
        // The row is the promise; the job is the fast path (the sweeper re-enqueues a lost one), so the
        // helpdesk call does not wait on Redis.
        void addReconcileJob(this.queue(delivery.type), delivery.id, at).catch((err) =>
          this.log.warn({ deliveryId: delivery.id, err: (err as Error).message }, 'reconcile enqueue failed; the sweeper will do it'),
        );
      },
    };
  }

  /**
   * Removes late duplicates once every request that could make one has landed. The row's
   * reconcileAfter is cleared only if no newer request moved it meanwhile (that one has its own job).
   */
  private async reconcile(job: Job<DeliveryJob>, delivery: DeliveryRow) {
    const at = new Date(job.data.at ?? 0);
    const clear = () => this.db.escalationIntegration.updateMany({ where: { id: delivery.id, reconcileAfter: at }, data: { reconcileAfter: null } });
    const adapter = this.options.registry[delivery.type];
    if (!adapter.reconcile || delivery.status === 'SKIPPED') {
      await clear();
      return 'nothing to reconcile';
    }
    try {
      const outcome = await adapter.reconcile(await this.context(delivery));
      if (outcome === 'not-yet') {
        if (delivery.status === 'FAILED') {
          // Nothing recorded to keep: a manual retry adopts what landed (it looks first).
          await clear();
          return 'failed delivery: left as is';
        }
        // The create is still on its way: look again later, when it has recorded what to keep.
        const later = new Date(Date.now() + this.options.lateCommitMs);
        const moved = await this.db.escalationIntegration.updateMany({ where: { id: delivery.id, reconcileAfter: at }, data: { reconcileAfter: later } });
        if (moved.count) await addReconcileJob(this.queue(delivery.type), delivery.id, later);
        return 'not yet';
      }
      await clear();
      return 'reconciled';
    } catch (err) {
      if (err instanceof DeliveryError && err.permanent) {
        this.log.warn({ deliveryId: delivery.id, err: err.message }, 'reconcile failed for good; duplicates may remain');
        await clear();
        return 'reconcile failed';
      }
      this.log.warn({ deliveryId: delivery.id, err: (err as Error).message }, 'reconcile failed; will retry');
      throw err;
    }
  }

  private async create(job: Job<DeliveryJob>, delivery: DeliveryRow, token?: string) {
    if (delivery.status !== 'PENDING') return delivery.status.toLowerCase();
    const attempt = await this.db.escalationIntegration.update({
      where: { id: delivery.id },
      data: { attempts: { increment: 1 } },
      select: { attempts: true },
    });
    delivery.attempts = attempt.attempts;
    const adapter = this.options.registry[delivery.type];
    try {
      const ctx = await this.context(delivery);
      const result = await adapter.create(ctx);
      const recorded = await this.db.$transaction(async (tx) => {
        // Only once: a second run of the same delivery (a lapsed lock) found the same message/ticket.
        const { count } = await tx.escalationIntegration.updateMany({
          where: { id: delivery.id, status: { in: ['PENDING', 'FAILED'] } },
          data: {
            status: 'DELIVERED',
            externalId: result.externalId,
            externalUrl: result.externalUrl,
            metadata: (result.metadata ?? delivery.metadata ?? {}) as object,
            lastError: null,
            deliveredAt: new Date(),
          },
        });
        if (count === 0) return false;
        await tx.escalationEvent.create({
          data: {
            escalationId: delivery.escalationId,
            type: 'delivered',
            source: delivery.type.toLowerCase(),
            data: { integration: delivery.type, externalId: result.externalId, externalUrl: result.externalUrl, attempts: attempt.attempts },
          },
        });
        return true;
      });
      if (!recorded) return 'delivered by another attempt';
      recordDelivery(delivery.type, 'delivered', { caseCreatedAt: delivery.escalation.createdAt });
      return 'delivered';
    } catch (err) {
      if (err instanceof SettleWait || err instanceof ConcurrentAttempt) {
        // Not a try at the helpdesk: give the attempt back.
        await this.db.escalationIntegration.update({ where: { id: delivery.id }, data: { attempts: { decrement: 1 } } });
      }
      if (err instanceof SettleWait) {
        // Come back without using up the job's attempts.
        await job.moveToDelayed(err.untilMs, token);
        throw new DelayedError();
      }
      if (err instanceof ConcurrentAttempt) {
        // The other run records the outcome. The job waits (rather than completes, which would let the
        // sweeper send the row again meanwhile) and then finds it DELIVERED, or adopts what the other
        // run sent if that one died. With a lapsed lock the job may be the other run's: then leave it.
        this.log.warn({ deliveryId: delivery.id }, err.message);
        try {
          await job.moveToDelayed(Date.now() + this.options.requestTimeoutMs + 1000, token);
        } catch {
          return 'left to the other attempt';
        }
        throw new DelayedError();
      }
      throw await this.recordFailure(job, delivery, err);
    }
  }

  /**
   * Pushes the case's timeline to one helpdesk in order. A job names the newest event it was made for;
   * it sends every event after the delivery's cursor up to that one, under a per-delivery lock, so two
   * jobs never interleave and an event missed during a Redis outage goes out with the next one.
   */
  private async update(job: Job<DeliveryJob>, delivery: DeliveryRow, token?: string) {
    if (delivery.status === 'FAILED' || delivery.status === 'SKIPPED') return 'skipped';
    // The create is still on its way (retrying, or waiting for Redis), or another job holds the
    // delivery: wait without using up this update's attempts.
    const later = async (ms: number) => {
      await job.moveToDelayed(Date.now() + ms, token);
      return new DelayedError();
    };
    if (delivery.status !== 'DELIVERED') throw await later(this.options.backoff.baseDelayMs);
    const lock = `reva:delivery-sync:${delivery.id}`;
    const owner = `${process.pid}:${job.id}`;
    const lockMs = UPDATES_PER_JOB * 2 * this.options.requestTimeoutMs + 5_000;
    if ((await this.connection.set(lock, owner, 'PX', lockMs, 'NX')) !== 'OK') throw await later(100 + Math.random() * 200);
    try {
      const { syncedEventId, metadata } = await this.db.escalationIntegration.findUniqueOrThrow({
        where: { id: delivery.id },
        select: { syncedEventId: true, metadata: true },
      });
      // What the previous holder of the lock saved (a Slack reply marker, …), not what was read before it.
      delivery.metadata = metadata;
      const echo = echoSourceOf(delivery.type);
      const pending = await this.db.escalationEvent.findMany({
        where: {
          escalationId: delivery.escalationId,
          id: { gt: syncedEventId, lte: BigInt(job.data.eventId!) },
          type: { in: PUSHED_EVENT_TYPES },
          ...(echo ? { source: { not: echo } } : {}),
        },
        orderBy: { id: 'asc' },
        take: UPDATES_PER_JOB,
      });
      const ctx = await this.context(delivery);
      for (const event of pending) {
        try {
          await this.options.registry[delivery.type].update(ctx, event);
        } catch (err) {
          if (err instanceof SettleWait) throw await later(Math.max(0, err.untilMs - Date.now()));
          if (err instanceof ConcurrentAttempt) throw await later(100 + Math.random() * 200);
          if (!(err instanceof DeliveryError && err.permanent)) throw err;
          // Retrying cannot fix it: note it on the timeline and go on with the next event.
          await this.db.escalationEvent.create({
            data: {
              escalationId: delivery.escalationId,
              type: 'update_failed',
              source: delivery.type.toLowerCase(),
              data: { eventId: event.id.toString(), error: head(err.message, 2000) },
            },
          });
        }
        await this.db.escalationIntegration.update({ where: { id: delivery.id }, data: { syncedEventId: event.id } });
      }
      if (pending.length === UPDATES_PER_JOB) throw await later(0);
      return pending.length ? 'updated' : 'up to date';
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      this.log.warn({ deliveryId: delivery.id, eventId: job.data.eventId, err: (err as Error).message }, 'update delivery failed');
      throw err;
    } finally {
      await this.connection.eval(RELEASE_LOCK, 1, lock, owner);
    }
  }

  /** Records the failure on the row; the last attempt (or a permanent failure) makes it FAILED. */
  private async recordFailure(job: Job<DeliveryJob>, delivery: DeliveryRow, err: unknown): Promise<Error> {
    const error = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message ?? String(err), err instanceof UnrecoverableError);
    const final = error.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const message = head(error.message, 2000);
    await this.db.escalationIntegration.update({
      where: { id: delivery.id },
      data: { lastError: message, ...(final ? { status: 'FAILED' } : {}) },
    });
    if (final) {
      await this.db.escalationEvent.create({
        data: {
          escalationId: delivery.escalationId,
          type: 'delivery_failed',
          source: delivery.type.toLowerCase(),
          data: { integration: delivery.type, error: message, attempts: delivery.attempts },
        },
      });
    }
    recordDelivery(delivery.type, final ? 'failed' : 'retry', { err: error });
    this.log.warn({ deliveryId: delivery.id, integration: delivery.type, attempt: delivery.attempts, final, err: message }, 'delivery attempt failed');
    return error.permanent ? new UnrecoverableError(message) : error;
  }
}
