import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { DeliveryError, errorForStatus, parseRetryAfter, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { caseTag, escapeHtml, eventText, tags, ticketHtml, ticketSubject } from '../render.ts';
import { freshdeskOrigin } from '../base-urls.ts';
import { head } from '../../text/code-points.ts';

const PRIORITY = { LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 } as const;
const STATUS_OPEN = 2;
const STATUS_RESOLVED = 4;
/** There is no "API" source in Freshdesk; the escalation comes from a chat (notes/helpdesk-apis.md). */
const SOURCE_CHAT = 7;
const DESCRIPTION_MAX_CHARS = 60_000;

function baseUrl(ctx: DeliveryContext): string {
  return freshdeskOrigin(ctx.config, ctx.store);
}

function http(ctx: DeliveryContext): AxiosInstance {
  const apiKey = ctx.store.config.secrets.freshdesk?.apiKey;
  if (!apiKey) throw new DeliveryError('Freshdesk apiKey is missing', true);
  return axios.create({ baseURL: `${baseUrl(ctx)}/api/v2`, auth: { username: apiKey, password: 'X' }, timeout: ctx.requestTimeoutMs });
}

async function call<T>(fn: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await fn()).data;
  } catch (err) {
    if (err instanceof AxiosError && err.response) {
      const { status, data, headers } = err.response;
      throw errorForStatus('Freshdesk', status, JSON.stringify(data), parseRetryAfter(headers['retry-after']));
    }
    throw new DeliveryError(`Freshdesk request failed: ${(err as Error).message}`, false);
  }
}

interface Ticket {
  id: number;
  subject?: string;
  description_text?: string;
  description?: string;
  custom_fields?: Record<string, unknown>;
}

/** A contact found by email, or created (a 409 means another request created it first). */
async function requesterId(api: AxiosInstance, name: string, email: string): Promise<number> {
  const found = await call(() => api.get<{ id: number }[]>('/contacts', { params: { email } }));
  if (found[0]) return found[0].id;
  try {
    return (await call(() => api.post<{ id: number }>('/contacts', { name, email }))).id;
  } catch (err) {
    if ((err as DeliveryError).status !== 409) throw err;
    const again = await call(() => api.get<{ id: number }[]>('/contacts', { params: { email } }));
    if (again[0]) return again[0].id;
    throw err;
  }
}

/** A ticket an earlier attempt of this delivery may have created before it crashed or lost the answer. */
async function findExisting(api: AxiosInstance, ctx: DeliveryContext, email?: string): Promise<Ticket | undefined> {
  const caseField = ctx.store.config.freshdesk?.customFields?.caseId;
  const ours = (t: Ticket) =>
    (caseField && t.custom_fields?.[caseField] === ctx.escalation.id) ||
    (t.description_text ?? t.description ?? '').includes(ctx.escalation.id);
  // The requester's ticket list is current at once; the search index can lag behind a new ticket.
  if (email) {
    const params = { email, include: 'description', order_by: 'created_at', order_type: 'desc' };
    const listed = (await call(() => api.get<Ticket[]>('/tickets', { params }))).find(ours);
    if (listed) return listed;
  }
  const query = `"tag:'${caseTag(ctx.escalation.id)}'"`;
  const found = await call(() => api.get<{ results: Ticket[] }>('/search/tickets', { params: { query } }));
  return found.results.find(ours);
}

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
    const state = ctx.delivery.metadata as { createAttempted?: boolean };
    if (state.createAttempted) {
      const existing = await findExisting(api, ctx, customer.email);
      if (existing) return { externalId: String(existing.id), externalUrl: url(existing.id), metadata: { ticketId: existing.id } };
    }
    const name = customer.name ?? customer.email ?? 'Chat customer';
    const requester = customer.email
      ? { requester_id: await requesterId(api, name, customer.email) }
      : customer.phone
        ? { phone: customer.phone, name }
        : { unique_external_id: customer.id ?? head(`reva-${e.conversationId}`, 255), name };
    const fields = customFields(ctx);
    await ctx.saveProgress({ ...state, createAttempted: true });
    const ticket = await call(() =>
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
    );
    return { externalId: String(ticket.id), externalUrl: url(ticket.id), metadata: { ticketId: ticket.id } };
  },

  async update(ctx, event: EscalationEvent) {
    const ticketId = ctx.delivery.externalId;
    if (!ticketId) throw new DeliveryError('Freshdesk ticket not created yet', false);
    const api = http(ctx);
    // The status first: it can be repeated, the note cannot, so a retry after a failure adds it once.
    const status = event.type === 'resolved' ? STATUS_RESOLVED : event.type === 'reopened' ? STATUS_OPEN : undefined;
    if (status) await call(() => api.put(`/tickets/${ticketId}`, { status }));
    const body = eventText(event.type, event.actor, event.data as Record<string, unknown>);
    await call(() => api.post(`/tickets/${ticketId}/notes`, { body: escapeHtml(body).replace(/\n/g, '<br>'), private: true }));
  },
};
