// Two-way sync end to end: a helpdesk's webhook or a Slack command changes the case, the change is
// posted to the other places a person may look, and the chat backend hears it (Standard Webhooks).
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, seedConversation, startPipeline, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

const SLACK_SECRET = 'sync-test-slack-signing-secret';

function signedZendesk(storeId: string, body: object) {
  const raw = JSON.stringify(body);
  const ts = new Date().toISOString();
  const signature = createHmac('sha256', 'zd-hook-secret')
    .update(ts + raw)
    .digest('base64');
  return {
    method: 'POST' as const,
    url: `/webhooks/zendesk/${storeId}`,
    payload: raw,
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-invocation-id': `inv-${Math.random().toString(36).slice(2)}`,
    },
  };
}

function signedSlack(url: string, raw: string) {
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${raw}`).digest('hex')}`;
  return {
    method: 'POST' as const,
    url,
    payload: raw,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
  };
}

function takeCaseClick(caseId: string, channelId: string, messageTs: string) {
  const payload = {
    type: 'block_actions',
    user: { id: 'U0TAKER', username: 'tom', name: 'tom', team_id: 'T1' },
    channel: { id: channelId, name: 'support' },
    message: { ts: messageTs, type: 'message' },
    trigger_id: '1.2.3',
    actions: [{ action_id: `take_case:${caseId}`, block_id: `case_actions:${caseId}`, type: 'button', value: caseId, action_ts: '1.2' }],
  };
  return signedSlack('/slack/interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

function signedSlackCommand(text: string, channelId: string) {
  const raw = new URLSearchParams({
    command: '/escalation',
    text,
    user_id: 'U0AGENT',
    user_name: 'erin',
    channel_id: channelId,
    channel_name: 'support',
    team_id: 'T1',
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${raw}`).digest('hex')}`;
  return {
    method: 'POST' as const,
    url: '/slack/commands',
    payload: raw,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
  };
}

describe('two-way sync', () => {
  let p: Pipeline;
  let store: StoreHandle;

  beforeAll(async () => {
    p = await startPipeline({ env: { SLACK_SIGNING_SECRET: SLACK_SECRET } });
    store = await p.createStore();
  }, 60_000);
  afterAll(async () => p?.close());

  const eventsFor = (id: string) => p.receiver.received.filter((r) => r.status < 300 && r.json.data?.escalation?.id === id).map((r) => r.json.type);

  async function deliveredCase() {
    const { id } = await p.escalate(store, seedConversation());
    const c = await p.waitForCase(store, id, 'all deliveries DELIVERED', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'));
    return { id, c, delivery: (type: string) => c.deliveries.find((d: { type: string }) => d.type === type) };
  }

  it('a Zendesk "Solved" webhook resolves the case, posts in the Slack thread, updates Freshdesk and notifies the chat backend', async () => {
    const { id, delivery } = await deliveredCase();
    const ticketId = delivery('ZENDESK').externalId;
    const res = await p.call(
      null,
      signedZendesk(store.id, { ticket_id: ticketId, status: 'Solved', assignee_name: 'Zoe Agent', assignee_email: 'zoe@acme.test' }),
    );
    expect(res.statusCode, res.body).toBe(200);

    const c = await p.waitForCase(store, id, 'RESOLVED', (x) => x.status === 'RESOLVED');
    expect(c.timeline.find((e: { type: string }) => e.type === 'resolved').source).toBe('zendesk');

    const slackTs = delivery('SLACK').externalId;
    await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === slackTs && /Resolved/.test(m.text)), 10_000);
    const fdTicket = Number(delivery('FRESHDESK').externalId);
    await p.sandbox.waitFor((s) => s.freshdesk.tickets.find((t) => t.id === fdTicket && t.status === 4), 10_000);
    // No echo: the change came from Zendesk, so nothing is pushed back to that ticket.
    const zdTicket = p.sandbox.state.zendesk.tickets.find((t) => String(t.id) === ticketId)!;
    expect(zdTicket.comments.filter((cm) => /Resolved/.test(cm.body))).toHaveLength(0);

    await waitUntil('escalation.resolved at the chat backend', () => eventsFor(id).includes('escalation.resolved'));
    const resolved = p.receiver.received.find((r) => r.json.type === 'escalation.resolved' && r.json.data.escalation.id === id)!;
    const verified = new Webhook(WEBHOOK_SECRET).verify(resolved.body, resolved.headers as Record<string, string>) as {
      data: { escalation: { status: string } };
    };
    expect(verified.data.escalation.status).toBe('RESOLVED');
  });

  it('a Freshdesk webhook (HTTP Basic secret) resolves the case and notifies the chat backend', async () => {
    const { id, delivery } = await deliveredCase();
    const res = await p.call(null, {
      method: 'POST',
      url: `/webhooks/freshdesk/${store.id}`,
      payload: { ticket_id: delivery('FRESHDESK').externalId, status: 'Resolved', agent_name: 'Fred', agent_email: 'fred@acme.test' },
      headers: { authorization: `Basic ${Buffer.from('reva:fd-hook-secret').toString('base64')}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    await p.waitForCase(store, id, 'RESOLVED', (x) => x.status === 'RESOLVED');
    await waitUntil('escalation.resolved', () => eventsFor(id).includes('escalation.resolved'));
    const zdTicket = Number(delivery('ZENDESK').externalId);
    await p.sandbox.waitFor((s) => s.zendesk.tickets.find((t) => t.id === zdTicket && t.status === 'solved'), 10_000);
  });

  it('a slash-command reply reaches the callback URL signed, and events arrive in order with stable ids', async () => {
    const { id, delivery } = await deliveredCase();
    const channel = delivery('SLACK').metadata?.channel ?? p.sandbox.state.slack.messages.find((m) => m.ts === delivery('SLACK').externalId)!.channel;
    const take = await p.call(null, signedSlackCommand(`take ${id.slice(0, 8)}`, channel));
    expect(take.statusCode, take.body).toBe(200);
    const reply = await p.call(null, signedSlackCommand(`reply ${id} Your new parcel ships today, tracking follows by email.`, channel));
    expect(reply.statusCode, reply.body).toBe(200);
    const resolve = await p.call(null, signedSlackCommand(`resolve ${id} Reshipped`, channel));
    expect(resolve.statusCode, resolve.body).toBe(200);

    await waitUntil('four events at the chat backend', () => eventsFor(id).includes('escalation.resolved') && eventsFor(id).length >= 4, 15_000);
    expect(eventsFor(id)).toEqual(['escalation.created', 'escalation.assigned', 'escalation.agent_reply', 'escalation.resolved']);
    const agentReply = p.receiver.received.find((r) => r.json.type === 'escalation.agent_reply' && r.json.data.escalation.id === id)!;
    const verified = new Webhook(WEBHOOK_SECRET).verify(agentReply.body, agentReply.headers as Record<string, string>) as {
      data: { event: { data: { message: string } } };
    };
    expect(verified.data.event.data.message).toBe('Your new parcel ships today, tracking follows by email.');
    const ids = p.receiver.received.filter((r) => r.json.data?.escalation?.id === id).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a burst of agent replies reaches the chat backend one at a time, in the order they were made', async () => {
    const { id, delivery } = await deliveredCase();
    const channel = p.sandbox.state.slack.messages.find((m) => m.ts === delivery('SLACK').externalId)!.channel;
    const texts = Array.from({ length: 6 }, (_, i) => `Update number ${i + 1}`);
    for (const text of texts) {
      const res = await p.call(null, signedSlackCommand(`reply ${id} ${text}`, channel));
      expect(res.statusCode, res.body).toBe(200);
    }
    const replies = () =>
      p.receiver.received
        .filter((r) => r.json.type === 'escalation.agent_reply' && r.json.data.escalation.id === id)
        .map((r) => r.json.data.event.data.message as string);
    await waitUntil('six replies', () => replies().length >= 6, 15_000);
    expect(replies()).toEqual(texts);
    // The same order in the Slack thread.
    const thread = await p.sandbox.waitFor((st) => {
      const posts = st.slack.messages.filter((m) => m.thread_ts === delivery('SLACK').externalId && /Update number/.test(m.text));
      return posts.length >= 6 && posts;
    }, 15_000);
    expect(thread.map((m) => /Update number (\d)/.exec(m.text)![1])).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('a status change made while Redis is down still reaches Slack and the chat backend once Redis is back', async () => {
    const { id, delivery } = await deliveredCase();
    await p.redis.stop();
    try {
      const res = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'offline@acme.test' } });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await p.redis.start();
    }
    const slackTs = delivery('SLACK').externalId;
    await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === slackTs && /offline@acme\.test/.test(m.text)), 20_000);
    await waitUntil('escalation.assigned', () => eventsFor(id).includes('escalation.assigned'), 20_000);
  });

  it('a Take Case click assigns the case, edits the Slack message and notes it on both tickets', async () => {
    const { id, delivery } = await deliveredCase();
    const slackTs = delivery('SLACK').externalId;
    const channel = p.sandbox.state.slack.messages.find((m) => m.ts === slackTs)!.channel;
    const res = await p.call(null, takeCaseClick(id, channel, slackTs));
    expect(res.statusCode, res.body).toBe(200);
    const c = await p.waitForCase(store, id, 'IN_PROGRESS', (x) => x.status === 'IN_PROGRESS');
    expect(c.assignedTo).toContain('tom');
    await p.sandbox.waitFor((st) => {
      const m = st.slack.messages.find((x) => x.ts === slackTs);
      return m?.updatedAt && !JSON.stringify(m.blocks).includes('take_case:') && JSON.stringify(m.blocks).includes('tom');
    }, 10_000);
    const zd = Number(delivery('ZENDESK').externalId);
    const fd = Number(delivery('FRESHDESK').externalId);
    await p.sandbox.waitFor(
      (st) => st.zendesk.tickets.find((t) => t.id === zd)?.comments.some((cm) => /Assigned to .*tom/.test(cm.body) && !cm.public),
      10_000,
    );
    await p.sandbox.waitFor(
      (st) =>
        st.freshdesk.tickets.find((t) => t.id === fd)?.notes?.some((n: { body: string; private: boolean }) => /Assigned to .*tom/.test(n.body) && n.private),
      10_000,
    );
  });
});
