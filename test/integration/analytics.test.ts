import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happyConversation, seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';
import { foldAnalytics } from '../../src/analytics/rollups.ts';
import { expectSameAnalytics } from '../helpers/analytics.ts';
import { QUESTIONS, convId } from '../helpers/conversations.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const FROM = Date.parse('2024-05-06T00:00:00.000Z'); // a Monday
const TO = FROM + 14 * DAY;

const VARIANTS = [
  () => ({ channel: 'web_chat', aiConfidence: 0.9, messages: [{ role: 'customer', text: 'I will sue you, my lawyer is ready.' }] }),
  () => ({ channel: 'email', aiConfidence: 0.95, manual: true, messages: [{ role: 'customer', text: 'I want to cancel my order, please.' }] }),
  () => ({
    channel: 'sms',
    aiConfidence: 0.95,
    messages: [
      { role: 'customer', text: 'When will my package arrive?' },
      { role: 'assistant', text: 'It ships soon.' },
      { role: 'customer', text: 'When will my package arrive?' },
    ],
  }),
  () => ({
    channel: 'whatsapp',
    aiConfidence: 0.95,
    messages: QUESTIONS.flatMap((text) => [
      { role: 'customer', text },
      { role: 'assistant', text: 'Sure, here is the answer.' },
    ]),
  }),
  () => ({ ...seedConversation(), channel: 'voice' }),
];

interface Seeded {
  id: string;
  triggers: string[];
  priority: string;
  channel: string;
  intent: string;
  keywords: string[];
  status: string;
  createdAt: number;
  assignedAt: number | null;
  resolvedAt: number | null;
  firstResponseDueAt: number;
  resolutionDueAt: number;
  firstResponseBreachedAt: number | null;
  /** The first response promised in the handoff answer. */
  predictedAt: number | null;
  /** Targets counted in business hours (slaTimeZone set). */
  businessTime: boolean;
}

interface SeededAction {
  escalationId: string;
  kind: 'firstResponse' | 'resolution';
  actions: Record<string, unknown>;
}

