import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { head } from '../text/code-points.ts';
import type { DependencyMonitor } from './dependencies.ts';
import { discardUnreadBody } from './discard-body.ts';
import { HttpError, RETRY_AFTER_SECONDS, UnavailableError } from './errors.ts';
import { Conflict, DomainError, Invalid, NotFound, Unprocessable } from '../cases/errors.ts';

/** Postgres refuses NUL characters (22021, 22P05) and out-of-range dates (22008): input the caller can fix. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05', '22008']);

/** Fastify's own default when a request reaches no route (the 404 handler, framework errors). */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

function postgresCode(err: unknown): string | undefined {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } }).meta?.driverAdapterError?.cause;
  return cause?.originalCode ?? cause?.code;
}

/**
 * Every database connection stayed busy past the pool's connect timeout (pg's pool, directly or under
 * Prisma's adapter): the service is overloaded, not broken, so the client should come back shortly.
 */
export function isPoolExhausted(err: unknown): boolean {
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.message === 'string' && e.message.includes('timeout exceeded when trying to connect')) return true;
    if ((e as { code?: unknown }).code === 'P2024') return true; // Prisma: timed out fetching a connection from the pool
  }
  return false;
}

const BUSY_MESSAGE = 'The service is busy: no database connection became free in time. Retry shortly.';

function bodyLimitOf(request: FastifyRequest): number {
  try {
    return request.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
  } catch {
    return DEFAULT_BODY_LIMIT; // a framework error's request has no route
  }
}

/**
 * Answers with the pinned error body { statusCode, error, message, requestId }. A body the client is
 * still sending is read to the end first (up to the route's limit), so the client gets to read this
 * answer instead of a connection closed while it writes.
 */
export async function sendError(reply: FastifyReply, request: FastifyRequest, statusCode: number, message: string, details?: unknown): Promise<FastifyReply> {
  await discardUnreadBody(request.raw, bodyLimitOf(request));
  const body: Record<string, unknown> = {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    requestId: request.id,
  };
  if (details !== undefined) body.details = details;
  if (statusCode === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  reply.header('x-request-id', request.id);
  return reply.status(statusCode).send(body);
}

const FRAMEWORK_ERRORS: Record<string, { statusCode: number; message: string }> = {
  FST_ERR_BAD_URL: { statusCode: 400, message: 'The URL is malformed (a path segment has an invalid percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { statusCode: 414, message: 'A path parameter is too long (at most 200 characters)' },
  FST_ERR_ASYNC_CONSTRAINT: { statusCode: 400, message: 'The request matches no route constraint' },
};

/** Fastify's router errors (bad URL, over-long path parameter), which bypass the error handler. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = FRAMEWORK_ERRORS[err.code];
  const statusCode = known?.statusCode ?? (err.statusCode && err.statusCode < 500 ? err.statusCode : 400);
  void sendError(reply, request, statusCode, known?.message ?? err.message);
}

/** Requests Node's HTTP parser rejects before Fastify sees them (malformed request line, huge headers). */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive']
        : [400, 'The HTTP request is malformed'];
  const body = JSON.stringify({ statusCode, error: STATUS_CODES[statusCode], message, requestId: randomUUID() });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/** The one mapping of domain errors (src/cases/errors.ts) to HTTP. */
export function domainStatus(err: DomainError): number {
  if (err instanceof NotFound) return 404;
  if (err instanceof Conflict) return 409;
  if (err instanceof Unprocessable) return 422;
  if (err instanceof Invalid) return 400;
  return 400;
}

/** 1048576 → "1 MiB", 65536 → "64 KiB", 1500 → "1500 bytes" (BODY_LIMIT may be any size). */
function sizeInWords(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** One error shape for every failure: { statusCode, error, message, requestId }. */
export function registerErrorHandling(app: FastifyInstance, dependencies: DependencyMonitor) {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, request, err.statusCode, err.message, err.details);
    if ((err as unknown) instanceof DomainError) {
      const domain = err as unknown as DomainError;
      return sendError(reply, request, domainStatus(domain), domain.message, domain.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const where = [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { field: where, message: v.message ?? 'is invalid' };
      });
      const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      return sendError(reply, request, 400, message, issues);
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return sendError(reply, request, 500, 'Internal Server Error');
    }
    if (UNSTORABLE_TEXT.has(postgresCode(err) ?? '')) return sendError(reply, request, 400, 'Text must not contain NUL (\\u0000) characters');
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const limit = bodyLimitOf(request);
      const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `Request body is larger than the ${sizeInWords(limit)} limit` : err.message;
      return sendError(reply, request, status, message);
    }
    if (isPoolExhausted(err)) {
      request.log.warn({ route: request.routeOptions.url }, 'database pool exhausted: answered 503');
      return sendError(reply, request, 503, BUSY_MESSAGE);
    }
    // An outage is not a bug: 503 with Retry-After, and the monitor logs the outage once.
    const dependency = await dependencies.unavailable();
    if (dependency) {
      const unavailable = new UnavailableError(dependency);
      return sendError(reply, request, 503, unavailable.message);
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, request, 500, 'Internal Server Error');
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, request, 404, `Route ${request.method} ${head(request.url.split('?')[0] ?? '', 200)} not found`));
}

/**
 * Requests that need Postgres get 503 at once while it is known to be away, instead of each waiting
 * for the connection timeouts. Liveness, readiness, metrics and the docs need no database.
 */
export function registerAvailabilityGate(app: FastifyInstance, dependencies: DependencyMonitor) {
  // A plain callback: every request runs it, and an async hook costs a promise and a tick.
  app.addHook('onRequest', (request, reply, done) => {
    if (dependencies.isAvailable('database')) return done();
    const url = request.routeOptions.url;
    if (url === undefined || NO_DATABASE_ROUTES.has(url) || url.startsWith('/docs')) return done();
    // Answered here: without done() the request goes no further than this answer.
    sendError(reply, request, 503, new UnavailableError('database').message).catch(done);
  });
}

const NO_DATABASE_ROUTES = new Set(['/health', '/ready', '/metrics']);
