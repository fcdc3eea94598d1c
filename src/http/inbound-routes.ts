import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { HttpError, badRequest, notFound, unauthorized } from './errors.ts';
import type { InboundRequest, Verdict } from '../integrations/definition.ts';
import { INTEGRATION_TYPES, definitionByKey, definitionOf, type IntegrationKey } from '../integrations/registry.ts';
import { verifySlackSignature } from '../integrations/slack/verify.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import { runCommand } from './slack-commands.ts';
import { SlackFollowUps, UUID, handleInteraction, parseInteraction, withinAckBudget } from './slack-interactions.ts';
import { head } from '../text/code-points.ts';

/** Slack forms and helpdesk webhooks are small; nothing legitimate comes near this. */
export const INBOUND_BODY_LIMIT = 256 * 1024;

const RAW_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;

/**
 * Inbound routes (DESIGN §3): Slack interactivity and slash commands, and one status webhook route
 * for every integration whose definition has an inbound part (verify → parse → apply). Registered in
 * their own encapsulated scope, whose content-type parsers keep the raw body (a string) for signature
 * checks: nothing is parsed before the request is verified.
 */
export async function inboundRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const type of RAW_TYPES) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: INBOUND_BODY_LIMIT }, (_req, body, done) => done(null, body));
  }
  app.setErrorHandler((err: Error & { code?: string }, _request, _reply) => {
    // The app's handler words this with the app-wide limit: name this scope's one. Everything else goes up.
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new HttpError(413, `Request body is larger than the ${INBOUND_BODY_LIMIT / 1024} KiB limit`);
    throw err;
  });

  const followUps = new SlackFollowUps(ctx, app.log);
  app.addHook('onClose', async () => followUps.drain());
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/slack/interactions',
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: { tags: ['inbound'], summary: 'Slack interactivity: Take Case and View Full Context buttons (signed by Slack)', security: [] },
    },
    async (request, reply) => {
      const raw = verifySlack(ctx, request);
      const parsed = parseInteraction(raw);
      if (!parsed.ok) throw badRequest(parsed.message);
      // Slow work goes on after the acknowledgement; answers go to the clicker through response_url.
      await withinAckBudget(handleInteraction(ctx, parsed.value, followUps), followUps);
      return reply.status(200).send();
    },
  );

  r.post(
    '/slack/commands',
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: { tags: ['inbound'], summary: 'The /escalation slash command (signed by Slack)', security: [] },
    },
    async (request) => {
      const raw = verifySlack(ctx, request);
      const form = new URLSearchParams(raw);
      const field = (name: string, max: number) => head(form.get(name) ?? '', max);
      const command = runCommand(ctx, {
        command: field('command', 100),
        text: field('text', 10_000),
        userId: field('user_id', 64),
        userName: field('user_name', 200),
        channelId: field('channel_id', 64),
        channelName: field('channel_name', 200),
      });
      const answer = await withinAckBudget(command, followUps);
      if (answer.done) return answer.value;
      const responseUrl = form.get('response_url') ?? undefined;
      followUps.track(
        answer.work.then((value) => followUps.respond(responseUrl, { ...value })),
        'late slash command answer',
      );
      return { response_type: 'ephemeral', text: '⏳ Working on it…' };
    },
  );

  const helpdesks = INTEGRATION_TYPES.map((t) => definitionOf(t)).filter((d) => d.inbound);
  r.post(
    '/webhooks/:helpdesk/:storeId',
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: {
        tags: ['inbound'],
        summary: `Helpdesk ticket status → case status: ${helpdesks.map((d) => `${d.key} (${d.inbound!.summary})`).join('; ')}`,
        params: z.object({ helpdesk: z.string().max(50), storeId: z.string().max(100) }),
        security: [],
      },
    },
    async (request) => {
      const definition = definitionByKey(request.params.helpdesk);
      const inbound = definition?.inbound;
      if (!definition || !inbound)
        throw notFound(
          `Route POST:${request.url.split('?')[0]} not found: no helpdesk "${request.params.helpdesk}" calls back (${helpdesks.map((d) => d.key).join(', ')} do)`,
        );
      const parts: InboundRequest = { rawBody: rawBody(request), headers: singleHeaders(request) };
      const store = await storeFor(ctx, request.params.storeId);
      const secrets = store?.config.secrets as Record<string, Record<string, string | undefined> | undefined> | undefined;
      assertVerified(inbound.verify(parts, secrets?.[definition.key]?.[inbound.secretField], Date.now()));
      // (A verifier refuses a missing secret; this only guards against one that would not.)
      if (!store) throw unauthorized(`${definition.label} webhooks cannot be verified: unknown store`);
      const parsed = inbound.parse(parseJson(parts.rawBody));
      if (!parsed.ok) throw badRequest(parsed.message);
      return ctx.sync.apply({
        storeId: store.id,
        source: { type: definition.type, key: definition.key as IntegrationKey, label: definition.label, solvedSummary: inbound.solvedSummary },
        update: parsed.value,
        deliveryId: inbound.deliveryId?.(parts),
        rawBody: parts.rawBody,
      });
    },
  );
}

function rawBody(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

/** A single header value; a repeated header counts as absent (it cannot be verified unambiguously). */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function singleHeaders(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') out[name] = value;
  return out;
}

function assertVerified(verdict: Verdict) {
  if (!verdict.ok) throw unauthorized(verdict.reason);
}

function verifySlack(ctx: AppContext, request: FastifyRequest): string {
  const raw = rawBody(request);
  assertVerified(
    verifySlackSignature({
      signingSecret: ctx.config.slack.signingSecret,
      timestamp: header(request, 'x-slack-request-timestamp'),
      signature: header(request, 'x-slack-signature'),
      rawBody: raw,
    }),
  );
  return raw;
}

/** An unknown store has no secret: the request fails verification like any unsigned one (401). */
async function storeFor(ctx: AppContext, storeId: string): Promise<StoreRecord | null> {
  return UUID.test(storeId) ? ctx.stores.get(storeId.toLowerCase()) : null;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('Body is not valid JSON');
  }
}
