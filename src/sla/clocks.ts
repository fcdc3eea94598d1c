import type { PublicConfig } from '../stores/escalation-config.ts';
import { ALWAYS_OPEN, toZonedIso } from './business-hours.ts';
import { storeCalendar } from './due-times.ts';

/** The serialized case (src/cases/serialize.ts), as much as the clocks need. */
interface CaseTimes {
  assignedAt: string | null;
  resolvedAt: string | null;
  sla: { firstResponseDueAt: string; resolutionDueAt: string; timeZone?: string | null };
}

export interface SlaClock {
  dueAt: string;
  /** The due time in the business-hours zone, when the case counts business hours. */
  dueAtLocal: string | null;
  /** Open minutes left before the due time (null once met or past due). */
  minutesLeft: number | null;
}

export interface SlaClocks {
  timeZone: string | null;
  openNow: boolean;
  nextOpenAt: string | null;
  nextOpenAtLocal: string | null;
  firstResponse: SlaClock;
  resolution: SlaClock;
}

/** The case page's clocks: open minutes left on each target, and whether the team is at work now. */
export function slaClocks(e: CaseTimes, config: PublicConfig, now = new Date()): SlaClocks {
  const zone = e.sla.timeZone ?? null;
  // A case opened without business hours keeps counting wall-clock time.
  const calendar = zone ? storeCalendar(config) : ALWAYS_OPEN;
  const clock = (dueAt: string, met: boolean): SlaClock => {
    const due = new Date(dueAt);
    return {
      dueAt,
      dueAtLocal: zone ? toZonedIso(due, zone) : null,
      minutesLeft: met || due <= now ? null : Math.round(calendar.businessMinutesBetween(now, due) * 10) / 10,
    };
  };
  const open = calendar.isOpen(now);
  const next = open ? null : calendar.nextOpenAt(now);
  return {
    timeZone: calendar.timeZone,
    openNow: open,
    nextOpenAt: next ? next.toISOString() : null,
    nextOpenAtLocal: next && calendar.timeZone ? toZonedIso(next, calendar.timeZone) : null,
    firstResponse: clock(e.sla.firstResponseDueAt, !!(e.assignedAt ?? e.resolvedAt)),
    resolution: clock(e.sla.resolutionDueAt, !!e.resolvedAt),
  };
}
