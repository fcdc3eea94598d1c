import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { bearerToken } from '../stores/auth.ts';
import { HttpError } from './errors.ts';

/** Routes that are not the keyed public API: probes, docs, the dashboard (own sign-in limit), helpdesk callbacks. */
const UNLIMITED_PREFIXES = ['/health', '/ready', '/metrics', '/docs', '/dashboard', '/webhooks/', '/slack/'];

/** The Redis key names a hash of the API key, never the key itself. */
export function rateLimitKey(request: FastifyRequest): string {
  const token = bearerToken(request);
  if (token) return `key:${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
  return `ip:${request.ip}`;
}

function isLimited(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  return url !== undefined && !UNLIMITED_PREFIXES.some((prefix) => url.startsWith(prefix));
}

const COUNT_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;

/** Resolves when the client is ready, reports an error, or `capMs` passed (a host that accepts nothing, or answers nothing). */
function connectedOrFailed(redis: Redis, capMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, capMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

export class RateLimitedError extends HttpError {
  constructor(message: string) {
    super(429, message);
  }
}

/** Options a route gives to get its own limit (the dashboard sign-in: per client address). */
export function signInRateLimit(config: Config) {
  const max = config.http.signInRateLimitPerMinute;
  if (max === 0) return false as const;
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `sign-in:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, ctx: { after: string }) =>
      new RateLimitedError(`Too many sign-in attempts from this address: at most ${max} a minute; retry in ${ctx.after}`),
  };
}

/**
 * Per-key limit on the public API, counted in Redis so every API process shares one count (a fixed
 * window of a minute). With Redis away the limit is skipped rather than failing requests: the
 * availability of the API matters more than the exactness of the count.
 */
export async function registerRateLimit(app: FastifyInstance, config: Config, redisAvailable: () => boolean = () => true): Promise<void> {
  const perMinute = config.http.rateLimitPerMinute;
  if (perMinute === 0 && config.http.signInRateLimitPerMinute === 0) return;
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // A count takes a millisecond; a stalled Redis must not add seconds to every request.
    commandTimeout: Math.min(config.redisCommandTimeoutMs || COUNT_TIMEOUT_MS, COUNT_TIMEOUT_MS),
  });
  redis.on('error', () => {}); // the dependency monitor reports Redis outages, once
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  // Counted from the first request: the routes are served once this connection is up. Until then every
  // count fails and is skipped (skipOnError), so a process just started let a burst of sign-in guesses
  // through. With Redis away the wait ends at the first error, or at the connect timeout for a host
  // that does not answer.
  await connectedOrFailed(redis, CONNECT_TIMEOUT_MS);
  await app.register(rateLimit, {
    // Not through each route's own hooks, which run after the scope's authentication: the count comes
    // first, so unauthenticated guessing is limited too (per address) and costs no database lookup.
    global: false,
    max: perMinute || 1,
    timeWindow: 60_000,
    redis,
    nameSpace: 'reva:rate-limit:',
    skipOnError: true,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, ctx) =>
      new RateLimitedError(`Rate limit exceeded: at most ${perMinute} requests a minute per API key; retry in ${ctx.after}`),
  });
  if (perMinute === 0) return;
  const limit = app.rateLimit();
  app.addHook('onRequest', async (request, reply) => {
    // While the dependency monitor knows Redis is away, not even a try: the request goes on at once.
    if (isLimited(request) && redisAvailable()) await limit.call(app, request, reply);
  });
}
