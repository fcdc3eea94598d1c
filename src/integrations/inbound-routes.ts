import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { HttpError, badRequest, unauthorized } from '../http/errors.ts';
import type { EventSource } from '../escalations/lifecycle.ts';
import type { Escalation } from '../generated/prisma/client.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import { parseFreshdeskWebhook, verifyFreshdeskSecret } from './freshdesk/inbound.ts';
import { runCommand } from './slack/commands.ts';
import { SlackFollowUps, UUID, handleInteraction, parseInteraction, withinAckBudget } from './slack/inbound.ts';
import { verifySlackSignature, type Verdict } from './slack/verify.ts';
import { parseZendeskWebhook, verifyZendeskSignature, type TicketUpdate } from './zendesk/inbound.ts';
import { head } from '../text/code-points.ts';

/** Slack forms and helpdesk webhooks are small; nothing legitimate comes near this. */
export const INBOUND_BODY_LIMIT = 256 * 1024;

const RAW_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;

/**
 * Inbound routes (DESIGN §3): Slack interactivity and slash commands, Zendesk and Freshdesk status
 * webhooks. Registered in their own encapsulated scope, whose content-type parsers keep the raw body
 * (a string) for signature checks: nothing is parsed before the request is verified.
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
  const storeParams = z.object({ storeId: z.string().max(100) });

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

  r.post(
    '/webhooks/zendesk/:storeId',
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: {
        tags: ['inbound'],
        summary: 'Zendesk ticket status → case status (signed by Zendesk; deduplicated by invocation id)',
        params: storeParams,
        security: [],
      },
    },
    async (request) => {
      const raw = rawBody(request);
      const store = await storeFor(ctx, request.params.storeId);
      assertVerified(
        verifyZendeskSignature({
          secret: store?.config.secrets.zendesk?.webhookSecret,
          timestamp: header(request, 'x-zendesk-webhook-signature-timestamp'),
          signature: header(request, 'x-zendesk-webhook-signature'),
          rawBody: raw,
        }),
      );
      const parsed = parseZendeskWebhook(parseJson(raw));
      if (!parsed.ok) throw badRequest(parsed.message);
      const invocation = header(request, 'x-zendesk-webhook-invocation-id');
      return applyTicketUpdate(ctx, {
        store: store!,
        helpdesk: HELPDESKS.zendesk,
        update: parsed.value,
        dedupeId: invocation && /^[\w.:-]{1,200}$/.test(invocation) ? invocation : undefined,
        rawBody: raw,
      });
    },
  );

  r.post(
    '/webhooks/freshdesk/:storeId',
    {
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: {
        tags: ['inbound'],
        summary: 'Freshdesk ticket status → case status (store secret as Basic password or X-Webhook-Secret)',
        params: storeParams,
        security: [],
      },
    },
    async (request) => {
      const raw = rawBody(request);
      const store = await storeFor(ctx, request.params.storeId);
      assertVerified(
        verifyFreshdeskSecret({
          secret: store?.config.secrets.freshdesk?.webhookSecret,
          authorization: header(request, 'authorization'),
          headerSecret: header(request, 'x-webhook-secret'),
        }),
      );
      const parsed = parseFreshdeskWebhook(parseJson(raw));
      if (!parsed.ok) throw badRequest(parsed.message);
      return applyTicketUpdate(ctx, { store: store!, helpdesk: HELPDESKS.freshdesk, update: parsed.value, rawBody: raw });
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

interface Helpdesk {
  type: 'ZENDESK' | 'FRESHDESK';
  source: EventSource & ('zendesk' | 'freshdesk');
  label: string;
  /** The resolution summary of a case solved in the helpdesk. */
  solvedSummary: string;
}

const HELPDESKS = {
  zendesk: { type: 'ZENDESK', source: 'zendesk', label: 'Zendesk', solvedSummary: 'Solved in Zendesk' },
  freshdesk: { type: 'FRESHDESK', source: 'freshdesk', label: 'Freshdesk', solvedSummary: 'Resolved in Freshdesk' },
} as const satisfies Record<string, Helpdesk>;

export interface SyncResult {
  /** applied: the case changed; unchanged: it already matched; duplicate: a redelivery; ignored: not ours or not mapped. */
  status: 'applied' | 'unchanged' | 'duplicate' | 'ignored';
  escalationId?: string;
  caseStatus?: string;
  actions?: string[];
  reason?: string;
}

/**
 * Maps a helpdesk's ticket status onto the case: solved → resolve, closed → close, open/pending/hold
 * with an assignee → assign (if someone else), any of those on a RESOLVED case → reopen. Applying the
 * same status twice changes nothing and still answers 200 (helpdesks retry or disable webhooks
 * that fail). Redeliveries are dropped by InboundEvent: Zendesk's invocation id, else a fingerprint.
 */
