import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpError } from './errors.ts';

/** Postgres refuses NUL characters (22021, 22P05) and out-of-range dates (22008): input the caller can fix. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05', '22008']);

function postgresCode(err: unknown): string | undefined {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } }).meta?.driverAdapterError?.cause;
  return cause?.originalCode ?? cause?.code;
}

function send(reply: FastifyReply, request: FastifyRequest, statusCode: number, message: string, details?: unknown) {
  const body: Record<string, unknown> = {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    requestId: request.id,
  };
  if (details !== undefined) body.details = details;
  return reply.status(statusCode).send(body);
}

/** One error shape for every failure: { statusCode, error, message, requestId }. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return send(reply, request, err.statusCode, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const where = [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { field: where, message: v.message ?? 'is invalid' };
      });
      const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      return send(reply, request, 400, message, issues);
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return send(reply, request, 500, 'Internal Server Error');
    }
    if (UNSTORABLE_TEXT.has(postgresCode(err) ?? ''))
      return send(reply, request, 400, 'Text must not contain NUL (\\u0000) characters');
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit!;
      const message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `Request body is larger than the ${Math.round(limit / 1024 / 1024)} MiB limit`
          : err.message;
      return send(reply, request, status, message);
    }
    request.log.error({ err }, 'request failed');
    return send(reply, request, 500, 'Internal Server Error');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, `Route ${request.method} ${request.url.split('?')[0]} not found`),
  );
}
