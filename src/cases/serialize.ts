import type { Escalation, EscalationEvent, EscalationIntegration } from '../generated/prisma/client.ts';
import { toZonedIso } from '../sla/business-hours.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function caseUrl(publicUrl: string, id: string) {
  return `${publicUrl}/dashboard/escalations/${id}`;
}

export function serializeDelivery(d: EscalationIntegration) {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    externalId: d.externalId,
    externalUrl: d.externalUrl,
    attempts: d.attempts,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export function serializeEvent(e: EscalationEvent) {
  return {
    id: e.id.toString(),
    type: e.type,
    source: e.source,
    actor: e.actor,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}

interface Related {
  deliveries?: EscalationIntegration[];
  events?: EscalationEvent[];
  full?: boolean;
}

/** The case as clients see it (DESIGN §3); `full` adds context, decision, deliveries and timeline. */
export function serializeCase(row: Escalation, publicUrl: string, related: Related = {}, now = new Date()) {
  const context = (row.context ?? {}) as { customer?: Record<string, unknown>; order?: Record<string, unknown> };
  const out = {
    id: row.id,
    storeId: row.storeId,
    conversationId: row.conversationId,
    channel: row.channel,
    status: row.status,
    priority: row.priority,
    triggers: row.triggers,
    intent: row.intent,
    keywords: row.keywords,
    summary: row.summary,
    reason: row.reason,
    sentiment: row.sentiment,
    aiConfidence: row.aiConfidence,
    customer: context.customer ?? {},
    order: context.order ?? {},
    messageCount: row.messageCount,
    assignedTo: row.assignedTo,
    assignedAt: iso(row.assignedAt),
    resolvedAt: iso(row.resolvedAt),
    resolutionSummary: row.resolutionSummary,
    closedAt: iso(row.closedAt),
    sla: slaView(row, now),
    url: caseUrl(publicUrl, row.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (!related.full) return out;
  return {
    ...out,
    context: row.context,
    decision: row.decision as never,
    deliveries: (related.deliveries ?? []).map(serializeDelivery),
    timeline: (related.events ?? []).map(serializeEvent),
  };
}

/** A target is breached once it was recorded as breached, or its due time passed before it was met. */
export function slaView(row: Escalation, now = new Date()) {
  const firstResponseAt = row.assignedAt ?? row.resolvedAt;
  const firstResponseBreached = !!row.firstResponseBreachedAt || (firstResponseAt ? firstResponseAt > row.firstResponseDueAt : now > row.firstResponseDueAt);
  const resolutionBreached = !!row.resolutionBreachedAt || (row.resolvedAt ? row.resolvedAt > row.resolutionDueAt : now > row.resolutionDueAt);
  const zone = row.slaTimeZone ?? null;
  return {
    firstResponseDueAt: row.firstResponseDueAt.toISOString(),
    resolutionDueAt: row.resolutionDueAt.toISOString(),
    firstResponseBreached,
    resolutionBreached,
    timeZone: zone,
    ...(zone ? { firstResponseDueAtLocal: toZonedIso(row.firstResponseDueAt, zone), resolutionDueAtLocal: toZonedIso(row.resolutionDueAt, zone) } : {}),
  };
}
