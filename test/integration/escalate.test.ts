import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, happyConversation, seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';
import { QUESTIONS, convId } from '../helpers/conversations.ts';

type Trigger = { type: string; value: unknown; threshold: unknown; reason: string };
const types = (decision: { triggers: Trigger[] }) => decision.triggers.map((t) => t.type);

/** A calm conversation of `n` distinct customer questions, each answered confidently. */
function manyTurns(n: number) {
  return {
    conversationId: convId(),
    channel: 'web_chat' as const,
    aiConfidence: 0.95,
    messages: QUESTIONS.slice(0, n).flatMap((text) => [
      { role: 'customer' as const, text },
      { role: 'assistant' as const, text: 'Sure, here is the answer.' },
    ]),
  };
}

function expectErrorShape(res: { statusCode: number; json(): any }, status: number) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  return body as { statusCode: number; error: string; message: string; requestId: string };
}

describe('POST /escalate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const post = (key: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.call(key, { method: 'POST', url: '/escalate', payload: payload as object, headers });

  describe('decisions', () => {
    it('escalates the seed example with its three triggers and stores the full case', async () => {
      const store = await t.createStore();
      const payload = seedConversation();
      const res = await post(store.apiKey, payload);
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.escalated).toBe(true);
      expect(body.decision.shouldEscalate).toBe(true);
      expect(types(body.decision)).toEqual(expect.arrayContaining(['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH']));
      const low = body.decision.triggers.find((x: Trigger) => x.type === 'LOW_CONFIDENCE');
      expect(low).toMatchObject({ value: 0.3, threshold: 0.7 });
      const neg = body.decision.triggers.find((x: Trigger) => x.type === 'NEGATIVE_SENTIMENT');
      expect(neg).toMatchObject({ value: -0.8, threshold: -0.5 });
      expect(body.decision.keywords).toContain('speak to a manager');
      expect(body.decision.sentiment).toBe(-0.8);
      expect(body.decision.confidence).toBe(0.3);

      const e = body.escalation;
      expect(e).toMatchObject({
        storeId: store.id,
        conversationId: payload.conversationId,
        channel: 'web_chat',
        status: 'OPEN',
        priority: body.decision.priority,
        aiConfidence: 0.3,
        messageCount: 5,
        customer: payload.customer,
        order: payload.order,
        assignedTo: null,
        url: `http://reva.test/dashboard/escalations/${e.id}`,
      });
      expect(e.triggers).toEqual([...new Set(types(body.decision))]);
      expect(Date.parse(e.sla.firstResponseDueAt)).toBeGreaterThan(Date.parse(e.createdAt));

      const full = await t.call(store.apiKey, { method: 'GET', url: `/escalations/${e.id}` });
      expect(full.statusCode).toBe(200);
      expect(full.json().context.messages).toEqual(payload.messages);
      expect(full.json().decision.triggers).toEqual(body.decision.triggers);
    });

    it('answers 200 escalated:false for a happy conversation and stores no case', async () => {
      const store = await t.createStore();
      const payload = happyConversation();
      const res = await post(store.apiKey, payload);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ escalated: false, decision: { shouldEscalate: false, triggers: [] } });
      expect(res.json().escalation).toBeUndefined();
      const count = await t.app.ctx.db.escalation.count({ where: { storeId: store.id } });
      expect(count).toBe(0);
    });

    it('reaches MAX_TURNS_EXCEEDED with more than 10 customer turns, not with 10', async () => {
      const store = await t.createStore();
      const ten = await post(store.apiKey, manyTurns(10));
      expect(ten.statusCode, ten.body).toBe(200);
      expect(ten.json().escalated).toBe(false);
      const eleven = await post(store.apiKey, manyTurns(11));
      expect(eleven.statusCode, eleven.body).toBe(201);
      expect(eleven.json().decision.triggers).toEqual([expect.objectContaining({ type: 'MAX_TURNS_EXCEEDED', value: 11, threshold: 10 })]);
      expect(eleven.json().escalation.triggers).toEqual(['MAX_TURNS_EXCEEDED']);
    });

    it('reaches REPEATED_QUESTION when the customer asks the same thing again', async () => {
      const store = await t.createStore();
      const res = await post(store.apiKey, {
        conversationId: convId(),
        channel: 'email',
        aiConfidence: 0.95,
        messages: [
          { role: 'customer', text: 'When will my package arrive?' },
          { role: 'assistant', text: 'It ships soon.' },
          { role: 'customer', text: 'When will my package arrive?' },
          { role: 'assistant', text: 'It ships soon.' },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(types(res.json().decision)).toEqual(['REPEATED_QUESTION']);
      expect(res.json().escalation.channel).toBe('email');
    });

    it('reaches MANUAL through the manual flag, with the caller reason', async () => {
      const store = await t.createStore();
      const res = await post(store.apiKey, {
        conversationId: convId(),
        channel: 'voice',
        aiConfidence: 0.95,
        manual: true,
        reason: 'Customer is a journalist',
        messages: [{ role: 'customer', text: 'Hello there.' }],
      });
      expect(res.statusCode, res.body).toBe(201);
      const manual = res.json().decision.triggers.find((x: Trigger) => x.type === 'MANUAL');
      expect(manual.value).toBe('manual_flag');
      expect(manual.reason).toContain('Customer is a journalist');
      expect(res.json().escalation.reason).toBe('Customer is a journalist');
    });

    it('uses the store keywords and detection thresholds from its config', async () => {
      const store = await t.createStore();
      const text = 'I would like to make a warranty claim for my kettle please.';
      const conv = () => ({ conversationId: convId(), channel: 'sms', aiConfidence: 0.95, messages: [{ role: 'customer', text }] });
      const before = await post(store.apiKey, conv());
      expect(before.statusCode, before.body).toBe(200);

      const put = await t.call(store.apiKey, {
        method: 'PUT',
        url: `/stores/${store.id}/escalation-config`,
        payload: { detection: { keywords: ['Warranty Claim'], confidenceThreshold: 0.99, maxTurns: 2 } },
      });
      expect(put.statusCode, put.body).toBe(200);

      const after = await post(store.apiKey, conv());
      expect(after.statusCode, after.body).toBe(201);
      const byType = Object.fromEntries(after.json().decision.triggers.map((x: Trigger) => [x.type, x]));
      expect(byType.KEYWORD_MATCH.value).toEqual(['warranty claim']);
      expect(byType.LOW_CONFIDENCE).toMatchObject({ value: 0.95, threshold: 0.99 });
      expect(after.json().decision.keywords).toEqual(['warranty claim']);

      const turns = await post(store.apiKey, { ...manyTurns(3), aiConfidence: 0.995 });
      expect(turns.statusCode, turns.body).toBe(201);
      expect(turns.json().decision.triggers).toEqual([expect.objectContaining({ type: 'MAX_TURNS_EXCEEDED', value: 3, threshold: 2 })]);
    });

    it.each([
      ['legal threat', 'I will contact my lawyer and sue you.'],
      ['chargeback', 'I am going to file a chargeback with my bank.'],
    ])('makes a %s URGENT', async (_name, text) => {
      const store = await t.createStore();
      const res = await post(store.apiKey, {
        conversationId: convId(),
        channel: 'email',
        aiConfidence: 0.9,
        messages: [{ role: 'customer', text }],
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().decision.priority).toBe('URGENT');
      expect(res.json().escalation.priority).toBe('URGENT');
      // URGENT's default SLA: first response within 15 minutes.
      const e = res.json().escalation;
      expect(Date.parse(e.sla.firstResponseDueAt) - Date.parse(e.createdAt)).toBe(15 * 60_000);
    });
  });

  describe('deduplication', () => {
    it('appends new messages to the open case, then opens a new case after it is resolved', async () => {
      const store = await t.createStore();
      const first = seedConversation();
      const created = await post(store.apiKey, first);
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().escalation.id;

      const more = {
        ...first,
        messages: [
          ...first.messages,
          { role: 'assistant' as const, text: 'A manager will be with you shortly.' },
          { role: 'customer' as const, text: 'Still waiting for that manager.' },
        ],
      };
      const dup = await post(store.apiKey, more);
      expect(dup.statusCode, dup.body).toBe(200);
      expect(dup.json()).toMatchObject({ escalated: true, deduplicated: true, escalation: { id, messageCount: 7 } });

      // The same messages again add nothing, but each call is an evaluation of the conversation: counted
      // once per call (the counts of concurrent calls go to Postgres in one statement).
      const evaluations = () => t.app.ctx.db.evaluation.count({ where: { storeId: store.id, dryRun: false } });
      expect(await evaluations()).toBe(2);
      const again = await post(store.apiKey, more);
      expect(again.statusCode).toBe(200);
      expect(again.json().escalation.messageCount).toBe(7);
      const concurrent = await Promise.all(Array.from({ length: 6 }, () => post(store.apiKey, more)));
      for (const res of concurrent) expect(res.json()).toMatchObject({ deduplicated: true, escalation: { id, messageCount: 7 } });
      expect(await evaluations()).toBe(9);

      const full = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${id}` })).json();
      expect(full.context.messages.map((m: { text: string }) => m.text)).toEqual(more.messages.map((m) => m.text));
      const appended = full.timeline.filter((ev: { type: string }) => ev.type === 'messages_appended');
      expect(appended).toHaveLength(1);
      expect(appended[0].source).toBe('api');
      expect(appended[0].data.messages.map((m: { text: string }) => m.text)).toEqual([
        'A manager will be with you shortly.',
        'Still waiting for that manager.',
      ]);
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(1);

      const resolved = await t.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/resolve`, payload: { summary: 'Refunded' } });
      expect(resolved.statusCode, resolved.body).toBe(200);

      const reopened = await post(store.apiKey, more);
      expect(reopened.statusCode, reopened.body).toBe(201);
      expect(reopened.json().escalation.id).not.toBe(id);
      expect(reopened.json().deduplicated).toBeUndefined();
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(2);
    });

    it('keeps a case found by the words of every follow-up: its search vector extended turn by turn, computed again once old messages are dropped', async () => {
      const store = await t.createStore();
      const lexemes = async (id: string) => {
        const [row] = await t.app.ctx.db.$queryRawUnsafe<{ stored: string[]; whole: string[]; text: string }[]>(
          `SELECT tsvector_to_array("searchVector") AS stored,
             tsvector_to_array(to_tsvector('english', concat_ws(E'\n', summary, (SELECT string_agg(m->>'text', E'\n' ORDER BY n) FROM jsonb_array_elements(context->'messages') WITH ORDINALITY AS a(m, n))))) AS whole
           FROM escalations WHERE id = $1::uuid`,
          id,
        );
        return row!;
      };
      const found = async (q: string) =>
        (await t.call(store.apiKey, { method: 'GET', url: `/escalations?q=${encodeURIComponent(q)}` })).json().items.map((e: { id: string }) => e.id);
      const conversation = seedConversation();
      const created = await post(store.apiKey, conversation);
      const id = created.json().escalation.id as string;
      const words = ['zeppelin', 'marmalade', 'quasar'];
      for (const word of words) {
        conversation.messages.push({ role: 'customer' as const, text: `Also the ${word} I ordered is missing.` });
        const res = await post(store.apiKey, conversation);
        expect(res.json()).toMatchObject({ deduplicated: true, escalation: { id } });
        // The same words as the whole text's vector would have (positions aside).
        const { stored, whole } = await lexemes(id);
        expect(stored).toEqual(whole);
        expect(await found(word)).toEqual([id]);
      }
      expect(await found('zeppelin marmalade quasar')).toEqual([id]);

      // Past the 2,000 messages a case keeps, the oldest are dropped: the vector is computed again, without their words.
      const long = {
        ...seedConversation(),
        messages: [
          // The assistant's greeting: the summary quotes the customer, so this word is only in the message.
          { role: 'assistant' as const, text: 'Welcome! Ask me about our xylophone sale.' },
          ...Array.from({ length: 1998 }, (_, i) => ({ role: i % 2 ? ('customer' as const) : ('assistant' as const), text: `Turn ${i}, still waiting.` })),
          { role: 'customer' as const, text: 'I want to speak to a manager now.' },
        ],
      };
      const opened = (await post(store.apiKey, long)).json().escalation.id as string;
      expect(await found('xylophone')).toEqual([opened]);
      // A request holds at most 2,000 messages too: the chat backend sends its latest 2,000.
      const window = { ...long, messages: [...long.messages.slice(1), { role: 'customer' as const, text: 'Where is the trombone?' }] };
      expect((await post(store.apiKey, window)).json()).toMatchObject({ deduplicated: true, escalation: { id: opened, messageCount: 2001 } });
      const { stored, whole } = await lexemes(opened);
      expect(stored).toEqual(whole);
      expect(await found('xylophone')).toEqual([]);
      expect(await found('trombone')).toEqual([opened]);
    });

    it('opens one case when the same conversation arrives concurrently', async () => {
      const store = await t.createStore();
      const payload = seedConversation();
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(store.apiKey, payload)));
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes, answers.map((a) => a.body).join('\n')).toEqual([200, 200, 200, 200, 200, 201]);
      const ids = new Set(answers.map((a) => a.json().escalation.id));
      expect(ids.size).toBe(1);
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(1);
    });

    it('stores every case of many concurrent calls (written a batch per statement) with its timer, event and evaluation', async () => {
      const store = await t.createStore();
      const payloads = Array.from({ length: 40 }, () => seedConversation());
      // One conversation twice in the same burst: one case, the other call joins it.
      payloads.push(payloads[0]!);
      const answers = await Promise.all(payloads.map((p) => post(store.apiKey, p)));
      const codes = answers.map((a) => a.statusCode);
      expect(
        codes.filter((c) => c === 201),
        answers.map((a) => a.body).join('\n'),
      ).toHaveLength(40);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      const ids = new Set(answers.map((a) => a.json().escalation.id as string));
      expect(ids.size).toBe(40);
      const db = t.app.ctx.db;
      const rows = await db.escalation.findMany({ where: { storeId: store.id }, select: { id: true, conversationId: true } });
      expect(new Set(rows.map((r) => r.id))).toEqual(ids);
      expect(new Set(rows.map((r) => r.conversationId))).toEqual(new Set(payloads.map((p) => p.conversationId)));
      expect(await db.slaTimer.count({ where: { escalationId: { in: [...ids] } } })).toBe(40);
      expect(await db.escalationEvent.count({ where: { escalationId: { in: [...ids] }, type: 'created' } })).toBe(40);
      expect(await db.evaluation.count({ where: { storeId: store.id, escalated: true } })).toBe(40);
    });

    it('pushes the appended messages to the helpdesks the case was delivered to', async () => {
      const store = await t.createStore();
      const first = seedConversation();
      const created = await post(store.apiKey, first);
      const id = created.json().escalation.id;
      const delivered = await t.app.ctx.db.escalationIntegration.create({
        data: { escalationId: id, storeId: store.id, type: 'WEBHOOK', status: 'DELIVERED', externalId: 'ext-1', deliveredAt: new Date() },
      });
      const dup = await post(store.apiKey, { ...first, messages: [...first.messages, { role: 'customer', text: 'Any news?' }] });
      expect(dup.statusCode).toBe(200);
      const event = await t.app.ctx.db.escalationEvent.findFirstOrThrow({ where: { escalationId: id, type: 'messages_appended' } });
      const queue = t.app.ctx.queues.queue('WEBHOOK');
      const job = await queue.getJob(`${delivered.id}-${event.id}`);
      // Finished jobs are kept a day, so it is there even if another test file's worker already ran it.
      expect(job?.data).toEqual({ deliveryId: delivered.id, action: 'update', eventId: event.id.toString() });
      await job?.remove().catch(() => {});
      await t.app.ctx.db.escalationIntegration.update({ where: { id: delivered.id }, data: { status: 'SKIPPED' } });
    });

    it('keeps every message of concurrent follow-ups to an open case', async () => {
      const store = await t.createStore();
      const first = seedConversation();
      const created = await post(store.apiKey, first);
      expect(created.statusCode).toBe(201);
      const extras = Array.from({ length: 6 }, (_, i) => `Follow-up number ${i} about my order.`);
      const answers = await Promise.all(extras.map((text) => post(store.apiKey, { ...first, messages: [...first.messages, { role: 'customer', text }] })));
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      const full = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${created.json().escalation.id}` })).json();
      const texts = full.context.messages.map((m: { text: string }) => m.text);
      expect(texts.slice(0, 5)).toEqual(first.messages.map((m) => m.text));
      expect([...texts.slice(5)].sort()).toEqual([...extras].sort());
      expect(full.messageCount).toBe(5 + extras.length);
      expect(full.timeline.filter((e: { type: string }) => e.type === 'messages_appended')).toHaveLength(extras.length);
    });

    it('keeps both a follow-up and an assignment made at the same moment (neither write overwrites the other)', async () => {
      const store = await t.createStore();
      const first = seedConversation();
      const created = await post(store.apiKey, first);
      const id = created.json().escalation.id;
      const [followUp, assigned] = await Promise.all([
        post(store.apiKey, { ...first, messages: [...first.messages, { role: 'customer', text: 'Any update on the parcel?' }] }),
        t.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'agent-7' } }),
      ]);
      expect(followUp.statusCode, followUp.body).toBe(200);
      expect(assigned.statusCode, assigned.body).toBe(200);
      const full = (await t.call(store.apiKey, { method: 'GET', url: `/escalations/${id}` })).json();
      expect(full.assignedTo).toBe('agent-7');
      expect(full.status).toBe('IN_PROGRESS');
      expect(full.context.messages.at(-1).text).toBe('Any update on the parcel?');
      expect(full.messageCount).toBe(first.messages.length + 1);
    });

    it('does not mix up conversations of different stores with the same id', async () => {
      const a = await t.createStore();
      const b = await t.createStore();
      const payload = seedConversation();
      const ra = await post(a.apiKey, payload);
      const rb = await post(b.apiKey, payload);
      expect(ra.statusCode).toBe(201);
      expect(rb.statusCode).toBe(201);
      expect(rb.json().escalation.storeId).toBe(b.id);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first answer byte for byte on a retry', async () => {
      const store = await t.createStore();
      const key = `idem-${randomBytes(8).toString('hex')}`;
      const payload = seedConversation();
      const first = await post(store.apiKey, payload, { 'idempotency-key': key });
      expect(first.statusCode, first.body).toBe(201);
      const retry = await post(store.apiKey, payload, { 'idempotency-key': key });
      expect(retry.statusCode).toBe(201);
      expect(retry.body).toBe(first.body);
      expect(retry.json().escalation.id).toBe(first.json().escalation.id);

      // Without the key, the same conversation is deduplicated instead.
      const plain = await post(store.apiKey, payload);
      expect(plain.statusCode).toBe(200);
      expect(plain.json().deduplicated).toBe(true);

      const happyKey = `idem-${randomBytes(8).toString('hex')}`;
      const happy = happyConversation();
      const h1 = await post(store.apiKey, happy, { 'idempotency-key': happyKey });
      const h2 = await post(store.apiKey, happy, { 'idempotency-key': happyKey });
      expect(h1.statusCode).toBe(200);
      expect(h2.statusCode).toBe(200);
      expect(h2.body).toBe(h1.body);
    });

    it('refuses the same key with a different body (422)', async () => {
      const store = await t.createStore();
      const key = `idem-${randomBytes(8).toString('hex')}`;
      const first = await post(store.apiKey, seedConversation(), { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      const other = await post(store.apiKey, seedConversation(), { 'idempotency-key': key });
      const err = expectErrorShape(other, 422);
      expect(err.message).toMatch(/Idempotency-Key/);
    });

    it('keys are per store', async () => {
      const a = await t.createStore();
      const b = await t.createStore();
      const key = `idem-${randomBytes(8).toString('hex')}`;
      const ra = await post(a.apiKey, seedConversation(), { 'idempotency-key': key });
      const rb = await post(b.apiKey, seedConversation(), { 'idempotency-key': key });
      expect(ra.statusCode).toBe(201);
      expect(rb.statusCode).toBe(201);
      expect(rb.json().escalation.storeId).toBe(b.id);
    });

    it('opens one case for concurrent calls with the same key, and they all get the same answer', async () => {
      const store = await t.createStore();
      const key = `idem-${randomBytes(8).toString('hex')}`;
      const payload = seedConversation();
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(store.apiKey, payload, { 'idempotency-key': key })));
      for (const a of answers) {
        expect(a.statusCode, a.body).toBe(201);
        expect(a.body).toBe(answers[0]!.body);
      }
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(1);
      // One conversation evaluated once, however many times it was retried.
      expect(await t.app.ctx.db.evaluation.count({ where: { storeId: store.id } })).toBe(1);
    });

    it('rejects an over-long key', async () => {
      const store = await t.createStore();
      const res = await post(store.apiKey, seedConversation(), { 'idempotency-key': 'k'.repeat(300) });
      const err = expectErrorShape(res, 400);
      expect(err.message).toContain('idempotency-key');
    });
  });

  describe('POST /escalations/evaluate', () => {
    it('returns the decision and stores no case', async () => {
      const store = await t.createStore();
      const payload = seedConversation();
      const res = await t.call(store.apiKey, { method: 'POST', url: '/escalations/evaluate', payload });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().decision.shouldEscalate).toBe(true);
      expect(types(res.json().decision)).toEqual(expect.arrayContaining(['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH']));
      expect(res.json().escalation).toBeUndefined();
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(0);
      // A dry run does not dedupe later real calls either.
      const real = await post(store.apiKey, payload);
      expect(real.statusCode).toBe(201);
    });

    it('works for the admin with storeId', async () => {
      const store = await t.createStore();
      const res = await t.call(ADMIN_KEY, { method: 'POST', url: '/escalations/evaluate', payload: { ...happyConversation(), storeId: store.id } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().decision.shouldEscalate).toBe(false);
    });

    it('counts every one of many concurrent dry runs and calm calls once: calm calls grouped into a few statements, each committed before its answer; dry runs within a second', async () => {
      const store = await t.createStore();
      const open = seedConversation();
      expect((await post(store.apiKey, open)).statusCode).toBe(201);
      const calls = [
        ...Array.from({ length: 40 }, () => t.call(store.apiKey, { method: 'POST', url: '/escalations/evaluate', payload: seedConversation() })),
        ...Array.from({ length: 40 }, () => post(store.apiKey, happyConversation())),
        // A calm follow-up of the open case is found in the same batch statement, and appended to it.
        post(store.apiKey, { ...happyConversation(open.conversationId), messages: [...open.messages, { role: 'customer', text: 'Thanks, any news?' }] }),
      ];
      const answers = await Promise.all(calls);
      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      expect(answers.at(-1)!.json()).toMatchObject({ escalated: true, deduplicated: true });
      const count = (where: object) => t.app.ctx.db.evaluation.count({ where: { storeId: store.id, ...where } });
      // 40 calm calls, the follow-up, and the call that opened the case.
      expect(await count({ dryRun: false })).toBe(42);
      // Dry runs are counted in memory and written once a second, in one statement.
      await expect.poll(() => count({ dryRun: true }), { timeout: 3000, interval: 100 }).toBe(40);
    });

    it('writes the dry runs counted when the app closes', async () => {
      const other = await startTestApp();
      const store = await other.createStore();
      for (let i = 0; i < 3; i++) {
        const res = await other.call(store.apiKey, { method: 'POST', url: '/escalations/evaluate', payload: seedConversation() });
        expect(res.statusCode, res.body).toBe(200);
      }
      await other.close();
      expect(await t.app.ctx.db.evaluation.count({ where: { storeId: store.id, dryRun: true } })).toBe(3);
    });
  });

  describe('sizes', () => {
    it('accepts 500 messages of 5,000 characters with emoji', async () => {
      const store = await t.createStore();
      const chunk = 'Où est ma commande? 😡📦 Ça fait deux semaines! ';
      const long = `${chunk.repeat(Math.ceil(5000 / chunk.length)).slice(0, 4998)}🙂`;
      expect(long.length).toBe(5000);
      const messages = Array.from({ length: 500 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'customer', text: long }));
      const payload = { conversationId: convId(), channel: 'whatsapp', aiConfidence: 0.5, messages };
      const body = JSON.stringify(payload);
      expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
      expect(Buffer.byteLength(body)).toBeLessThan(5 * 1024 * 1024);
      const res = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: body, headers: { 'content-type': 'application/json' } });
      expect([200, 201], res.body.slice(0, 500)).toContain(res.statusCode);
      if (res.statusCode === 201) expect(res.json().escalation.messageCount).toBe(500);
      const dry = await t.call(store.apiKey, { method: 'POST', url: '/escalations/evaluate', payload: body, headers: { 'content-type': 'application/json' } });
      expect(dry.statusCode).toBe(200);
    });

    it('stores conversations near the size limit that arrive together, a few per statement rather than all in one', async () => {
      const store = await t.createStore();
      // 3.6 MB each: twelve in one statement would be 43 MB; a statement takes up to 32 MiB of rows.
      const bodies = Array.from({ length: 12 }, (_, n) => {
        const text = `Conversation ${n}: still no parcel, this is the third time I ask. ${'x'.repeat(9000)}`.slice(0, 9000);
        const messages = Array.from({ length: 400 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'customer', text }));
        return JSON.stringify({ conversationId: convId(), channel: 'email', aiConfidence: 0.2, messages });
      });
      const answers = await Promise.all(
        bodies.map((payload) => t.call(store.apiKey, { method: 'POST', url: '/escalate', payload, headers: { 'content-type': 'application/json' } })),
      );
      for (const res of answers) expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      const ids = answers.map((res) => res.json().escalation.id as string);
      // Cases written by one statement share its transaction id (xmin).
      const perStatement = await t.app.ctx.db.$queryRawUnsafe<{ cases: number; messages: number }[]>(
        `SELECT count(*)::int AS cases, sum("messageCount")::int AS messages FROM escalations WHERE id = ANY($1::uuid[]) GROUP BY xmin::text`,
        ids,
      );
      expect(perStatement.reduce((n, s) => n + s.messages, 0)).toBe(12 * 400);
      for (const s of perStatement) expect(s.cases).toBeLessThanOrEqual(8);
    });

    it('answers 413 with a message for a body over 5 MiB', async () => {
      const store = await t.createStore();
      const text = 'x'.repeat(10_000);
      const messages = Array.from({ length: 600 }, () => ({ role: 'customer', text }));
      const body = JSON.stringify({ conversationId: convId(), channel: 'web_chat', messages });
      expect(Buffer.byteLength(body)).toBeGreaterThan(5 * 1024 * 1024);
      for (const url of ['/escalate', '/escalations/evaluate']) {
        const res = await t.call(store.apiKey, { method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });
        const err = expectErrorShape(res, 413);
        expect(err.message).toMatch(/5 MiB/);
      }
    });

    it('keeps the 1 MiB limit on other routes, with a message naming it', async () => {
      const store = await t.createStore();
      const res = await t.call(store.apiKey, {
        method: 'POST',
        url: `/escalations/${randomUUIDLike()}/reopen`,
        payload: JSON.stringify({ reason: 'x'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      const err = expectErrorShape(res, 413);
      expect(err.message).toMatch(/1 MiB/);
    });
  });
});

function randomUUIDLike() {
  return '00000000-0000-4000-8000-000000000000';
}

describe('validation and malformed input', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createStore()).apiKey;
  });
  afterAll(async () => t.close());

  const post = (payload: unknown, url = '/escalate') =>
    t.call(key, { method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

  it.each([
    ['body.channel', (p: Record<string, unknown>) => ({ ...p, channel: undefined })],
    ['body.channel', (p: Record<string, unknown>) => ({ ...p, channel: 'fax' })],
    ['body.messages', (p: Record<string, unknown>) => ({ ...p, messages: undefined })],
    ['body.messages', (p: Record<string, unknown>) => ({ ...p, messages: [] })],
    ['body.messages', (p: Record<string, unknown>) => ({ ...p, messages: 'hello' })],
    ['body.messages.0.role', (p: Record<string, unknown>) => ({ ...p, messages: [{ role: 'robot', text: 'hi' }] })],
    ['body.messages.0.text', (p: Record<string, unknown>) => ({ ...p, messages: [{ role: 'customer' }] })],
    ['body.messages.0.text', (p: Record<string, unknown>) => ({ ...p, messages: [{ role: 'customer', text: 'x'.repeat(20_001) }] })],
    ['body.messages.0.sentAt', (p: Record<string, unknown>) => ({ ...p, messages: [{ role: 'customer', text: 'hi', sentAt: 'yesterday' }] })],
    ['body.aiConfidence', (p: Record<string, unknown>) => ({ ...p, aiConfidence: 1.5 })],
    ['body.aiConfidence', (p: Record<string, unknown>) => ({ ...p, aiConfidence: '0.5' })],
    ['body.customerSentiment', (p: Record<string, unknown>) => ({ ...p, customerSentiment: -2 })],
    ['body.conversationId', (p: Record<string, unknown>) => ({ ...p, conversationId: undefined })],
    ['body.conversationId', (p: Record<string, unknown>) => ({ ...p, conversationId: 'c'.repeat(201) })],
    ['body.conversationId', (p: Record<string, unknown>) => ({ ...p, conversationId: 12345 })],
    ['body.customer.tier', (p: Record<string, unknown>) => ({ ...p, customer: { tier: 7 } })],
    ['body.order.total', (p: Record<string, unknown>) => ({ ...p, order: { total: -1 } })],
    ['body.manual', (p: Record<string, unknown>) => ({ ...p, manual: 'yes' })],
    ['body.storeId', (p: Record<string, unknown>) => ({ ...p, storeId: 'not-a-uuid' })],
  ])('400 naming %s', async (field, mutate) => {
    const res = await post(mutate(happyConversation()));
    const err = expectErrorShape(res, 400);
    expect(err.message).toContain(field);
  });

  it('400 for metadata nested too deep or too large, naming body.metadata', async () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) deep = { nested: deep };
    const res = await post({ ...happyConversation(), metadata: deep });
    expect(expectErrorShape(res, 400).message).toContain('body.metadata');
    const big = await post({ ...happyConversation(), metadata: { blob: 'x'.repeat(20_000) } });
    expect(expectErrorShape(big, 400).message).toContain('body.metadata');
    const fine = await post({ ...happyConversation(), metadata: { source: 'widget', tags: ['a', 'b'], nested: { depth: { ok: 1 } } } });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('400 (not 5xx) for metadata nested far beyond any stack', async () => {
    const depth = 100_000;
    const body = `{"conversationId":"c1","channel":"web_chat","messages":[{"role":"customer","text":"hi"}],"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const res = await t.call(key, { method: 'POST', url: '/escalate', payload: body, headers: { 'content-type': 'application/json' } });
    expect(expectErrorShape(res, 400).message).toContain('body.metadata');
    const arrays = `{"conversationId":"c1","channel":"web_chat","messages":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res2 = await t.call(key, { method: 'POST', url: '/escalate', payload: arrays, headers: { 'content-type': 'application/json' } });
    expectErrorShape(res2, 400);
  });

  it('400 for malformed JSON, an empty body and a JSON array body', async () => {
    const poisoned = JSON.stringify(happyConversation()).replace('{', '{"__proto__":{"admin":true},');
    const poisonedNul = JSON.stringify({ ...happyConversation(), reason: 'a\u0000' }).replace('{', '{"constructor":{"prototype":{"admin":true}},');
    for (const payload of ['{"conversationId": "c1", ', '', '[]', 'null', '"text"', poisoned, poisonedNul]) {
      const res = await t.call(key, { method: 'POST', url: '/escalate', payload, headers: { 'content-type': 'application/json' } });
      expectErrorShape(res, 400);
    }
  });

  it('accepts a JSON content type with parameters', async () => {
    const res = await t.call(key, {
      method: 'POST',
      url: '/escalate',
      payload: JSON.stringify({ ...happyConversation(), messages: [{ role: 'customer', text: 'Ça va? \u0000' }] }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('4xx for a body that is not JSON', async () => {
    const res = await t.call(key, { method: 'POST', url: '/escalate', payload: 'conversationId=c1', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ statusCode: res.statusCode, requestId: expect.any(String) });
  });

  it('documents the routes in OpenAPI', async () => {
    const res = await t.call(null, { method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    for (const path of ['/escalate', '/escalations/evaluate', '/escalations', '/escalations/{id}/reopen', '/stores/{storeId}/escalation-config'])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths['/escalate'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['conversationId', 'channel', 'messages']),
    );
  });

  it('404 in the standard error shape for unknown routes, echoing x-request-id', async () => {
    const res = await t.call(key, { method: 'GET', url: '/nope/nothing?x=1', headers: { 'x-request-id': 'req-abc.1' } });
    const err = expectErrorShape(res, 404);
    expect(err).toEqual({ statusCode: 404, error: 'Not Found', message: 'Route GET /nope/nothing not found', requestId: 'req-abc.1' });
    expect(res.headers['x-request-id']).toBe('req-abc.1');
    const noAuth = await t.call(null, { method: 'DELETE', url: '/escalate' });
    expectErrorShape(noAuth, 404);
  });

  it('never answers 5xx to nasty inputs', async () => {
    const base = happyConversation();
    const nasty: unknown[] = [
      { ...base, conversationId: null },
      { ...base, messages: null },
      { ...base, messages: [null] },
      { ...base, messages: [{ role: 'customer', text: null }] },
      { ...base, messages: [{ role: 'customer', text: { $gt: '' } }] },
      { ...base, customer: null },
      { ...base, customer: [] },
      { ...base, customer: { name: 'x'.repeat(1_000) } },
      { ...base, order: { total: 1e300 } },
      { ...base, aiConfidence: null },
      { ...base, metadata: [] },
      { ...base, metadata: null },
      { ...base, __proto__: { admin: true } },
      { ...base, conversationId: 'c\u0000nul', messages: [{ role: 'customer', text: 'hi \u0000 there' }] },
      { ...base, messages: [{ role: 'customer', text: 'bad \u0000 byte, I want a manager' }] },
      { ...base, conversationId: '💥'.repeat(50), messages: [{ role: 'customer', text: '\ud800 lone surrogate \udfff and a manager' }] },
      { ...base, messages: [{ role: 'customer', text: '‮right-to-left‬ 𝕳𝖊𝖑𝖑𝖔 زبون غاضب 客户 I want a MANAGER' }] },
      { ...base, metadata: { 'k\u0000': 'v\u0000' }, aiConfidence: 0.1 },
      { ...base, detectedIntent: 'legal', reason: '\u0000', manual: true },
      { ...base, customer: { name: 'Bob\u0000', email: 'a@b.c' }, manual: true },
      { ...base, messages: Array.from({ length: 2001 }, () => ({ role: 'customer', text: 'hi' })) },
      { ...base, messages: [{ role: 'customer', text: 'a'.repeat(20_000) }], manual: true },
      { ...base, messages: [{ role: 'customer', text: ' '.repeat(20_000) }] },
      { ...base, extra: 'ignored?' },
      42,
      'string',
      [base],
    ];
    for (const payload of nasty) {
      for (const url of ['/escalate', '/escalations/evaluate']) {
        const res = await post(payload, url);
        expect(res.statusCode, `${url} ${JSON.stringify(payload).slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().requestId).toEqual(expect.any(String));
      }
    }
  });

  it('drops NUL characters and lone surrogates (Postgres cannot store them) instead of failing the escalation', async () => {
    const conversationId = `nul-${randomBytes(4).toString('hex')}`;
    const res = await post({
      conversationId: `${conversationId}\u0000`,
      channel: 'web_chat',
      manual: true,
      customer: { name: 'Ann\u0000' },
      metadata: { 'k\u0000': ['v\u0000', { deep: '\ud800x' }] },
      messages: [{ role: 'customer', text: 'x\u0000y \\u0000 manager \ud83d\ude00 \udfff' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json().escalation;
    expect(e.conversationId).toBe(conversationId);
    expect(e.customer.name).toBe('Ann');
    const full = (await t.call(key, { method: 'GET', url: `/escalations/${e.id}` })).json();
    // An escaped backslash before "u0000" is text, not a NUL; a surrogate pair stays an emoji.
    expect(full.context.messages[0].text).toBe('xy \\u0000 manager 😀 \ufffd');
    expect(full.context.metadata).toEqual({ k: ['v', { deep: '\ufffdx' }] });
  });

  it('never answers 5xx to nasty query strings and ids', async () => {
    const urls = [
      '/escalations?q=%00',
      '/escalations?q=%27%3B%20drop%20table%20escalations%3B--',
      '/escalations?q=a%20%26%20%7C%20!%20(%20)%20%3A*',
      '/escalations?assignedTo=%00',
      '/escalations?status=OPEN,NOPE',
      '/escalations?limit=abc',
      '/escalations?limit=1e3',
      '/escalations?from=2024-13-45T00:00:00Z',
      '/escalations?cursor=%00%00',
      `/escalations?cursor=${'A'.repeat(150)}`,
      `/escalations?cursor=${Buffer.from('not-a-date|00000000-0000-4000-8000-000000000000').toString('base64url')}`,
      `/escalations?cursor=${Buffer.from('2024-01-01T00:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz').toString('base64url')}`,
      `/escalations?cursor=${Buffer.from('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url')}`,
      '/escalations?from=0001-01-01T00:00:00Z',
      '/escalations?to=9999-12-31T23:59:59Z',
      '/escalations/not-a-uuid',
      `/escalations/${'a'.repeat(500)}`,
      '/escalations/00000000-0000-0000-0000-000000000000',
      '/escalations/export?q=%00',
      '/escalations/analytics?from=0001-01-01T00:00:00Z',
      '/escalations/analytics?interval=month',
      '/escalations/analytics?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z',
    ];
    for (const url of urls) {
      const res = await t.call(key, { method: 'GET', url });
      expect(res.statusCode, `${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
    }
    const badCursor = await t.call(key, { method: 'GET', url: '/escalations?cursor=%00%00' });
    expect(expectErrorShape(badCursor, 400).message).toMatch(/cursor/);
    for (const url of ['/escalations?q=%00', '/escalations?assignedTo=a%00b', '/escalations/export?q=%00']) {
      expect(expectErrorShape(await t.call(key, { method: 'GET', url }), 400).message, url).toMatch(/NUL/);
    }
  });

  it('never answers 5xx to nasty lifecycle bodies', async () => {
    const created = await post({ ...seedConversation() });
    expect(created.statusCode).toBe(201);
    const id = created.json().escalation.id;
    const cases: [string, unknown][] = [
      ['assign', { assignedTo: '' }],
      ['assign', { assignedTo: null }],
      ['assign', { assignedTo: 'x'.repeat(10_000) }],
      ['assign', { assignedTo: 'a\u0000b' }],
      ['resolve', {}],
      ['resolve', { summary: 'ok\u0000' }],
      ['reopen', { reason: 42 }],
      ['feedback', { warranted: 'yes' }],
      ['feedback', { warranted: true, rating: 9 }],
      ['feedback', { warranted: true, comment: 'a\u0000' }],
    ];
    for (const [action, body] of cases) {
      const res = await t.call(key, {
        method: 'POST',
        url: `/escalations/${id}/${action}`,
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, `${action} ${JSON.stringify(body).slice(0, 100)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
    }
  });
});
