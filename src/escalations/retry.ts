import type { FastifyBaseLogger } from 'fastify';
import { Conflict } from '../cases/errors.ts';
import type { Db } from '../db/client.ts';
import type { DeliveryQueues } from '../delivery/queues.ts';
import type { EscalationService } from './service.ts';

interface RetryDeps {
  db: Db;
  queues: DeliveryQueues;
  escalations: Pick<EscalationService, 'findOwned'>;
  log: FastifyBaseLogger;
}

/** Sets a case's FAILED deliveries back to PENDING and enqueues them (the sweeper covers a Redis outage). */
export async function retryFailedDeliveries(ctx: RetryDeps, storeId: string, id: string): Promise<string[]> {
  const row = await ctx.escalations.findOwned(storeId, id);
  const failed = await ctx.db.escalationIntegration.findMany({ where: { escalationId: row.id, status: 'FAILED' } });
  if (failed.length === 0) throw new Conflict(`Escalation ${row.id} has no failed deliveries to retry`);
  await ctx.db.escalationIntegration.updateMany({
    where: { id: { in: failed.map((d) => d.id) }, status: 'FAILED' },
    data: { status: 'PENDING', attempts: 0, lastError: null },
  });
  await ctx.db.escalationEvent.create({
    data: { escalationId: row.id, type: 'delivery_retried', source: 'api', data: { integrations: failed.map((d) => d.type) } },
  });
  for (const d of failed) {
    try {
      await ctx.queues.requeueCreate({ id: d.id, type: d.type });
    } catch (err) {
      // Not a line per request: a Redis outage is logged once by the API's dependency monitor.
      ctx.log.debug({ err: (err as Error).message, deliveryId: d.id }, 'retry enqueue failed; the outbox sweeper will send it');
    }
  }
  return failed.map((d) => d.type);
}
