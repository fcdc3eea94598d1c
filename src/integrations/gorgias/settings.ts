import { z } from 'zod';
import { secretValue } from '../config-fields.ts';
import { accountRateLimit } from '../rate-limit-config.ts';

/**
 * `account` is the name in acme.gorgias.com — a name, never a host or URL, so a store cannot point
 * our requests at another server. "acme.gorgias.com" is accepted and kept as "acme".
 */
export const gorgiasAccount = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/\.gorgias\.com$/, ''))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be the account name, e.g. "acme" for acme.gorgias.com'));

/** The store's `gorgias` section (DESIGN §3): `{ enabled, account, email, apiKey*, webhookSecret* }`. */
export const gorgiasConfig = z
  .object({
    enabled: z.boolean(),
    account: gorgiasAccount,
    email: z.email().max(320),
    apiKey: secretValue().optional(),
    webhookSecret: secretValue().optional(),
    rateLimit: accountRateLimit.optional(),
  })
  .strict();

export const GORGIAS_SECRET_FIELDS = ['apiKey', 'webhookSecret'] as const;
