import zendesk from 'node-zendesk';
import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { DeliveryError, errorForStatus, parseRetryAfter, settle, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { eventRef, eventText, hasEventRef, tags, ticketHtml, ticketSubject } from '../render.ts';
import { zendeskOrigin } from './origin.ts';
import { clientCache } from '../client-cache.ts';
import { throttle, throttleRequest } from '../rate-limits.ts';
import { zendeskTransport } from './transport.ts';
import { type PlainAnswer, parseJsonBody, plainRequest } from '../plain-http.ts';

// node-zendesk is CommonJS: the named import type-checks but crashes under Node (notes/stack.md).
const { createClient } = zendesk;

const PRIORITY = { URGENT: 'urgent', HIGH: 'high', MEDIUM: 'normal', LOW: 'low' } as const;
/** Something is wrong with an order → incident; otherwise the customer has a question. */
const TICKET_TYPE: Record<string, 'incident' | 'question' | 'problem' | 'task'> = {
  delivery: 'incident',
  damaged_item: 'incident',
  refund_return: 'incident',
  legal: 'incident',
  billing: 'question',
  cancellation: 'question',
  account: 'question',
  other: 'question',
};
const COMMENT_MAX_CHARS = 60_000;

interface ZendeskResponse {
  status: number;
  headers: { get(name: string): string | null };
}

function baseUrl(ctx: DeliveryContext): string {
  return zendeskOrigin(ctx.config, ctx.store);
}

const clients = clientCache<ReturnType<typeof createClient>>();

/** One client per account (base URL + credentials), over fetch's keep-alive connections. */
function client(ctx: DeliveryContext) {
  const zd = ctx.store.config.zendesk;
  const token = ctx.store.config.secrets.zendesk?.apiToken;
  if (!zd?.email || !token) throw new DeliveryError('Zendesk credentials are missing (email and apiToken)', true);
  const endpointUri = `${baseUrl(ctx)}/api/v2`;
  return clients(`${endpointUri}|${ctx.requestTimeoutMs}|${zd.email}|${token}`, () =>
    createClient({
      username: zd.email,
      token,
      subdomain: zd.subdomain,
      endpointUri,
      throwOriginalException: true,
      transportConfig: zendeskTransport(ctx.requestTimeoutMs),
    }),
  );
}

/** node-zendesk throws for some statuses, returns others (429, 5xx) as results: both end here. */
async function call<T>(ctx: DeliveryContext, fn: () => Promise<{ response: ZendeskResponse; result: T }>): Promise<T> {
  let outcome: { response: ZendeskResponse; result: T };
  await throttleRequest(ctx);
  try {
    outcome = await fn();
  } catch (err) {
    const e = err as { statusCode?: number; result?: unknown; message?: string };
    if (typeof e.statusCode === 'number') throw errorForStatus('Zendesk', e.statusCode, JSON.stringify(e.result ?? e.message));
    throw new DeliveryError(`Zendesk request failed: ${e.message ?? String(err)}`, false);
  }
  const { response, result } = outcome;
  if (response.status >= 300 || result instanceof Error) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    throw errorForStatus('Zendesk', response.status, result instanceof Error ? result.message : JSON.stringify(result), retryAfter);
  }
  return result;
}

/**
 * Whether the ticket already has the comment of this event: the newest 100 comments are enough, a
 * retry comes soon after the comment it repeats. (node-zendesk has no comments listing.)
 */
