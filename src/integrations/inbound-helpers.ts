// Pieces every helpdesk's inbound part shares (verdicts, body fields), so no helpdesk folder imports another's.
import { z } from 'zod';
import { constantTimeEquals } from '../stores/api-keys.ts';
import type { Verdict } from './definition.ts';

export { constantTimeEquals };
export type { Verdict };

/** Slack, Zendesk and Standard Webhooks all reject timestamps more than 5 minutes from now. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export const VERIFIED: Verdict = { ok: true };
export const rejected = (reason: string): Verdict => ({ ok: false, reason });

/** Placeholders with no value render as "" (an unassigned ticket): treat blank as absent. */
export const optionalText = (max: number) =>
  z
    .union([z.string().max(max), z.null()])
    .optional()
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null));

/** Ticket ids arrive as strings ("{{ticket.id}}") or numbers. */
export const ticketId = z.union([
  z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, 'must be a ticket number'),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER).transform(String),
]);

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `body${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ');
}

/** The password of an HTTP Basic Authorization header, or undefined. */
export function basicPassword(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]{1,4000})\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** A shared-secret check over every offered value (no early exit), each compared in constant time. */
export function matchesSecret(offered: (string | undefined)[], secret: string): boolean {
  let matched = false;
  for (const value of offered) if (typeof value === 'string' && value !== '') matched = constantTimeEquals(value, secret) || matched;
  return matched;
}
