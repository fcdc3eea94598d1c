// Business hours through the API: validation on save, SLA due times in open time, and the handoff
// answer of POST /escalate (expected wait from recent first responses, message by locale).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createSqlPool } from '../../src/db/sql.ts';
import { planHandoff } from '../../src/sla/handoff.ts';
import { seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Open around the clock in UTC except today and tomorrow (UTC): closed now, open again at 00:00 the day after. */
function closedUntilAfterTomorrow() {
  const today = Math.floor(Date.now() / DAY) * DAY;
  return { hours: { timeZone: 'UTC', weekly: ALL_WEEK, holidays: [utcDate(today), utcDate(today + DAY)] }, reopens: today + 2 * DAY };
}

describe('business hours and the handoff answer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const put = (store: { id: string; apiKey: string }, payload: object) =>
    t.call(store.apiKey, { method: 'PUT', url: `/stores/${store.id}/escalation-config`, payload });
  const escalate = async (store: { apiKey: string }, payload: object, status = 201) => {
    const res = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };

  it('validates businessHours, handoffMessages and slaBreachActions on save: 400 naming the field', async () => {
    const store = await t.createStore();
    const cases: [string, object][] = [
      ['body.businessHours.timeZone', { businessHours: { timeZone: 'Europe/Atlantis', weekly: { mon: [['09:00', '18:00']] } } }],
      ['body.businessHours.weekly.mon.0', { businessHours: { timeZone: 'Europe/Paris', weekly: { mon: [['18:00', '09:00']] } } }],
      [
        'body.businessHours.weekly.tue.1',
        {
          businessHours: {
            timeZone: 'Europe/Paris',
            weekly: {
              tue: [
                ['09:00', '13:00'],
                ['12:30', '18:00'],
              ],
            },
          },
        },
      ],
      ['body.businessHours.weekly.wed.0.1', { businessHours: { timeZone: 'Europe/Paris', weekly: { wed: [['09:00', '25:00']] } } }],
      ['body.businessHours.holidays.0', { businessHours: { timeZone: 'Europe/Paris', weekly: { mon: [['09:00', '18:00']] }, holidays: ['2026-13-01'] } }],
      ['body.handoffMessages.fr.open', { handoffMessages: { fr: { open: 'Attendez {wait}' } } }],
      ['body.slaBreachActions.0.raisePriority', { slaBreachActions: [{ raisePriority: 'NOW' }] }],
      ['body.slaBreachActions.0.slackChannel', { slaBreachActions: [{ slackChannel: 'Support Urgent' }] }],
    ];
    for (const [field, body] of cases) {
      const res = await put(store, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, error: expect.any(String), requestId: expect.any(String) });
      expect(res.json().message).toContain(field);
    }
    const good = {
      businessHours: {
        timeZone: 'Europe/Paris',
        weekly: {
          mon: [
            ['09:00', '12:00'],
            ['14:00', '18:00'],
          ],
          sat: [],
          sun: [],
        },
        holidays: ['2026-12-25'],
      },
      handoffMessages: { fr: { open: 'Réponse dans {expectedWait} (dossier {caseRef}).' } },
      slaBreachActions: [{ priority: ['HIGH', 'URGENT'], kind: 'firstResponse', raisePriority: 'URGENT', slackChannel: '#support-urgent', mention: '@oncall' }],
    };
    const saved = await put(store, good);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject(good);
  });

  it('without business hours: due times exactly as before, withinBusinessHours true, the SLA target as expected wait', async () => {
    const store = await t.createStore();
    const body = await escalate(store, seedConversation());
    const e = body.escalation;
    const created = Date.parse(e.createdAt);
    const targets: Record<string, [number, number]> = { URGENT: [15, 240], HIGH: [60, 480], MEDIUM: [240, 1440], LOW: [480, 2880] };
    const [fr, res] = targets[e.priority]!;
    expect(Date.parse(e.sla.firstResponseDueAt) - created).toBe(fr * MIN);
    expect(Date.parse(e.sla.resolutionDueAt) - created).toBe(res * MIN);
    expect(e.sla.timeZone).toBeNull();
    expect(e.sla).not.toHaveProperty('firstResponseDueAtLocal');
    expect(body.handoff).toMatchObject({
      expectedWait: { minutes: fr, basis: 'sla', sampleSize: 0 },
      withinBusinessHours: true,
      nextOpenAt: null,
      locale: 'en',
      timeZone: null,
      message: `A member of our team will reply within about ${fr} minutes.`,
    });
    const promised = Date.parse(body.handoff.expectedFirstResponseAt);
    expect(promised - created).toBeGreaterThanOrEqual(fr * MIN - 1000);
    expect(promised - created).toBeLessThanOrEqual(fr * MIN + 1000);
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: e.id } });
    expect(row).toMatchObject({ firstResponseWarnAt: null, resolutionWarnAt: null, slaTimeZone: null });
    expect(row.expectedFirstResponseAt?.toISOString()).toBe(body.handoff.expectedFirstResponseAt);
  });

  it('outside business hours: due times, warnings and the promise start when the store opens again', async () => {
    const store = await t.createStore();
    const { hours, reopens } = closedUntilAfterTomorrow();
    expect(
      (
        await put(store, {
          businessHours: hours,
          sla: {
            HIGH: { firstResponseMinutes: 60, resolutionMinutes: 600 },
            URGENT: { firstResponseMinutes: 60, resolutionMinutes: 600 },
            MEDIUM: { firstResponseMinutes: 60, resolutionMinutes: 600 },
            LOW: { firstResponseMinutes: 60, resolutionMinutes: 600 },
          },
        })
      ).statusCode,
    ).toBe(200);
    const body = await escalate(store, seedConversation());
    const e = body.escalation;
    expect(e.sla).toMatchObject({
      firstResponseDueAt: new Date(reopens + 60 * MIN).toISOString(),
      resolutionDueAt: new Date(reopens + 600 * MIN).toISOString(),
      timeZone: 'UTC',
      firstResponseDueAtLocal: `${new Date(reopens + 60 * MIN).toISOString().slice(0, 19)}+00:00`,
      firstResponseBreached: false,
    });
    const row = await t.app.ctx.db.escalation.findUniqueOrThrow({ where: { id: e.id } });
    expect(row.firstResponseWarnAt?.getTime()).toBe(reopens + 48 * MIN);
    expect(row.resolutionWarnAt?.getTime()).toBe(reopens + 480 * MIN);
    const weekday = new Date(reopens).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    expect(body.handoff).toEqual({
      message: `Our team is away until ${weekday} 0:00; we'll reply then.`,
      expectedFirstResponseAt: new Date(reopens + 60 * MIN).toISOString(),
      expectedWait: { minutes: 60, basis: 'sla', sampleSize: 0 },
      withinBusinessHours: false,
      nextOpenAt: new Date(reopens).toISOString(),
      locale: 'en',
      timeZone: 'UTC',
    });
    // The same conversation again: deduplicated, with the handoff too.
    const again = await escalate(
      store,
      { ...seedConversation(e.conversationId), messages: [...seedConversation().messages, { role: 'customer', text: 'Hello??' }] },
      200,
    );
    expect(again.deduplicated).toBe(true);
    expect(again.handoff).toMatchObject({ withinBusinessHours: false, nextOpenAt: new Date(reopens).toISOString() });
    // In French (built in), and a store template for fr-CA with the case reference.
    const fr = await escalate(store, { ...seedConversation(), locale: 'fr' });
    const jour = new Date(reopens).toLocaleDateString('fr', { weekday: 'long', timeZone: 'UTC' });
    expect(fr.handoff.message).toBe(`Notre équipe est absente jusqu'à ${jour} 0:00 ; nous vous répondrons à ce moment-là.`);
    expect(fr.handoff.locale).toBe('fr');

    // The case page: due times in the store's zone, the business-hours clock and what the customer was told.
    const login = await t.app.inject({ method: 'POST', url: '/dashboard/login', payload: { apiKey: store.apiKey, next: '/dashboard' } });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const page = await t.app.inject({ method: 'GET', url: `/dashboard/escalations/${e.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, '');
    const reopensLabel = new Date(reopens).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
    expect(text).toContain(`due ${reopensLabel} 01:00 (UTC) · 60 min of business time left`);
    expect(text).toContain(`due ${reopensLabel} 10:00 (UTC) · 10.0 h of business time left`);
    expect(text).toContain(`closed now, opens ${reopensLabel} 00:00 (UTC)`);
    expect(text).toContain(body.handoff.message.replace(/'/g, '&#39;'));
    const charts = await t.app.inject({ method: 'GET', url: '/dashboard/analytics', headers: { cookie } });
    expect(charts.statusCode).toBe(200);
    const chartsText = charts.body.replace(/<[^>]+>/g, '');
    expect(chartsText).toContain('SLA attainment');
    expect(chartsText).toContain('2 cases counted in business hours');
    expect(chartsText).toContain('SLA breach actions');
    expect(chartsText).toContain('Expected-wait accuracy');
  });

  it('with a fixed clock (Paris, Mon–Fri 9–18, 60-minute target): open, closing before the reply, closed', async () => {
    const sql = createSqlPool(t.config.databaseUrl, 1);
    try {
      const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00'] as [string, string]]]));
      const config = { businessHours: { timeZone: 'Europe/Paris', weekly: weekdays } };
      const plan = (iso: string) =>
        planHandoff({ sql, storeId: randomUUID(), config, priority: 'HIGH', caseId: 'abcdef12-0000-0000-0000-000000000000', now: new Date(iso) });
      expect(await plan('2026-12-03T10:00:00+01:00')).toEqual({
        message: 'A member of our team will reply within about 60 minutes.',
        expectedFirstResponseAt: '2026-12-03T10:00:00.000Z',
        expectedWait: { minutes: 60, basis: 'sla', sampleSize: 0 },
        withinBusinessHours: true,
        nextOpenAt: null,
        locale: 'en',
        timeZone: 'Europe/Paris',
      });
      // Friday 17:50: still open, but the hour runs into Monday.
      expect(await plan('2026-12-04T17:50:00+01:00')).toMatchObject({
        message: "Our team is away until Monday 9:00; we'll reply then.",
        expectedFirstResponseAt: '2026-12-07T08:50:00.000Z',
        withinBusinessHours: true,
        nextOpenAt: null,
      });
      // Friday 18:30: the acceptance case, from the customer's side.
      expect(await plan('2026-12-04T18:30:00+01:00')).toMatchObject({
        message: "Our team is away until Monday 9:00; we'll reply then.",
        expectedFirstResponseAt: '2026-12-07T09:00:00.000Z',
        withinBusinessHours: false,
        nextOpenAt: '2026-12-07T08:00:00.000Z',
      });
    } finally {
      await sql.end();
    }
  });

  it('messages by locale: the store template, then the language, then English', async () => {
    const store = await t.createStore();
    expect(
      (
        await put(store, {
          handoffMessages: {
            'fr-CA': { open: 'On vous répond dans {expectedWait}. Dossier {caseRef}.' },
            en: { open: 'Hang on: about {expectedWait} (ref {caseRef}).' },
          },
        })
      ).statusCode,
    ).toBe(200);
    const ca = await escalate(store, { ...seedConversation(), locale: 'fr-CA' });
    const ref = ca.escalation.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    const minutes = ca.handoff.expectedWait.minutes;
    // Intl separates a number from its unit with a no-break space in some languages.
    const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    expect(spaces(ca.handoff.message)).toBe(`On vous répond dans ${minutes} minutes. Dossier ${ref}.`);
    expect(ca.handoff.locale).toBe('fr-CA');
    const fr = await escalate(store, { ...seedConversation(), locale: 'fr-FR' });
    expect(fr.handoff.locale).toBe('fr');
    expect(spaces(fr.handoff.message)).toBe(`Un membre de notre équipe vous répondra d'ici environ ${minutes} minutes.`);
    const de = await escalate(store, { ...seedConversation(), locale: 'de' });
    expect(spaces(de.handoff.message)).toBe(`Ein Mitglied unseres Teams antwortet Ihnen in etwa ${minutes} Minuten.`);
    const pt = await escalate(store, { ...seedConversation(), locale: 'pt-BR' });
    expect(pt.handoff.locale).toBe('en');
    expect(pt.handoff.message).toMatch(/^Hang on: about \d+ minutes \(ref [0-9A-F]{8}\)\.$/);
    const bad = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: { ...seedConversation(), locale: 'not a locale!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('locale');
  });

  it('expected wait: the median of 30 known first responses (basis "observed"), bounded by the SLA target', async () => {
    const store = await t.createStore();
    const db = t.app.ctx.db;
    // Known times to first response, in minutes (not sorted): 3.02 … 33.02.
    const waits = Array.from({ length: 30 }, (_, i) => ((i * 7) % 31) + 3.02);
    let priority: string | undefined;
    for (const wait of waits) {
      const { escalation } = await escalate(store, seedConversation());
      priority ??= escalation.priority;
      expect(escalation.priority).toBe(priority);
      await db.escalation.update({ where: { id: escalation.id }, data: { createdAt: new Date(Date.now() - wait * MIN) } });
      const res = await t.call(store.apiKey, { method: 'POST', url: `/escalations/${escalation.id}/assign`, payload: { assignedTo: 'agent' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const sorted = [...waits].sort((a, b) => a - b);
    const median = (sorted[14]! + sorted[15]!) / 2;
    expect(median).toBeLessThan(60);

    const now = Date.now();
    const next = await escalate(store, seedConversation());
    expect(next.handoff.expectedWait).toEqual({ minutes: Math.round(median * 10) / 10, basis: 'observed', sampleSize: 30 });
    expect(Math.abs(Date.parse(next.handoff.expectedFirstResponseAt) - (now + median * MIN))).toBeLessThan(5000);
    expect(next.handoff.message).toBe(`A member of our team will reply within about ${Math.round(median)} minutes.`);

    // A target below the median bounds the estimate.
    const target = { firstResponseMinutes: 5, resolutionMinutes: 100 };
    expect((await put(store, { sla: { URGENT: target, HIGH: target, MEDIUM: target, LOW: target } })).statusCode).toBe(200);
    const bounded = await escalate(store, seedConversation());
    expect(bounded.handoff.expectedWait).toEqual({ minutes: 5, basis: 'observed', sampleSize: 30 });
  });

  it('expected wait: 2 first responses are too few, the SLA target is the estimate (basis "sla")', async () => {
    const store = await t.createStore();
    for (const wait of [2, 4]) {
      const { escalation } = await escalate(store, seedConversation());
      await t.app.ctx.db.escalation.update({ where: { id: escalation.id }, data: { createdAt: new Date(Date.now() - wait * MIN) } });
      expect((await t.call(store.apiKey, { method: 'POST', url: `/escalations/${escalation.id}/assign`, payload: { assignedTo: 'a' } })).statusCode).toBe(200);
    }
    const body = await escalate(store, seedConversation(`conv-${randomBytes(4).toString('hex')}`));
    const fr = { URGENT: 15, HIGH: 60, MEDIUM: 240, LOW: 480 }[body.escalation.priority as 'HIGH']!;
    expect(body.handoff.expectedWait).toEqual({ minutes: fr, basis: 'sla', sampleSize: 2 });
  });
});
