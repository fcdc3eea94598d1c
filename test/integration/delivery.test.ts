// Deliveries through real Redis, Postgres and the helpdesk sandbox over HTTP: what each helpdesk receives,
// what is stored, and how updates reach the thread / tickets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { eventText } from '../../src/integrations/render.ts';
import { seedConversation, startPipeline, WEBHOOK_SECRET, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p?.close();
});

type Msg = Pipeline['sandbox']['state']['slack']['messages'][number];
type AnyBlock = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: any[]; block_id?: string };

const casePage = (id: string) => `http://reva.test/dashboard/escalations/${id}`;
const topLevel = (channel: string, id: string) => (s: Pipeline['sandbox']['state']) =>
  s.slack.messages.find((m) => m.channel === channel && !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id));
const threadOf = (parent: Msg) => p.sandbox.state.slack.messages.filter((m) => m.thread_ts === parent.ts);

describe('create: what each helpdesk receives', () => {
  let store: StoreHandle;
  let id: string;
  beforeAll(async () => {
    store = await p.createStore({
      zendesk: {
        enabled: true,
        subdomain: 'acme',
        email: 'agent@acme.test',
        apiToken: 'zd-token',
        webhookSecret: 'zd-hook-secret',
        customFields: { caseId: 360001, channel: 360002, customerProfile: 360003 },
      },
      freshdesk: {
        enabled: true,
        domain: 'acme',
        apiKey: 'fd-key',
        webhookSecret: 'fd-hook-secret',
        customFields: { caseId: 'cf_reva_case', channel: 'cf_channel', customerProfile: 'customer_profile' },
      },
    });
    ({ id } = await p.escalate(store, seedConversation()));
    await p.waitForCase(
      store,
      id,
      'all four deliveries DELIVERED',
      (c) => c.deliveries.length === 4 && c.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'),
    );
  });

  it('Slack: Block Kit message with 🚨 in the configured channel, ts and permalink stored', async () => {
    const channelId = p.sandbox.state.slack.channels.support!;
    expect(channelId).toMatch(/^C/);
    const msg = topLevel(channelId, id)(p.sandbox.state)!;
    expect(msg, 'message posted to #support').toBeTruthy();
    expect(msg.text).toContain('🚨');
    const blocks = msg.blocks as AnyBlock[];
    const header = blocks.find((b) => b.type === 'header')!;
    expect(header.text!.text).toContain('🚨');
    expect(header.text!.text).toMatch(/URGENT|HIGH|MEDIUM|LOW/);
    const fields = blocks
      .flatMap((b) => b.fields ?? [])
      .map((f) => f.text)
      .join('\n');
    expect(fields).toContain('Jane Doe');
    expect(fields).toContain('web_chat');
    expect(fields).toContain(store.name);
    expect(fields).toContain('#1234');
    const all = JSON.stringify(blocks);
    expect(all).toContain('Issue summary');
    expect(all).toMatch(/LOW_CONFIDENCE: 0\.30 \(threshold [\d.]+\)/);
    expect(all).toContain('NEGATIVE_SENTIMENT');
    expect(all).toContain('speak to a manager');
    const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    const take = buttons.find((b) => b.text.text === 'Take Case');
    const view = buttons.find((b) => b.text.text === 'View Full Context');
    expect(take.action_id).toContain(id);
    expect(view.url).toBe(casePage(id));

    const c = await p.getCase(store, id);
    const slack = c.deliveries.find((d: { type: string }) => d.type === 'SLACK');
    expect(slack.externalId).toBe(msg.ts);
    expect(slack.externalUrl).toBe(`${p.sandbox.url}/slack/archives/${channelId}/p${msg.ts.replace('.', '')}`);
    const row = await p.db.escalationIntegration.findUniqueOrThrow({ where: { id: slack.id } });
    expect(row.metadata).toMatchObject({ channel: channelId, ts: msg.ts });
  });

  it('Slack: each escalation has its own action ids', async () => {
    const other = await p.escalate(store, seedConversation());
    await p.waitForDelivery(store, other.id, 'SLACK', 'DELIVERED');
    const channelId = p.sandbox.state.slack.channels.support!;
    const ids = [id, other.id].map((x) =>
      (topLevel(channelId, x)(p.sandbox.state)!.blocks as AnyBlock[]).flatMap((b) => b.elements ?? []).map((e: any) => e.action_id),
    );
    expect(ids[0]!.filter((a: string) => ids[1]!.includes(a))).toEqual([]);
  });

  it('Zendesk: ticket fields, Idempotency-Key = delivery id, agent URL stored', async () => {
    const c = await p.getCase(store, id);
    const d = c.deliveries.find((x: { type: string }) => x.type === 'ZENDESK');
    const ticket = p.sandbox.state.zendesk.tickets.find((t) => String(t.id) === d.externalId)!;
    expect(ticket).toBeTruthy();
    expect(ticket.subject).toContain('Jane Doe');
    expect(ticket.subject).toContain(c.priority);
    expect(['urgent', 'high', 'normal', 'low']).toContain(ticket.priority);
    expect(ticket.priority).toBe({ URGENT: 'urgent', HIGH: 'high', MEDIUM: 'normal', LOW: 'low' }[c.priority as string]);
    expect(ticket.type).toBe('incident');
    const first = ticket.comments[0]!;
    expect(first.body).toContain(`Full context: ${casePage(id)}`);
    expect(first.body).toContain('Conversation (5 messages)');
    expect(first.body).toContain('I want to speak to a manager right now.');
    expect(first.body).toContain('LOW_CONFIDENCE');
    for (const tag of ticket.tags) expect(tag).toMatch(/^[a-z0-9_]+$/);
    expect(ticket.tags).toEqual(expect.arrayContaining(['reva_escalation', `priority_${c.priority.toLowerCase()}`, 'channel_web_chat']));
    expect(ticket.custom_fields).toEqual(
      expect.arrayContaining([
        { id: 360001, value: id },
        { id: 360002, value: 'web_chat' },
        { id: 360003, value: 'cust-1' },
      ]),
    );
    const requester = p.sandbox.state.zendesk.users.find((u) => u.id === ticket.requester_id)!;
    expect(requester).toMatchObject({ email: 'jane@example.com', name: 'Jane Doe' });
    const create = p.sandbox.state.requests.find((r) => r.service === 'zendesk' && r.method === 'POST' && r.path.startsWith('/api/v2/tickets'))!;
    expect(create.headers['idempotency-key']).toBe(d.id);
    expect(d.externalUrl).toBe(`${p.sandbox.zendeskUrl}/agent/tickets/${ticket.id}`);
  });

  it('Freshdesk: contact by email, HTML ticket, priority/status/source, custom fields, agent URL', async () => {
    const c = await p.getCase(store, id);
    const d = c.deliveries.find((x: { type: string }) => x.type === 'FRESHDESK');
    const ticket = p.sandbox.state.freshdesk.tickets.find((t) => String(t.id) === d.externalId)!;
    const contact = p.sandbox.state.freshdesk.contacts.find((x) => x.email === 'jane@example.com')!;
    expect(ticket.requester_id).toBe(contact.id);
    expect(ticket.description).toContain('<br>');
    expect(ticket.description).toContain(casePage(id));
    expect(ticket.description).toContain('I want to speak to a manager right now.');
    expect(ticket.priority).toBe({ LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 }[c.priority as string]);
    expect(ticket.status).toBe(2);
    expect(ticket.source).toBe(7);
    expect(ticket.tags).toEqual(expect.arrayContaining(['reva_escalation', 'channel_web_chat']));
    expect(ticket.custom_fields).toEqual({ cf_reva_case: id, cf_channel: 'web_chat', customer_profile: 'cust-1' });
    expect(d.externalUrl).toBe(`${p.sandbox.freshdeskUrl}/a/tickets/${ticket.id}`);

    // A second case of the same customer reuses the contact.
    const again = await p.escalate(store, seedConversation());
    await p.waitForDelivery(store, again.id, 'FRESHDESK', 'DELIVERED');
    expect(p.sandbox.state.freshdesk.contacts.filter((x) => x.email === 'jane@example.com')).toHaveLength(1);
  });

  it('webhook: escalation.created signed with Standard Webhooks', async () => {
    const hook = p.receiver.received.find((r) => r.json.type === 'escalation.created' && r.json.data.escalation.id === id)!;
    expect(hook).toBeTruthy();
    const verified = new Webhook(WEBHOOK_SECRET).verify(hook.body, hook.headers as Record<string, string>) as typeof hook.json;
    expect(verified.data.escalation.url).toBe(casePage(id));
    expect(verified.data.decision.triggers.length).toBeGreaterThan(0);
    const c = await p.getCase(store, id);
    expect(c.deliveries.find((x: { type: string }) => x.type === 'WEBHOOK').externalId).toBe(hook.headers['webhook-id']);
  });
});

