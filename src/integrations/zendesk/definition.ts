import { z } from 'zod';
import { zendesk as zendeskSandbox } from '../../sandbox/zendesk.ts';
import { secretValue } from '../config-fields.ts';
import { defineIntegration } from '../definition.ts';
import { accountRateLimit } from '../rate-limit-config.ts';
import { withRateLimits } from '../rate-limits.ts';
import { zendeskAdapter } from './adapter.ts';
import { checkZendesk } from './check.ts';
import { zendeskInbound } from './inbound.ts';
import { zendeskBaseUrl } from './origin.ts';

const fieldId = z.number().int().positive();

export const zendesk = defineIntegration({
  type: 'ZENDESK',
  key: 'zendesk',
  label: 'Zendesk',
  docs: 'a ticket per case (idempotent create), follow-ups as internal notes, ticket status synced back by a signed webhook',
  config: {
    schema: z
      .object({
        enabled: z.boolean(),
        // The account name, never a URL: stores must not be able to point us at arbitrary servers.
        subdomain: z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be the account name, e.g. "acme" for acme.zendesk.com'),
        email: z.email().max(320),
        apiToken: secretValue().optional(),
        webhookSecret: secretValue().optional(),
        customFields: z.object({ caseId: fieldId, channel: fieldId, customerProfile: fieldId }).partial().strict().optional(),
        rateLimit: accountRateLimit.optional(),
      })
      .strict(),
    secretFields: ['apiToken', 'webhookSecret'],
    requiredSecrets: ['apiToken'],
  },
  isEnabled: (section) => !!section?.enabled,
  adapter: withRateLimits(zendeskAdapter),
  // 50 cases/s × 1 call (the ticket, requester included) × 200 ms = 10 in flight; room for bursts.
  concurrency: 16,
  baseUrl: zendeskBaseUrl,
  inbound: zendeskInbound,
  check: (ctx) => checkZendesk(ctx.config, ctx.store, ctx.requestTimeoutMs),
  settings: {
    label: 'Zendesk',
    fields: [
      { name: 'subdomain', label: 'Account', hint: 'acme for acme.zendesk.com' },
      { name: 'email', label: 'Agent email', type: 'email' },
      { name: 'apiToken', label: 'API token', secret: true },
      { name: 'webhookSecret', label: 'Webhook signing secret', secret: true },
    ],
  },
  sandbox: zendeskSandbox,
  demo: { enabled: true, subdomain: 'demo', email: 'agent@demo.example', apiToken: 'sandbox-zendesk-token', webhookSecret: 'sandbox-zendesk-signing-secret' },
});
