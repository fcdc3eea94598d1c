import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { metricsRegistry } from './metrics.ts';

export async function systemRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/health',
    { schema: { tags: ['system'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: Postgres and Redis reachable',
        response: {
          200: z.object({ status: z.string(), checks: z.object({ postgres: z.string(), redis: z.string() }) }),
          503: z.object({ status: z.string(), checks: z.object({ postgres: z.string(), redis: z.string() }) }),
        },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        ctx.db.$queryRaw`SELECT 1`.then(
          () => 'ok',
          (err: Error) => `error: ${err.message}`,
        ),
        ctx.queues.ping().then((ok) => (ok ? 'ok' : 'error: not reachable')),
      ]);
      const ready = postgres === 'ok' && redis === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { postgres, redis } });
    },
  );

  r.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
}