describe('ticket priorities', () => {
  it('map URGENT/HIGH/MEDIUM/LOW to Zendesk urgent/high/normal/low and Freshdesk 4/3/2/1', async () => {
    const expected = { URGENT: ['urgent', 4], HIGH: ['high', 3], MEDIUM: ['normal', 2], LOW: ['low', 1] } as const;
    await Promise.all(
      Object.entries(expected).map(async ([priority, [zendesk, freshdesk]]) => {
        // A store rule sets the priority of every case.
        const rule = {
          name: `always-${priority}`,
          conditions: { all: [{ fact: 'turns', operator: 'greaterThanInclusive', value: 0 }] },
          event: { type: 'setPriority', params: { priority } },
        };
        const store = await p.createStore({ slack: null, webhook: null, rules: [rule] });
        const { id, body } = await p.escalate(store, seedConversation());
        expect(body.escalation.priority).toBe(priority);
        const c = await p.waitForCase(store, id, 'tickets delivered', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'));
        const ext = Object.fromEntries(c.deliveries.map((d: { type: string; externalId: string }) => [d.type, d.externalId]));
        expect(p.sandbox.state.zendesk.tickets.find((t) => String(t.id) === ext.ZENDESK)!.priority).toBe(zendesk);
        expect(p.sandbox.state.freshdesk.tickets.find((t) => String(t.id) === ext.FRESHDESK)!.priority).toBe(freshdesk);
      }),
    );
  });
});

describe('Slack routing and limits', () => {
  it('routes by priority (channelsByPriority), e.g. URGENT → #support-urgent', async () => {
    const store = await p.createStore({
      slack: { enabled: true, channel: '#support', channelsByPriority: { URGENT: '#support-urgent' }, botToken: 'xoxb-test-token' },
      zendesk: null,
      freshdesk: null,
      webhook: null,
    });
    const legal = { ...seedConversation(), messages: [{ role: 'customer' as const, text: 'I will sue you and contact my lawyer, this is a legal matter.' }] };
    const { id, body } = await p.escalate(store, legal);
    expect(body.escalation.priority).toBe('URGENT');
    await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
    const urgent = p.sandbox.state.slack.channels['support-urgent']!;
    expect(topLevel(urgent, id)(p.sandbox.state)).toBeTruthy();
  });

  it('a 500-message conversation of 5,000-character messages with emoji fits Block Kit; the history goes to the thread, bounded', async () => {
    const store = await p.createStore({ zendesk: null, freshdesk: null, webhook: null });
    // 5,000 UTF-16 units, emoji kept whole (a cut surrogate pair is not valid text).
    const long = (i: number) => {
      let text = `${i} 😡🔥`;
      while (text.length < 4990) text += ' refund now 💸';
      return `${(text + ' '.repeat(5000)).slice(0, 4993)}👍🏽end`;
    };
    const messages = Array.from({ length: 500 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('customer' as const), text: long(i) }));
    const { id } = await p.escalate(store, { ...seedConversation(), messages: [...messages, { role: 'customer', text: 'I want a human now!' }] });
    const d = await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED', 20_000);
    expect(d.lastError).toBeNull();
    const channelId = p.sandbox.state.slack.channels.support!;
    const parent = topLevel(channelId, id)(p.sandbox.state)!;
    const replies = threadOf(parent);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.length).toBeLessThanOrEqual(10);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(4000);
    expect(replies.at(-1)!.text).toContain(casePage(id));
  });

  it('text that grows when escaped (quotes, backslashes, <>&) still fits the message size cap', async () => {
    const store = await p.createStore({ zendesk: null, freshdesk: null, webhook: null });
    const nasty = '"\\<>&😡'.repeat(3000).slice(0, 20_000);
    const messages = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('customer' as const), text: nasty }));
    const { id } = await p.escalate(store, {
      ...seedConversation(),
      customer: { name: '"\\'.repeat(100), email: 'q@example.com', tier: '"'.repeat(50), phone: '"'.repeat(50) },
      order: { number: '"\\'.repeat(50), status: '"'.repeat(100), currency: '"""', total: 1 },
      reason: nasty.slice(0, 2000),
      messages: [...messages, { role: 'customer', text: `I want to speak to a manager ${nasty}` }],
    });
    const d = await p.waitForCase(store, id, 'Slack delivery settled', (c) => c.deliveries[0].status !== 'PENDING');
    expect(d.deliveries[0].lastError, d.deliveries[0].lastError ?? '').toBeNull();
    expect(d.deliveries[0].status).toBe('DELIVERED');
  });
});

