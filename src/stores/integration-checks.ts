import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { AppContext } from '../http/context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { checkFreshdesk } from '../integrations/freshdesk/check.ts';
import { checkSlack } from '../integrations/slack/check.ts';
import { checkWebhook } from '../integrations/webhook/check.ts';
import { checkZendesk } from '../integrations/zendesk/check.ts';
import { actingStoreId, requireApiKey } from './auth.ts';
import { failed, type CheckResult, type IntegrationCheck } from './check-result.ts';
import { assertWebhookUrlAllowed, escalationConfigInput, splitConfig } from './escalation-config.ts';
import type { StoreRecord } from './store-directory.ts';

export const CHECKS = { slack: checkSlack, zendesk: checkZendesk, freshdesk: checkFreshdesk, webhook: checkWebhook } satisfies Record<string, IntegrationCheck>;
export type CheckedIntegration = keyof typeof CHECKS;
export const CHECKED_INTEGRATIONS = Object.keys(CHECKS) as CheckedIntegration[];

const LABELS: Record<CheckedIntegration, string> = { slack: 'Slack', zendesk: 'Zendesk', freshdesk: 'Freshdesk', webhook: 'The webhook' };
/** A check answers within this even when the helpdesk does not. */
const MAX_CHECK_MS = 10_000;

/**
 * The store as the check sees it: the saved section, or `draft` (settings not saved yet) with its
 * omitted or masked secrets taken from the saved ones, exactly as a PUT would store them.
 */
export function withDraft(store: StoreRecord, type: CheckedIntegration, draft: unknown, config: Config): StoreRecord {
  if (draft === undefined) return store;
  const parsed = escalationConfigInput.safeParse({ [type]: draft });
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `body${i.path.slice(1).map((p) => `.${String(p)}`).join('')}: ${i.message}`).join('; '));
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
  if (!store.config[type]) return failed(`${LABELS[type]} is not configured for this store: save its settings first, or send them in the body to test them before saving.`);
  const result = await CHECKS[type](config, store, Math.min(config.helpdeskRequestTimeoutMs, MAX_CHECK_MS));
  if (result.ok && store.config[type]?.enabled === false) return { ok: true, detail: `${result.detail} (The integration is disabled: enable it to send cases there.)` };
  return result;
}

const checkAnswer = z.union([z.object({ ok: z.literal(true), detail: z.string() }), z.object({ ok: z.literal(false), error: z.string() })]);

export async function integrationCheckRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  r.post(
    '/stores/:storeId/integrations/:type/test',
    {
      schema: {
        tags: ['stores'],
        summary: 'A real call proving the credentials (and the Slack channels) work; nothing is created',
        description:
          'Slack: auth.test and each configured channel (conversations.info / conversations.list); Zendesk: users/me; Freshdesk: agents/me; webhook: a signed `reva.ping` event. ' +
          'Without a body the saved settings are tested; a body holds unsaved settings of that integration (same shape as in the escalation config; omitted or masked secrets are the saved ones). ' +
          'Always 200: `{ ok: true, detail }` or `{ ok: false, error }` with a sentence saying what is wrong.',
        params: z.object({ storeId: z.uuid(), type: z.enum(CHECKED_INTEGRATIONS as [CheckedIntegration, ...CheckedIntegration[]]) }),
        body: z.record(z.string(), z.unknown()).nullish(),
        response: { 200: checkAnswer },
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      const store = await ctx.stores.get(storeId);
      if (!store) throw notFound(`Store ${storeId} not found`);
      const { type } = request.params;
      const body = request.body && Object.keys(request.body).length ? request.body : undefined;
      const result = await runCheck(ctx.config, withDraft(store, type, body, ctx.config), type);
      request.log.info({ storeId, integration: type, ok: result.ok }, 'integration check');
      return result;
    },
  );
}
