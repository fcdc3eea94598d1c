import axios, { AxiosError } from 'axios';
import { Webhook } from 'standardwebhooks';
import type { EscalationEvent } from '../../generated/prisma/client.ts';
import { serializeCase } from '../../cases/serialize.ts';
import { DeliveryError, errorForStatus, parseRetryAfter, type CreateResult, type DeliveryContext, type IntegrationAdapter } from '../types.ts';
import { PrivateAddressError, assertPublicUrl, guardedAgents, openAgents } from './address-guard.ts';
import { OUTBOUND_EVENT_TYPES } from './events.ts';

/** Sends one Standard Webhooks message; the id stays the same on every retry of it. */
async function send(ctx: DeliveryContext, messageId: string, type: string, data: Record<string, unknown>) {
  const url = ctx.store.config.webhook?.url;
  const secret = ctx.store.config.secrets.webhook?.secret;
  if (!url || !secret) throw new DeliveryError('Webhook is enabled but its url or secret is missing', true);
  const allowPrivate = ctx.config.webhookAllowPrivate;
  try {
    if (!allowPrivate) assertPublicUrl(url);
  } catch (err) {
    throw new DeliveryError(`${(err as Error).message}; set WEBHOOK_ALLOW_PRIVATE=true to allow it`, true);
  }
  const timestamp = new Date();
  const payload = JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
  const signature = new Webhook(secret).sign(messageId, timestamp, payload);
  try {
    await axios.post(url, payload, {
      headers: {
        'content-type': 'application/json',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
        'user-agent': 'reva-escalations',
      },
      timeout: ctx.requestTimeoutMs,
      maxRedirects: 0,
      ...(allowPrivate ? openAgents : guardedAgents),
    });
  } catch (err) {
    if (err instanceof AxiosError && err.response) {
      const { status, headers } = err.response;
      if (status === 410) throw new DeliveryError('The webhook endpoint answered 410 Gone', true, undefined, 410);
      throw errorForStatus('Webhook endpoint', status, String(err.response.statusText), parseRetryAfter(headers['retry-after']));
    }
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (cause instanceof PrivateAddressError) throw new DeliveryError(`${cause.message}; set WEBHOOK_ALLOW_PRIVATE=true to allow it`, true);
    throw new DeliveryError(`Webhook request failed: ${(err as Error).message}`, false);
  }
}

export const webhookAdapter: IntegrationAdapter = {
  type: 'WEBHOOK',

  async create(ctx): Promise<CreateResult> {
    const messageId = `msg_${ctx.delivery.id.replace(/-/g, '')}`;
    await send(ctx, messageId, 'escalation.created', {
      escalation: serializeCase(ctx.escalation, ctx.config.publicUrl),
      decision: ctx.decision,
      conversationId: ctx.escalation.conversationId,
      // What POST /escalate answered the chat backend to tell the customer (DESIGN §3 handoff).
      ...(ctx.context.handoff ? { handoff: ctx.context.handoff } : {}),
    });
    return { externalId: messageId, externalUrl: null };
  },

  async update(ctx, event: EscalationEvent) {
    const type = OUTBOUND_EVENT_TYPES[event.type];
    if (!type) return;
    const eventData = (event.data ?? {}) as Record<string, unknown>;
    await send(ctx, `msg_evt_${event.id.toString()}`, type, {
      // SLA events say which target at the top level: { kind: "firstResponse" | "resolution", dueAt }.
      ...(event.type === 'sla_warning' || event.type === 'sla_breached' || event.type === 'sla_action' ? { kind: eventData.kind, dueAt: eventData.dueAt } : {}),
      escalation: serializeCase(ctx.escalation, ctx.config.publicUrl),
      conversationId: ctx.escalation.conversationId,
      event: { type: event.type, source: event.source, actor: event.actor, data: event.data, createdAt: event.createdAt.toISOString() },
    });
  },
};
