import { z } from 'zod';
import type { InboundRequest, Parsed, TicketUpdate, Verdict } from '../definition.ts';
import { VERIFIED, formatIssues, matchesSecret, optionalText, rejected, ticketId } from '../inbound-helpers.ts';

/**
 * Gorgias → us: an HTTP integration (trigger "Ticket updated") posting the body the README tells
 * merchants to use (DESIGN §3):
 * {"ticket_id":"{{ticket.id}}","status":"{{ticket.status}}","assignee_name":"{{ticket.assignee_user.name}}","assignee_email":"{{ticket.assignee_user.email}}"}
 * Gorgias does not sign requests: the store's gorgias.webhookSecret comes in header X-Webhook-Secret.
 */
export const GORGIAS_SECRET_HEADER = 'x-webhook-secret';

/** Pure: the store's secret and the request's header; missing or wrong → a refusal (401). Constant time. */
export function verifyGorgiasSecret(request: InboundRequest, secret: string | undefined): Verdict {
  if (!secret) return rejected('Gorgias webhooks cannot be verified: no gorgias.webhookSecret is configured for this store');
  const offered = request.headers[GORGIAS_SECRET_HEADER];
  if (!offered) return rejected('Missing Gorgias webhook secret: send it in the X-Webhook-Secret header');
  return matchesSecret([offered], secret) ? VERIFIED : rejected('Invalid Gorgias webhook secret');
}

const gorgiasBody = z.object({
  ticket_id: ticketId,
  status: z.string().trim().min(1).max(64),
  assignee_name: optionalText(320),
  assignee_email: optionalText(320),
});

/**
 * Gorgias tickets are open or closed. Closing is the agent's "done": it resolves the case (closed
 * cases are final here, and a Gorgias ticket can be opened again); opening it again reopens the case.
 */
const GORGIAS_STATES: Record<string, TicketUpdate['state']> = { open: 'open', closed: 'solved' };

/** Pure: the (already verified) body → what Gorgias says about its ticket. Statuses in any case. */
export function parseGorgiasWebhook(body: unknown): Parsed<TicketUpdate> {
  const parsed = gorgiasBody.safeParse(body);
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error) };
  const b = parsed.data;
  return {
    ok: true,
    value: {
      ticketId: b.ticket_id,
      rawStatus: b.status,
      state: GORGIAS_STATES[b.status.toLowerCase()] ?? null,
      assigneeName: b.assignee_name,
      assigneeEmail: b.assignee_email,
    },
  };
}
