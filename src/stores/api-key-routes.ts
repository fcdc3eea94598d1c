import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { actingStoreId, requireApiKey } from './auth.ts';

const storeParams = z.object({ storeId: z.uuid() });
const keyParams = storeParams.extend({ keyId: z.uuid() });
const keyInfo = z.object({ id: z.string(), prefix: z.string(), createdAt: z.date(), revokedAt: z.date().nullable() });

/** Key rotation: create a new key (shown once), list them, revoke one (refused everywhere within a second). */
export async function apiKeyRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  async function existingStore(storeId: string) {
    if (!(await ctx.stores.get(storeId))) throw notFound(`Store ${storeId} not found`);
  }

  r.post(
    '/stores/:storeId/api-keys',
    {
      schema: {
        tags: ['stores'],
        summary: 'Create an API key for the store; the key is in this answer only',
        params: storeParams,
        response: { 201: z.object({ id: z.string(), apiKey: z.string(), prefix: z.string(), createdAt: z.date() }) },
      },
    },
    async (request, reply) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      await existingStore(storeId);
      const { id, apiKey, prefix, createdAt } = await ctx.stores.createKey(storeId);
      request.log.info({ storeId, keyId: id, prefix }, 'api key created');
      return reply.status(201).send({ id, apiKey, prefix, createdAt });
    },
  );

  r.get(
    '/stores/:storeId/api-keys',
    {
      schema: {
        tags: ['stores'],
        summary: "The store's API keys (prefixes only), oldest first",
        params: storeParams,
        response: { 200: z.object({ items: z.array(keyInfo) }) },
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      await existingStore(storeId);
      return { items: await ctx.stores.listKeys(storeId) };
    },
  );

  r.delete(
    '/stores/:storeId/api-keys/:keyId',
    {
      schema: {
        tags: ['stores'],
        summary: 'Revoke an API key: every API process refuses it (401) within a second',
        params: keyParams,
        response: { 204: z.null().describe('Revoked (also when it already was)') },
      },
    },
    async (request, reply) => {
      const storeId = actingStoreId(request.principal!, request.params.storeId);
      if (!(await ctx.stores.revokeKey(storeId, request.params.keyId))) throw notFound(`Store ${storeId} has no API key ${request.params.keyId}`);
      request.log.info({ storeId, keyId: request.params.keyId }, 'api key revoked');
      return reply.status(204).send(null);
    },
  );
}
