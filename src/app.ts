import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { DeliveryQueues } from './delivery/queues.ts';
import { escalationRoutes, lifecycleRoutes } from './escalations/routes.ts';
import type { AppContext } from './http/context.ts';
import type { MonitorOptions } from './http/dependencies.ts';
import { clientErrorHandler, frameworkErrors, registerAvailabilityGate, registerErrorHandling } from './http/error-handler.ts';
import { writeAnswersTogether } from './http/answers-together.ts';
import { registerJsonParser } from './http/json-body.ts';
import { httpDuration, inboundWebhooks } from './metrics.ts';
import { loggerOptions, REDACTED_PATHS } from './http/logger.ts';
import { registerRateLimit } from './http/rate-limit.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { systemRoutes } from './http/system-routes.ts';
import { storeRoutes } from './stores/routes.ts';
import { apiKeyRoutes } from './stores/api-key-routes.ts';
import { integrationCheckRoutes } from './stores/integration-check-routes.ts';
import { deliveryRetryRoutes } from './delivery/retry-routes.ts';
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

export { REDACTED_PATHS };

declare module 'fastify' {
  interface FastifyRequest {
    /** What an inbound helpdesk webhook did (applied, duplicate, ignored…), for the metrics. */
    inboundOutcome?: string;
  }
}

/** Builds the HTTP app with its routes; does not listen (src/main.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger === false ? false : { ...loggerOptions(config.logLevel), ...(typeof deps.logger === 'object' ? deps.logger : {}) },
    // One line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: config.http.bodyLimit,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    trustProxy: trustProxyOption(config.http.trustProxy),
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
  writeAnswersTogether(app);
  registerJsonParser(app);
  // The hooks every request runs are plain callbacks: an async hook costs a promise and a tick each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Only the inbound routes record what their webhook did (for the metrics below).
  app.addHook('onRoute', (route) => {
    if (!isInbound(route.url)) return;
    const own = route.preSerialization ? [route.preSerialization].flat() : [];
    route.preSerialization = [recordInboundOutcome, ...own];
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    durationOf(request.method, route ?? 'unknown', reply.statusCode).observe(reply.elapsedTime / 1000);
    if (isInbound(route)) inboundWebhooks.inc({ source: inboundSource(request), outcome: inboundOutcome(request, reply.statusCode) });
    // The line is built only when it is written (LOG_LEVEL=warn and above write none).
    if (infoEnabled(request.log))
      request.log.info(
        {
          method: request.method,
          url: request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url,
          route,
          statusCode: reply.statusCode,
          responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
    done();
  });

  // CSP is per page: the dashboard sets its own strict one (no scripts at all); the docs UI needs scripts.
  registerSecurityHeaders(app, { contentSecurityPolicy: false });
  await registerRateLimit(app, config, () => app.dependencies.isAvailable('redis'));
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
  await app.register(async (scope) => apiKeyRoutes(scope, ctx));
  await app.register(async (scope) => integrationCheckRoutes(scope, ctx));
  await app.register(async (scope) => deliveryRetryRoutes(scope, ctx));
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

function recordInboundOutcome(request: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) {
  const status = (payload as { status?: unknown } | null)?.status;
  if (typeof status === 'string') request.inboundOutcome = status;
  done(null, payload);
}

const isInbound = (route: string | undefined) => route !== undefined && (route.startsWith('/webhooks/') || route.startsWith('/slack/'));

function inboundSource(request: FastifyRequest): string {
  const route = request.routeOptions.url ?? '';
  if (route.startsWith('/slack/')) return 'slack';
  const helpdesk = (request.params as { helpdesk?: string } | undefined)?.helpdesk ?? route.split('/')[2] ?? 'unknown';
  return /^[a-z]{1,20}$/.test(helpdesk) ? helpdesk : 'unknown';
}

function inboundOutcome(request: FastifyRequest, status: number): string {
  if (status < 300) return request.inboundOutcome ?? 'accepted';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'rejected' : 'error';
}

/** pino's level check (a logger without one, as a test may pass, is asked to write). */
const infoEnabled = (log: unknown) => (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') !== false;

/**
 * The duration histogram of one method, route and status. prom-client hashes the labels on every
 * observe; the few combinations a service answers are looked up once each.
 */
const durations = new Map<string, ReturnType<typeof httpDuration.labels>>();
function durationOf(method: string, route: string, status: number) {
  const key = `${method} ${status} ${route}`;
  let child = durations.get(key);
  if (!child) {
    if (durations.size > 5000) durations.clear();
    child = httpDuration.labels({ method, route, status });
    durations.set(key, child);
  }
  return child;
}

/** A hop count as the function proxy-addr makes of one (Fastify's types take no number). */
function trustProxyOption(value: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}
