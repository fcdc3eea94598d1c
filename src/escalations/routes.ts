import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { compiledJsonSerializer } from '../http/json-serializer.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { actingStoreId, requireApiKey, type Principal } from '../stores/auth.ts';
import { decisionSchema, escalateBody, escalateResponse, listQuery, listResponse } from './schemas.ts';
import { retryFailedDeliveries } from './retry.ts';
import { listEscalations } from './search.ts';
import { serializeCase } from '../cases/serialize.ts';

/** A conversation of 500 long messages fits; larger bodies get 413 (DESIGN §3). */
export const ESCALATE_BODY_LIMIT = 5 * 1024 * 1024;

const idParams = z.object({ id: z.uuid() });
const storeQuery = z.object({ storeId: z.uuid().optional() });

/**
 * The store a per-case request acts for. The case id names its store, so the admin key needs no
 * storeId here (DESIGN §3: the admin may do everything); a store key still reaches only its own cases.
 */
async function caseStoreId(ctx: AppContext, principal: Principal, requested: string | undefined, caseId: string): Promise<string> {
  if (principal.kind === 'store' || requested) return actingStoreId(principal, requested);
  const row = await ctx.db.escalation.findUnique({ where: { id: caseId }, select: { storeId: true } });
  if (!row) throw notFound(`Escalation ${caseId} not found`);
  return row.storeId;
}

export async function escalationRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  r.post(
    '/escalate',
    {
      bodyLimit: ESCALATE_BODY_LIMIT,
      serializerCompiler: compiledJsonSerializer,
      schema: {
        tags: ['escalations'],
        summary: 'Evaluate a conversation and escalate it to humans when triggered',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: escalateBody,
        response: { 200: escalateResponse, 201: escalateResponse },
      },
    },
    async (request, reply) => {
      const storeId = actingStoreId(request.principal!, request.body.storeId);
      const result = await ctx.escalations.escalate(storeId, request.body, request.headers['idempotency-key']);
      return reply.status(result.statusCode).send(result.body as never);
    },
  );

  r.post(
    '/escalations/evaluate',
    {
      bodyLimit: ESCALATE_BODY_LIMIT,
      serializerCompiler: compiledJsonSerializer,
      schema: {
        tags: ['escalations'],
        summary: 'Dry run: the decision only, nothing stored',
        body: escalateBody,
        response: { 200: z.object({ decision: decisionSchema }) },
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.body.storeId);
      return { decision: await ctx.escalations.evaluate(storeId, request.body) };
    },
  );

  r.get(
    '/escalations',
    {
      schema: {
        tags: ['escalations'],
        summary: 'List and search escalations, newest first',
        querystring: listQuery,
        response: { 200: listResponse },
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.query.storeId);
      if (request.query.from && request.query.to && request.query.from > request.query.to) throw badRequest('querystring.from: must not be after to');
      const { rows, nextCursor } = await listEscalations(ctx.db, storeId, request.query);
      return { items: rows.map((row) => serializeCase(row, ctx.config.publicUrl)), nextCursor };
    },
  );

  r.get(
    '/escalations/:id',
    {
      schema: {
        tags: ['escalations'],
        summary: 'The full case: context, decision, deliveries, timeline, SLA',
        params: idParams,
        querystring: storeQuery,
      },
    },
    async (request) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      return ctx.escalations.get(storeId, request.params.id);
    },
  );
}

const caseResponse = { 200: z.unknown() };

/** Lifecycle and follow-up: assign, resolve, reopen, feedback, retry (DESIGN §3). */
export async function lifecycleRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);
  const by = { source: 'api' as const };

  r.post(
    '/escalations/:id/assign',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Assign the case (OPEN → IN_PROGRESS)',
        params: idParams,
        querystring: storeQuery,
        body: z.object({ assignedTo: z.string().trim().min(1).max(320) }).strict(),
        response: caseResponse,
      },
    },
    async (request) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      await ctx.lifecycle.assign(storeId, request.params.id, request.body.assignedTo, { ...by, actor: request.body.assignedTo });
      return ctx.escalations.get(storeId, request.params.id);
    },
  );

  r.post(
    '/escalations/:id/resolve',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Resolve the case with a resolution summary',
        params: idParams,
        querystring: storeQuery,
        body: z.object({ summary: z.string().trim().min(1).max(5000), resolvedBy: z.string().trim().max(320).optional() }).strict(),
        response: caseResponse,
      },
    },
    async (request) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      await ctx.lifecycle.resolve(storeId, request.params.id, request.body.summary, { ...by, actor: request.body.resolvedBy });
      return ctx.escalations.get(storeId, request.params.id);
    },
  );

  r.post(
    '/escalations/:id/reopen',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Reopen a resolved case',
        params: idParams,
        querystring: storeQuery,
        // Clients may POST without a body: the reason is optional.
        body: z
          .object({ reason: z.string().trim().max(2000).optional() })
          .strict()
          .nullish(),
        response: caseResponse,
      },
    },
    async (request) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      await ctx.lifecycle.reopen(storeId, request.params.id, request.body?.reason ?? null, by);
      return ctx.escalations.get(storeId, request.params.id);
    },
  );

  r.post(
    '/escalations/:id/feedback',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Was the escalation warranted? Feeds trigger precision',
        params: idParams,
        querystring: storeQuery,
        body: z
          .object({
            warranted: z.boolean(),
            rating: z.number().int().min(1).max(5).optional(),
            comment: z.string().trim().max(2000).optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      const row = await ctx.escalations.findOwned(storeId, request.params.id);
      const feedback = await ctx.db.feedback.create({
        data: { escalationId: row.id, storeId, warranted: request.body.warranted, rating: request.body.rating, comment: request.body.comment },
      });
      await ctx.db.escalationEvent.create({
        data: { escalationId: row.id, type: 'feedback', source: 'api', data: { warranted: feedback.warranted, rating: feedback.rating } },
      });
      return reply.status(201).send({
        id: feedback.id,
        escalationId: row.id,
        warranted: feedback.warranted,
        rating: feedback.rating,
        comment: feedback.comment,
        createdAt: feedback.createdAt.toISOString(),
      });
    },
  );

  r.post(
    '/escalations/:id/retry',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Send FAILED deliveries again',
        params: idParams,
        querystring: storeQuery,
        response: caseResponse,
      },
    },
    async (request) => {
      const storeId = await caseStoreId(ctx, request.principal!, request.query.storeId, request.params.id);
      await retryFailedDeliveries(ctx, storeId, request.params.id);
      return ctx.escalations.get(storeId, request.params.id);
    },
  );
}
