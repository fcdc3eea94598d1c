import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { actingStoreId, requireApiKey } from './auth.ts';
import { CHECKED_INTEGRATIONS, runCheck, withDraft, type CheckedIntegration } from './integration-checks.ts';

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