/** Postgres percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}
const tenth = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const ratio = (a: number, b: number) => Math.round((a / b) * 10_000) / 10_000;

function countBy<T>(items: T[], keys: (item: T) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) for (const k of keys(item)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function truncate(at: number, interval: 'day' | 'week'): number {
  const day = Math.floor(at / DAY) * DAY;
  if (interval === 'day') return day;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
}

/** The analytics answer computed independently from the seeded rows (DESIGN §3 definitions). */
function expectedAnalytics(
  cases: Seeded[],
  actions: SeededAction[],
  evaluations: number[],
  feedback: { escalationId: string; warranted: boolean; createdAt: number }[],
  from: number,
  to: number,
  interval: 'day' | 'week',
  now: number,
) {
  const inRange = (at: number) => at >= from && at < to;
  const esc = cases.filter((c) => inRange(c.createdAt));
  const evaluated = evaluations.filter(inRange).length;
  const firstResponse = esc.filter((c) => c.assignedAt !== null).map((c) => (c.assignedAt! - c.createdAt) / 1000);
  const resolution = esc.filter((c) => c.resolvedAt !== null).map((c) => (c.resolvedAt! - c.createdAt) / 1000);

  const fr = { met: 0, breached: 0 };
  const res = { met: 0, breached: 0 };
  for (const c of esc) {
    const responded = c.assignedAt ?? c.resolvedAt;
    if (c.firstResponseBreachedAt !== null) fr.breached++;
    else if (responded !== null) responded <= c.firstResponseDueAt ? fr.met++ : fr.breached++;
    else if (now > c.firstResponseDueAt) fr.breached++;
    if (c.resolvedAt !== null) c.resolvedAt <= c.resolutionDueAt ? res.met++ : res.breached++;
    else if (now > c.resolutionDueAt) res.breached++;
  }
  const met = fr.met + res.met;
  const breached = fr.breached + res.breached;
  const rateOrNull = (a: number, b: number) => (b ? ratio(a, b) : null);

  const inRangeIds = new Set(esc.map((c) => c.id));
  const taken = actions.filter((a) => inRangeIds.has(a.escalationId));
  const promised = esc.filter((c) => c.predictedAt !== null && c.assignedAt !== null);
  const kept = promised.filter((c) => c.assignedAt! <= c.predictedAt!).length;

  const keywordCounts = countBy(esc, (c) => c.keywords);
  const topKeywords = Object.entries(keywordCounts)
    .map(([keyword, count]) => ({ keyword, count }))
    .sort((a, b) => b.count - a.count || (a.keyword < b.keyword ? -1 : 1))
    .slice(0, 20);

  const latest = new Map<string, boolean>();
  for (const f of [...feedback].sort((a, b) => a.createdAt - b.createdAt)) latest.set(f.escalationId, f.warranted);
  const precision: Record<string, { warranted: number; rated: number; precision: number | null }> = {};
  for (const c of esc) {
    if (!latest.has(c.id)) continue;
    for (const t of new Set(c.triggers)) {
      const p = (precision[t] ??= { warranted: 0, rated: 0, precision: null });
      p.rated++;
      if (latest.get(c.id)) p.warranted++;
    }
  }
  for (const p of Object.values(precision)) p.precision = ratio(p.warranted, p.rated);

  const series: { start: string; evaluated: number; escalated: number }[] = [];
  const step = interval === 'day' ? DAY : 7 * DAY;
  for (let start = truncate(from, interval); start < to; start += step) {
    series.push({
      start: new Date(start).toISOString(),
      evaluated: evaluations.filter((at) => inRange(at) && truncate(at, interval) === start).length,
      escalated: esc.filter((c) => truncate(c.createdAt, interval) === start).length,
    });
  }

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    interval,
    totals: {
      evaluated,
      escalated: esc.length,
      escalationRate: evaluated ? ratio(esc.length, evaluated) : 0,
      resolved: esc.filter((c) => c.resolvedAt !== null).length,
    },
    byTrigger: countBy(esc, (c) => [...new Set(c.triggers)]),
    byPriority: countBy(esc, (c) => [c.priority]),
    byChannel: countBy(esc, (c) => [c.channel]),
    byIntent: countBy(esc, (c) => [c.intent]),
    byStatus: countBy(esc, (c) => [c.status]),
    timeToFirstResponse: { medianSeconds: tenth(percentileCont(firstResponse, 0.5)), p90Seconds: tenth(percentileCont(firstResponse, 0.9)) },
    timeToResolution: { medianSeconds: tenth(percentileCont(resolution, 0.5)), p90Seconds: tenth(percentileCont(resolution, 0.9)) },
    sla: { met, breached },
    topKeywords,
    triggerPrecision: precision,
    series,
    slaAttainment: {
      rate: rateOrNull(met, met + breached),
      firstResponse: { ...fr, rate: rateOrNull(fr.met, fr.met + fr.breached) },
      resolution: { ...res, rate: rateOrNull(res.met, res.met + res.breached) },
      businessTimeCases: esc.filter((c) => c.businessTime).length,
    },
    breachActions: {
      taken: taken.length,
      byKind: countBy(taken, (a) => [a.kind]),
      raisedPriority: taken.filter((a) => a.actions.raisedPriority).length,
      rerouted: taken.filter((a) => a.actions.slackChannel || a.actions.mention).length,
      reassigned: taken.filter((a) => a.actions.assignedTo).length,
    },
    expectedWaitAccuracy: {
      cases: promised.length,
      medianAbsoluteErrorSeconds: tenth(
        percentileCont(
          promised.map((c) => Math.abs(c.assignedAt! - c.predictedAt!) / 1000),
          0.5,
        ),
      ),
      medianPredictedSeconds: tenth(
        percentileCont(
          promised.map((c) => (c.predictedAt! - c.createdAt) / 1000),
          0.5,
        ),
      ),
      kept,
      keptRate: rateOrNull(kept, promised.length),
    },
  };
}

