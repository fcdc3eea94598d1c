import { caseTag, normaliseTag, tags, ticketHtml, ticketSubject, ticketText } from '../render.ts';
import type { DeliveryContext } from '../types.ts';

/** Gorgias ticket priorities (its API: low | normal | high | critical). */
export const GORGIAS_PRIORITY = { URGENT: 'critical', HIGH: 'high', MEDIUM: 'normal', LOW: 'low' } as const;

/** A message body stays well under what Gorgias takes; the case page has the rest. */
const BODY_MAX_CHARS = 60_000;
export const DUPLICATE_TAG = 'reva_duplicate';

/** Tags name the reva case (found again by it), the escalation's channel and the store. */
export function ticketTags(ctx: DeliveryContext): { name: string }[] {
  const names = [...tags(ctx), normaliseTag(`store_${ctx.store.name}`)];
  return [...new Set(names)].filter((n) => n !== '').map((name) => ({ name }));
}

export function hasCaseTag(ticketTags: { name?: string }[] | undefined, escalationId: string): boolean {
  const wanted = caseTag(escalationId);
  return (ticketTags ?? []).some((t) => t.name === wanted);
}

/** Who the context note is from: the Gorgias user whose API key we use. */
export interface Sender {
  email: string;
}

/**
 * An internal note: never sent to the customer, shown to agents in the ticket. The case context
 * (summary, triggers and why, customer and order, the whole conversation, the case link) goes in
 * one, like the private first comment of the Zendesk ticket.
 */
export function internalNote(sender: Sender, bodyText: string, bodyHtml: string) {
  return {
    channel: 'internal-note',
    via: 'api',
    from_agent: true,
    sender: { email: sender.email },
    body_text: bodyText,
    body_html: bodyHtml,
  };
}

/** The body of POST /api/tickets for this case. */
export function ticketBody(ctx: DeliveryContext, customerId: number, sender: Sender) {
  const e = ctx.escalation;
  return {
    external_id: e.id,
    subject: ticketSubject(ctx),
    status: 'open',
    priority: GORGIAS_PRIORITY[e.priority],
    // channel/via "api": the ticket skips auto-reply rules (nothing is sent to the customer by creating it).
    channel: 'api',
    via: 'api',
    customer: { id: customerId },
    tags: ticketTags(ctx),
    meta: { reva: { caseId: e.id, caseUrl: ctx.caseUrl, storeId: ctx.store.id } },
    messages: [internalNote(sender, ticketText(ctx, BODY_MAX_CHARS), ticketHtml(ctx, BODY_MAX_CHARS))],
  };
}
