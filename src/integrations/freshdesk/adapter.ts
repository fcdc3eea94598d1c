import type { EscalationEvent } from '../../generated/prisma/client.ts';
import {
  DeliveryError,
  errorForStatus,
  parseRetryAfter,
  SettleWait,
  settle,
  type CreateResult,
  type DeliveryContext,
  type IntegrationAdapter,
} from '../types.ts';
import { caseTag, escapeHtml, eventRef, eventText, hasEventRef, normaliseTag, tags, ticketHtml, ticketSubject } from '../render.ts';
import { freshdeskOrigin } from './origin.ts';
import { clientCache } from '../client-cache.ts';
import { type FreshdeskApi, FreshdeskHttpError, freshdeskApi } from './client.ts';
import { throttle, throttleRequest } from '../rate-limits.ts';
import { head } from '../../text/code-points.ts';

const PRIORITY = { LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 } as const;
const STATUS_OPEN = 2;
const STATUS_RESOLVED = 4;
const STATUS_CLOSED = 5;
const DUPLICATE_TAG = 'reva_duplicate';
/** There is no "API" source in Freshdesk; the escalation comes from a chat (notes/helpdesk-apis.md). */
const SOURCE_CHAT = 7;
const DESCRIPTION_MAX_CHARS = 60_000;

function baseUrl(ctx: DeliveryContext): string {
  return freshdeskOrigin(ctx.config, ctx.store);
}

const clients = clientCache<FreshdeskApi>();

/** One client per account (base URL + API key). */
function http(ctx: DeliveryContext): FreshdeskApi {
  const apiKey = ctx.store.config.secrets.freshdesk?.apiKey;
  if (!apiKey) throw new DeliveryError('Freshdesk apiKey is missing', true);
  const baseURL = `${baseUrl(ctx)}/api/v2`;
  return clients(`${baseURL}|${ctx.requestTimeoutMs}|${apiKey}`, () => freshdeskApi(baseURL, apiKey, ctx.requestTimeoutMs));
}

async function call<T>(ctx: DeliveryContext, fn: () => Promise<T>): Promise<T> {
  await throttleRequest(ctx);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FreshdeskHttpError) throw errorForStatus('Freshdesk', err.status, err.body, parseRetryAfter(err.retryAfter));
    throw new DeliveryError(`Freshdesk request failed: ${(err as Error).message}`, false);
  }
}

interface Ticket {
  id: number;
  status?: number;
  tags?: string[];
  subject?: string;
  description_text?: string;
  description?: string;
  custom_fields?: Record<string, unknown>;
}

/** Tickets this case's creates made (one, unless a late create made a second), oldest first. */
async function ticketsOfCase(api: FreshdeskApi, ctx: DeliveryContext, email?: string): Promise<Ticket[]> {
  const caseField = ctx.store.config.freshdesk?.customFields?.caseId;
  const ours = (t: Ticket) =>
    (caseField && t.custom_fields?.[caseField] === ctx.escalation.id) || (t.description_text ?? t.description ?? '').includes(ctx.escalation.id);
  const found = new Map<number, Ticket>();
  // The requester's ticket list is current at once; the search index can lag behind a new ticket.
  if (email) {
    // The newest page is enough: a retry looks for a ticket made moments ago (the search below covers the rest).
    const params = { email, include: 'description', order_by: 'created_at', order_type: 'desc', per_page: 100 };
    for (const t of (await call(ctx, () => api.get<Ticket[]>('/tickets', params))).filter(ours)) found.set(t.id, t);
  }
  const query = `"tag:'${caseTag(ctx.escalation.id)}'"`;
  const searched = await call(ctx, () => api.get<{ results: Ticket[] }>('/search/tickets', { query }));
  for (const t of searched.results.filter(ours)) if (!found.has(t.id)) found.set(t.id, t);
  return [...found.values()].sort((a, b) => a.id - b.id);
}

interface Note {
  id: number;
  body?: string;
  body_text?: string;
}

/** The ticket's notes, all pages (Freshdesk: at most 100 a page). */
async function notesOf(ctx: DeliveryContext, api: FreshdeskApi, ticketId: string): Promise<Note[]> {
  const notes: Note[] = [];
  for (let page = 1; page <= 20; page++) {
    const batch = await call(ctx, () => api.get<Note[]>(`/tickets/${ticketId}/conversations`, { per_page: 100, page }));
    notes.push(...batch);
    if (batch.length < 100) break;
  }
  return notes;
}

interface FreshdeskState {
  ticketId?: number;
  /** The marker of deliveries made before `creating` existed: a create was sent, when is unknown. */
  createAttempted?: boolean;
  /** Saved before each ticket POST: when the last one left, and how many may have landed. */
  creating?: { at: number; sent: number };
  /** Saved before each note POST. */
  noting?: { eventId: string; at: number };
}

/** Freshdesk answered with a 4xx: the request was refused, nothing was made. */
const refused = (err: unknown) => err instanceof DeliveryError && err.status !== undefined && err.status >= 400 && err.status < 500;

function customFields(ctx: DeliveryContext): Record<string, string> {
  const names = ctx.store.config.freshdesk?.customFields ?? {};
  const customer = ctx.context.customer as { profileId?: string; id?: string };
  const fields: Record<string, string> = {};
  if (names.caseId) fields[names.caseId] = ctx.escalation.id;
  if (names.channel) fields[names.channel] = ctx.escalation.channel;
  const profile = customer.profileId ?? customer.id;
  if (names.customerProfile && profile) fields[names.customerProfile] = profile;
  return fields;
}

