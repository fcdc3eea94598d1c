import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { metricsRegistry } from '../metrics.ts';

const check = z.enum(['ok', 'timeout', 'down']).describe('ok, timeout (no answer within the probe time) or down (refused)');
const readiness = z.object({
  status: z.enum(['ready', 'unavailable', 'draining']),
  checks: z.object({ database: check, redis: check }).partial(),
});

export async function systemRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/health', { schema: { tags: ['system'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  r.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: Postgres and Redis answer (within a second); 503 while shutting down',
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      if (ctx.drain.draining) return reply.status(503).send({ status: 'draining', checks: {} });
      const checks = await ctx.dependencies.checkAll();
      const ready = checks.database === 'ok' && checks.redis === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );

  r.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
}
