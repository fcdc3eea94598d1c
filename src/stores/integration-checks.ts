import type { Config } from '../config-shape.ts';
import { Invalid } from '../cases/errors.ts';
import { INTEGRATION_TYPES, integrations, type IntegrationKey } from '../integrations/registry.ts';
import type { IntegrationDefinition } from '../integrations/definition.ts';
import { failed, type CheckResult, type IntegrationCheck } from './check-result.ts';
import { assertWebhookUrlAllowed, escalationConfigInput, splitConfig } from './escalation-config.ts';
import type { StoreRecord } from './store-directory.ts';

/** Integrations whose definition has a credential test, by config section name (from the registry). */
export type CheckedIntegration = IntegrationKey;
const checked = INTEGRATION_TYPES.map((t) => integrations[t] as IntegrationDefinition).filter((d) => d.check);
export const CHECKS: Partial<Record<CheckedIntegration, IntegrationCheck>> = Object.fromEntries(
  checked.map((d) => [d.key, (config: Config, store: StoreRecord, timeoutMs: number) => d.check!({ config, store, requestTimeoutMs: timeoutMs })]),
);
export const CHECKED_INTEGRATIONS = checked.map((d) => d.key) as CheckedIntegration[];

const LABELS = Object.fromEntries(INTEGRATION_TYPES.map((t) => [integrations[t].key, t === 'WEBHOOK' ? 'The webhook' : integrations[t].label])) as Record<
  CheckedIntegration,
  string
>;
/** A check answers within this even when the helpdesk does not. */
const MAX_CHECK_MS = 10_000;

/**
 * The store as the check sees it: the saved section, or `draft` (settings not saved yet) with its
 * omitted or masked secrets taken from the saved ones, exactly as a PUT would store them.
 */
export function withDraft(store: StoreRecord, type: CheckedIntegration, draft: unknown, config: Config): StoreRecord {
  if (draft === undefined) return store;
  const parsed = escalationConfigInput.safeParse({ [type]: draft });
  if (!parsed.success)
    throw new Invalid(
      parsed.error.issues
        .map(
          (i) =>
            `body${i.path
              .slice(1)
              .map((p) => `.${String(p)}`)
              .join('')}: ${i.message}`,
        )
        .join('; '),
    );
  assertWebhookUrlAllowed(parsed.data, config.webhookAllowPrivate);
  const { config: section, secrets } = splitConfig(parsed.data, store.config.secrets);
  return {
    ...store,
    config: {
      ...store.config,
      [type]: (section as Record<string, unknown>)[type],
      secrets: { ...store.config.secrets, [type]: (secrets as Record<string, unknown>)[type] },
    },
  };
}

/** Runs the check of one integration; never throws for what the helpdesk answers. */
export async function runCheck(config: Config, store: StoreRecord, type: CheckedIntegration): Promise<CheckResult> {
  if (!store.config[type])
    return failed(`${LABELS[type]} is not configured for this store: save its settings first, or send them in the body to test them before saving.`);
  const check = CHECKS[type];
  if (!check) return failed(`${LABELS[type]} has no credential test.`);
  const result = await check(config, store, Math.min(config.helpdeskRequestTimeoutMs, MAX_CHECK_MS));
  if (result.ok && store.config[type]?.enabled === false)
    return { ok: true, detail: `${result.detail} (The integration is disabled: enable it to send cases there.)` };
  return result;
}
