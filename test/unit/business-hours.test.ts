// Business-hours arithmetic with fixed instants (a fake clock: every "now" is given), checked against
// local times written by hand.
import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, calendarFor, localToInstant, toZonedIso, wallClock, type BusinessHours } from '../../src/sla/business-hours.ts';
import { businessHoursInput, handoffMessagesInput, slaBreachActionsInput } from '../../src/sla/config-schema.ts';

const MIN = 60_000;
const WEEKDAYS_9_18: BusinessHours['weekly'] = {
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [['09:00', '18:00']],
  sat: [],
  sun: [],
};
const paris = (extra: Partial<BusinessHours> = {}): BusinessHours => ({ timeZone: 'Europe/Paris', weekly: WEEKDAYS_9_18, ...extra });
const at = (iso: string) => new Date(iso);
const local = (d: Date, zone = 'Europe/Paris') => toZonedIso(d, zone);

describe('business hours: the acceptance case', () => {
  it('a case opened Friday 18:30 in Paris with a 60-minute target and Mon–Fri 9–18 is due Monday 10:00, warned Monday 09:48', () => {
    const cal = calendarFor(paris());
    const opened = at('2026-12-04T18:30:00+01:00'); // a Friday
    expect(cal.isOpen(opened)).toBe(false);
    expect(local(cal.nextOpenAt(opened))).toBe('2026-12-07T09:00:00+01:00');
    expect(local(cal.addBusinessMinutes(opened, 60))).toBe('2026-12-07T10:00:00+01:00');
    expect(local(cal.addBusinessMinutes(opened, 60 * 0.8))).toBe('2026-12-07T09:48:00+01:00');
    expect(cal.businessMinutesBetween(opened, at('2026-12-07T10:00:00+01:00'))).toBe(60);
  });

  it('counts the open part of a day and resumes the next morning', () => {
    const cal = calendarFor(paris());
    const opened = at('2026-12-03T17:30:00+01:00'); // Thursday
    expect(cal.isOpen(opened)).toBe(true);
    expect(cal.nextOpenAt(opened).getTime()).toBe(opened.getTime());
    expect(local(cal.addBusinessMinutes(opened, 30))).toBe('2026-12-03T18:00:00+01:00');
    expect(local(cal.addBusinessMinutes(opened, 45))).toBe('2026-12-04T09:15:00+01:00');
    // A whole business week is 45 hours.
    expect(local(cal.addBusinessMinutes(opened, 45 * 60))).toBe('2026-12-10T17:30:00+01:00');
  });
});

