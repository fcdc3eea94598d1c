import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { validateRules } from '../rules/store-rules.ts';
import { actingStoreId, requireApiKey, requireAdmin } from './auth.ts';
import { assertWebhookUrlAllowed, escalationConfigInput, maskedConfig, splitConfig } from './escalation-config.ts';

const storeParams = z.object({ storeId: z.uuid() });

export async function storeRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  r.post(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'Create a store; its API key is returned once',
        body: z.object({ name: z.string().trim().min(1).max(200) }).strict(),
        response: { 201: z.object({ id: z.string(), name: z.string(), apiKey: z.string() }) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal!);
      const store = await ctx.stores.create(request.body.name);
      request.log.info({ storeId: store.id }, 'store created');
      return reply.status(201).send(store);
    },
  );

  r.get(
    '/stores',
    { schema: { tags: ['stores'], summary: 'List stores (admin)', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }) } } },
    async (request) => {
      requireAdmin(request.principal!);
      return { items: await ctx.stores.list() };
    },
  );

  r.get(
    '/stores/:storeId/escalation-config',
    { schema: { tags: ['stores'], summary: 'The store escalation config, secrets masked', params: storeParams } },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      const store = await ctx.stores.get(storeId);
      if (!store) throw notFound(`Store ${storeId} not found`);
      const { secrets, ...config } = store.config;
      return maskedConfig(config, secrets);
    },
  );

  r.put(
    '/stores/:storeId/escalation-config',
    {
      schema: {
        tags: ['stores'],
        summary: 'Replace the escalation config; omitted secrets keep their stored value',
        params: storeParams,
        body: escalationConfigInput,
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      const store = await ctx.stores.get(storeId);
      if (!store) throw notFound(`Store ${storeId} not found`);
      if (request.body.rules) validateRules(request.body.rules);
      assertWebhookUrlAllowed(request.body, ctx.config.webhookAllowPrivate);
      const { config, secrets } = splitConfig(request.body, store.config.secrets);
      const saved = await ctx.stores.saveConfig(storeId, config, secrets);
      const { secrets: savedSecrets, ...savedConfig } = saved.config;
      return maskedConfig(savedConfig, savedSecrets);
    },
  );
}
