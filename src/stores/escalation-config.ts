import { z } from 'zod';
import { badRequest } from '../http/errors.ts';
import { privateUrlReason } from '../integrations/webhook/address-guard.ts';
import { maskSecret } from './secret-box.ts';
import { businessHoursInput, handoffMessagesInput, slaBreachActionsInput } from '../sla/config-schema.ts';

const PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

/** What a GET shows for a stored secret; PUT back unchanged, it keeps the stored secret. */
const MASKED = /^\*{4}[^*]{0,4}$/;
const isMasked = (v: unknown) => typeof v === 'string' && MASKED.test(v);

const secretValue = (pattern?: RegExp, message?: string) =>
  z
    .string()
    .min(1)
    .max(1000)
    .refine((v) => !pattern || isMasked(v) || pattern.test(v), message);
const slackChannel = z
  .string()
  .min(1)
  .max(80)
  .regex(/^#?[a-z0-9][a-z0-9._-]*$|^[CGD][A-Z0-9]{6,}$/, 'must be a channel name like #support or an ID like C0123ABCD');

// A subdomain or an account host, never a URL: stores must not be able to point us at arbitrary servers.
const zendeskSubdomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be the account name, e.g. "acme" for acme.zendesk.com');
const freshdeskDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => (d.includes('.') ? d : `${d}.freshdesk.com`))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}\.freshdesk\.com$/, 'must be the account host, e.g. "acme.freshdesk.com" (or just "acme")'));

const zendeskFieldId = z.number().int().positive();
const freshdeskFieldName = z.string().min(1).max(100).regex(/^[A-Za-z0-9_]+$/, 'must be a field API name like cf_case_id');

const slaTarget = z.object({
  firstResponseMinutes: z.number().min(0.05).max(525600),
  resolutionMinutes: z.number().min(0.05).max(525600),
});

export const DEFAULT_SLA: Record<PriorityName, z.infer<typeof slaTarget>> = {
  URGENT: { firstResponseMinutes: 15, resolutionMinutes: 240 },
  HIGH: { firstResponseMinutes: 60, resolutionMinutes: 480 },
  MEDIUM: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
  LOW: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
};

