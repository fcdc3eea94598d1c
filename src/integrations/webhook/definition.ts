import { z } from 'zod';
import { webhookSandbox } from '../../sandbox/webhook.ts';
import { secretValue } from '../config-fields.ts';
import { defineIntegration } from '../definition.ts';
import { webhookAdapter } from './adapter.ts';
import { checkWebhook } from './check.ts';

/** The chat backend's callback (Standard Webhooks); also "any other helpdesk". */
export const webhook = defineIntegration({
  type: 'WEBHOOK',
  key: 'webhook',
  label: 'Webhook',
  docs: "the chat backend's callback URL: every case event as a signed Standard Webhooks POST (also the way to reach any other helpdesk)",
  config: {
    schema: z
      .object({
        enabled: z.boolean(),
        url: z.url({ protocol: /^https?$/ }).max(2000),
        secret: secretValue(/^whsec_[A-Za-z0-9+/=]{32,}$/, 'must be a Standard Webhooks secret: "whsec_" + base64 of 24–64 random bytes').optional(),
      })
      .strict(),
    secretFields: ['secret'],
    requiredSecrets: ['secret'],
  },
  isEnabled: (section) => !!section?.enabled,
  adapter: webhookAdapter,
  // 50 cases/s × 1 call × 200 ms = 10 in flight; room for bursts.
  concurrency: 16,
  check: (ctx) => checkWebhook(ctx.config, ctx.store, ctx.requestTimeoutMs),
  settings: {
    label: 'Webhook (your chat backend)',
    fields: [
      { name: 'url', label: 'URL', type: 'url' },
      { name: 'secret', label: 'Signing secret', secret: true, hint: 'whsec_…' },
    ],
  },
  sandbox: webhookSandbox,
});