export const freshdeskAdapter: IntegrationAdapter = {
  type: 'FRESHDESK',

  async create(ctx): Promise<CreateResult> {
    const api = http(ctx);
    const url = (id: number) => `${baseUrl(ctx)}/a/tickets/${id}`;
    const e = ctx.escalation;
    const customer = ctx.context.customer as { name?: string; email?: string; phone?: string; id?: string };
    // Marked before each POST, and kept across a manual retry (which resets the attempt count).
    const state = { ...(ctx.delivery.metadata as FreshdeskState) };
    const earlier = state.creating ?? (state.createAttempted ? { at: 0, sent: 1 } : undefined);
    if (earlier) {
      // A create still being processed is not found yet: keep looking until it can no longer land.
      const existing = await settle(earlier.at, ctx, async () => (await ticketsOfCase(api, ctx, customer.email))[0]);
      if (existing) return { externalId: String(existing.id), externalUrl: url(existing.id), metadata: { ticketId: existing.id } };
      await ctx.reconcileLater();
    }
    const name = customer.name ?? customer.email ?? 'Chat customer';
    // An email (or phone) finds the contact or creates it with the ticket: no look-up call of our own.
    const requester = customer.email
      ? { email: customer.email, name }
      : customer.phone
        ? { phone: customer.phone, name }
        : { unique_external_id: customer.id ?? head(`reva-${e.conversationId}`, 255), name };
    const fields = customFields(ctx);
    await throttle(ctx);
    delete state.createAttempted;
    state.creating = { at: Date.now(), sent: (earlier?.sent ?? 0) + 1 };
    await ctx.saveProgress({ ...state });
    const ticket = await call(ctx, () =>
      api.post<Ticket>('/tickets', {
        subject: ticketSubject(ctx),
        description: ticketHtml(ctx, DESCRIPTION_MAX_CHARS),
        priority: PRIORITY[e.priority],
        status: STATUS_OPEN,
        source: SOURCE_CHAT,
        tags: tags(ctx),
        ...requester,
        ...(Object.keys(fields).length ? { custom_fields: fields } : {}),
      }),
    ).catch(async (err) => {
      // Refused, or our limiter's wait for the slot (the turn moved to an earlier case meanwhile): the
      // POST never left, so the job that comes back need not look for a ticket first.
      if (!earlier && (refused(err) || err instanceof SettleWait)) {
        delete state.creating;
        await ctx.saveProgress({ ...state }).catch(() => {});
      }
      throw err;
    });
    return { externalId: String(ticket.id), externalUrl: url(ticket.id), metadata: { ticketId: ticket.id } };
  },

  async update(ctx, event: EscalationEvent) {
    const ticketId = ctx.delivery.externalId;
    if (!ticketId) throw new DeliveryError('Freshdesk ticket not created yet', false);
    const api = http(ctx);
    // The status first: it can be repeated, the note cannot, so a retry after a failure adds it once.
    const status = event.type === 'resolved' ? STATUS_RESOLVED : event.type === 'reopened' ? STATUS_OPEN : undefined;
    if (status) await call(ctx, () => api.put(`/tickets/${ticketId}`, { status }));
    const eventId = event.id.toString();
    const state = { ...(ctx.delivery.metadata as FreshdeskState) };
    const earlier = state.noting?.eventId === eventId ? state.noting : undefined;
    if (earlier) {
      const found = await settle(earlier.at, ctx, async () =>
        (await notesOf(ctx, api, ticketId)).some((n) => hasEventRef(n.body_text ?? n.body ?? '', eventId)) ? true : undefined,
      );
      if (found) return;
      await ctx.reconcileLater();
    }
    await throttle(ctx);
    state.noting = { eventId, at: Date.now() };
    await ctx.saveProgress({ ...state });
    const text = eventText(event.type, event.actor, event.data as Record<string, unknown>);
    const body = `${escapeHtml(text).replace(/\n/g, '<br>')}<br><br><small>${escapeHtml(eventRef(eventId))}</small>`;
    await call(ctx, () => api.post(`/tickets/${ticketId}/notes`, { body, private: true }));
  },

  /**
   * A second ticket of the case (a create that landed after the retry made one) is closed as a
   * duplicate of the recorded one; a note made twice loses its later copy.
   */
  async reconcile(ctx) {
    const recorded = ctx.delivery.externalId;
    if (!recorded) return 'not-yet';
    const api = http(ctx);
    const email = (ctx.context.customer as { email?: string }).email;
    for (const t of await ticketsOfCase(api, ctx, email)) {
      if (String(t.id) === recorded || t.status === STATUS_CLOSED) continue;
      await call(ctx, () => api.put(`/tickets/${t.id}`, { status: STATUS_CLOSED, tags: [...new Set([...(t.tags ?? []), normaliseTag(DUPLICATE_TAG)])] }));
      const note = `Duplicate of ticket #${recorded} (a retried request that Freshdesk carried out late). Closed by Reva; the case continues in #${recorded}.`;
      await call(ctx, () => api.post(`/tickets/${t.id}/notes`, { body: escapeHtml(note), private: true }));
    }
    const seen = new Set<string>();
    for (const n of await notesOf(ctx, api, recorded)) {
      const ref = /Reva event #(\d+)/.exec(n.body_text ?? n.body ?? '')?.[1];
      if (!ref) continue;
      if (seen.has(ref)) await call(ctx, () => api.delete(`/conversations/${n.id}`));
      seen.add(ref);
    }
    return 'done';
  },
};
