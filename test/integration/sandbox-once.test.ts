// The sandbox speaks what exactly-once delivery needs, through the real SDKs: Slack message metadata,
// conversations.history / replies / list, chat.delete; Freshdesk conversations and their deletion;
// Zendesk comments; and the "carries out the request only after N ms, never answers" failure.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import axios from 'axios';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, setName() {}, getLevel: () => LogLevel.ERROR };

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.reset());

const slack = (timeout?: number) =>
  new WebClient('xoxb-test', {
    slackApiUrl: sb.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
    ...(timeout ? { timeout } : {}),
  });
const meta = (payload: Record<string, string>) => ({ event_type: 'reva_case', event_payload: payload });

describe('Slack', () => {
  it('keeps metadata on a message and returns it from history and replies only with include_all_metadata', async () => {
    const client = slack();
    const parent = await client.chat.postMessage({ channel: '#support', text: 'case', metadata: meta({ caseId: 'c1', deliveryId: 'd1' }) });
    await client.chat.postMessage({
      channel: parent.channel!,
      thread_ts: parent.ts!,
      text: 'reply',
      metadata: meta({ caseId: 'c1', deliveryId: 'd1', reply: 'e7' }),
    });
    expect(sb.state.slack.messages[0]!.metadata).toEqual(meta({ caseId: 'c1', deliveryId: 'd1' }));

    const plain = await client.conversations.history({ channel: parent.channel! });
    expect(plain.messages).toHaveLength(1);
    expect(plain.messages![0]!.metadata).toBeUndefined();
    const history = await client.conversations.history({ channel: parent.channel!, include_all_metadata: true });
    expect(history.messages![0]).toMatchObject({ ts: parent.ts, reply_count: 1, metadata: meta({ caseId: 'c1', deliveryId: 'd1' }) });

    const replies = await client.conversations.replies({ channel: parent.channel!, ts: parent.ts!, include_all_metadata: true });
    expect(replies.messages!.map((m) => m.text)).toEqual(['case', 'reply']);
    expect(replies.messages![1]!.metadata).toEqual(meta({ caseId: 'c1', deliveryId: 'd1', reply: 'e7' }));
    await expect(client.conversations.replies({ channel: parent.channel!, ts: '1.000001' })).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
  });

  it('refuses malformed metadata and channel names in history, like Slack', async () => {
    const client = slack();
    await expect(client.chat.postMessage({ channel: '#support', text: 'x', metadata: { event_type: '', event_payload: {} } })).rejects.toMatchObject({
      data: { error: 'invalid_metadata_format' },
    });
    await expect(client.conversations.history({ channel: '#support' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('pages history newest first with limit, cursor and oldest', async () => {
    sb.state.slack.channelLimit = null; // five posts in a row to one channel: over Slack's limit
    const client = slack();
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push(await client.chat.postMessage({ channel: '#paging', text: `m${i}` }));
    const channel = posted[0]!.channel!;
    const first = await client.conversations.history({ channel, limit: 2 });
    expect(first.messages!.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({ channel, limit: 2, cursor: first.response_metadata!.next_cursor! });
    expect(second.messages!.map((m) => m.text)).toEqual(['m2', 'm1']);
    const since = await client.conversations.history({ channel, oldest: posted[2]!.ts! });
    expect(since.messages!.map((m) => m.text)).toEqual(['m4', 'm3']);
  });

  it('lists channels by name and deletes messages (gone from the channel, listed as deleted on the page)', async () => {
    const client = slack();
    const posted = await client.chat.postMessage({ channel: '#support', text: 'twice' });
    const list = await client.conversations.list({ types: 'public_channel,private_channel' });
    expect(list.channels).toContainEqual(expect.objectContaining({ id: posted.channel, name: 'support' }));
    await expect(client.chat.delete({ channel: posted.channel!, ts: posted.ts! })).resolves.toMatchObject({ ok: true, ts: posted.ts });
    expect(sb.state.slack.messages).toHaveLength(0);
    expect(sb.state.slack.deleted).toEqual([expect.objectContaining({ ts: posted.ts, text: 'twice' })]);
    await expect(client.chat.delete({ channel: posted.channel!, ts: posted.ts! })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    const page = await fetch(sb.url).then((r) => r.text());
    expect(page).toContain('Deleted messages');
  });

  it('commitAfterMs: the post is carried out after the delay and never answered', async () => {
    sb.fail({ service: 'slack', method: 'chat.postMessage', commitAfterMs: 600 });
    const started = Date.now();
    await expect(slack(200).chat.postMessage({ channel: '#support', text: 'late' })).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    expect(sb.state.slack.messages).toHaveLength(0);
    const stored = await sb.waitFor((s) => s.slack.messages.find((m) => m.text === 'late'), 3000);
    expect(Date.parse(stored.postedAt) - started).toBeGreaterThanOrEqual(550);
    // A client that waits longer still gets no answer: the connection is closed.
    sb.fail({ service: 'slack', method: 'chat.postMessage', commitAfterMs: 100 });
    await expect(slack(3000).chat.postMessage({ channel: '#support', text: 'late again' })).rejects.toMatchObject({ code: 'slack_webapi_request_error' });
    expect(sb.state.slack.messages.map((m) => m.text)).toContain('late again');
  });
});

describe('Freshdesk and Zendesk', () => {
  const fd = () => axios.create({ baseURL: `${sb.freshdeskUrl}/api/v2`, auth: { username: 'key', password: 'X' } });

  it("Freshdesk: lists a ticket's notes page by page and deletes one", async () => {
    const api = fd();
    const ticket = (await api.post('/tickets', { subject: 's', description: 'd', email: 'a@b.test', priority: 1, status: 2 })).data;
    for (let i = 0; i < 3; i++) await api.post(`/tickets/${ticket.id}/notes`, { body: `n${i}`, private: true });
    const page1 = await api.get(`/tickets/${ticket.id}/conversations`, { params: { per_page: 2 } });
    expect(page1.data.map((n: { body: string }) => n.body)).toEqual(['n0', 'n1']);
    expect(page1.headers.link).toContain('page=2');
    const page2 = await api.get(`/tickets/${ticket.id}/conversations`, { params: { per_page: 2, page: 2 } });
    expect(page2.data.map((n: { body: string }) => n.body)).toEqual(['n2']);
    expect((await api.delete(`/conversations/${page2.data[0].id}`)).status).toBe(204);
    expect(sb.state.freshdesk.tickets[0]!.notes.map((n) => n.body)).toEqual(['n0', 'n1']);
    await expect(api.delete(`/conversations/${page2.data[0].id}`)).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('Freshdesk: commitAfterMs makes the ticket after the delay, unanswered', async () => {
    sb.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', commitAfterMs: 400 });
    await expect(fd().post('/tickets', { subject: 's', description: 'd', email: 'a@b.test' }, { timeout: 100 })).rejects.toMatchObject({
      code: 'ECONNABORTED',
    });
    expect(sb.state.freshdesk.tickets).toHaveLength(0);
    await sb.waitFor((s) => s.freshdesk.tickets.length === 1, 3000);
  });

  it('Freshdesk: commitAfterRetry holds a create until the retry made its ticket, then makes it, unanswered', async () => {
    sb.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', commitAfterRetry: true });
    const body = (subject: string) => ({ subject, description: 'd', email: 'a@b.test' });
    await expect(fd().post('/tickets', body('first'), { timeout: 100 })).rejects.toMatchObject({ code: 'ECONNABORTED' });
    // Other requests, and a refused create, do not let it land.
    await fd().get('/tickets');
    await expect(fd().post('/tickets', { subject: 'no description' })).rejects.toMatchObject({ response: { status: 400 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(sb.state.freshdesk.tickets).toHaveLength(0);
    const retry = await fd().post('/tickets', body('retry'));
    expect(retry.status).toBe(201);
    const tickets = await sb.waitFor((s) => s.freshdesk.tickets.length === 2 && s.freshdesk.tickets, 3000);
    expect(tickets.map((t) => t.subject)).toEqual(['retry', 'first']);
  });

  it('Zendesk: lists comments, newest first on request; commitAfterMs applies to creates', async () => {
    const headers = { authorization: `Basic ${Buffer.from('agent@acme.test/token:t').toString('base64')}`, 'content-type': 'application/json' };
    const create = (body: object) => fetch(`${sb.zendeskUrl}/api/v2/tickets.json`, { method: 'POST', headers, body: JSON.stringify(body) });
    const { ticket } = (await (await create({ ticket: { subject: 's', comment: { body: 'first' } } })).json()) as { ticket: { id: number } };
    await fetch(`${sb.zendeskUrl}/api/v2/tickets/${ticket.id}.json`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ticket: { comment: { body: 'second', public: false } } }),
    });
    const desc = (await (await fetch(`${sb.zendeskUrl}/api/v2/tickets/${ticket.id}/comments.json?sort_order=desc`, { headers })).json()) as {
      comments: { body: string }[];
    };
    expect(desc.comments.map((c: { body: string }) => c.body)).toEqual(['second', 'first']);

    sb.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', commitAfterMs: 300 });
    await expect(create({ ticket: { subject: 'late', comment: { body: 'x' } } })).rejects.toThrow();
    expect(sb.state.zendesk.tickets.map((t) => t.subject)).toContain('late');
  });
});
