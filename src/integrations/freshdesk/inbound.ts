import { z } from 'zod';
import { constantTimeEquals } from '../../stores/api-keys.ts';
import { VERIFIED, rejected, type Verdict } from '../slack/verify.ts';
import { formatIssues, optionalText, ticketId, type ParsedBody, type TicketUpdate } from '../zendesk/inbound.ts';

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

/** The password of an HTTP Basic Authorization header, or undefined. */
export function basicPassword(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]{1,4000})\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function verifyFreshdeskSecret(input: FreshdeskVerifyInput): Verdict {
  const { secret } = input;
  if (!secret) return rejected('Freshdesk webhooks cannot be verified: no freshdesk.webhookSecret is configured for this store');
  const offered = [basicPassword(input.authorization), input.headerSecret].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (offered.length === 0)
    return rejected('Missing Freshdesk webhook secret: send it as the HTTP Basic password or in the X-Webhook-Secret header');
  // Every offered value is compared (no early exit), each in constant time.
  let matched = false;
  for (const value of offered) matched = constantTimeEquals(value, secret) || matched;
  return matched ? VERIFIED : rejected('Invalid Freshdesk webhook secret');
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
export function parseFreshdeskWebhook(body: unknown): ParsedBody<TicketUpdate> {
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