async function hasComment(ctx: DeliveryContext, ticketId: string, eventId: string): Promise<boolean> {
  const zd = ctx.store.config.zendesk!;
  const auth = Buffer.from(`${zd.email}/token:${ctx.store.config.secrets.zendesk?.apiToken ?? ''}`).toString('base64');
  let res: Response;
  await throttleRequest(ctx);
  try {
    res = await fetch(`${baseUrl(ctx)}/api/v2/tickets/${encodeURIComponent(ticketId)}/comments.json?sort_order=desc&per_page=100`, {
      headers: { authorization: `Basic ${auth}`, accept: 'application/json' },
      signal: AbortSignal.timeout(ctx.requestTimeoutMs),
    });
  } catch (err) {
    throw new DeliveryError(`Zendesk request failed: ${(err as Error).message}`, false);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw errorForStatus('Zendesk', res.status, text, parseRetryAfter(res.headers.get('retry-after')));
  const { comments } = JSON.parse(text) as { comments?: { body?: string }[] };
  return (comments ?? []).some((c) => hasEventRef(c.body ?? '', eventId));
}

function basicAuth(ctx: DeliveryContext): string {
  const zd = ctx.store.config.zendesk;
  const token = ctx.store.config.secrets.zendesk?.apiToken;
  if (!zd?.email || !token) throw new DeliveryError('Zendesk credentials are missing (email and apiToken)', true);
  return `Basic ${Buffer.from(`${zd.email}/token:${token}`).toString('base64')}`;
}

/**
 * POST /api/v2/tickets with the delivery id as Idempotency-Key (a retry after a crash gets the same
 * ticket back). Straight on node:http rather than through node-zendesk: its client is shared by every
 * request to the account, and this header belongs to one request.
 */
async function createTicket(ctx: DeliveryContext, ticket: Record<string, unknown>): Promise<number> {
  const headers = { authorization: basicAuth(ctx), 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': ctx.delivery.id };
  await throttleRequest(ctx);
  let answer: PlainAnswer;
  try {
    answer = await plainRequest(`${baseUrl(ctx)}/api/v2/tickets.json`, { method: 'POST', headers, body: JSON.stringify({ ticket }) }, ctx.requestTimeoutMs);
  } catch (err) {
    throw new DeliveryError(`Zendesk request failed: ${(err as Error).message}`, false);
  }
  if (answer.status >= 300) throw errorForStatus('Zendesk', answer.status, answer.text, parseRetryAfter(answer.headers.get('retry-after')));
  let id: unknown;
  try {
    id = (parseJsonBody(answer.text) as { ticket?: { id?: unknown } } | undefined)?.ticket?.id;
  } catch {
    // handled below
  }
  if (typeof id !== 'number') throw new DeliveryError(`Zendesk answered ${answer.status} without a ticket id`, false);
  return id;
}

interface ZendeskState {
  ticketJson?: string;
  ticketId?: number;
  /** Saved before each comment PUT: Zendesk's Idempotency-Key covers ticket creation only. */
  commenting?: { eventId: string; at: number };
}

function customFields(ctx: DeliveryContext) {
  const ids = ctx.store.config.zendesk?.customFields ?? {};
  const customer = ctx.context.customer as { profileId?: string; id?: string };
  const fields: { id: number; value: string }[] = [];
  if (ids.caseId) fields.push({ id: ids.caseId, value: ctx.escalation.id });
  if (ids.channel) fields.push({ id: ids.channel, value: ctx.escalation.channel });
  const profile = customer.profileId ?? customer.id;
  if (ids.customerProfile && profile) fields.push({ id: ids.customerProfile, value: profile });
  return fields;
}

export const zendeskAdapter: IntegrationAdapter = {
  type: 'ZENDESK',

  async create(ctx): Promise<CreateResult> {
    const e = ctx.escalation;
    const customer = ctx.context.customer as { name?: string; email?: string };
    // Zendesk refuses a replayed Idempotency-Key with another body, and the case may change between
    // attempts (new messages): a retry sends the first attempt's body, byte for byte (kept as a
    // string: jsonb does not keep key order). A fresh start (attempt 1, also after a manual retry
    // of a FAILED delivery, e.g. with corrected config) renders it anew.
    const state = ctx.delivery.metadata as { ticketJson?: string };
    const replay = ctx.delivery.attempts > 1 ? state.ticketJson : undefined;
    const ticket = replay
      ? (JSON.parse(replay) as Record<string, unknown>)
      : {
          subject: ticketSubject(ctx),
          comment: { html_body: ticketHtml(ctx, COMMENT_MAX_CHARS), public: false },
          priority: PRIORITY[e.priority],
          type: TICKET_TYPE[e.intent] ?? 'question',
          tags: tags(ctx),
          external_id: e.id,
          ...(customer.email ? { requester: { name: customer.name ?? customer.email, email: customer.email } } : {}),
          ...(customFields(ctx).length ? { custom_fields: customFields(ctx) } : {}),
        };
    if (!replay) await ctx.saveProgress({ ...state, ticketJson: JSON.stringify(ticket) });
    const id = await createTicket(ctx, ticket);
    return {
      externalId: String(id),
      externalUrl: `${baseUrl(ctx)}/agent/tickets/${id}`,
      metadata: { ticketId: id },
    };
  },

  async update(ctx, event: EscalationEvent) {
    const ticketId = ctx.delivery.externalId;
    if (!ticketId) throw new DeliveryError('Zendesk ticket not created yet', false);
    const status = event.type === 'resolved' ? 'solved' : event.type === 'reopened' ? 'open' : undefined;
    const eventId = event.id.toString();
    const state = { ...(ctx.delivery.metadata as ZendeskState) };
    const earlier = state.commenting?.eventId === eventId ? state.commenting : undefined;
    // Comments cannot be deleted, only redacted: wait out an earlier PUT rather than clean up after it.
    if (earlier && (await settle(earlier.at, ctx, async () => ((await hasComment(ctx, ticketId, eventId)) ? true : undefined)))) return;
    await throttle(ctx);
    state.commenting = { eventId, at: Date.now() };
    await ctx.saveProgress({ ...state });
    const body = `${eventText(event.type, event.actor, event.data as Record<string, unknown>)}\n\n${eventRef(eventId)}`;
    await call(
      ctx,
      () =>
        client(ctx).tickets.update(Number(ticketId), {
          ticket: { comment: { body, public: false }, ...(status ? { status } : {}) },
        } as never) as never,
    );
  },
};
