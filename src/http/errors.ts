/** Errors the caller can fix or must know about; the error handler maps them to status codes. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const unauthorized = (message = 'Missing or invalid API key: send Authorization: Bearer <key>') => new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, message, details);
export const unprocessable = (message: string) => new HttpError(422, message);

/** Seconds a client is told to wait (Retry-After) when a dependency is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

const UNAVAILABLE_MESSAGES: Record<string, string> = {
  database: 'The database is unavailable; retry later',
  redis: 'The queue (Redis) is unavailable; retry later',
};

/** 503 with Retry-After: the request can be retried once the dependency is back. */
export class UnavailableError extends HttpError {
  constructor(readonly dependency: 'database' | 'redis') {
    super(503, UNAVAILABLE_MESSAGES[dependency]!);
  }
}