/** What a PUT accepts: secrets may be given (to set or replace) or omitted (to keep the stored one). */
export const escalationConfigInput = z
  .object({
    slack: z
      .object({
        enabled: z.boolean(),
        channel: slackChannel,
        channelsByPriority: z.partialRecord(z.enum(PRIORITIES), slackChannel).optional(),
        botToken: secretValue(/^xox[a-z]-/, 'must be a Slack bot token (xoxb-…)').optional(),
      })
      .strict()
      .optional(),
    zendesk: z
      .object({
        enabled: z.boolean(),
        subdomain: zendeskSubdomain,
        email: z.email().max(320),
        apiToken: secretValue().optional(),
        webhookSecret: secretValue().optional(),
        customFields: z
          .object({ caseId: zendeskFieldId, channel: zendeskFieldId, customerProfile: zendeskFieldId })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    freshdesk: z
      .object({
        enabled: z.boolean(),
        domain: freshdeskDomain,
        apiKey: secretValue().optional(),
        webhookSecret: secretValue().optional(),
        customFields: z
          .object({ caseId: freshdeskFieldName, channel: freshdeskFieldName, customerProfile: freshdeskFieldName })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    webhook: z
      .object({
        enabled: z.boolean(),
        url: z.url({ protocol: /^https?$/ }).max(2000),
        secret: secretValue(/^whsec_[A-Za-z0-9+/=]{32,}$/, 'must be a Standard Webhooks secret: "whsec_" + base64 of 24–64 random bytes').optional(),
      })
      .strict()
      .optional(),
    detection: z
      .object({
        confidenceThreshold: z.number().min(0).max(1),
        sentimentThreshold: z.number().min(-1).max(1),
        maxTurns: z.number().int().min(1).max(1000),
        keywords: z.array(z.string().trim().min(1).max(100)).max(200),
      })
      .partial()
      .strict()
      .optional(),
    sla: z.partialRecord(z.enum(PRIORITIES), slaTarget).optional(),
    rules: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
    // ── Issue #11: business hours, handoff messages, SLA breach actions (schemas in src/sla/config-schema.ts)
    businessHours: businessHoursInput.optional(),
    handoffMessages: handoffMessagesInput.optional(),
    slaBreachActions: slaBreachActionsInput.optional(),
  })
  .strict();

export type EscalationConfigInput = z.infer<typeof escalationConfigInput>;

/** Secrets live apart from the config, encrypted as one blob. */
export interface StoreSecrets {
  slack?: { botToken?: string };
  zendesk?: { apiToken?: string; webhookSecret?: string };
  freshdesk?: { apiKey?: string; webhookSecret?: string };
  webhook?: { secret?: string };
}

type Without<T, K extends PropertyKey> = T extends object ? Omit<T, K & keyof T> : T;
export interface PublicConfig {
  slack?: Without<NonNullable<EscalationConfigInput['slack']>, 'botToken'>;
  zendesk?: Without<NonNullable<EscalationConfigInput['zendesk']>, 'apiToken' | 'webhookSecret'>;
  freshdesk?: Without<NonNullable<EscalationConfigInput['freshdesk']>, 'apiKey' | 'webhookSecret'>;
  webhook?: Without<NonNullable<EscalationConfigInput['webhook']>, 'secret'>;
  detection?: EscalationConfigInput['detection'];
  sla?: EscalationConfigInput['sla'];
  rules?: EscalationConfigInput['rules'];
  // ── Issue #11
  businessHours?: EscalationConfigInput['businessHours'];
  handoffMessages?: EscalationConfigInput['handoffMessages'];
  slaBreachActions?: EscalationConfigInput['slaBreachActions'];
}

/** The config with its secrets in clear: only for workers and verifiers, never for a response or a log. */
export interface StoreConfig extends PublicConfig {
  secrets: StoreSecrets;
}

const SECRET_FIELDS = {
  slack: ['botToken'],
  zendesk: ['apiToken', 'webhookSecret'],
  freshdesk: ['apiKey', 'webhookSecret'],
  webhook: ['secret'],
} as const;

/** Splits a PUT body into the public config and the secrets, keeping stored secrets a PUT omits. */
export function splitConfig(input: EscalationConfigInput, stored: StoreSecrets): { config: PublicConfig; secrets: StoreSecrets } {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, Record<string, string>> = {};
  for (const [section, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const secretNames = SECRET_FIELDS[section as keyof typeof SECRET_FIELDS] as readonly string[] | undefined;
    if (!secretNames) {
      config[section] = value;
      continue;
    }
    const publicPart: Record<string, unknown> = {};
    const kept: Record<string, string> = { ...((stored as Record<string, Record<string, string>>)[section] ?? {}) };
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (secretNames.includes(k)) {
        if (!isMasked(v)) kept[k] = v as string;
      } else publicPart[k] = v;
    }
    config[section] = publicPart;
    secrets[section] = kept;
  }
  requireSecretsOfEnabled(config as PublicConfig, secrets);
  return { config: config as PublicConfig, secrets };
}

function requireSecretsOfEnabled(config: PublicConfig, secrets: StoreSecrets) {
  const missing: string[] = [];
  if (config.zendesk?.enabled && !secrets.zendesk?.apiToken) missing.push('zendesk.apiToken');
  if (config.freshdesk?.enabled && !secrets.freshdesk?.apiKey) missing.push('freshdesk.apiKey');
  if (config.webhook?.enabled && !secrets.webhook?.secret) missing.push('webhook.secret');
  if (missing.length) throw badRequest(`Enabled integrations need these secrets: ${missing.join(', ')}`);
}

/**
 * A webhook URL the service would refuse to call is refused when saved, not later as failed deliveries
 * (DESIGN §3). Host names are checked again at connect time, against their DNS answer.
 */
export function assertWebhookUrlAllowed(input: EscalationConfigInput, allowPrivate: boolean) {
  const url = input.webhook?.url;
  if (allowPrivate || !url) return;
  const reason = privateUrlReason(url);
  if (!reason) return;
  const message = `webhook.url ${url} is refused: ${reason}; set WEBHOOK_ALLOW_PRIVATE=true to allow private addresses`;
  throw badRequest(message, [{ field: 'body.webhook.url', message }]);
}

/** The config as a merchant may see it: every stored secret shown as a mask. */
export function maskedConfig(config: PublicConfig, secrets: StoreSecrets): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(config) as Record<string, unknown>;
  for (const [section, names] of Object.entries(SECRET_FIELDS)) {
    const stored = (secrets as Record<string, Record<string, string> | undefined>)[section];
    const target = out[section] as Record<string, unknown> | undefined;
    if (!stored || !target) continue;
    for (const name of names) if (stored[name]) target[name] = maskSecret(stored[name]);
  }
  return out;
}

export function slaTargets(config: PublicConfig): Record<PriorityName, z.infer<typeof slaTarget>> {
  return { ...DEFAULT_SLA, ...(config.sla ?? {}) } as Record<PriorityName, z.infer<typeof slaTarget>>;
}
