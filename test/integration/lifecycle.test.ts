import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';

type Event = { type: string; source: string; actor: string | null; data: Record<string, unknown> };

function expectError(res: { statusCode: number; json(): any; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  return res.json().message as string;
}

describe('case lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  async function newCase(key: string, conversation = seedConversation()) {
    const res = await t.call(key, { method: 'POST', url: '/escalate', payload: conversation });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().escalation as { id: string; conversationId: string };
  }
  const act = (key: string, id: string, action: string, payload?: unknown) =>
    t.call(key, { method: 'POST', url: `/escalations/${id}/${action}`, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('assign → resolve → reopen, each answering 200 with the case and adding an api event', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);

    const assigned = await act(store.apiKey, id, 'assign', { assignedTo: 'alice@acme.test' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const a = assigned.json();
    expect(a).toMatchObject({ id, status: 'IN_PROGRESS', assignedTo: 'alice@acme.test', resolvedAt: null });
    expect(Date.parse(a.assignedAt)).toBeGreaterThanOrEqual(Date.parse(a.createdAt));
    expect(a.sla.firstResponseBreached).toBe(false);
    expect(a.timeline.at(-1)).toMatchObject({
      type: 'assigned',
      source: 'api',
      actor: 'alice@acme.test',
      data: { assignedTo: 'alice@acme.test', from: 'OPEN', to: 'IN_PROGRESS' },
    });

    // Reassigning keeps the first response time.
    const reassigned = await act(store.apiKey, id, 'assign', { assignedTo: 'bob' });
    expect(reassigned.statusCode).toBe(200);
    expect(reassigned.json()).toMatchObject({ assignedTo: 'bob', assignedAt: a.assignedAt, status: 'IN_PROGRESS' });
    expect(reassigned.json().timeline.at(-1).data).toMatchObject({ assignedTo: 'bob', previous: 'alice@acme.test' });

    const resolved = await act(store.apiKey, id, 'resolve', { summary: 'Refund issued', resolvedBy: 'bob' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const r = resolved.json();
    expect(r).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'Refund issued' });
    expect(r.resolvedAt).toEqual(expect.any(String));
    expect(r.timeline.at(-1)).toMatchObject({
      type: 'resolved',
      source: 'api',
      actor: 'bob',
      data: { summary: 'Refund issued', from: 'IN_PROGRESS', to: 'RESOLVED' },
    });

    const reopened = await act(store.apiKey, id, 'reopen', { reason: 'Customer wrote back' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const o = reopened.json();
    // An assigned case goes back to its assignee.
    expect(o).toMatchObject({ status: 'IN_PROGRESS', assignedTo: 'bob', resolvedAt: null, resolutionSummary: null });
    expect(o.timeline.at(-1)).toMatchObject({ type: 'reopened', source: 'api', data: { reason: 'Customer wrote back', from: 'RESOLVED', to: 'IN_PROGRESS' } });
    expect(o.timeline.map((e: Event) => e.type)).toEqual(['created', 'assigned', 'assigned', 'resolved', 'reopened']);
    expect(o.timeline.every((e: Event) => e.source === 'api')).toBe(true);
  });

  it('reopens an unassigned case to OPEN, and the body is optional', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    expect((await act(store.apiKey, id, 'resolve', { summary: 'Answered by email' })).statusCode).toBe(200);
    const reopened = await act(store.apiKey, id, 'reopen');
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'OPEN', assignedTo: null });
  });

  it('a reopened case is the open case of its conversation again (dedup)', async () => {
    const store = await t.createStore();
    const conversation = seedConversation();
    const { id } = await newCase(store.apiKey, conversation);
    await act(store.apiKey, id, 'resolve', { summary: 'done' });
    expect((await act(store.apiKey, id, 'reopen', {})).statusCode).toBe(200);
    const again = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: conversation });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ deduplicated: true, escalation: { id } });
  });

  it('409 for moves the state machine forbids', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);

    expect(expectError(await act(store.apiKey, id, 'reopen', {}), 409)).toMatch(/OPEN/);
    expect((await act(store.apiKey, id, 'resolve', { summary: 'first' })).statusCode).toBe(200);
    expect(expectError(await act(store.apiKey, id, 'resolve', { summary: 'again' }), 409)).toMatch(/RESOLVED/);

    await t.app.ctx.db.escalation.update({ where: { id }, data: { status: 'CLOSED', closedAt: new Date() } });
    expect(expectError(await act(store.apiKey, id, 'resolve', { summary: 'closed' }), 409)).toMatch(/CLOSED/);
    expectError(await act(store.apiKey, id, 'reopen', {}), 409);
    expectError(await act(store.apiKey, id, 'assign', { assignedTo: 'carol' }), 409);

    const after = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${id}` })).json();
    expect(after).toMatchObject({ status: 'CLOSED', resolutionSummary: 'first' });
    expect(after.timeline.map((e: Event) => e.type)).toEqual(['created', 'resolved']);
  });

  it('409 (not 500) when reopening or assigning an old case whose conversation has a newer open case', async () => {
    const store = await t.createStore();
    const conversation = seedConversation();
    const old = await newCase(store.apiKey, conversation);
    await act(store.apiKey, old.id, 'resolve', { summary: 'done' });
    const newer = await newCase(store.apiKey, conversation);
    expect(newer.id).not.toBe(old.id);

    expect(expectError(await act(store.apiKey, old.id, 'reopen', {}), 409)).toMatch(/open escalation/);
    expectError(await act(store.apiKey, old.id, 'assign', { assignedTo: 'dave' }), 409);
    const oldNow = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${old.id}` })).json();
    expect(oldNow).toMatchObject({ status: 'RESOLVED', assignedTo: null });
  });

  it('assigning a resolved case takes it back into work, clearing its resolution', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    await act(store.apiKey, id, 'resolve', { summary: 'premature' });
    const res = await act(store.apiKey, id, 'assign', { assignedTo: 'erin' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'IN_PROGRESS', assignedTo: 'erin', resolvedAt: null, resolutionSummary: null });
  });

  it('concurrent resolves: one wins, the others get 409', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => act(store.apiKey, id, 'resolve', { summary: `r${i}` })));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409]);
    const full = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${id}` })).json();
    expect(full.timeline.filter((e: Event) => e.type === 'resolved')).toHaveLength(1);
  });

  it('feedback → 201 and an event; validated', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    const res = await act(store.apiKey, id, 'feedback', { warranted: true, rating: 4, comment: 'Good catch' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: expect.any(String), escalationId: id, warranted: true, rating: 4, comment: 'Good catch' });
    const minimal = await act(store.apiKey, id, 'feedback', { warranted: false });
    expect(minimal.statusCode).toBe(201);
    expect(minimal.json()).toMatchObject({ warranted: false, rating: null, comment: null });
    expect(expectError(await act(store.apiKey, id, 'feedback', { rating: 3 }), 400)).toContain('body.warranted');
    expect(expectError(await act(store.apiKey, id, 'feedback', { warranted: true, rating: 0 }), 400)).toContain('body.rating');
    const full = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${id}` })).json();
    const events = full.timeline.filter((e: Event) => e.type === 'feedback');
    expect(events.map((e: Event) => [e.source, e.data.warranted])).toEqual([
      ['api', true],
      ['api', false],
    ]);
    expect(await t.app.ctx.db.feedback.count({ where: { escalationId: id } })).toBe(2);
  });

  it('retry: 409 without failed deliveries; re-queues the failed ones', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    expect(expectError(await act(store.apiKey, id, 'retry'), 409)).toMatch(/no failed deliveries/);

    const delivery = await t.app.ctx.db.escalationIntegration.create({
      data: { escalationId: id, storeId: store.id, type: 'WEBHOOK', status: 'FAILED', attempts: 8, lastError: 'HTTP 500' },
    });
    const res = await act(store.apiKey, id, 'retry');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.deliveries).toEqual([expect.objectContaining({ id: delivery.id, type: 'WEBHOOK', status: 'PENDING', attempts: 0, lastError: null })]);
    expect(body.timeline.at(-1)).toMatchObject({ type: 'delivery_retried', source: 'api', data: { integrations: ['WEBHOOK'] } });
    const job = await t.app.ctx.queues.queue('WEBHOOK').getJob(delivery.id);
    expect(job?.data).toEqual({ deliveryId: delivery.id, action: 'create' });
    await job?.remove().catch(() => {});
    expectError(await act(store.apiKey, id, 'retry'), 409);
  });

  it('validates lifecycle bodies and ids', async () => {
    const store = await t.createStore();
    const { id } = await newCase(store.apiKey);
    expect(expectError(await act(store.apiKey, id, 'assign', {}), 400)).toContain('body.assignedTo');
    expect(expectError(await act(store.apiKey, id, 'assign', { assignedTo: '   ' }), 400)).toContain('body.assignedTo');
    expect(expectError(await act(store.apiKey, id, 'resolve', {}), 400)).toContain('body.summary');
    expect(expectError(await act(store.apiKey, id, 'resolve', { summary: 'x'.repeat(5001) }), 400)).toContain('body.summary');
    expect(expectError(await act(store.apiKey, 'not-a-uuid', 'resolve', { summary: 'x' }), 400)).toContain('params.id');
    expectError(await act(store.apiKey, '00000000-0000-4000-8000-000000000000', 'resolve', { summary: 'x' }), 404);
    expectError(await act(store.apiKey, id, 'explode', {}), 404);
  });
});
