import type { Priority } from '../generated/prisma/enums.ts';
import { slaTargets, type PublicConfig } from '../stores/escalation-config.ts';
import { calendarFor, type BusinessHours } from './business-hours.ts';
import { WARNING_FRACTION } from './schedule.ts';

export interface SlaDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  /** null: the warning is at 80% of the wall-clock time (stores without business hours, as before). */
  firstResponseWarnAt: Date | null;
  resolutionWarnAt: Date | null;
  slaTimeZone: string | null;
}

/** The store's calendar: its business hours, or always open. */
export const storeCalendar = (config: PublicConfig) => calendarFor(config.businessHours as BusinessHours | undefined);

/** Due times of a case opened at `openedAt`: targets count open time only when the store has business hours. */
export function slaDueTimes(config: PublicConfig, priority: Priority, openedAt: Date): SlaDueTimes {
  const target = slaTargets(config)[priority];
  const calendar = storeCalendar(config);
  if (!calendar.timeZone) {
    return {
      firstResponseDueAt: new Date(openedAt.getTime() + target.firstResponseMinutes * 60_000),
      resolutionDueAt: new Date(openedAt.getTime() + target.resolutionMinutes * 60_000),
      firstResponseWarnAt: null,
      resolutionWarnAt: null,
      slaTimeZone: null,
    };
  }
  return {
    firstResponseDueAt: calendar.addBusinessMinutes(openedAt, target.firstResponseMinutes),
    resolutionDueAt: calendar.addBusinessMinutes(openedAt, target.resolutionMinutes),
    firstResponseWarnAt: calendar.addBusinessMinutes(openedAt, target.firstResponseMinutes * WARNING_FRACTION),
    resolutionWarnAt: calendar.addBusinessMinutes(openedAt, target.resolutionMinutes * WARNING_FRACTION),
    slaTimeZone: calendar.timeZone,
  };
}
