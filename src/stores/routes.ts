import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { badRequest, notFound } from '../http/errors.ts';
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
        description: 'With `sandbox: true` every helpdesk call of the store goes to the local sandbox (only when the service runs one: SANDBOX).',
        body: z.object({ name: z.string().trim().min(1).max(200), sandbox: z.boolean().optional() }).strict(),
        response: { 201: z.object({ id: z.string(), name: z.string(), apiKey: z.string() }) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal!);
      const sandbox = request.body.sandbox ?? false;
      if (sandbox && !ctx.config.sandbox.url)
        throw badRequest('This service runs without the sandbox, so a sandbox store could not deliver anything: start it with SANDBOX=on');
      const store = await ctx.stores.create(request.body.name, { sandbox });
      request.log.info({ storeId: store.id, sandbox }, 'store created');
      return reply.status(201).send(store);
    },
  );

  r.get(
    '/stores',
    {
      schema: {
        tags: ['stores'],
        summary: 'List stores (admin)',
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }) },
      },
    },
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
      return { sandbox: store.sandbox, ...maskedConfig(config, secrets) };
    },
  );

  r.put(
    '/stores/:storeId/escalation-config',
    {
      schema: {
        tags: ['stores'],
        summary: 'Replace the escalation config; omitted secrets keep their stored value',
        params: storeParams,
        // `sandbox` is shown by GET and may be sent back unchanged; it is fixed when the store is created.
        body: escalationConfigInput.extend({ sandbox: z.boolean().optional() }),
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      const store = await ctx.stores.get(storeId);
      if (!store) throw notFound(`Store ${storeId} not found`);
      const { sandbox, ...input } = request.body;
      if (sandbox !== undefined && sandbox !== store.sandbox)
        throw badRequest(`sandbox is fixed when a store is created; this store is ${store.sandbox ? '' : 'not '}a sandbox store`);
      if (input.rules) validateRules(input.rules);
      assertWebhookUrlAllowed(input, ctx.config.webhookAllowPrivate);
      const { config, secrets } = splitConfig(input, store.config.secrets);
      const saved = await ctx.stores.saveConfig(storeId, config, secrets);
      const { secrets: savedSecrets, ...savedConfig } = saved.config;
      return { sandbox: saved.sandbox, ...maskedConfig(savedConfig, savedSecrets) };
    },
  );
}
