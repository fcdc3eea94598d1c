// SLA breach actions with targets of a few seconds: a policy raises the priority and re-routes to
// another Slack channel with a mention, once per breach, visible in Slack, the ticket and the chat
// backend's webhook; nothing for a case handled in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBreachActions } from '../../src/sla/breach-actions.ts';
import { seedConversation, startPipeline, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

// First response 3 s, resolution far away: only the first-response breach happens during the test.
const TARGET = { firstResponseMinutes: 0.05, resolutionMinutes: 600 };
const POLICY = { kind: 'firstResponse', raisePriority: 'URGENT', slackChannel: '#support-urgent', mention: '@oncall' };

let p: Pipeline;
let store: StoreHandle;
beforeAll(async () => {
  p = await startPipeline();
  store = await p.createStore({
    freshdesk: null,
    sla: { URGENT: TARGET, HIGH: TARGET, MEDIUM: TARGET, LOW: TARGET },
    slaBreachActions: [POLICY, { priority: ['LOW'], assignTo: 'never-matches' }],
  });
});
afterAll(async () => {
  await p?.close();
});

type Event = { type: string; source: string; data: Record<string, any> };
const actionEvents = (c: { timeline: Event[] }) => c.timeline.filter((e) => e.type === 'sla_action');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const channelPosts = (name: string) => {
  const id = p.sandbox.state.slack.channels[name];
  return p.sandbox.state.slack.messages.filter((m) => m.channel === id && !m.thread_ts);
};
const hooks = (id: string, type: string) => p.receiver.received.filter((r) => r.json.type === type && r.json.data.escalation?.id === id);

describe('SLA breach actions', () => {
  it('a breach raises the case to URGENT and re-routes it to #support-urgent for @oncall: once, in Slack, the ticket and one outbound event; nothing for a case resolved in time', async () => {
    const late = await p.escalate(store, seedConversation());
    const quick = await p.escalate(store, seedConversation());
    const original = late.body.escalation.priority;
    expect(original).not.toBe('URGENT');
    const resolved = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${quick.id}/resolve`, payload: { summary: 'sorted at once' } });
    expect(resolved.statusCode, resolved.body).toBe(200);

    // The created webhook carries the handoff the API answered.
    const [created] = await p.sandbox.waitFor(() => {
      const h = hooks(late.id, 'escalation.created');
      return h.length > 0 && h;
    });
    expect(created!.json.data.handoff).toEqual(late.body.handoff);

    const c = await p.waitForCase(store, late.id, 'the breach action', (x) => actionEvents(x).length > 0, 15_000);
    const slack = await p.waitForDelivery(store, late.id, 'SLACK', 'DELIVERED');
    // Wait for the action to reach Slack, the ticket and the webhook, then for any duplicate to show up.
    await p.sandbox.waitFor(() => channelPosts('support-urgent').some((m) => m.text.includes(late.id)));
    await p.sandbox.waitFor(() => hooks(late.id, 'escalation.sla_action').length > 0);
    await p.sandbox.waitFor(() => p.sandbox.state.slack.messages.some((m) => m.thread_ts === slack.externalId && m.text.includes('SLA breach action')));
    // A retried breach job, and a second process running the actions at once, do nothing more.
    expect(await p.sla.fire({ escalationId: late.id, kind: 'firstResponse', stage: 'breach' })).toBe('already');
    const row = await p.db.escalation.findUniqueOrThrow({ where: { id: late.id } });
    expect(
      await Promise.all([1, 2].map(() => runBreachActions(p.db, { ...row, priority: original }, 'firstResponse', row.firstResponseDueAt.toISOString()))),
    ).toEqual([[], []]);
    await sleep(1500);

    const after = await p.getCase(store, late.id);
    expect(after.priority).toBe('URGENT');
    expect(after.assignedTo).toBeNull(); // the LOW-only policy did not match
    const actions = actionEvents(after);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      source: 'sla',
      data: { kind: 'firstResponse', policy: 0, raisedPriority: { from: original, to: 'URGENT' }, slackChannel: '#support-urgent', mention: '@oncall' },
    });
    expect(c.timeline.filter((e: Event) => e.type === 'sla_breached')).toHaveLength(1);
    expect(await p.db.slaBreachAction.count({ where: { escalationId: late.id } })).toBe(1);

    // Slack: one post in #support-urgent mentioning @oncall with the case link, one thread reply,
    // and the case message re-rendered as URGENT.
    const posts = channelPosts('support-urgent').filter((m) => m.text.includes(late.id));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).toMatch(/^@oncall 🚨 SLA breached \(firstResponse\) on a URGENT case/);
    expect(posts[0]!.text).toContain(`http://reva.test/dashboard/escalations/${late.id}`);
    const thread = p.sandbox.state.slack.messages.filter((m) => m.thread_ts === slack.externalId && m.text.includes('SLA breach action'));
    expect(thread).toHaveLength(1);
    expect(thread[0]!.text).toContain(`priority ${original} → URGENT`);
    const top = p.sandbox.state.slack.messages.find((m) => m.ts === slack.externalId && !m.thread_ts)!;
    expect(JSON.stringify(top.blocks)).toContain('URGENT escalation');

    // The Zendesk ticket: one internal note.
    const zd = await p.waitForDelivery(store, late.id, 'ZENDESK', 'DELIVERED');
    const ticket = await p.sandbox.waitFor(() => {
      const t = p.sandbox.state.zendesk.tickets.find((x) => String(x.id) === zd.externalId);
      return t?.comments.some((x) => x.body.includes('SLA breach action')) && t;
    });
    const notes = ticket.comments.filter((x) => x.body.includes('SLA breach action'));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.public).toBe(false);

    // The chat backend: one escalation.sla_action event, with the case as it is now.
    const outbound = hooks(late.id, 'escalation.sla_action');
    expect(outbound).toHaveLength(1);
    expect(outbound[0]!.json.data).toMatchObject({ kind: 'firstResponse', escalation: { id: late.id, priority: 'URGENT' } });

    // Resolved in time: no breach, no action, no post, no event.
    const q = await p.getCase(store, quick.id);
    expect(Date.now()).toBeGreaterThan(Date.parse(q.sla.firstResponseDueAt) + 1000);
    expect(q.timeline.filter((e: Event) => e.source === 'sla')).toEqual([]);
    expect(q.priority).toBe(original);
    expect(channelPosts('support-urgent').filter((m) => m.text.includes(quick.id))).toEqual([]);
    expect(hooks(quick.id, 'escalation.sla_action')).toEqual([]);
    expect(await p.db.slaBreachAction.count({ where: { escalationId: quick.id } })).toBe(0);
  });

  it('a case answered after its breach but before the actions ran gets none', async () => {
    const { id } = await p.escalate(store, seedConversation());
    const assign = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'dana' } });
    expect(assign.statusCode).toBe(200);
    const row = await p.db.escalation.findUniqueOrThrow({ where: { id } });
    // As if the breach job had loaded the case just before the assignment.
    const stale = { ...row, assignedAt: null, status: 'OPEN' as const };
    expect(await runBreachActions(p.db, stale, 'firstResponse', row.firstResponseDueAt.toISOString())).toEqual([]);
    expect(await p.db.slaBreachAction.count({ where: { escalationId: id } })).toBe(0);
  });
});
