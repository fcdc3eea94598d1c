import { z } from 'zod';
import { freshdesk as freshdeskSandbox } from '../../sandbox/freshdesk.ts';
import { secretValue } from '../config-fields.ts';
import { defineIntegration } from '../definition.ts';
import { accountRateLimit } from '../rate-limit-config.ts';
import { withRateLimits } from '../rate-limits.ts';
import { freshdeskAdapter } from './adapter.ts';
import { checkFreshdesk } from './check.ts';
import { freshdeskInbound } from './inbound.ts';
import { freshdeskBaseUrl } from './origin.ts';

const fieldName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_]+$/, 'must be a field API name like cf_case_id');

export const freshdesk = defineIntegration({
  type: 'FRESHDESK',
  key: 'freshdesk',
  label: 'Freshdesk',
  docs: 'a ticket per case (looked up before a retried create), follow-ups as private notes, ticket status synced back by a webhook with the store secret',
  config: {
    schema: z
      .object({
        enabled: z.boolean(),
        // The account host, never a URL; a bare "acme" means acme.freshdesk.com.
        domain: z
          .string()
          .trim()
          .toLowerCase()
          .transform((d) => (d.includes('.') ? d : `${d}.freshdesk.com`))
          .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}\.freshdesk\.com$/, 'must be the account host, e.g. "acme.freshdesk.com" (or just "acme")')),
        apiKey: secretValue().optional(),
        webhookSecret: secretValue().optional(),
        customFields: z.object({ caseId: fieldName, channel: fieldName, customerProfile: fieldName }).partial().strict().optional(),
        rateLimit: accountRateLimit.optional(),
      })
      .strict(),
    secretFields: ['apiKey', 'webhookSecret'],
    requiredSecrets: ['apiKey'],
  },
  isEnabled: (section) => !!section?.enabled,
  adapter: withRateLimits(freshdeskAdapter),
  // 50 cases/s × 2–3 calls (contact lookup, maybe its creation, the ticket) × 200 ms = 20–30 in flight.
  concurrency: 32,
  baseUrl: freshdeskBaseUrl,
  inbound: freshdeskInbound,
  check: (ctx) => checkFreshdesk(ctx.config, ctx.store, ctx.requestTimeoutMs),
  settings: {
    label: 'Freshdesk',
    fields: [
      { name: 'domain', label: 'Helpdesk host', hint: 'acme.freshdesk.com' },
      { name: 'apiKey', label: 'API key', secret: true },
      { name: 'webhookSecret', label: 'Webhook secret', secret: true },
    ],
  },
  sandbox: freshdeskSandbox,
  demo: { enabled: true, domain: 'demo.freshdesk.com', apiKey: 'sandbox-freshdesk-key', webhookSecret: 'sandbox-freshdesk-secret' },
});
