import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { DeliveryQueues } from './delivery/queues.ts';
import { escalationRoutes, lifecycleRoutes } from './escalations/routes.ts';
import type { AppContext } from './http/context.ts';
import type { MonitorOptions } from './http/dependencies.ts';
import { clientErrorHandler, frameworkErrors, registerAvailabilityGate, registerErrorHandling } from './http/error-handler.ts';
import { registerJsonParser } from './http/json-body.ts';
import { httpDuration } from './http/metrics.ts';
import { systemRoutes } from './http/system-routes.ts';
import { storeRoutes } from './stores/routes.ts';
import { analyticsRoutes } from './analytics/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { inboundRoutes } from './http/inbound-routes.ts';
import infrastructure from './plugins/infrastructure.ts';
import services from './plugins/services.ts';

export interface AppDeps {
  config: Config;
  db?: Db;
  queues?: DeliveryQueues;
  /** pino options or false; tests pass false. */
  logger?: boolean | object;
  /** How Postgres and Redis are probed (/ready, 503 answers). */
  monitor?: Partial<MonitorOptions>;
}

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-webhook-secret"]',
  'req.headers.cookie',
  '*.apiToken',
  '*.apiKey',
  '*.botToken',
  '*.webhookSecret',
  '*.secret',
];

/** Builds the HTTP app with its routes; does not listen (src/main.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, ...(typeof deps.logger === 'object' ? deps.logger : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(infrastructure, { config, db: deps.db, queues: deps.queues, monitor: deps.monitor });
  await app.register(services);
  registerErrorHandling(app, app.dependencies);
  registerAvailabilityGate(app, app.dependencies);
  app.drain.register(app);
  registerJsonParser(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(swagger, {
    openapi: {
      info: { title: 'reva-escalations', version: '0.1.0', description: 'Escalation of AI support conversations to humans' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // What route modules are handed: a view of the decorations above.
  const ctx: AppContext = {
    config,
    db: app.db,
    queues: app.queues,
    stores: app.stores,
    escalations: app.escalations,
    lifecycle: app.lifecycle,
    sync: app.sync,
    log: app.log,
    dependencies: app.dependencies,
    drain: app.drain,
  };
  app.decorate('ctx', ctx);

  await app.register(async (scope) => systemRoutes(scope, ctx));
  await app.register(async (scope) => storeRoutes(scope, ctx));
  await app.register(async (scope) => escalationRoutes(scope, ctx));
  await app.register(async (scope) => lifecycleRoutes(scope, ctx));
  await app.register(async (scope) => inboundRoutes(scope, ctx));
  await app.register(async (scope) => analyticsRoutes(scope, ctx));
  await app.register(async (scope) => dashboardRoutes(scope, ctx));
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
