import { DeliveryError } from '../integrations/types.ts';

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 2000, maxDelayMs: 10 * 60_000 };

/**
 * Waits what the helpdesk's Retry-After says when it says anything; otherwise exponential backoff
 * with "equal jitter" (half fixed, half random) so a burst of failures does not retry in lockstep.
 */
export function backoffDelay(attemptsMade: number, err: unknown, opts: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  if (err instanceof DeliveryError && err.retryAfterMs !== undefined) return Math.ceil(err.retryAfterMs + random() * 250);
  const exponential = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
