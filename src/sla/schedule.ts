import type { Escalation } from '../generated/prisma/client.ts';

export type SlaKind = 'firstResponse' | 'resolution';
export type SlaStage = 'warning' | 'breach';

export interface SlaJob {
  escalationId: string;
  kind: SlaKind;
  stage: SlaStage;
}

export const SLA_QUEUE = 'sla';
export const WARNING_FRACTION = 0.8;

type AlertTimes = Pick<Escalation, 'id' | 'createdAt' | 'firstResponseDueAt' | 'resolutionDueAt'> &
  Partial<Pick<Escalation, 'firstResponseWarnAt' | 'resolutionWarnAt'>>;

/**
 * When each SLA alert of a case is due: the warning at 80% of a target (its stored time when the
 * target counts business hours, else 80% of the wall-clock time), the breach at 100%.
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
  return alerts;
}

export const slaJobId = (j: SlaJob) => `${j.escalationId}-${j.kind}-${j.stage}`;

/** A target is met once the case got its first response (assignment) or resolution. */
export function targetMet(e: Pick<Escalation, 'assignedAt' | 'resolvedAt'>, kind: SlaKind): boolean {
  return kind === 'firstResponse' ? !!(e.assignedAt ?? e.resolvedAt) : !!e.resolvedAt;
}