describe('updates reach the thread and the tickets', () => {
  let store: StoreHandle;
  beforeEach(async () => {
    store = await p.createStore();
  });

  it('assign and resolve: Slack thread reply + chat.update, Zendesk private comment → solved, Freshdesk private note → 4, webhook events', async () => {
    const { id } = await p.escalate(store, seedConversation());
    const c = await p.waitForCase(store, id, 'all delivered', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'));
    const slack = c.deliveries.find((d: { type: string }) => d.type === 'SLACK');
    const zd = c.deliveries.find((d: { type: string }) => d.type === 'ZENDESK');
    const fd = c.deliveries.find((d: { type: string }) => d.type === 'FRESHDESK');

    const assign = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'alice@acme.test' } });
    expect(assign.statusCode, assign.body).toBe(200);
    const parent = await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.ts === slack.externalId && m.updatedAt));
    const assignedReply = await p.sandbox.waitFor(() => threadOf(parent).find((m) => m.text.includes('alice@acme.test')));
    expect(assignedReply.thread_ts).toBe(slack.externalId);
    expect(JSON.stringify(parent.blocks)).toContain('alice@acme.test');
    expect(JSON.stringify(parent.blocks)).not.toContain('Take Case');
    const zTicket = p.sandbox.state.zendesk.tickets.find((t) => String(t.id) === zd.externalId)!;
    const fTicket = p.sandbox.state.freshdesk.tickets.find((t) => String(t.id) === fd.externalId)!;
    await p.sandbox.waitFor(() => zTicket.comments.length === 2 && fTicket.notes.length === 1);
    expect(zTicket.comments[1]).toMatchObject({ public: false });
    expect(zTicket.comments[1]!.body).toContain('alice@acme.test');
    expect(fTicket.notes[0]).toMatchObject({ private: true });
    expect(fTicket.notes[0]!.body_text).toContain('alice@acme.test');

    const resolve = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/resolve`, payload: { summary: 'Refunded the order' } });
    expect(resolve.statusCode, resolve.body).toBe(200);
    await p.sandbox.waitFor(() => threadOf(parent).find((m) => m.text.includes('Refunded the order')));
    await p.sandbox.waitFor(() => zTicket.status === 'solved' && fTicket.status === 4);
    expect(zTicket.comments.at(-1)).toMatchObject({ public: false });
    expect(zTicket.comments.at(-1)!.body).toContain('Refunded the order');
    expect(fTicket.notes.at(-1)).toMatchObject({ private: true });
    await p.sandbox.waitFor(() => JSON.stringify(parent.blocks).includes('✅ Resolved'));
    expect(JSON.stringify(parent.blocks)).toContain('Refunded the order');
    const types = await p.sandbox.waitFor(() => {
      const t = p.receiver.received.filter((r) => r.json.data.escalation?.id === id).map((r) => r.json.type);
      return t.includes('escalation.resolved') && t;
    });
    expect(types).toEqual(expect.arrayContaining(['escalation.created', 'escalation.assigned', 'escalation.resolved']));
  });

  it('the same conversation again while open: the new messages go to the thread, the tickets and the webhook', async () => {
    const conversation = seedConversation();
    const { id } = await p.escalate(store, conversation);
    const c = await p.waitForCase(store, id, 'all delivered', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'));
    const ext = Object.fromEntries(c.deliveries.map((d: { type: string; externalId: string }) => [d.type, d.externalId]));
    const again = await p.call(store.apiKey, {
      method: 'POST',
      url: '/escalate',
      payload: { ...conversation, messages: [...conversation.messages, { role: 'customer', text: 'Still waiting for a human!' }] },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ deduplicated: true, escalation: { id } });
    const reply = await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === ext.SLACK && m.text.includes('Still waiting for a human!')));
    expect(reply.text).toContain('1 new message');
    const zTicket = p.sandbox.state.zendesk.tickets.find((t) => String(t.id) === ext.ZENDESK)!;
    const fTicket = p.sandbox.state.freshdesk.tickets.find((t) => String(t.id) === ext.FRESHDESK)!;
    await p.sandbox.waitFor(
      () => zTicket.comments.some((x) => x.body.includes('Still waiting')) && fTicket.notes.some((n) => n.body_text.includes('Still waiting')),
    );
    expect(zTicket.comments.at(-1)!.public).toBe(false);
    expect(fTicket.notes.at(-1)!.private).toBe(true);
    const updated = await p.sandbox.waitFor(() => p.receiver.received.find((r) => r.json.type === 'escalation.updated' && r.json.data.escalation.id === id));
    expect(updated.json.data.event.data.messages).toEqual([{ role: 'customer', text: 'Still waiting for a human!' }]);
  });

  it('a long thread update is cut without splitting an emoji (a lone surrogate cannot be sent)', async () => {
    const conversation = seedConversation();
    const { id } = await p.escalate(store, conversation);
    const slack = await p.waitForDelivery(store, id, 'SLACK', 'DELIVERED');
    // Eight emoji-only messages, shifted so that the 3,900-unit cut falls inside an emoji.
    const added = (shift: number) =>
      Array.from({ length: 8 }, (_, i) => ({ role: 'customer' as const, text: (i === 0 ? 'x'.repeat(shift) : '') + '😡'.repeat(300) }));
    const shift = [0, 1].find((s) => {
      const code = eventText('messages_appended', null, { messages: added(s) }).charCodeAt(3899);
      return code >= 0xd800 && code <= 0xdbff;
    })!;
    expect(shift).toBeDefined();
    const again = await p.call(store.apiKey, {
      method: 'POST',
      url: '/escalate',
      payload: { ...conversation, messages: [...conversation.messages, ...added(shift)] },
    });
    expect(again.statusCode, again.body).toBe(200);
    const reply = await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === slack.externalId && m.text.includes('8 new messages')));
    expect(reply.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(reply.text.length).toBeLessThanOrEqual(3900);
  });
});
