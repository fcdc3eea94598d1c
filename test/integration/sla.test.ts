// SLA alerts with targets of a few seconds: warning at 80%, breach at 100%, each once, none when met.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { seedConversation, startPipeline, WEBHOOK_SECRET, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';
import { sample } from '../helpers/metrics.ts';
import { metricsRegistry } from '../../src/metrics.ts';
import { Lifecycle } from '../../src/escalations/lifecycle.ts';
import { SlaWorker } from '../../src/sla/worker.ts';
import { testLog } from '../helpers/pipeline.ts';

// firstResponse 4.8 s (warning 3.84 s), resolution 6 s (warning 4.8 s): about a second between a
// warning and its breach, so a busy machine does not run the warning late (it would be superseded).
const TARGET = { firstResponseMinutes: 0.08, resolutionMinutes: 0.1 };

let p: Pipeline;
let store: StoreHandle;
beforeAll(async () => {
  p = await startPipeline();
  store = await p.createStore({ zendesk: null, freshdesk: null, sla: { URGENT: TARGET, HIGH: TARGET, MEDIUM: TARGET, LOW: TARGET } });
});
afterAll(async () => {
  await p?.close();
});

type Event = { type: string; source: string; data: { kind?: string; dueAt?: string } };
const slaEvents = (c: { timeline: Event[] }) => c.timeline.filter((e) => e.source === 'sla').map((e) => `${e.type}:${e.data.kind}`);
const slackThread = (ts: string) => p.sandbox.state.slack.messages.filter((m) => m.thread_ts === ts).map((m) => m.text);
const hooks = (id: string) => p.receiver.received.filter((r) => r.json.data.escalation?.id === id);

