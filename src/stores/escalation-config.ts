import { z } from 'zod';
import { Invalid } from '../cases/errors.ts';
import { isMasked } from '../integrations/config-fields.ts';
import { INTEGRATION_TYPES, integrations, type Integrations } from '../integrations/registry.ts';
import { privateUrlReason } from '../integrations/webhook/address-guard.ts';
import { maskSecret } from './secret-box.ts';
import { businessHoursInput, handoffMessagesInput, slaBreachActionsInput } from '../sla/config-schema.ts';

const PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

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

type Definitions = Integrations[keyof Integrations];
type SectionOf<D> = D extends { config: { schema: infer S extends z.ZodType } } ? S : never;
type SecretsOf<D> = D extends { config: { secretFields: readonly (infer K extends string)[] } } ? K : never;

/** Each integration's section (slack, zendesk, …), from the registry. */
const integrationSections = Object.fromEntries(INTEGRATION_TYPES.map((t) => [integrations[t].key, integrations[t].config.schema.optional()])) as {
  [D in Definitions as D['key']]: z.ZodOptional<SectionOf<D>>;
};

/** What a PUT accepts: secrets may be given (to set or replace) or omitted (to keep the stored one). */
export const escalationConfigInput = z
  .object({
    ...integrationSections,
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
export type StoreSecrets = { [D in Definitions as D['key']]?: Partial<Record<SecretsOf<D>, string>> };

type Without<T, K extends PropertyKey> = T extends object ? Omit<T, K & keyof T> : T;
type IntegrationSections = { [D in Definitions as D['key']]?: Without<NonNullable<z.output<SectionOf<D>>>, SecretsOf<D>> };
export interface PublicConfig extends IntegrationSections {
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

const SECRET_FIELDS: Record<string, readonly string[]> = Object.fromEntries(
  INTEGRATION_TYPES.map((t) => [integrations[t].key, integrations[t].config.secretFields]),
);

/** Splits a PUT body into the public config and the secrets, keeping stored secrets a PUT omits. */
export function splitConfig(input: EscalationConfigInput, stored: StoreSecrets): { config: PublicConfig; secrets: StoreSecrets } {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, Record<string, string>> = {};
  for (const [section, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const secretNames = SECRET_FIELDS[section];
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
  for (const type of INTEGRATION_TYPES) {
    const d = integrations[type];
    const section = (config as Record<string, unknown>)[d.key];
    if (!d.isEnabled(section as never)) continue;
    const stored = (secrets as Record<string, Record<string, string> | undefined>)[d.key];
    for (const name of d.config.requiredSecrets) if (!stored?.[name]) missing.push(`${d.key}.${name}`);
  }
  if (missing.length) throw new Invalid(`Enabled integrations need these secrets: ${missing.join(', ')}`);
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
  throw new Invalid(message, [{ field: 'body.webhook.url', message }]);
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
