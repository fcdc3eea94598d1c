import type { Escalation } from '../generated/prisma/client.ts';

export type SlaKind = 'firstResponse' | 'resolution';
export type SlaStage = 'warning' | 'breach';

export interface SlaJob {
  escalationId: string;
  kind: SlaKind;
  stage: SlaStage;
}

export const WARNING_FRACTION = 0.8;

type AlertTimes = Pick<Escalation, 'id' | 'createdAt' | 'firstResponseDueAt' | 'resolutionDueAt'> &
  Partial<Pick<Escalation, 'firstResponseWarnAt' | 'resolutionWarnAt'>>;

/**
 * When each SLA alert of a case is due, earliest first: the warning at 80% of a target (its stored
 * time when the target counts business hours, else 80% of the wall-clock time), the breach at 100%.
 */
export function slaAlerts(e: AlertTimes) {
  const created = e.createdAt.getTime();
  const alerts: (SlaJob & { at: number })[] = [];
  for (const [kind, due, warnAt] of [
    ['firstResponse', e.firstResponseDueAt.getTime(), e.firstResponseWarnAt],
    ['resolution', e.resolutionDueAt.getTime(), e.resolutionWarnAt],
  ] as const) {
    alerts.push({ escalationId: e.id, kind, stage: 'warning', at: warnAt ? warnAt.getTime() : created + (due - created) * WARNING_FRACTION });
    alerts.push({ escalationId: e.id, kind, stage: 'breach', at: due });
  }
  return alerts.sort((a, b) => a.at - b.at);
}

/** A target is met once the case got its first response (assignment) or resolution. */
export function targetMet(e: Pick<Escalation, 'assignedAt' | 'resolvedAt'>, kind: SlaKind): boolean {
  return kind === 'firstResponse' ? !!(e.assignedAt ?? e.resolvedAt) : !!e.resolvedAt;
}

type AlertState = AlertTimes &
  Pick<Escalation, 'status' | 'assignedAt' | 'resolvedAt' | 'firstResponseBreachedAt' | 'resolutionBreachedAt'> &
  Partial<Pick<Escalation, 'firstResponseWarnedAt' | 'resolutionWarnedAt'>>;

/** Whether an alert is still to be sent: its target is not met, and neither it nor its breach was sent. */
export function alertPending(e: AlertState, alert: SlaJob): boolean {
  if (e.status === 'CLOSED' || targetMet(e, alert.kind)) return false;
  const breached = alert.kind === 'firstResponse' ? e.firstResponseBreachedAt : e.resolutionBreachedAt;
  if (breached) return false;
  if (alert.stage === 'breach') return true;
  return !(alert.kind === 'firstResponse' ? e.firstResponseWarnedAt : e.resolutionWarnedAt);
}

/** When the SLA worker must next look at the case (sla_timers): its earliest pending alert, or null. */
export function nextAlertAt(e: AlertState): Date | null {
  const next = slaAlerts(e).find((alert) => alertPending(e, alert));
  return next ? new Date(next.at) : null;
}
