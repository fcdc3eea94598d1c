import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listEscalations } from '../escalations/search.ts';
import { isoInstant, listQuery } from '../escalations/schemas.ts';
import { caseUrl } from '../cases/serialize.ts';
import type { AppContext } from '../http/context.ts';
import { badRequest } from '../http/errors.ts';
import { actingStoreId, requireApiKey } from '../stores/auth.ts';
import { computeAnalytics } from './analytics.ts';
import { csvRow } from './csv.ts';

const DAY = 24 * 3600 * 1000;
const EXPORT_MAX_ROWS = 100_000;

const analyticsQuery = z.object({
  storeId: z.uuid().optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  interval: z.enum(['day', 'week']).default('day'),
});

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'status',
  'priority',
  'channel',
  'intent',
  'triggers',
  'keywords',
  'summary',
  'customerName',
  'customerEmail',
  'orderNumber',
  'orderTotal',
  'assignedTo',
  'assignedAt',
  'resolvedAt',
  'sentiment',
  'aiConfidence',
  'conversationId',
  'url',
] as const;

export async function analyticsRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  requireApiKey(r, ctx.config.adminApiKey, ctx.stores);

  r.get(
    '/escalations/analytics',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Counts, rates, response times, SLA and trigger precision over a time range (default: last 30 days)',
        querystring: analyticsQuery,
      },
    },
    async (request) => {
      const storeId = actingStoreId(request.principal!, request.query.storeId);
      const to = request.query.to ? new Date(request.query.to) : new Date();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 30 * DAY);
      if (from >= to) throw badRequest('querystring.from: must be before to');
      const buckets = (to.getTime() - from.getTime()) / (request.query.interval === 'week' ? 7 * DAY : DAY);
      if (buckets > 1000) throw badRequest(`querystring: the range has ${Math.ceil(buckets)} ${request.query.interval}s; at most 1000 are allowed`);
      return computeAnalytics(ctx.db, { storeId, from, to, interval: request.query.interval });
    },
  );

  r.get(
    '/escalations/export',
    {
      schema: {
        tags: ['escalations'],
        summary: 'CSV export of the escalations matching the list filters',
        querystring: listQuery.omit({ cursor: true, limit: true }),
      },
    },
    async (request, reply) => {
      const storeId = actingStoreId(request.principal!, request.query.storeId);
      const query = request.query;
      // The first page is read before the response starts, so a failing query is still an error answer.
      const first = await listEscalations(ctx.db, storeId, { ...query, limit: 200 });
      async function* rows() {
        yield csvRow([...CSV_COLUMNS]);
        let page = first;
        let sent = 0;
        for (;;) {
          for (const e of page.rows) {
            const context = e.context as { customer?: Record<string, unknown>; order?: Record<string, unknown> };
            yield csvRow([
              e.id,
              e.createdAt,
              e.status,
              e.priority,
              e.channel,
              e.intent,
              e.triggers,
              e.keywords,
              e.summary,
              context.customer?.name,
              context.customer?.email,
              context.order?.number,
              context.order?.total,
              e.assignedTo,
              e.assignedAt,
              e.resolvedAt,
              e.sentiment,
              e.aiConfidence,
              e.conversationId,
              caseUrl(ctx.config.publicUrl, e.id),
            ]);
          }
          sent += page.rows.length;
          if (!page.nextCursor || sent >= EXPORT_MAX_ROWS) break;
          page = await listEscalations(ctx.db, storeId, { ...query, limit: 200, cursor: page.nextCursor });
        }
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="escalations-${stamp}.csv"`)
        .send(Readable.from(rows()));
    },
  );
}
