import { z } from 'zod';
import type { InboundDefinition, Parsed, TicketUpdate } from '../definition.ts';
import { VERIFIED, basicPassword, formatIssues, matchesSecret, optionalText, rejected, ticketId, type Verdict } from '../inbound-helpers.ts';

export { basicPassword };

/**
 * Freshdesk → us: an automation rule's "Trigger webhook" with the body the README tells merchants to
 * use (DESIGN §3): {"ticket_id","status","agent_name","agent_email"}. Freshdesk does not sign
 * webhooks: the store's secret comes as the HTTP Basic password (any user name) or X-Webhook-Secret.
 */

export interface FreshdeskVerifyInput {
  secret: string | undefined;
  /** Authorization header: `Basic base64(user:secret)`. */
  authorization: string | undefined;
  /** X-Webhook-Secret header. */
  headerSecret: string | undefined;
}

export function verifyFreshdeskSecret(input: FreshdeskVerifyInput): Verdict {
  const { secret } = input;
  if (!secret) return rejected('Freshdesk webhooks cannot be verified: no freshdesk.webhookSecret is configured for this store');
  const offered = [basicPassword(input.authorization), input.headerSecret];
  if (!offered.some((v) => v !== undefined && v !== ''))
    return rejected('Missing Freshdesk webhook secret: send it as the HTTP Basic password or in the X-Webhook-Secret header');
  return matchesSecret(offered, secret) ? VERIFIED : rejected('Invalid Freshdesk webhook secret');
}

/** Freshdesk's default statuses: 2 Open, 3 Pending, 4 Resolved, 5 Closed (custom ones are not mapped). */
const FRESHDESK_STATES: Record<string, TicketUpdate['state']> = {
  '2': 'open',
  open: 'open',
  '3': 'pending',
  pending: 'pending',
  '4': 'solved',
  resolved: 'solved',
  '5': 'closed',
  closed: 'closed',
};

const freshdeskBody = z.object({
  ticket_id: ticketId,
  status: z.union([z.string().trim().min(1).max(64), z.number().int().min(0).max(1_000_000).transform(String)]),
  agent_name: optionalText(320),
  agent_email: optionalText(320),
});

/** Parses the (already authenticated) body; the status may be a name (any case) or a number. */
export function parseFreshdeskWebhook(body: unknown): Parsed<TicketUpdate> {
  const parsed = freshdeskBody.safeParse(body);
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error) };
  const b = parsed.data;
  return {
    ok: true,
    value: {
      ticketId: b.ticket_id,
      rawStatus: b.status,
      state: FRESHDESK_STATES[b.status.toLowerCase()] ?? null,
      assigneeName: b.agent_name,
      assigneeEmail: b.agent_email,
    },
  };
}

export const freshdeskInbound: InboundDefinition<'apiKey' | 'webhookSecret'> = {
  secretField: 'webhookSecret',
  verify: (request, secret) =>
    verifyFreshdeskSecret({ secret, authorization: request.headers.authorization, headerSecret: request.headers['x-webhook-secret'] }),
  parse: parseFreshdeskWebhook,
  solvedSummary: 'Resolved in Freshdesk',
  summary: 'Freshdesk ticket status → case status (store secret as Basic password or X-Webhook-Secret)',
};
