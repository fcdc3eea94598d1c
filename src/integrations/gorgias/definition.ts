import { gorgiasSandbox } from '../../sandbox/gorgias.ts';
import { defineIntegration } from '../definition.ts';
import { withRateLimits } from '../rate-limits.ts';
import { gorgiasAdapter } from './adapter.ts';
import { checkGorgias } from './check.ts';
import { parseGorgiasWebhook, verifyGorgiasSecret } from './inbound.ts';
import { gorgiasBaseUrl } from './origin.ts';
import { GORGIAS_SECRET_FIELDS, gorgiasConfig } from './settings.ts';

/** Gorgias, the helpdesk of many Shopify merchants. */
export const gorgias = defineIntegration({
  type: 'GORGIAS',
  key: 'gorgias',
  label: 'Gorgias',
  docs: 'a ticket per case with the context as an internal note and the customer found or created by email (looked up before a retried create), follow-ups as internal notes, open/closed synced back by an HTTP integration with the store secret',
  config: { schema: gorgiasConfig, secretFields: GORGIAS_SECRET_FIELDS, requiredSecrets: ['apiKey'] },
  isEnabled: (section) => !!section?.enabled,
  adapter: withRateLimits(gorgiasAdapter),
  // Gorgias allows 40 requests per 20 s per account for an API key: a few jobs at once; a 429 is waited out.
  concurrency: 4,
  baseUrl: gorgiasBaseUrl,
  inbound: {
    secretField: 'webhookSecret',
    verify: (request, secret) => verifyGorgiasSecret(request, secret),
    parse: parseGorgiasWebhook,
    solvedSummary: 'Closed in Gorgias',
    summary: 'Gorgias ticket status → case status (HTTP integration; the store secret in X-Webhook-Secret)',
  },
  check: checkGorgias,
  settings: {
    label: 'Gorgias',
    fields: [
      { name: 'account', label: 'Account', hint: 'acme for acme.gorgias.com' },
      { name: 'email', label: 'Agent email', type: 'email' },
      { name: 'apiKey', label: 'API key', secret: true },
      { name: 'webhookSecret', label: 'Webhook secret', secret: true },
    ],
  },
  sandbox: gorgiasSandbox,
  demo: { enabled: true, account: 'demo', email: 'agent@demo.example', apiKey: 'sandbox-gorgias-key', webhookSecret: 'sandbox-gorgias-secret' },
});
