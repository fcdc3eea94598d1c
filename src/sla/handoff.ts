// The handoff answer of POST /escalate (DESIGN §3): what to tell the customer, and when a person
// will answer. Times count the store's business hours; the message comes from the store's
// templates by locale, else built-in ones.
import type { SqlPool } from '../db/sql.ts';
import { slaTargets, type PublicConfig } from '../stores/escalation-config.ts';
import { wallClock, type Calendar } from './business-hours.ts';
import type { HandoffMessages } from './config-schema.ts';
import { storeCalendar } from './due-times.ts';
import { expectedWait, type ExpectedWait } from './expected-wait.ts';

export interface Handoff {
  message: string;
  expectedFirstResponseAt: string;
  expectedWait: ExpectedWait;
  withinBusinessHours: boolean;
  nextOpenAt: string | null;
  /** The locale of the message (after falling back to the language, then English). */
  locale: string;
  /** The business-hours zone, null when the store is always open. */
  timeZone: string | null;
}

type Templates = { open: string; closed: string };

export const BUILT_IN_MESSAGES: Record<string, Templates> = {
  en: { open: 'A member of our team will reply within about {expectedWait}.', closed: "Our team is away until {nextOpen}; we'll reply then." },
  fr: {
    open: "Un membre de notre équipe vous répondra d'ici environ {expectedWait}.",
    closed: "Notre équipe est absente jusqu'à {nextOpen} ; nous vous répondrons à ce moment-là.",
  },
  de: {
    open: 'Ein Mitglied unseres Teams antwortet Ihnen in etwa {expectedWait}.',
    closed: 'Unser Team ist bis {nextOpen} nicht erreichbar; wir antworten Ihnen dann.',
  },
  es: {
    open: 'Un miembro de nuestro equipo te responderá en unos {expectedWait}.',
    closed: 'Nuestro equipo no está disponible hasta el {nextOpen}; te responderemos entonces.',
  },
};

/** "fr-CA" → ["fr-CA", "fr", "en"]: the locale, its language, then English. */
export function localeCandidates(locale: string | undefined): string[] {
  const out: string[] = [];
  if (locale) {
    out.push(locale);
    const language = locale.split('-')[0]!.toLowerCase();
    if (language !== locale) out.push(language);
  }
  if (!out.includes('en')) out.push('en');
  return out;
}

/** The template for a locale: the store's, else the built-in one, at each step of the fallback. */
export function pickTemplate(custom: HandoffMessages | undefined, locale: string | undefined, kind: keyof Templates): { locale: string; template: string } {
  const byLowerCase = new Map(Object.entries(custom ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const candidate of localeCandidates(locale)) {
    const key = candidate.toLowerCase();
    const template = byLowerCase.get(key)?.[kind] ?? BUILT_IN_MESSAGES[key]?.[kind];
    if (template) return { locale: candidate, template };
  }
  return { locale: 'en', template: BUILT_IN_MESSAGES.en![kind] };
}

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cachedFormat<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formats.get(key) as T | undefined;
  if (!f) {
    if (formats.size > 1000) formats.clear();
    f = make();
    formats.set(key, f);
  }
  return f;
}

// Intl formatting costs microseconds per call; the texts repeat (the same wait, the same next opening
// for every case while the team is away), so they are kept.
const texts = new Map<string, string>();
function memo(key: string, make: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size > 5000) texts.clear();
    text = make();
    texts.set(key, text);
  }
  return text;
}

function safeLocale(locale: string): string {
  return memo(`l:${locale}`, () => {
    try {
      return Intl.getCanonicalLocales(locale)[0] ?? 'en';
    } catch {
      return 'en';
    }
  });
}

/** "20 minutes", "2 hours", "3 days" in the message's language; never "0 minutes". */
export function formatWait(minutes: number, locale: string): string {
  const m = Math.max(1, Math.round(minutes));
  const [value, unit] = m < 90 ? [m, 'minute'] : m < 48 * 60 ? [Math.round(m / 60), 'hour'] : [Math.round(m / 1440), 'day'];
  const tag = safeLocale(locale);
  return memo(`w:${tag}:${unit}:${value}`, () =>
    cachedFormat(`n:${tag}:${unit}`, () => new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long' })).format(value),
  );
}

/** "Monday 9:00" in the store's zone; the date too when it is more than six days away. */
export function formatNextOpen(at: Date, timeZone: string, locale: string, now: Date): string {
  const tag = safeLocale(locale);
  const far = at.getTime() - now.getTime() > 6 * 86_400_000;
  return memo(`o:${tag}:${timeZone}:${at.getTime()}:${far}`, () => {
    const w = wallClock(at, timeZone);
    const day = cachedFormat(
      `d:${tag}:${timeZone}:${far}`,
      () => new Intl.DateTimeFormat(tag, far ? { timeZone, weekday: 'long', day: 'numeric', month: 'long' } : { timeZone, weekday: 'long' }),
    ).format(at);
    return `${day} ${w.hour}:${String(w.minute).padStart(2, '0')}`;
  });
}

export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A short reference the customer can quote (a prefix of the case id the Slack command also accepts). */
/** The first 8 hex digits of the case id (a UUID's first group: no dash to drop), upper case. */
export const caseRef = (caseId: string) => caseId.slice(0, 8).toUpperCase();

export interface HandoffInput {
  sql: SqlPool;
  storeId: string;
  config: PublicConfig;
  priority: string;
  caseId: string;
  locale?: string;
  now?: Date;
}

/** Computes the handoff answer for a case of `priority` opened (or followed up) now. */
export async function planHandoff({ sql, storeId, config, priority, caseId, locale, now = new Date() }: HandoffInput): Promise<Handoff> {
  const calendar: Calendar = storeCalendar(config);
  const target = slaTargets(config)[priority as keyof ReturnType<typeof slaTargets>].firstResponseMinutes;
  const wait = await expectedWait(sql, storeId, priority, calendar, target, now.getTime());
  const open = calendar.isOpen(now);
  const nextOpen = open ? null : calendar.nextOpenAt(now);
  const replyAt = calendar.addBusinessMinutes(now, wait.minutes);
  // Open now but closing before the expected reply: "within 20 minutes" would not be true; say when
  // the team is back instead (the reply is expected in that next open stretch).
  const closing = open && replyAt.getTime() > now.getTime() + wait.minutes * 60_000 + 1000 ? calendar.closesAt(now) : null;
  const backAt = nextOpen ?? (closing ? calendar.nextOpenAt(closing) : null);
  const { locale: chosen, template } = pickTemplate(config.handoffMessages, locale, backAt ? 'closed' : 'open');
  const message = renderTemplate(template, {
    expectedWait: formatWait(wait.minutes, chosen),
    nextOpen: backAt && calendar.timeZone ? formatNextOpen(backAt, calendar.timeZone, chosen, now) : '',
    caseRef: caseRef(caseId),
  });
  return {
    message,
    expectedFirstResponseAt: replyAt.toISOString(),
    expectedWait: { minutes: Math.round(wait.minutes * 10) / 10, basis: wait.basis, sampleSize: wait.sampleSize },
    withinBusinessHours: open,
    nextOpenAt: nextOpen ? nextOpen.toISOString() : null,
    locale: chosen,
    timeZone: calendar.timeZone,
  };
}