describe('daylight-saving changes', () => {
  it('spring forward (Paris, 28 March 2027): the offset changes between Friday and Monday', () => {
    const cal = calendarFor(paris());
    const opened = at('2027-03-26T17:30:00+01:00'); // Friday, winter time
    const due = cal.addBusinessMinutes(opened, 60);
    expect(local(due)).toBe('2027-03-29T09:30:00+02:00'); // Monday, summer time
    expect(due.toISOString()).toBe('2027-03-29T07:30:00.000Z');
    expect(cal.businessMinutesBetween(opened, due)).toBe(60);
  });

  it('a store open around the clock: the short night has 23 hours, the long one 25', () => {
    const allDay: BusinessHours['weekly'] = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00'] as [string, string]]]),
    );
    const cal = calendarFor({ timeZone: 'Europe/Paris', weekly: allDay });
    const sunday = at('2027-03-28T00:00:00+01:00');
    expect(cal.businessMinutesBetween(sunday, at('2027-03-29T00:00:00+02:00'))).toBe(23 * 60);
    const autumn = at('2027-10-31T00:00:00+02:00');
    expect(cal.businessMinutesBetween(autumn, at('2027-11-01T00:00:00+01:00'))).toBe(25 * 60);
    // Open time is elapsed time when always open, across the change.
    const before = at('2027-03-27T23:30:00+01:00');
    expect(cal.addBusinessMinutes(before, 180).getTime()).toBe(before.getTime() + 180 * MIN);
    expect(local(cal.addBusinessMinutes(before, 180))).toBe('2027-03-28T03:30:00+02:00');
  });

  it('a range that spans the missing hour is one hour shorter', () => {
    const cal = calendarFor({ timeZone: 'Europe/Paris', weekly: { sun: [['01:00', '04:00']] } });
    expect(cal.businessMinutesBetween(at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'))).toBe(120);
    expect(cal.businessMinutesBetween(at('2027-03-20T00:00:00Z'), at('2027-03-22T00:00:00Z'))).toBe(180);
  });

  it('New York (UTC−5/−4) changes on another date than Paris', () => {
    const cal = calendarFor({ timeZone: 'America/New_York', weekly: WEEKDAYS_9_18 });
    const opened = at('2027-03-12T17:00:00-05:00'); // Friday; DST starts Sunday 14 March
    expect(toZonedIso(cal.addBusinessMinutes(opened, 120), 'America/New_York')).toBe('2027-03-15T10:00:00-04:00');
  });
});

describe('holidays, "24:00" and several ranges a day', () => {
  it('skips a holiday', () => {
    const cal = calendarFor(paris({ holidays: ['2026-12-25'] }));
    const opened = at('2026-12-24T17:30:00+01:00'); // Thursday; Friday is Christmas
    expect(local(cal.addBusinessMinutes(opened, 60))).toBe('2026-12-28T09:30:00+01:00');
    expect(cal.isOpen(at('2026-12-25T10:00:00+01:00'))).toBe(false);
    expect(local(cal.nextOpenAt(at('2026-12-24T18:00:00+01:00')))).toBe('2026-12-28T09:00:00+01:00');
    // Without the holiday, Friday counts.
    expect(local(calendarFor(paris()).addBusinessMinutes(opened, 60))).toBe('2026-12-25T09:30:00+01:00');
  });

  it('"24:00" ends the day and the next day can go on from midnight', () => {
    const cal = calendarFor({ timeZone: 'Europe/Paris', weekly: { sat: [['20:00', '24:00']], sun: [['00:00', '02:00']] } });
    const opened = at('2026-12-05T23:00:00+01:00'); // Saturday
    expect(cal.isOpen(opened)).toBe(true);
    expect(local(cal.addBusinessMinutes(opened, 60))).toBe('2026-12-06T00:00:00+01:00');
    expect(local(cal.addBusinessMinutes(opened, 120))).toBe('2026-12-06T01:00:00+01:00');
    expect(cal.isOpen(at('2026-12-06T00:00:00+01:00'))).toBe(true);
    expect(cal.isOpen(at('2026-12-06T02:00:00+01:00'))).toBe(false);
    expect(local(cal.nextOpenAt(at('2026-12-06T02:00:00+01:00')))).toBe('2026-12-12T20:00:00+01:00');
  });

  it('several ranges a day (a lunch break)', () => {
    const cal = calendarFor({
      timeZone: 'Europe/Paris',
      weekly: {
        mon: [
          ['14:00', '18:00'],
          ['09:00', '12:00'],
        ],
      },
    });
    const opened = at('2026-12-07T11:30:00+01:00');
    expect(local(cal.addBusinessMinutes(opened, 60))).toBe('2026-12-07T14:30:00+01:00');
    expect(cal.isOpen(at('2026-12-07T13:00:00+01:00'))).toBe(false);
    expect(local(cal.nextOpenAt(at('2026-12-07T13:00:00+01:00')))).toBe('2026-12-07T14:00:00+01:00');
    expect(cal.businessMinutesBetween(at('2026-12-07T00:00:00+01:00'), at('2026-12-08T00:00:00+01:00'))).toBe(7 * 60);
  });

  it('always open: exactly wall-clock time, as before business hours existed', () => {
    const t = at('2026-12-04T18:30:00Z');
    expect(calendarFor(undefined)).toBe(ALWAYS_OPEN);
    expect(ALWAYS_OPEN.addBusinessMinutes(t, 0.08).getTime()).toBe(t.getTime() + 4800);
    expect(ALWAYS_OPEN.isOpen(t)).toBe(true);
    expect(ALWAYS_OPEN.nextOpenAt(t).getTime()).toBe(t.getTime());
  });
});

describe('closesAt: the end of the open stretch', () => {
  it('today at 18:00, now when closed, across midnight when the next day goes on, never when always open', () => {
    const cal = calendarFor(paris());
    expect(local(cal.closesAt(at('2026-12-03T17:30:00+01:00'))!)).toBe('2026-12-03T18:00:00+01:00');
    expect(local(cal.closesAt(at('2026-12-03T19:00:00+01:00'))!)).toBe('2026-12-03T19:00:00+01:00');
    const night = calendarFor({ timeZone: 'Europe/Paris', weekly: { sat: [['20:00', '24:00']], sun: [['00:00', '02:00']] } });
    expect(local(night.closesAt(at('2026-12-05T23:00:00+01:00'))!)).toBe('2026-12-06T02:00:00+01:00');
    expect(ALWAYS_OPEN.closesAt(at('2026-12-05T23:00:00Z'))).toBeNull();
    const allDay: BusinessHours['weekly'] = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00'] as [string, string]]]),
    );
    expect(calendarFor({ timeZone: 'Europe/Paris', weekly: allDay }).closesAt(at('2026-12-05T23:00:00Z'))).toBeNull();
  });
});