describe('GET /escalations/analytics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  describe('a known data set', () => {
    let key: string;
    let storeId: string;
    const cases: Seeded[] = [];
    const actions: SeededAction[] = [];
    let evaluations: number[] = [];
    const feedback: { escalationId: string; warranted: boolean; createdAt: number }[] = [];

    // variant, created (hours after FROM), assigned / resolved (seconds after creation), SLA targets (minutes)
    const PLAN: { v: number; h: number; assign: number | null; resolve: number | null; fr: number; res: number; closed?: boolean }[] = [
      { v: 0, h: 1, assign: 120, resolve: 3600, fr: 15, res: 240 },
      { v: 1, h: 5, assign: 1800, resolve: null, fr: 15, res: 240 },
      { v: 2, h: 26, assign: 45.5, resolve: 7200, fr: 60, res: 60 },
      { v: 3, h: 50, assign: null, resolve: null, fr: 480, res: 2880 },
      { v: 4, h: 73, assign: null, resolve: 600, fr: 240, res: 1440 },
      { v: 0, h: 98, assign: 300, resolve: 86_400, fr: 15, res: 240 },
      { v: 1, h: 170, assign: 90.25, resolve: null, fr: 60, res: 480 },
      { v: 2, h: 200, assign: null, resolve: null, fr: 60_000_000, res: 60_000_000 }, // targets far ahead: outcome unknown
      { v: 3, h: 250, assign: 5000, resolve: 9000, fr: 480, res: 2880 },
      { v: 4, h: 300, assign: 60, resolve: 120, fr: 15, res: 240, closed: true },
      { v: 0, h: -5, assign: 100, resolve: null, fr: 15, res: 240 }, // before the range
      { v: 1, h: 14 * 24 + 2, assign: null, resolve: null, fr: 15, res: 240 }, // after the range
    ];

    beforeAll(async () => {
      const store = await t.createStore();
      key = store.apiKey;
      storeId = store.id;
      const db = t.app.ctx.db;
      const call = (method: 'GET' | 'POST', url: string, payload?: object) => t.call(key, { method, url, ...(payload ? { payload } : {}) });

      for (const p of PLAN) {
        const conversation = { conversationId: convId(), ...VARIANTS[p.v]!() };
        const res = await call('POST', '/escalate', conversation);
        expect(res.statusCode, res.body).toBe(201);
        const e = res.json().escalation;
        if (cases.length === 1) {
          // A follow-up on an open case is one more evaluation, not one more case.
          const again = await call('POST', '/escalate', { ...conversation, messages: [...conversation.messages, { role: 'customer', text: 'Hello?' }] });
          expect(again.json().deduplicated).toBe(true);
        }
        if (p.assign !== null) expect((await call('POST', `/escalations/${e.id}/assign`, { assignedTo: 'agent' })).statusCode).toBe(200);
        if (p.resolve !== null) expect((await call('POST', `/escalations/${e.id}/resolve`, { summary: 'done' })).statusCode).toBe(200);
        const createdAt = FROM + p.h * HOUR;
        const row: Seeded = {
          id: e.id,
          triggers: e.triggers,
          priority: e.priority,
          channel: e.channel,
          intent: e.intent,
          keywords: e.keywords,
          status: p.closed ? 'CLOSED' : p.resolve !== null ? 'RESOLVED' : p.assign !== null ? 'IN_PROGRESS' : 'OPEN',
          createdAt,
          assignedAt: p.assign === null ? null : createdAt + p.assign * 1000,
          resolvedAt: p.resolve === null ? null : createdAt + p.resolve * 1000,
          firstResponseDueAt: createdAt + p.fr * MIN,
          resolutionDueAt: createdAt + p.res * MIN,
          firstResponseBreachedAt: p.v === 3 && p.assign === null ? createdAt + p.fr * MIN : null,
          // Promised half the target, except one case promised 10 s before its (late) first response.
          predictedAt: cases.length === 5 ? createdAt + (p.assign! - 10) * 1000 : createdAt + (p.fr / 2) * MIN,
          businessTime: p.v === 2,
        };
        const date = (v: number | null) => (v === null ? null : new Date(v));
        await db.escalation.update({
          where: { id: e.id },
          data: {
            createdAt: new Date(row.createdAt),
            assignedAt: date(row.assignedAt),
            resolvedAt: date(row.resolvedAt),
            firstResponseDueAt: new Date(row.firstResponseDueAt),
            resolutionDueAt: new Date(row.resolutionDueAt),
            firstResponseBreachedAt: date(row.firstResponseBreachedAt),
            expectedFirstResponseAt: date(row.predictedAt),
            slaTimeZone: row.businessTime ? 'Europe/Paris' : null,
            ...(p.closed ? { status: 'CLOSED', closedAt: date(row.resolvedAt) } : {}),
          },
        });
        cases.push(row);
      }
      for (let i = 0; i < 6; i++) expect((await call('POST', '/escalate', happyConversation())).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await call('POST', '/escalations/evaluate', i % 2 ? happyConversation() : seedConversation())).statusCode).toBe(200);
      // Dry runs are counted in memory and written every second: now, for the comparison below.
      await t.app.escalations.flushCounts();

      // Feedback: the latest answer on a case counts; case 1 changed its mind.
      const give = async (i: number, warranted: boolean, at: number) => {
        const res = await call('POST', `/escalations/${cases[i]!.id}/feedback`, { warranted });
        expect(res.statusCode).toBe(201);
        await db.feedback.update({ where: { id: res.json().id }, data: { createdAt: new Date(at) } });
        feedback.push({ escalationId: cases[i]!.id, warranted, createdAt: at });
      };
      await give(0, true, TO + DAY);
      await give(1, false, TO + DAY);
      await give(1, true, TO + 2 * DAY);
      await give(2, false, TO + DAY);
      await give(5, true, TO + DAY);
      await give(4, false, TO + 3 * DAY);
      await give(4, false, TO + DAY);
      await give(10, false, TO + DAY); // a case outside the range

      // Breach actions on two cases in the range and one before it.
      const act = async (i: number, kind: SeededAction['kind'], taken: Record<string, unknown>) => {
        await db.slaBreachAction.create({ data: { escalationId: cases[i]!.id, storeId, kind, policy: 0, actions: taken as object } });
        actions.push({ escalationId: cases[i]!.id, kind, actions: taken });
      };
      await act(3, 'firstResponse', { raisedPriority: { from: cases[3]!.priority, to: 'URGENT' }, slackChannel: '#support-urgent', mention: '@oncall' });
      await act(3, 'resolution', { assignedTo: { from: null, to: 'lead' } });
      await act(1, 'resolution', { mention: '@oncall' });
      await act(10, 'firstResponse', { raisedPriority: { from: 'LOW', to: 'HIGH' } });

      // Evaluations spread over the range, two of them outside it (the end is exclusive).
      const rows = await db.evaluation.findMany({ where: { storeId }, orderBy: { id: 'asc' }, select: { id: true } });
      expect(rows).toHaveLength(PLAN.length + 1 + 6 + 4);
      evaluations = rows.map((_, k) => (k === 0 ? FROM - 1 : k === 1 ? TO : FROM + k * 13 * HOUR + k * 1000));
      for (let k = 0; k < rows.length; k++) await db.evaluation.update({ where: { id: rows[k]!.id }, data: { createdAt: new Date(evaluations[k]!) } });
    });

    const get = async (query: string) => {
      const res = await t.call(key, { method: 'GET', url: `/escalations/analytics?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('matches figures computed independently, by day', async () => {
      const now = Date.now();
      const body = await get(`from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}&interval=day`);
      const expected = expectedAnalytics(cases, actions, evaluations, feedback, FROM, TO, 'day', now);
      expectSameAnalytics(body, expected);
      // The data set is not trivial.
      expect(expected.totals.escalated).toBe(10);
      expect(Object.keys(expected.byPriority).length).toBeGreaterThanOrEqual(3);
      expect(Object.keys(expected.byStatus).sort()).toEqual(['CLOSED', 'IN_PROGRESS', 'OPEN', 'RESOLVED']);
      expect(expected.series).toHaveLength(14);
      expect(expected.sla.met).toBeGreaterThan(0);
      expect(expected.sla.breached).toBeGreaterThan(0);
      expect(expected.sla.met + expected.sla.breached).toBe(2 * 10 - 2);
      expect(Object.keys(expected.triggerPrecision).length).toBeGreaterThanOrEqual(3);
      // Issue #11 figures: not trivial either.
      expect(expected.breachActions).toMatchObject({ taken: 3, byKind: { firstResponse: 1, resolution: 2 }, raisedPriority: 1, rerouted: 2, reassigned: 1 });
      expect(expected.expectedWaitAccuracy.cases).toBe(7);
      expect(expected.expectedWaitAccuracy.kept).toBeGreaterThan(0);
      expect(expected.expectedWaitAccuracy.kept).toBeLessThan(7);
      expect(expected.expectedWaitAccuracy.medianAbsoluteErrorSeconds).toBeGreaterThan(0);
      expect(expected.slaAttainment.businessTimeCases).toBe(2);
      expect(expected.slaAttainment.rate).toBeGreaterThan(0);
      expect(expected.slaAttainment.rate).toBeLessThan(1);
    });

    it('matches by week, with a range that does not start on a bucket boundary', async () => {
      const now = Date.now();
      const from = FROM + 2 * DAY + 12 * HOUR;
      const to = TO - 3 * HOUR;
      const body = await get(`from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&interval=week`);
      const expected = expectedAnalytics(cases, actions, evaluations, feedback, from, to, 'week', now);
      expectSameAnalytics(body, expected);
      expect(body.series.map((s: { start: string }) => s.start)).toEqual(['2024-05-06T00:00:00.000Z', '2024-05-13T00:00:00.000Z']);
      expect(body.totals.escalated).toBeLessThan(10);
    });

    it('matches for a sub-range and for an empty range', async () => {
      const now = Date.now();
      const from = FROM + 2 * DAY;
      const to = FROM + 5 * DAY;
      expectSameAnalytics(
        await get(`from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`),
        expectedAnalytics(cases, actions, evaluations, feedback, from, to, 'day', now),
      );
      const emptyFrom = Date.parse('2023-01-01T00:00:00.000Z');
      const empty = await get(`from=${new Date(emptyFrom).toISOString()}&to=${new Date(emptyFrom + 2 * DAY).toISOString()}`);
      expectSameAnalytics(empty, expectedAnalytics(cases, actions, evaluations, feedback, emptyFrom, emptyFrom + 2 * DAY, 'day', now));
      expect(empty.totals).toEqual({ evaluated: 0, escalated: 0, escalationRate: 0, resolved: 0 });
      expect(empty.timeToFirstResponse).toEqual({ medianSeconds: null, p90Seconds: null });
    });

    it('gives the same answers from the day rollups, and after a case changes', async () => {
      const db = t.app.ctx.db;
      const fold = await foldAnalytics(db, { storeIds: [storeId] });
      expect(fold.folded).toBeGreaterThan(0);
      const ranges: [number, number, 'day' | 'week'][] = [
        [FROM, TO, 'day'],
        [FROM + 2 * DAY + 12 * HOUR, TO - 3 * HOUR, 'week'],
        [FROM + 2 * DAY, FROM + 5 * DAY, 'day'],
      ];
      const check = async () => {
        const now = Date.now();
        for (const [from, to, interval] of ranges) {
          const body = await get(`from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&interval=${interval}`);
          expectSameAnalytics(body, expectedAnalytics(cases, actions, evaluations, feedback, from, to, interval, now));
        }
      };
      await check();

      // Case 1 (open until now, created on day 0) gets resolved long after its day was folded.
      const resolvedAt = FROM + 5 * HOUR + 3 * DAY;
      await db.escalation.update({ where: { id: cases[1]!.id }, data: { status: 'RESOLVED', resolvedAt: new Date(resolvedAt) } });
      cases[1] = { ...cases[1]!, status: 'RESOLVED', resolvedAt };
      await check();
      await foldAnalytics(db, { storeIds: [storeId] });
      await check();
      const dirty = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM analytics_dirty_days WHERE "storeId" = ${storeId}::uuid`;
      expect(dirty[0]!.n).toBe(0);
    });

    it('counts only its own store', async () => {
      const other = await t.createStore();
      const res = await t.call(other.apiKey, {
        method: 'GET',
        url: `/escalations/analytics?from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`,
      });
      expect(res.json().totals).toEqual({ evaluated: 0, escalated: 0, escalationRate: 0, resolved: 0 });
    });
  });

  it('defaults to the last 30 days, counting escalate and evaluate calls', async () => {
    const store = await t.createStore();
    const post = (url: string, payload: object) => t.call(store.apiKey, { method: 'POST', url, payload });
    expect((await post('/escalate', seedConversation())).statusCode).toBe(201);
    expect((await post('/escalate', seedConversation())).statusCode).toBe(201);
    expect((await post('/escalate', happyConversation())).statusCode).toBe(200);
    expect((await post('/escalations/evaluate', seedConversation())).statusCode).toBe(200);
    await t.app.escalations.flushCounts();
    const res = await t.call(store.apiKey, { method: 'GET', url: '/escalations/analytics' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.interval).toBe('day');
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(30 * DAY);
    expect(body.totals).toEqual({ evaluated: 4, escalated: 2, escalationRate: 0.5, resolved: 0 });
    expect(body.byChannel).toEqual({ web_chat: 2 });
    expect(body.series).toHaveLength(31);
    expect(body.series.reduce((n: number, s: { evaluated: number }) => n + s.evaluated, 0)).toBe(4);
    expect(body.series.at(-1).escalated).toBe(2);
    expect(body.triggerPrecision).toEqual({});
    // Nothing has an outcome yet: the targets are in the future.
    expect(body.sla).toEqual({ met: 0, breached: 0 });
  });

  it('400 for a bad range or interval', async () => {
    const store = await t.createStore();
    const bad: [string, string][] = [
      ['from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'querystring.from'],
      ['from=2024-01-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'querystring.from'],
      ['interval=month', 'querystring.interval'],
      ['from=last-week', 'querystring.from'],
      ['from=1990-01-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'querystring'],
    ];
    for (const [query, field] of bad) {
      const res = await t.call(store.apiKey, { method: 'GET', url: `/escalations/analytics?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message).toContain(field);
    }
    const weeks = await t.call(store.apiKey, { method: 'GET', url: '/escalations/analytics?from=2000-01-01T00:00:00Z&to=2015-01-01T00:00:00Z&interval=week' });
    expect(weeks.statusCode, weeks.body).toBe(200);
    expect(weeks.json().series.length).toBeGreaterThan(700);
  });
});
