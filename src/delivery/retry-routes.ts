import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { forbidden } from '../http/errors.ts';
import { requireApiKey } from '../stores/auth.ts';
import { retryFailedDeliveriesBulk } from './bulk-retry.ts';
import { INTEGRATION_TYPES } from './queues.ts';

const retryBody = z
  .object({
    storeId: z.uuid().optional().describe('Required in effect for a store key (its own store); the admin key without it replays every store'),
    integration: z
      .string()
      .max(20)
      .transform((v) => v.toUpperCase())
      .pipe(z.enum(INTEGRATION_TYPES))
      .optional()
      .describe('slack, zendesk, freshdesk or webhook'),
    since: z.iso.datetime({ offset: true }).optional().describe('Only deliveries that failed at or after this time (ISO-8601)'),
  })
  .strict();

export async function deliveryRetryRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  r.post(
    '/deliveries/retry',
    {
      schema: {
        tags: ['escalations'],
        summary: 'Send every FAILED delivery matching the filter again (once credentials or settings are fixed)',
        description: 'Each matching delivery is set back to PENDING and re-sent exactly once, even when several calls run at once; `requeued` counts them.',
        body: retryBody.nullish(),
        response: { 202: z.object({ requeued: z.number().int() }) },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const body = request.body ?? {};
      if (principal.kind === 'store' && body.storeId && body.storeId !== principal.storeId) throw forbidden('This API key belongs to another store');
      const storeId = principal.kind === 'store' ? principal.storeId : body.storeId;
      const { requeued } = await retryFailedDeliveriesBulk(ctx.db, ctx.queues, request.log, {
        storeId,
        integration: body.integration,
        since: body.since ? new Date(body.since) : undefined,
      });
      request.log.info({ storeId: storeId ?? 'all', integration: body.integration, since: body.since, requeued }, 'failed deliveries sent again');
      return reply.status(202).send({ requeued });
    },
  );
}
