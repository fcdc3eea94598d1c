// A store's limit for a helpdesk account (the `rateLimit` field of its zendesk/freshdesk/gorgias section),
// and the defaults from the vendors' documentation. Kept apart from rate-limits.ts so that the config
// schemas do not pull in the Redis client.
import { z } from 'zod';

/** `{ requests, perSeconds }`: at most `requests` calls to the account in any `perSeconds` window. */
export const accountRateLimit = z
  .object({
    requests: z.number().int().min(1).max(100_000),
    perSeconds: z.number().int().min(1).max(3600),
  })
  .strict()
  .refine((l) => l.requests / l.perSeconds <= 1000, { message: 'must allow at most 1000 requests per second', path: ['requests'] });

export type AccountRateLimit = z.infer<typeof accountRateLimit>;

/**
 * The lowest paid plan of each, so a store that says nothing is never throttled by the helpdesk:
 * Zendesk Team 200/min (Growth/Professional 400, Enterprise 700, High Volume add-on 2,500);
 * Freshdesk Growth 200/min (Pro 400, Enterprise 700, trials 50); Gorgias 40 per 20 s for API-key
 * integrations (a leaky bucket per account). notes/helpdesk-apis.md and the vendors' rate-limit pages.
 */
export const DEFAULT_ACCOUNT_LIMITS = {
  ZENDESK: { requests: 200, perSeconds: 60 },
  FRESHDESK: { requests: 200, perSeconds: 60 },
  GORGIAS: { requests: 40, perSeconds: 20 },
} as const satisfies Record<string, AccountRateLimit>;
