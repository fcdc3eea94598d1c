import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import { deliveryRequeues } from '../metrics.ts';
import type { DeliveryQueues } from './queues.ts';

export interface RetryFilter {
  /** Unset: every store (admin only). */
  storeId?: string;
  integration?: IntegrationType;
  /** Deliveries that failed at or after this time (their last change). */
  since?: Date;
}

interface Flipped {
  id: string;
  type: IntegrationType;
  escalationId: string;
}

/**
 * Puts every FAILED delivery matching the filter back to PENDING in one statement, so two calls at
 * once never take the same delivery (each row is returned to one of them), then enqueues them. The
 * rows are the outbox: what an enqueue misses (Redis away) the sweeper sends.
 */
export async function retryFailedDeliveriesBulk(
  db: Db,
  queues: DeliveryQueues,
  log: FastifyBaseLogger,
  filter: RetryFilter,
): Promise<{ requeued: number; sent: Promise<void> }> {
  const conditions = [Prisma.sql`status = 'FAILED'`];
  if (filter.storeId) conditions.push(Prisma.sql`"storeId" = ${filter.storeId}::uuid`);
  if (filter.integration) conditions.push(Prisma.sql`type = ${filter.integration}::"IntegrationType"`);
  if (filter.since) conditions.push(Prisma.sql`"updatedAt" >= ${filter.since}`);
  const rows = await db.$queryRaw<Flipped[]>`
    UPDATE escalation_integrations SET status = 'PENDING', attempts = 0, "lastError" = NULL, "updatedAt" = now()
    WHERE ${Prisma.join(conditions, ' AND ')}
    RETURNING id, type, "escalationId"`;
  if (rows.length === 0) return { requeued: 0, sent: Promise.resolve() };
  const byCase = new Map<string, IntegrationType[]>();
  for (const row of rows) byCase.set(row.escalationId, [...(byCase.get(row.escalationId) ?? []), row.type]);
  await db.escalationEvent.createMany({
    data: [...byCase].map(([escalationId, integrations]) => ({ escalationId, type: 'delivery_retried', source: 'api', data: { integrations, bulk: true } })),
  });
  // Enqueued after the answer: a large replay must not hold the request (the rows are already PENDING).
  const sent = (async () => {
    for (let i = 0; i < rows.length; i += 50) {
      await Promise.all(
        rows.slice(i, i + 50).map(async (row) => {
          try {
            await queues.requeueCreate({ id: row.id, type: row.type });
            deliveryRequeues.inc({ integration: row.type, reason: 'manual' });
          } catch (err) {
            log.debug({ err: (err as Error).message, deliveryId: row.id }, 'bulk retry enqueue failed; the outbox sweeper will send it');
          }
        }),
      );
    }
  })();
  return { requeued: rows.length, sent };
}
