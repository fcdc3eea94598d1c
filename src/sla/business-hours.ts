// Business-hours arithmetic in a store's IANA time zone, with zone offsets from Intl (no tz database
// of our own): open intervals are computed per local day and cached, so DST changes and holidays fall
// out of the per-day conversion of local times to instants.

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** DESIGN §3 "Business hours": ranges are local "HH:MM" times, "24:00" allowed as an end. */
export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<Weekday, [string, string][]>>;
  holidays?: string[];
}

export interface Calendar {
  /** null: always open (no business hours configured). */
  readonly timeZone: string | null;
  isOpen(at: Date | number): boolean;
  /** `at` itself while open, else the start of the next open interval. */
  nextOpenAt(at: Date | number): Date;
  /** The instant at which `minutes` of open time have passed since `start`. */
  addBusinessMinutes(start: Date | number, minutes: number): Date;
  /** Open minutes between two instants (0 when `to` is not after `from`). */
  businessMinutesBetween(from: Date | number, to: Date | number): number;
  /** When the open stretch around `at` ends (`at` itself when closed); null when it does not end within two weeks. */
  closesAt(at: Date | number): Date | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Far enough for any valid config (at least one range a week, at most 500 holidays). */
const MAX_DAYS_AHEAD = 4000;
const DAY_CACHE_MAX = 2000;

const ms = (d: Date | number) => (typeof d === 'number' ? d : d.getTime());

export const ALWAYS_OPEN: Calendar = {
  timeZone: null,
  isOpen: () => true,
  nextOpenAt: (at) => new Date(ms(at)),
  addBusinessMinutes: (start, minutes) => new Date(ms(start) + minutes * MINUTE),
  businessMinutesBetween: (from, to) => Math.max(0, ms(to) - ms(from)) / MINUTE,
  closesAt: () => null,
};

// ── Zone arithmetic ─────────────────────────────────────────────────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local date and time of an instant in a zone. */
export function wallClock(at: Date | number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms(at))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at an instant, in ms (Paris in winter: +3,600,000). */
export function zoneOffset(at: Date | number, timeZone: string): number {
  const t = Math.floor(ms(at) / 1000) * 1000;
  const w = wallClock(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - t;
}

/**
 * The instant of a local wall-clock time (given as ms since the epoch as if the zone were UTC).
 * A time inside a spring-forward gap moves forward by the gap (02:30 → 03:30), as most calendars do.
 */
export function localToInstant(localMs: number, timeZone: string): number {
  const first = zoneOffset(localMs, timeZone);
  const guess = localMs - first;
  const second = zoneOffset(guess, timeZone);
  if (second === first) return guess;
  const retry = localMs - second;
  const third = zoneOffset(retry, timeZone);
  if (third === second) return retry;
  return localMs - Math.min(second, third);
}

/** ISO-8601 with the zone's offset: "2026-12-07T10:00:00+01:00". */
export function toZonedIso(at: Date | number, timeZone: string): string {
  const t = ms(at);
  const offsetMin = Math.round(zoneOffset(t, timeZone) / MINUTE);
  const local = new Date(Math.floor(t / 1000) * 1000 + offsetMin * MINUTE).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// ── Calendars ───────────────────────────────────────────────────────────────────────────────────

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

class ZonedCalendar implements Calendar {
  readonly timeZone: string;
  /** Per weekday (0 = Sunday): merged [startMinute, endMinute) ranges. */
  private readonly week: [number, number][][];
  private readonly holidays: Set<string>;
  /** Local day number (days since 1970-01-01 in local dates) → open intervals as instants. */
  private readonly days = new Map<number, [number, number][]>();

  constructor(config: BusinessHours) {
    this.timeZone = config.timeZone;
    this.holidays = new Set(config.holidays ?? []);
    this.week = WEEKDAYS.map((name) => mergeRanges((config.weekly[name] ?? []).map(([s, e]) => [minutesOf(s), minutesOf(e)])));
  }

  private intervalsOfDay(dayNumber: number): [number, number][] {
    const cached = this.days.get(dayNumber);
    if (cached) return cached;
    const midnight = dayNumber * DAY;
    const date = new Date(midnight);
    const ranges = this.holidays.has(date.toISOString().slice(0, 10)) ? [] : this.week[date.getUTCDay()]!;
    const intervals = ranges.map(
      ([s, e]) => [localToInstant(midnight + s * MINUTE, this.timeZone), localToInstant(midnight + e * MINUTE, this.timeZone)] as [number, number],
    );
    if (this.days.size >= DAY_CACHE_MAX) this.days.clear();
    this.days.set(dayNumber, intervals);
    return intervals;
  }

  /** Open intervals ending after `t`, in order. */
  private *intervalsFrom(t: number): Generator<[number, number]> {
    // The local date is the UTC date ±1: start a day early, skipping what ended (no Intl call on a cache hit).
    const first = Math.floor(t / DAY) - 1;
    for (let day = first; day < first + MAX_DAYS_AHEAD; day++) {
      for (const interval of this.intervalsOfDay(day)) if (interval[1] > t) yield interval;
    }
    throw new Error(`business hours in ${this.timeZone}: no open time within ${MAX_DAYS_AHEAD} days`);
  }

  isOpen(at: Date | number): boolean {
    const t = ms(at);
    const next = this.intervalsFrom(t).next().value as [number, number];
    return next[0] <= t;
  }

  nextOpenAt(at: Date | number): Date {
    const t = ms(at);
    const next = this.intervalsFrom(t).next().value as [number, number];
    return new Date(Math.max(next[0], t));
  }

  addBusinessMinutes(start: Date | number, minutes: number): Date {
    const t = ms(start);
    let remaining = minutes * MINUTE;
    for (const [s, e] of this.intervalsFrom(t)) {
      const from = Math.max(s, t);
      if (remaining <= e - from) return new Date(from + remaining);
      remaining -= e - from;
    }
    throw new Error('unreachable');
  }

  closesAt(at: Date | number): Date | null {
    const t = ms(at);
    let end: number | null = null;
    for (const [s, e] of this.intervalsFrom(t)) {
      if (end === null) {
        if (s > t) return new Date(t);
        end = e;
      } else if (s <= end) end = e;
      else return new Date(end);
      if (end - t > 14 * DAY) return null;
    }
    return null;
  }

  businessMinutesBetween(from: Date | number, to: Date | number): number {
    const a = ms(from);
    const b = ms(to);
    if (b <= a) return 0;
    let open = 0;
    for (const [s, e] of this.intervalsFrom(a)) {
      if (s >= b) break;
      open += Math.min(e, b) - Math.max(s, a);
    }
    return open / MINUTE;
  }
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

const calendars = new WeakMap<object, Calendar>();

/** The calendar of a store's business hours (absent: always open), built once per config object. */
export function calendarFor(config: BusinessHours | null | undefined): Calendar {
  if (!config) return ALWAYS_OPEN;
  let calendar = calendars.get(config);
  if (!calendar) {
    calendar = new ZonedCalendar(config);
    calendars.set(config, calendar);
  }
  return calendar;
}
