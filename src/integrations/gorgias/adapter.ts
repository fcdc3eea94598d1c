import type { AxiosInstance } from 'axios';
import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { escapeHtml, eventRef, eventText, hasEventRef } from '../render.ts';
import { DeliveryError, settle, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { call, gorgiasHttp, listAll } from './client.ts';
import { DUPLICATE_TAG, hasCaseTag, internalNote, ticketBody } from './format.ts';
import { gorgiasOrigin } from './origin.ts';
import { throttle } from '../rate-limits.ts';
import { head } from '../../text/code-points.ts';

interface Ticket {
  id: number;
  external_id?: string | null;
  status?: string;
  tags?: { id?: number; name?: string }[];
  customer?: { id?: number } | null;
}

interface Message {
  id: number;
  channel?: string;
  body_text?: string | null;
  body_html?: string | null;
}

interface Customer {
  id: number;
  email?: string | null;
}

/** What a Gorgias delivery saves (delivery metadata) so a retry neither sends twice nor gives up too early. */
interface GorgiasState {
  ticketId?: number;
  /** Saved before each ticket POST: when the last one left, and how many may have landed. */
  creating?: { at: number; sent: number };
  /** Saved before each note POST. */
  noting?: { eventId: string; at: number };
}

function connect(ctx: DeliveryContext): { api: AxiosInstance; origin: string; email: string } {
  // (checks the account first: a store without one fails for good)
  const origin = gorgiasOrigin(ctx);
  const email = ctx.store.config.gorgias?.email;
  const apiKey = ctx.store.config.secrets.gorgias?.apiKey;
  if (!email || !apiKey) throw new DeliveryError('Gorgias credentials are missing (email and apiKey)', true);
  return { api: gorgiasHttp({ origin, email, apiKey, timeoutMs: ctx.requestTimeoutMs }), origin, email };
}

/** Gorgias answered with a 4xx: the request was refused, nothing was made. */
const refused = (err: unknown) => err instanceof DeliveryError && err.status !== undefined && err.status >= 400 && err.status < 500;

/**
 * The customer of the case in Gorgias: found by email, else created (a 409 means another request
 * created it first). Without an email: found or created by our external id (chat id or conversation).
 */
async function customerOf(api: AxiosInstance, ctx: DeliveryContext): Promise<number> {
  const c = ctx.context.customer as { id?: string; name?: string; email?: string; phone?: string };
  const name = c.name ?? c.email ?? c.phone ?? 'Chat customer';
  const [filter, body] = c.email
    ? [{ email: c.email }, { name, email: c.email, channels: [{ type: 'email', address: c.email, preferred: true }] }]
    : (() => {
        const externalId = head(c.id ?? `reva-${ctx.escalation.conversationId}`, 255);
        const channels = c.phone ? [{ type: 'phone', address: c.phone, preferred: true }] : [];
        return [{ external_id: externalId }, { name, external_id: externalId, channels }] as const;
      })();
  const find = async () => (await call(ctx, () => api.get<{ data: Customer[] }>('/customers', { params: { ...filter, limit: 1 } }))).data?.[0];
  const found = await find();
  if (found) return found.id;
  try {
    return (await call(ctx, () => api.post<Customer>('/customers', body))).id;
  } catch (err) {
    if ((err as DeliveryError).status !== 409) throw err;
    const again = await find();
    if (again) return again.id;
    throw err;
  }
}

/**
 * Tickets this case's creates made (one, unless a create that answered late made a second), oldest
 * first: by our external id (the case id), and among the customer's tickets by the case tag.
 */
async function ticketsOfCase(api: AxiosInstance, ctx: DeliveryContext, customerId?: number): Promise<Ticket[]> {
  const id = ctx.escalation.id;
  const ours = (t: Ticket) => t.external_id === id || hasCaseTag(t.tags, id);
  const found = new Map<number, Ticket>();
  for (const t of await listAll<Ticket>(ctx, api, '/tickets', { external_id: id }, 5)) if (ours(t)) found.set(t.id, t);
  if (customerId !== undefined) {
    for (const t of await listAll<Ticket>(ctx, api, '/tickets', { customer_id: customerId, order_by: 'created_datetime:desc' }, 5)) {
      if (ours(t) && !found.has(t.id)) found.set(t.id, t);
    }
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

const messagesOf = (ctx: DeliveryContext, api: AxiosInstance, ticketId: string) =>
  listAll<Message>(ctx, api, `/tickets/${encodeURIComponent(ticketId)}/messages`, {});
const messageText = (m: Message) => m.body_text ?? m.body_html ?? '';

/** The agent's page of a ticket (for the sandbox: its page, under the same origin). */
const ticketUrl = (origin: string, id: number) => `${origin}/app/ticket/${id}`;

function noteOf(sender: string, text: string) {
  const html = `${escapeHtml(text).replace(/\n/g, '<br>')}`;
  return internalNote({ email: sender }, text, html);
}

/** What to set the ticket's status to for a timeline event, if anything. */
function statusFor(event: EscalationEvent): 'open' | 'closed' | undefined {
  if (event.type === 'resolved') return 'closed';
  if (event.type === 'reopened') return 'open';
  if (event.type === 'status_changed' && (event.data as { to?: string } | null)?.to === 'CLOSED') return 'closed';
  return undefined;
}

export const gorgiasAdapter: IntegrationAdapter = {
  type: 'GORGIAS',

  async create(ctx: DeliveryContext): Promise<CreateResult> {
    const { api, origin, email } = connect(ctx);
    // Marked before each POST, and kept across a manual retry (which resets the attempt count).
    const state = { ...(ctx.delivery.metadata as GorgiasState) };
    const earlier = state.creating;
    const customerId = await customerOf(api, ctx);
    if (earlier) {
      // A create still being processed is not found yet: keep looking until it can no longer land.
      const existing = await settle(earlier.at, ctx, async () => (await ticketsOfCase(api, ctx, customerId))[0]);
      if (existing) return { externalId: String(existing.id), externalUrl: ticketUrl(origin, existing.id), metadata: { ticketId: existing.id } };
      await ctx.reconcileLater();
    }
    await throttle(ctx);
    state.creating = { at: Date.now(), sent: (earlier?.sent ?? 0) + 1 };
    await ctx.saveProgress({ ...state });
    const ticket = await call(ctx, () => api.post<Ticket>('/tickets', ticketBody(ctx, customerId, { email }))).catch(async (err) => {
      if (!earlier && refused(err)) {
        delete state.creating;
        await ctx.saveProgress({ ...state }).catch(() => {});
      }
      throw err;
    });
    return { externalId: String(ticket.id), externalUrl: ticketUrl(origin, ticket.id), metadata: { ticketId: ticket.id } };
  },

  async update(ctx: DeliveryContext, event: EscalationEvent): Promise<void> {
    const ticketId = ctx.delivery.externalId;
    if (!ticketId) throw new DeliveryError('Gorgias ticket not created yet', false);
    const { api, email } = connect(ctx);
    // The status first: it can be repeated, the note cannot, so a retry after a failure adds it once.
    const status = statusFor(event);
    if (status) await call(ctx, () => api.put(`/tickets/${encodeURIComponent(ticketId)}`, { status }));
    const eventId = event.id.toString();
    const state = { ...(ctx.delivery.metadata as GorgiasState) };
    const earlier = state.noting?.eventId === eventId ? state.noting : undefined;
    if (earlier) {
      const found = await settle(earlier.at, ctx, async () =>
        (await messagesOf(ctx, api, ticketId)).some((m) => hasEventRef(messageText(m), eventId)) ? true : undefined,
      );
      if (found) return;
      await ctx.reconcileLater();
    }
    await throttle(ctx);
    state.noting = { eventId, at: Date.now() };
    await ctx.saveProgress({ ...state });
    const text = `${eventText(event.type, event.actor, event.data as Record<string, unknown>)}\n\n${eventRef(eventId)}`;
    await call(ctx, () => api.post(`/tickets/${encodeURIComponent(ticketId)}/messages`, noteOf(email, text)));
  },

  /**
   * A second ticket of the case (a create that landed after the retry made one) is closed as a
   * duplicate of the recorded one; a note made twice loses its later copy.
   */
  async reconcile(ctx: DeliveryContext): Promise<'done' | 'not-yet'> {
    const recorded = ctx.delivery.externalId;
    if (!recorded) return 'not-yet';
    const { api, email } = connect(ctx);
    const kept = await call(ctx, () => api.get<Ticket>(`/tickets/${encodeURIComponent(recorded)}`));
    for (const t of await ticketsOfCase(api, ctx, kept.customer?.id ?? undefined)) {
      if (String(t.id) === recorded || t.status === 'closed') continue;
      const tags = [...(t.tags ?? []).filter((x) => x.name).map((x) => ({ name: x.name! })), { name: DUPLICATE_TAG }];
      await call(ctx, () => api.put(`/tickets/${t.id}`, { status: 'closed', tags }));
      const note = `Duplicate of ticket #${recorded} (a retried request that Gorgias carried out late). Closed by Reva; the case continues in #${recorded}.`;
      await call(ctx, () => api.post(`/tickets/${t.id}/messages`, noteOf(email, note)));
    }
    const seen = new Set<string>();
    for (const m of await messagesOf(ctx, api, recorded)) {
      const ref = /Reva event #(\d+)/.exec(messageText(m))?.[1];
      if (!ref) continue;
      if (seen.has(ref)) await call(ctx, () => api.delete(`/tickets/${encodeURIComponent(recorded)}/messages/${m.id}`));
      seen.add(ref);
    }
    return 'done';
  },
};
