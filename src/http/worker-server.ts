import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import type { DeliveryQueues } from '../delivery/queues.ts';
import { DependencyMonitor } from './dependencies.ts';
import { metricsRegistry } from '../metrics.ts';
import { head } from '../text/code-points.ts';

export interface WorkerServerDeps {
  db: Db;
  queues: DeliveryQueues;
  log: FastifyBaseLogger;
  /** /ready answers 503 once this says so (SIGTERM). */
  draining?: () => boolean;
}

/**
 * The HTTP side of a ROLE=worker process: liveness, readiness and Prometheus metrics on PORT, for the
 * healthcheck and the scraper. Not the API: no routes, no auth, no dashboard.
 */
export async function buildWorkerServer(deps: WorkerServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log, logController: new LogController({ disableRequestLogging: true }), return503OnClosing: true });
  const dependencies = new DependencyMonitor(
    {
      database: () => deps.db.$queryRaw`SELECT 1`,
      redis: async () => {
        if (!(await deps.queues.ping())) throw new Error('redis did not answer PING');
      },
    },
    deps.log,
    { intervalMs: 0 },
  );

  app.get('/health', async () => ({ status: 'ok' as const }));
  app.get('/ready', async (_request, reply) => {
    if (deps.draining?.()) return reply.status(503).send({ status: 'draining', checks: {} });
    const checks = await dependencies.checkAll();
    const ready = checks.database === 'ok' && checks.redis === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `Route ${request.method} ${head(request.url.split('?')[0] ?? '', 200)} not found (a worker serves /health, /ready and /metrics)`,
      requestId: request.id,
    }),
  );
  return app;
}