async function applyTicketUpdate(
  ctx: AppContext,
  args: { store: StoreRecord; helpdesk: Helpdesk; update: TicketUpdate; dedupeId?: string; rawBody: string },
): Promise<SyncResult> {
  const { store, helpdesk, update } = args;
  const delivery = await ctx.db.escalationIntegration.findFirst({
    where: { storeId: store.id, type: helpdesk.type, externalId: update.ticketId },
    include: { escalation: true },
  });
  if (!delivery) return { status: 'ignored', reason: `No escalation has ${helpdesk.label} ticket ${update.ticketId}` };
  const row = delivery.escalation;
  if (!update.state) {
    return { status: 'ignored', escalationId: row.id, caseStatus: row.status, reason: `${helpdesk.label} status "${update.rawStatus}" is not mapped` };
  }
  const key = dedupeKey(store.id, args.dedupeId, args.rawBody, row);
  const inserted = await ctx.db.inboundEvent.createMany({ data: [{ source: helpdesk.source, externalId: key }], skipDuplicates: true });
  if (inserted.count === 0) return { status: 'duplicate', escalationId: row.id, caseStatus: row.status };
  try {
    const { actions, final, reason } = await transition(ctx, row, helpdesk, update);
    return {
      status: actions.length ? 'applied' : 'unchanged',
      escalationId: row.id,
      caseStatus: final.status,
      ...(actions.length ? { actions } : {}),
      ...(reason ? { reason } : {}),
    };
  } catch (err) {
    // Not applied: forget the delivery so the helpdesk's retry is processed.
    await ctx.db.inboundEvent.deleteMany({ where: { source: helpdesk.source, externalId: key } }).catch(() => {});
    throw err;
  }
}

/**
 * Zendesk names each delivery (its retries keep the id). Freshdesk does not: an identical body for a
 * case that has not changed since is a redelivery. The case's state is part of the key so that a
 * ticket going Resolved → Open → Resolved is three real changes, not a duplicate of the first.
 */
function dedupeKey(storeId: string, deliveryId: string | undefined, rawBody: string, row: Escalation): string {
  if (deliveryId) return `${storeId}:${deliveryId}`;
  const hash = createHash('sha256')
    .update([storeId, row.id, row.status, row.assignedTo ?? '', row.updatedAt.toISOString(), rawBody].join('\n'))
    .digest('hex');
  return `${storeId}:sha256:${hash}`;
}

function sameAssignee(current: string | null, update: TicketUpdate): boolean {
  if (!current) return false;
  const c = current.trim().toLowerCase();
  return [update.assigneeName, update.assigneeEmail].some((v) => v !== null && v.toLowerCase() === c);
}

async function transition(ctx: AppContext, row: Escalation, helpdesk: Helpdesk, update: TicketUpdate) {
  const actor = update.assigneeName ?? update.assigneeEmail;
  const by = { source: helpdesk.source, actor };
  const actions: string[] = [];
  let current = row;
  let reason: string | undefined;
  // A concurrent change can make a move impossible between the check and the update (409): the
  // case then already reflects someone's newer decision, and the webhook is answered as unchanged.
  const attempt = async (action: string, move: () => Promise<Escalation>) => {
    try {
      current = await move();
      actions.push(action);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 409) throw err;
      reason = err.message;
      current = (await ctx.db.escalation.findUnique({ where: { id: row.id } })) ?? current;
    }
  };
  if (current.status === 'CLOSED') return { actions, final: current, reason: 'The case is closed (closed cases are final)' };
  switch (update.state) {
    case 'solved':
      if (current.status !== 'RESOLVED') await attempt('resolved', () => ctx.lifecycle.resolve(row.storeId, row.id, helpdesk.solvedSummary, by));
      break;
    case 'closed':
      await attempt('closed', () => ctx.lifecycle.close(row.storeId, row.id, by));
      break;
    case 'open':
    case 'pending': {
      // The ticket is no longer solved: neither is the case.
      if (current.status === 'RESOLVED') {
        await attempt('reopened', () =>
          ctx.lifecycle.reopen(row.storeId, row.id, `${helpdesk.label} ticket ${update.ticketId} is ${update.rawStatus} again`, by),
        );
      }
      const assignee = update.assigneeName ?? update.assigneeEmail;
      // (re-read: a failed reopen may have found the case moved on meanwhile)
      const status: string = current.status;
      if (assignee && status !== 'RESOLVED' && status !== 'CLOSED' && !sameAssignee(current.assignedTo, update)) {
        await attempt('assigned', async () => {
          const outcome = await ctx.lifecycle.assign(row.storeId, row.id, assignee, by);
          return outcome.escalation;
        });
      }
      break;
    }
  }
  return { actions, final: current, reason };
}