describe('zone arithmetic', () => {
  it('local times to instants and back, including offsets in half hours', () => {
    expect(toZonedIso(at('2026-06-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-06-01T17:30:00+05:30');
    expect(toZonedIso(at('2026-06-01T12:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-01T05:00:00-07:00');
    expect(new Date(localToInstant(Date.UTC(2026, 11, 7, 9, 0), 'Europe/Paris')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // 02:30 does not exist on 28 March 2027 in Paris: it moves forward to 03:30 summer time.
    expect(toZonedIso(localToInstant(Date.UTC(2027, 2, 28, 2, 30), 'Europe/Paris'), 'Europe/Paris')).toBe('2027-03-28T03:30:00+02:00');
    expect(wallClock(at('2026-12-31T23:30:00Z'), 'Europe/Paris')).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, second: 0 });
  });

  it('is cheap: 10,000 due-time computations well under a second', () => {
    const cal = calendarFor(paris({ holidays: ['2026-12-25'] }));
    const start = Date.parse('2026-12-01T00:00:00Z');
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const t = start + i * 7 * MIN;
      cal.addBusinessMinutes(t, 240);
      cal.isOpen(t);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('validation of the config sections', () => {
  const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

  it('accepts the DESIGN example', () => {
    const ok = businessHoursInput.safeParse({
      timeZone: 'Europe/Paris',
      weekly: {
        mon: [['09:00', '18:00']],
        tue: [
          ['09:00', '12:00'],
          ['13:00', '24:00'],
        ],
        sat: [],
        sun: [],
      },
      holidays: ['2026-12-25'],
    });
    expect(ok.success, JSON.stringify(ok.error?.issues)).toBe(true);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus', weekly: { mon: [['09:00', '18:00']] } }, 'timeZone: is not a known IANA time zone'],
    [{ timeZone: 'Europe/Paris', weekly: { mon: [['9:00', '18:00']] } }, 'weekly.mon.0.0: must be a local time'],
    [{ timeZone: 'Europe/Paris', weekly: { mon: [['09:00', '24:30']] } }, 'weekly.mon.0.1: must be a local time'],
    [{ timeZone: 'Europe/Paris', weekly: { mon: [['18:00', '09:00']] } }, 'weekly.mon.0: must end after it starts'],
    [
      {
        timeZone: 'Europe/Paris',
        weekly: {
          tue: [
            ['09:00', '13:00'],
            ['12:00', '18:00'],
          ],
        },
      },
      'weekly.tue.1: overlaps 09:00–13:00',
    ],
    [{ timeZone: 'Europe/Paris', weekly: { funday: [['09:00', '18:00']] } }, 'weekly: Unrecognized key'],
    [{ timeZone: 'Europe/Paris', weekly: { sat: [] } }, 'weekly: must open at least once a week'],
    [{ timeZone: 'Europe/Paris', weekly: { mon: [['09:00', '18:00']] }, holidays: ['2026-02-30'] }, 'holidays.0: is not a calendar date'],
    [{ timeZone: 'Europe/Paris', weekly: { mon: [['09:00', '18:00']] }, holidays: ['25/12/2026'] }, 'holidays.0: must be a date'],
  ])('refuses %j naming the field', (input, expected) => {
    const r = businessHoursInput.safeParse(input);
    expect(r.success).toBe(false);
    expect(issues(r).join(' | ')).toContain(expected);
  });

  it('handoff templates: known placeholders only; breach actions must do something', () => {
    expect(handoffMessagesInput.safeParse({ fr: { open: 'Réponse dans {expectedWait} ({caseRef})' } }).success).toBe(true);
    expect(issues(handoffMessagesInput.safeParse({ fr: { open: 'Réponse dans {wait}' } })).join()).toContain('fr.open: unknown placeholder {wait}');
    expect(issues(handoffMessagesInput.safeParse({ 'not a locale': { open: 'x' } })).join()).toContain('must be a language tag');
    expect(
      slaBreachActionsInput.safeParse([{ priority: ['HIGH'], raisePriority: 'URGENT', slackChannel: '#support-urgent', mention: '@oncall' }]).success,
    ).toBe(true);
    expect(slaBreachActionsInput.safeParse([{ mention: '<!subteam^S0123ABCD>' }]).success).toBe(true);
    expect(issues(slaBreachActionsInput.safeParse([{ kind: 'resolution' }])).join()).toContain('0: must do something');
    expect(issues(slaBreachActionsInput.safeParse([{ raisePriority: 'CRITICAL' }])).join()).toContain('0.raisePriority');
    expect(issues(slaBreachActionsInput.safeParse([{ mention: 'oncall <script>' }])).join()).toContain('0.mention');
  });
});
