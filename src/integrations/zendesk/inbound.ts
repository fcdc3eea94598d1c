import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { InboundDefinition, Parsed, TicketUpdate } from '../definition.ts';
import { SIGNATURE_TOLERANCE_SECONDS, VERIFIED, constantTimeEquals, formatIssues, optionalText, rejected, ticketId, type Verdict } from '../inbound-helpers.ts';

/**
 * Zendesk → us: a trigger's "Notify active webhook" with the body the README tells merchants to use
 * (DESIGN §3): {"ticket_id","status","assignee_name","assignee_email"}, signed by Zendesk.
 */

/** base64 HMAC-SHA256 of `timestamp + raw body`, keyed by the webhook's signing secret string as-is. */
export function zendeskSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + rawBody, 'utf8')
    .digest('base64');
}

export interface ZendeskVerifyInput {
  secret: string | undefined;
  /** X-Zendesk-Webhook-Signature-Timestamp (ISO-8601; unix seconds are accepted too). */
  timestamp: string | undefined;
  /** X-Zendesk-Webhook-Signature (base64). */
  signature: string | undefined;
  rawBody: string;
  nowMs?: number;
  toleranceSeconds?: number;
}

function timestampMs(value: string): number | undefined {
  if (/^\d{1,12}$/.test(value)) return Number(value) * 1000;
  if (value.length > 64) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Signature and replay window (5 minutes, like Slack's and Standard Webhooks'). */
export function verifyZendeskSignature(input: ZendeskVerifyInput): Verdict {
  const { secret, timestamp, signature, rawBody } = input;
  if (!secret) return rejected('Zendesk webhooks cannot be verified: no zendesk.webhookSecret is configured for this store');
  if (!signature || !timestamp)
    return rejected('Missing Zendesk signature: X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp are required');
  const at = timestampMs(timestamp);
  if (at === undefined) return rejected('Malformed X-Zendesk-Webhook-Signature-Timestamp');
  if (Math.abs((input.nowMs ?? Date.now()) - at) / 1000 > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS))
    return rejected('Stale Zendesk webhook: the timestamp is more than 5 minutes off');
  if (!constantTimeEquals(signature, zendeskSignature(secret, timestamp, rawBody))) return rejected('Invalid Zendesk signature');
  return VERIFIED;
}

const zendeskBody = z.object({
  ticket_id: ticketId,
  status: z.string().trim().min(1).max(64),
  assignee_name: optionalText(320),
  assignee_email: optionalText(320),
});

const ZENDESK_STATES: Record<string, TicketUpdate['state']> = {
  new: 'open',
  open: 'open',
  pending: 'pending',
  hold: 'pending',
  'on-hold': 'pending',
  'on hold': 'pending',
  solved: 'solved',
  closed: 'closed',
};

/** Parses the (already verified) body; statuses are matched case-insensitively (`Solved`). */
export function parseZendeskWebhook(body: unknown): Parsed<TicketUpdate> {
  const parsed = zendeskBody.safeParse(body);
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error) };
  const b = parsed.data;
  return {
    ok: true,
    value: {
      ticketId: b.ticket_id,
      rawStatus: b.status,
      state: ZENDESK_STATES[b.status.toLowerCase()] ?? null,
      assigneeName: b.assignee_name,
      assigneeEmail: b.assignee_email,
    },
  };
}

const INVOCATION_ID = /^[\w.:-]{1,200}$/;

export const zendeskInbound: InboundDefinition<'apiToken' | 'webhookSecret'> = {
  secretField: 'webhookSecret',
  verify: (request, secret, nowMs) =>
    verifyZendeskSignature({
      secret,
      timestamp: request.headers['x-zendesk-webhook-signature-timestamp'],
      signature: request.headers['x-zendesk-webhook-signature'],
      rawBody: request.rawBody,
      nowMs,
    }),
  parse: parseZendeskWebhook,
  // Zendesk names each delivery; its retries keep the id.
  deliveryId: (request) => {
    const id = request.headers['x-zendesk-webhook-invocation-id'];
    return id && INVOCATION_ID.test(id) ? id : undefined;
  },
  solvedSummary: 'Solved in Zendesk',
  summary: 'Zendesk ticket status → case status (signed by Zendesk; deduplicated by invocation id)',
};
