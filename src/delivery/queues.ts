import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import { INTEGRATION_TYPES } from '../integrations/registry.ts';

/** One queue per registered integration. */
export { INTEGRATION_TYPES };

export const queueName = (type: IntegrationType) => `deliver-${type.toLowerCase()}`;

/** The fan-out queue: one job per new case makes the first attempt of each of its deliveries, in parallel. */
export const CASE_QUEUE = 'deliver-case';

export interface CaseJob {
  /** The case's deliveries (all of one case). */
  deliveries: JobRef[];
}

/**
 * The fan-out job's id, from its deliveries alone (the producer does not know the case id): the
 * sweeper derives the same id from a delivery's siblings to see whether the first attempt is still coming.
 */
export const caseJobId = (deliveryIds: string[]) => `case-${[...deliveryIds].sort()[0]}`;

/** States in which a job will still run (BullMQ's names). */
const UNFINISHED = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);

export interface DeliveryJob {
  deliveryId: string;
  /**
   * create: the first message/ticket; update: a timeline event pushed to an existing thread/ticket;
   * reconcile: remove a duplicate that a request answered too late may have made.
   */
  action: 'create' | 'update' | 'reconcile';
  eventId?: string;
  /** reconcile: the delivery's reconcileAfter (ms) this job was made for. */
  at?: number;
  /**
   * create: tries already made outside this job (the fan-out's first attempt): the job has that many
   * fewer attempts, and its backoff goes on from there.
   */
  priorAttempts?: number;
}

/**
 * A delayed reconcile job for one reconcileAfter value. A job of the same id that already ran or
 * failed is replaced (the row still asking for it means it did not finish); one waiting is kept.
 */
export async function addReconcileJob(queue: Queue<DeliveryJob>, deliveryId: string, at: Date): Promise<boolean> {
  const jobId = `${deliveryId}-reconcile-${at.getTime()}`;
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await existing.remove();
  }
  await queue.add('reconcile', { deliveryId, action: 'reconcile', at: at.getTime() }, { jobId, delay: Math.max(0, at.getTime() - Date.now()) });
  return true;
}

export interface JobRef {
  id: string;
  type: IntegrationType;
}

export interface QueueOptions {
  /** Tries of a delivery job before its delivery is FAILED. */
  attempts: number;
  /** A Redis command without an answer (a stalled Redis) fails after this; 0 waits forever. */
  commandTimeoutMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { attempts: 8, commandTimeoutMs: 2000 };

/**
 * Producer side of the delivery queues. The API connection does not queue commands while Redis is
 * away: an enqueue fails at once, the delivery row stays PENDING and the sweeper sends it later.
 */
export class DeliveryQueues {
  readonly connection: Redis;
  private readonly queues: Map<IntegrationType, Queue<DeliveryJob>>;
  /** The fan-out queue (first attempts of new cases, when the relay is off). */
  readonly cases: Queue<CaseJob>;
  /** Tries of a delivery before it is FAILED (the workers' relay counts first attempts against it too). */
  readonly attempts: number;

  constructor(redisUrl: string, options: Partial<QueueOptions> = {}) {
    const { attempts, commandTimeoutMs } = { ...DEFAULT_QUEUE_OPTIONS, ...options };
    this.attempts = attempts;
    this.connection = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
      ...(commandTimeoutMs > 0 ? { commandTimeout: commandTimeoutMs } : {}),
    });
    this.connection.on('error', () => {}); // reported by /ready and by failed enqueues, not as noise
    this.queues = new Map(
      INTEGRATION_TYPES.map((type) => [
        type,
        new Queue<DeliveryJob>(queueName(type), {
          connection: this.connection,
          defaultJobOptions: {
            attempts,
            backoff: { type: 'custom' },
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }),
      ]),
    );
    this.cases = new Queue<CaseJob>(CASE_QUEUE, {
      connection: this.connection,
      defaultJobOptions: {
        // Tries of the whole fan-out (it fails as a whole only when it cannot read its deliveries);
        // also the attempts its per-delivery retry jobs share with the first attempt.
        attempts,
        backoff: { type: 'custom' },
        // Gone once done: nothing reads a finished fan-out (caseJobPending takes a missing job as
        // finished), and keeping one costs its completion a set insert and the trim of an old one.
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    // Connection errors are the connection's (above); without a listener BullMQ prints each one.
    for (const queue of [...this.queues.values(), this.cases]) queue.on('error', () => {});
  }

  queue(type: IntegrationType): Queue<DeliveryJob> {
    return this.queues.get(type)!;
  }

  /**
   * One fan-out job for a new case (`refs` = all its deliveries): its worker makes every first
   * attempt at once, and only failures get a job of their own on the per-integration queue. The job
   * id derives from the deliveries, so a re-enqueue of a job that still exists is a no-op.
   */
  async enqueueCreate(refs: JobRef[]): Promise<void> {
    if (refs.length === 0) return;
    const deliveries = refs.map((r) => ({ id: r.id, type: r.type }));
    await this.cases.add('case', { deliveries }, { jobId: caseJobId(deliveries.map((r) => r.id)) });
  }

  /** Whether the fan-out job of this id will still run (then it makes the first attempts itself). */
  async caseJobPending(jobId: string): Promise<boolean> {
    const job = await this.cases.getJob(jobId);
    return !!job && UNFINISHED.has(await job.getState());
  }

  /**
   * Enqueues a delivery's create job unless one is waiting, delayed or running. A finished job of the
   * same id (a delivery retried after FAILED, or completed while the row could not be updated) is
   * removed first, since BullMQ ignores an add whose job id still exists.
   */
  async requeueCreate(ref: JobRef): Promise<boolean> {
    const queue = this.queue(ref.type);
    const existing = await queue.getJob(ref.id);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
      await existing.remove();
    }
    await queue.add('create', { deliveryId: ref.id, action: 'create' }, { jobId: ref.id });
    return true;
  }

  async enqueueReconcile(ref: JobRef, at: Date): Promise<boolean> {
    return addReconcileJob(this.queue(ref.type), ref.id, at);
  }

  async enqueueUpdate(refs: JobRef[], eventId: string): Promise<void> {
    await Promise.all(refs.map((r) => this.queue(r.type).add('update', { deliveryId: r.id, action: 'update', eventId }, { jobId: `${r.id}-${eventId}` })));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values(), this.cases].map((q) => q.close()));
    this.connection.disconnect();
  }
}
