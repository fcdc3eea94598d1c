import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Escalation } from '../generated/prisma/client.ts';
import { SLA_QUEUE, slaAlerts, slaJobId, type SlaJob } from './schedule.ts';

/**
 * The producer side of the SLA alerts (the SlaWorker in ./worker.ts consumes it): delayed jobs for the
 * warning (80%) and breach (100%) of both targets of a case. The job id makes a schedule idempotent.
 */
export class SlaQueue {
  readonly queue: Queue<SlaJob>;

  constructor(connection: Redis) {
    this.queue = new Queue<SlaJob>(SLA_QUEUE, {
      connection,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    // Connection errors are the connection owner's to report; without a listener BullMQ prints each one.
    this.queue.on('error', () => {});
  }

  async schedule(e: Pick<Escalation, 'id' | 'createdAt' | 'firstResponseDueAt' | 'resolutionDueAt'>): Promise<void> {
    const now = Date.now();
    await Promise.all(slaAlerts(e).map(({ at, ...job }) => this.queue.add(job.stage, job, { jobId: slaJobId(job), delay: Math.max(0, at - now) })));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
