import { createHmac } from 'node:crypto';
import { SIGNATURE_TOLERANCE_SECONDS, VERIFIED, constantTimeEquals, rejected, type Verdict } from '../inbound-helpers.ts';

export { SIGNATURE_TOLERANCE_SECONDS, VERIFIED, rejected, type Verdict };

/**
 * Verification of Slack's signed requests (interactivity, slash commands). Pure: the caller passes the
 * clock (`nowMs`) and gets a verdict with a reason back; routes turn a failed verdict into a 401.
 * The Zendesk and Freshdesk verifiers live in their folders' inbound.ts; shared pieces in ../inbound-helpers.ts.
 */

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, keyed by the signing secret (UTF-8). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;
}

export interface SlackVerifyInput {
  signingSecret: string | undefined;
  /** X-Slack-Request-Timestamp (unix seconds). */
  timestamp: string | undefined;
  /** X-Slack-Signature (`v0=<hex>`). */
  signature: string | undefined;
  rawBody: string;
  nowMs?: number;
  toleranceSeconds?: number;
}

export function verifySlackSignature(input: SlackVerifyInput): Verdict {
  const { signingSecret, timestamp, signature, rawBody } = input;
  if (!signingSecret) return rejected('Slack requests cannot be verified: SLACK_SIGNING_SECRET is not set');
  if (!signature || !timestamp) return rejected('Missing Slack signature: X-Slack-Signature and X-Slack-Request-Timestamp are required');
  if (!/^\d{1,12}$/.test(timestamp)) return rejected('Malformed X-Slack-Request-Timestamp');
  const age = Math.abs((input.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return rejected('Stale Slack request: the timestamp is more than 5 minutes off');
  if (!constantTimeEquals(signature, slackSignature(signingSecret, timestamp, rawBody))) return rejected('Invalid Slack signature');
  return VERIFIED;
}