describe('SLA alerts', () => {
  it('warn at 80% and breach at 100%, once each, in the Slack thread, on the timeline and as outbound events; none for targets met in time', async () => {
    const [late, quick, assignedOnly] = await Promise.all([1, 2, 3].map(() => p.escalate(store, seedConversation())));
    const started = Date.now();
    // `quick` is assigned and resolved at once; `assignedOnly` gets its first response in time only.
    for (const c of [quick!, assignedOnly!]) {
      const res = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${c.id}/assign`, payload: { assignedTo: 'bob' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const resolved = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${quick!.id}/resolve`, payload: { summary: 'done' } });
    expect(resolved.statusCode, resolved.body).toBe(200);

    const lateCase = await p.waitForCase(store, late!.id, 'the resolution breach', (c) => slaEvents(c).includes('sla_breached:resolution'), 15_000);
    const firstBreach = lateCase.timeline.find((e: Event) => e.type === 'sla_breached' && e.data.kind === 'firstResponse');
    const firstWarning = lateCase.timeline.find((e: Event) => e.type === 'sla_warning' && e.data.kind === 'firstResponse');
    // Loose timing: the warning is not before 80% of 4.8 s, the breach not before 4.8 s.
    expect(Date.parse(firstWarning.createdAt) - Date.parse(lateCase.createdAt)).toBeGreaterThanOrEqual(3800);
    expect(Date.parse(firstBreach.createdAt) - Date.parse(lateCase.createdAt)).toBeGreaterThanOrEqual(4750);
    expect(Date.now() - started).toBeLessThan(12_000);
    // Let late or duplicate alerts show up before counting.
    await new Promise((r) => setTimeout(r, 800));

    const c = await p.getCase(store, late!.id);
    expect(slaEvents(c).sort()).toEqual(['sla_breached:firstResponse', 'sla_breached:resolution', 'sla_warning:firstResponse', 'sla_warning:resolution']);
    expect(c.sla.firstResponseBreached).toBe(true);
    expect(c.sla.resolutionBreached).toBe(true);

    const slack = c.deliveries.find((d: { type: string }) => d.type === 'SLACK');
    const thread = await p.sandbox.waitFor(() => {
      const t = slackThread(slack.externalId);
      return t.filter((x) => x.includes('SLA')).length >= 4 && t;
    });
    expect(thread.filter((t) => t.includes('SLA warning') && t.includes('firstResponse'))).toHaveLength(1);
    expect(thread.filter((t) => t.includes('SLA breached') && t.includes('firstResponse'))).toHaveLength(1);
    expect(thread.filter((t) => t.includes('SLA warning') && t.includes('resolution'))).toHaveLength(1);
    expect(thread.filter((t) => t.includes('SLA breached') && t.includes('resolution'))).toHaveLength(1);

    const outbound = await p.sandbox.waitFor(() => {
      const h = hooks(late!.id).filter((r) => r.json.type.startsWith('escalation.sla_'));
      return h.length >= 4 && h;
    });
    expect(outbound.map((h) => `${h.json.type}:${h.json.data.kind}`).sort()).toEqual([
      'escalation.sla_breached:firstResponse',
      'escalation.sla_breached:resolution',
      'escalation.sla_warning:firstResponse',
      'escalation.sla_warning:resolution',
    ]);
    for (const h of outbound) {
      expect(() => new Webhook(WEBHOOK_SECRET).verify(h.body, h.headers as Record<string, string>)).not.toThrow();
      expect(h.json.data.escalation.id).toBe(late!.id);
      expect(h.json.data.dueAt).toEqual(expect.any(String));
    }

    // Met in time: no alert at all for `quick`, none for the first response of `assignedOnly`.
    const q = await p.getCase(store, quick!.id);
    expect(slaEvents(q)).toEqual([]);
    expect(q.sla).toMatchObject({ firstResponseBreached: false, resolutionBreached: false });
    expect(hooks(quick!.id).filter((r) => r.json.type.startsWith('escalation.sla_'))).toEqual([]);
    const a = await p.getCase(store, assignedOnly!.id);
    expect(slaEvents(a).sort()).toEqual(['sla_breached:resolution', 'sla_warning:resolution']);
    expect(a.sla).toMatchObject({ firstResponseBreached: false, resolutionBreached: true });
  });

  it('an alert job that runs again posts (and counts) nothing more; a warning due after its breach is not sent', async () => {
    const { id } = await p.escalate(store, seedConversation());
    const warning = { escalationId: id, kind: 'resolution', stage: 'warning' } as const;
    // Run by hand ahead of time, then again as if the job had been retried.
    const warnings = async () => sample(await metricsRegistry.metrics(), 'escalation_sla_alerts_total', { stage: 'warning', kind: 'resolution' }) ?? 0;
    const before = await warnings();
    expect(await p.sla.fire(warning)).toBe('warned');
    expect(await warnings()).toBe(before + 1);
    expect(await p.sla.fire(warning)).toBe('already');
    expect(await warnings()).toBe(before + 1);
    await p.waitForCase(store, id, 'the first-response breach', (c) => slaEvents(c).includes('sla_breached:firstResponse'), 10_000);
    expect(await p.sla.fire({ escalationId: id, kind: 'firstResponse', stage: 'breach' })).toBe('already');
    expect(await p.sla.fire({ escalationId: id, kind: 'firstResponse', stage: 'warning' })).toBe('superseded');
    const c = await p.getCase(store, id);
    expect(slaEvents(c).filter((e) => e === 'sla_breached:firstResponse')).toHaveLength(1);
    expect(slaEvents(c).filter((e) => e === 'sla_warning:firstResponse').length).toBeLessThanOrEqual(1);
    expect(slaEvents(c).filter((e) => e === 'sla_warning:resolution')).toHaveLength(1);
  });

  it('with several worker processes polling, each alert goes out once, within a second of its due time, and no job is queued per case', async () => {
    // Two more pollers, as in two more worker processes sharing the database.
    const others = [1, 2].map(() => new SlaWorker(p.db, new Lifecycle(p.db, p.queues, testLog), testLog, { pollMs: 100 }));
    for (const w of others) w.start();
    try {
      const cases = await Promise.all([1, 2, 3, 4, 5, 6].map(() => p.escalate(store, seedConversation())));
      expect(await p.queues.connection.keys('bull:sla:*')).toEqual([]);
      for (const { id } of cases) await p.waitForCase(store, id, 'the resolution breach', (c) => slaEvents(c).includes('sla_breached:resolution'), 15_000);
      await new Promise((r) => setTimeout(r, 800));
      for (const { id } of cases) {
        const c = await p.getCase(store, id);
        expect(slaEvents(c).sort()).toEqual(['sla_breached:firstResponse', 'sla_breached:resolution', 'sla_warning:firstResponse', 'sla_warning:resolution']);
        for (const e of c.timeline.filter((x: Event) => x.type === 'sla_breached')) {
          const late = Date.parse(e.createdAt) - Date.parse(e.data.dueAt!);
          expect(late).toBeGreaterThanOrEqual(0);
          expect(late).toBeLessThan(1500);
        }
      }
      // No alert left: no timer left.
      expect(await p.db.slaTimer.count({ where: { escalationId: { in: cases.map((c) => c.id) } } })).toBe(0);
    } finally {
      await Promise.all(others.map((w) => w.close()));
    }
  });
});
