import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, LogLevel, WebClient, type Logger } from '@slack/web-api';
import zendesk from 'node-zendesk';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { validateBlocks } from '../../src/sandbox/blockkit.ts';

// Named import type-checks but crashes under Node/tsx (notes/stack.md).
const { createClient } = zendesk;

// The SDK logs Slack's response_metadata `[ERROR]` lines; keep test output readable.
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  setName() {},
  getLevel: () => LogLevel.ERROR,
};

interface ZendeskHttpError extends Error {
  statusCode: number;
  result: { error: string; details?: Record<string, { description: string }[]> };
}
interface FreshdeskError {
  description: string;
  errors: { field: string; message: string; code: string }[];
}
interface ZendeskResponse {
  status: number;
  headers: { get(name: string): string | null };
}

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.reset());

const slackClient = (opts: { timeout?: number; token?: string } = {}) =>
  new WebClient(opts.token ?? 'xoxb-test', {
    slackApiUrl: sb.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
  });

const section = (text: string, extra: object = {}) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text }, ...extra });
const button = (action_id: string, extra: object = {}) => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text: 'Claim' },
  action_id,
  ...extra,
});

async function slackError(call: Promise<unknown>): Promise<{ code: string; data?: { error: string; errors?: string[] }; retryAfter?: number }> {
  try {
    await call;
  } catch (error) {
    return error as { code: string };
  }
  throw new Error('expected the Slack call to fail');
}

describe('Slack (real @slack/web-api client)', () => {
  it('posts by channel name, answers with the channel ID, threads, permalinks and updates', async () => {
    const slack = slackClient();
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'Escalation' } }, section('*Customer* is upset')];
    const posted = await slack.chat.postMessage({ channel: '#support', text: 'New escalation', blocks });
    expect(posted.channel).toMatch(/^C[A-Z0-9]+$/);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted).not.toHaveProperty('permalink');

    // Same name → same ID; the SDK sends a form body with blocks as a JSON string.
    const again = await slack.chat.postMessage({ channel: 'support', text: 'second' });
    expect(again.channel).toBe(posted.channel);
    const request = sb.state.requests[0]!;
    expect(request).toMatchObject({ service: 'slack', method: 'POST', path: '/api/chat.postMessage' });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe('Bearer xoxb-test');
    expect(typeof (request.body as { blocks: unknown }).blocks).toBe('string');

    const link = await slack.chat.getPermalink({ channel: posted.channel!, message_ts: posted.ts! });
    expect(link.permalink).toBe(`${sb.url}/slack/archives/${posted.channel}/p${posted.ts!.replace('.', '')}`);

    const reply = await slack.chat.postMessage({ channel: posted.channel!, thread_ts: posted.ts!, text: 'History…' });
    expect(reply.message?.thread_ts).toBe(posted.ts);
    const replyLink = await slack.chat.getPermalink({ channel: posted.channel!, message_ts: reply.ts! });
    expect(replyLink.permalink).toContain(`?thread_ts=${posted.ts}&cid=${posted.channel}`);

    await slack.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'Claimed', blocks: [section('Claimed by Ana')] });
    const stored = sb.state.slack.messages.find((m) => m.ts === posted.ts)!;
    expect(stored).toMatchObject({ channel: posted.channel, text: 'Claimed', blocks: [section('Claimed by Ana')] });
    expect(stored.updatedAt).toBeDefined();
    expect(sb.state.slack.messages.filter((m) => m.thread_ts === posted.ts)).toHaveLength(1);

    const ephemeral = await slack.chat.postEphemeral({ channel: posted.channel!, user: 'U123', text: 'Only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('accepts JSON bodies (Bearer only) and GET with query parameters', async () => {
    const json = await fetch(`${sb.slackApiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: '#support', text: 'fallback', blocks: [section('hello')] }),
    });
    const posted = (await json.json()) as { ok: boolean; channel: string; ts: string };
    expect(posted.ok).toBe(true);
    expect(sb.state.slack.messages[0]!.blocks).toEqual([section('hello')]);
    const tokenInJson = await fetch(`${sb.slackApiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'xoxb-test', channel: '#support', text: 'x' }),
    });
    expect(await tokenInJson.json()).toEqual({ ok: false, error: 'not_authed' });
    const get = await fetch(`${sb.slackApiUrl}chat.getPermalink?channel=${posted.channel}&message_ts=${posted.ts}`, {
      headers: { authorization: 'Bearer xoxb-test' },
    });
    expect(await get.json()).toMatchObject({ ok: true, channel: posted.channel, permalink: expect.stringContaining('/slack/archives/') });
  });

  it('answers Slack error codes the way Slack does', async () => {
    const slack = slackClient();
    const missing = await slackError(slack.chat.postMessage({ channel: '#missing-room', text: 'x' }));
    expect(missing).toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
    const noText = await slackError(slack.chat.postMessage({ channel: '#support' } as never));
    expect(noText.data?.error).toBe('no_text');
    const byName = await slackError(slack.chat.update({ channel: '#support', ts: '1.000001', text: 'x' }));
    expect(byName.data?.error).toBe('channel_not_found');
    const unknownTs = await slackError(slack.chat.update({ channel: 'C0123456789', ts: '1.000001', text: 'x' }));
    expect(unknownTs.data?.error).toBe('message_not_found');
    const badToken = await slackError(slackClient({ token: 'xoxb-invalid' }).chat.postMessage({ channel: '#s', text: 'x' }));
    expect(badToken.data?.error).toBe('invalid_auth');
    const noToken = await fetch(`${sb.slackApiUrl}chat.postMessage`, { method: 'POST', body: new URLSearchParams({ channel: '#s', text: 'x' }) });
    expect(await noToken.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('rejects more than 50 blocks and duplicate action_ids with invalid_blocks', async () => {
    const slack = slackClient();
    const tooMany = await slackError(
      slack.chat.postMessage({ channel: '#support', text: 'x', blocks: Array.from({ length: 51 }, (_, i) => section(`b${i}`)) }),
    );
    expect(tooMany.code).toBe(ErrorCode.PlatformError);
    expect(tooMany.data).toMatchObject({ error: 'invalid_blocks', errors: ['no more than 50 items allowed [json-pointer:/blocks]'] });

    const duplicate = await slackError(
      slack.chat.postMessage({
        channel: '#support',
        text: 'x',
        blocks: [{ type: 'actions', elements: [button('claim'), button('claim')] }],
      }),
    );
    expect(duplicate.data?.error).toBe('invalid_blocks');
    expect(duplicate.data?.errors).toEqual(['action_id "claim" already exists [json-pointer:/blocks/0/elements/1/action_id]']);

    const huge = await slackError(
      slack.chat.postMessage({ channel: '#support', text: 'x', blocks: Array.from({ length: 5 }, () => section('y'.repeat(2900))) }),
    );
    expect(huge.data?.error).toBe('msg_blocks_too_long');
    expect(sb.state.slack.messages).toHaveLength(0);
  });

  it('checks every Block Kit limit from the notes', () => {
    const cases: [string, unknown[], string][] = [
      [
        'header ≤150',
        [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      ],
      ['header plain_text', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'must be one of: plain_text [json-pointer:/blocks/0/text/type]'],
      ['section text ≥1', [section('')], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
      ['section text ≤3000', [section('s'.repeat(3001))], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      [
        'fields ≤10',
        [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
        'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
      ],
      [
        'field ≤2000',
        [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }],
        'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
      ],
      [
        'actions ≤25',
        [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }],
        'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
      ],
      [
        'button text ≤75',
        [{ type: 'actions', elements: [button('a', { text: { type: 'plain_text', text: 't'.repeat(76) } })] }],
        'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
      ],
      [
        'button value ≤2000',
        [{ type: 'actions', elements: [button('a', { value: 'v'.repeat(2001) })] }],
        'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
      ],
      [
        'button url ≤3000',
        [{ type: 'actions', elements: [button('a', { url: `https://x.test/${'u'.repeat(3000)}` })] }],
        'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
      ],
      [
        'action_id ≤255',
        [{ type: 'actions', elements: [button('a'.repeat(256))] }],
        'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
      ],
      ['block_id unique', [section('a', { block_id: 'b' }), section('b', { block_id: 'b' })], 'block_id "b" already exists [json-pointer:/blocks/1/block_id]'],
      [
        'accessory action_id unique',
        [section('a', { accessory: button('x') }), { type: 'actions', elements: [button('x')] }],
        'action_id "x" already exists [json-pointer:/blocks/1/elements/0/action_id]',
      ],
      ['unknown block', [{ type: 'banner' }], 'failed to match all allowed schemas [json-pointer:/blocks/0]'],
    ];
    for (const [name, blocks, error] of cases) expect(validateBlocks(blocks), name).toEqual([error]);
    expect(validateBlocks([section('s'.repeat(3000)), { type: 'actions', elements: [button('a', { value: 'v'.repeat(2000) })] }])).toEqual([]);
  });

  it('turns a 429 rule into slack_webapi_rate_limited_error with retryAfter, after a single request', async () => {
    sb.fail({ service: 'slack', method: 'chat.postMessage', status: 429, retryAfter: 7 });
    const slack = slackClient();
    const error = await slackError(slack.chat.postMessage({ channel: '#support', text: 'x' }));
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(sb.state.requests).toHaveLength(1);
    expect(sb.state.slack.messages).toHaveLength(0);
    await expect(slack.chat.postMessage({ channel: '#support', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('answers a queued slackError with HTTP 200 {ok:false}', async () => {
    sb.fail({ service: 'slack', method: 'chat.*', slackError: 'not_in_channel' });
    const error = await slackError(slackClient().chat.postMessage({ channel: '#support', text: 'x' }));
    expect(error).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'not_in_channel' } });
  });

  it('hangMs delays the answer; a client that gives up still finds the message stored', async () => {
    sb.fail({ service: 'slack', method: 'chat.postMessage', hangMs: 400 });
    const error = await slackError(slackClient({ timeout: 100 }).chat.postMessage({ channel: '#support', text: 'late' }));
    expect(error.code).toBe(ErrorCode.RequestError);
    const stored = await sb.waitFor((s) => s.slack.messages.find((m) => m.text === 'late'));
    expect(stored.channel).toMatch(/^C/);
  });
});

describe('Zendesk (real node-zendesk client)', () => {
  const client = (extra: Record<string, unknown> = {}) =>
    createClient({
      username: 'agent@acme.test',
      token: 'tok',
      subdomain: 'acme',
      endpointUri: `${sb.zendeskUrl}/api/v2`,
      throwOriginalException: true,
      ...extra,
    });
  const ticket = {
    subject: 'Refund not received',
    comment: { body: 'Customer says the refund never arrived.', public: false },
    priority: 'high' as const,
    type: 'problem' as const,
    requester: { name: 'Jo Doe', email: 'jo@example.test' },
    tags: ['reva_escalation', 'refund'],
    custom_fields: [{ id: 360001, value: 'esc_1' }],
  };
  const failure = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error as ZendeskHttpError;
    }
    throw new Error('expected the Zendesk call to fail');
  };

  it('creates a ticket and returns the API url; stores the comment and the requester', async () => {
    const { result, response } = await client().tickets.create({ ticket });
    expect((response as ZendeskResponse).status).toBe(201);
    expect(result).toMatchObject({ id: 1, url: `${sb.zendeskUrl}/api/v2/tickets/1.json`, status: 'new', priority: 'high', tags: ticket.tags });
    const stored = sb.state.zendesk.tickets[0]!;
    expect(stored.comments).toEqual([expect.objectContaining({ body: ticket.comment.body, public: false })]);
    expect(sb.state.zendesk.users.find((u) => u.id === stored.requester_id)?.email).toBe('jo@example.test');
    const request = sb.state.requests[0]!;
    expect(request.path).toBe('/api/v2/tickets.json');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('agent@acme.test/token:tok').toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/json');

    const shown = await client().tickets.show(1);
    expect(shown.result.subject).toBe(ticket.subject);
  });

  it('rejects invalid tickets with 422 RecordInvalid', async () => {
    const error = await failure(
      client().tickets.create({ ticket: { subject: 'x', priority: 'critical', tags: ['two words'], custom_fields: [{ id: 'abc' }] } as never }),
    );
    expect(error.statusCode).toBe(422);
    expect(error.result.error).toBe('RecordInvalid');
    expect(Object.keys(error.result.details!).sort()).toEqual(['custom_fields', 'description', 'priority', 'tags']);
    expect(sb.state.zendesk.tickets).toHaveLength(0);
  });

  it('replays an Idempotency-Key (customHeaders: one client per key) and refuses a different body', async () => {
    const keyed = client({ customHeaders: { 'Idempotency-Key': 'esc-1:create' } });
    const first = await keyed.tickets.create({ ticket });
    const second = await keyed.tickets.create({ ticket });
    expect(second.result.id).toBe(first.result.id);
    expect((first.response as ZendeskResponse).headers.get('x-idempotency-lookup')).toBe('miss');
    expect((second.response as ZendeskResponse).headers.get('x-idempotency-lookup')).toBe('hit');
    expect(sb.state.zendesk.tickets).toHaveLength(1);

    const error = await failure(keyed.tickets.create({ ticket: { ...ticket, subject: 'Other' } }));
    expect(error.statusCode).toBe(400);
    expect(error.result.error).toBe('IdempotentRequestError');
  });

  it('delayAfterCommitMs: the ticket exists although the caller gave up; the retry with the same key finds it', async () => {
    sb.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', delayAfterCommitMs: 5_000 });
    // A per-request header through transportConfig (node-zendesk has no per-call headers).
    let key = 'esc-2:create';
    const transportConfig = {
      transportFn: (uri: string, init: RequestInit & { headers: Record<string, string> }) =>
        fetch(uri, { method: init.method, body: init.body, headers: { ...init.headers, 'Idempotency-Key': key }, signal: AbortSignal.timeout(200) }),
      responseAdapter: (r: Response) => ({
        json: () => r.json(),
        status: r.status,
        headers: { get: (n: string) => r.headers.get(n) },
        statusText: r.statusText,
      }),
    };
    const perRequest = client({ transportConfig });
    await expect(perRequest.tickets.create({ ticket })).rejects.toThrow(/abort|timeout/i);
    expect(sb.state.zendesk.tickets).toHaveLength(1);

    const retried = await perRequest.tickets.create({ ticket });
    expect(retried.result.id).toBe(sb.state.zendesk.tickets[0]!.id);
    expect((retried.response as ZendeskResponse).headers.get('x-idempotency-lookup')).toBe('hit');
    key = 'esc-3:create';
    const other = await perRequest.tickets.create({ ticket });
    expect(other.result.id).not.toBe(retried.result.id);
  });

  it('updates: appends private comments, records status changes, 404 for unknown tickets', async () => {
    const { result } = await client().tickets.create({ ticket });
    await client().tickets.update(result.id!, { ticket: { status: 'solved', comment: { body: 'Resolved by Ana', public: false } } });
    const stored = sb.state.zendesk.tickets[0]!;
    expect(stored.statusHistory.map((s) => s.status)).toEqual(['new', 'solved']);
    expect(stored.comments.map((c) => [c.body, c.public])).toEqual([
      [ticket.comment.body, false],
      ['Resolved by Ana', false],
    ]);
    const missing = await failure(client().tickets.update(999, { ticket: { status: 'open' } }));
    expect(missing.statusCode).toBe(404);
    expect(missing.result.error).toBe('RecordNotFound');
  });

  it('refuses bad credentials with 401', async () => {
    const error = await failure(client({ token: 'invalid' }).tickets.create({ ticket }));
    expect(error.statusCode).toBe(401);
    expect(error.result).toEqual({ error: "Couldn't authenticate you" });
  });

  it('a 429 with Retry-After resolves (not throws) in node-zendesk, with an Error as result', async () => {
    sb.fail({ service: 'zendesk', status: 429, retryAfter: 30 });
    const { result, response } = await client().tickets.create({ ticket });
    expect((response as ZendeskResponse).status).toBe(429);
    expect((response as ZendeskResponse).headers.get('retry-after')).toBe('30');
    expect(result).toBeInstanceOf(Error);
    expect((result as unknown as ZendeskHttpError).statusCode).toBe(429);
    expect(sb.state.zendesk.tickets).toHaveLength(0);
  });

  it('setLatency delays every answer', async () => {
    sb.setLatency('zendesk', 150);
    const started = Date.now();
    await client().tickets.create({ ticket });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('Freshdesk (axios)', () => {
  let api: AxiosInstance;
  beforeAll(() => {
    api = axios.create({ baseURL: `${sb.freshdeskUrl}/api/v2`, auth: { username: 'fd-key', password: 'X' } });
  });
  const rejected = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as AxiosError<FreshdeskError>).response!;
    }
    throw new Error('expected the Freshdesk call to fail');
  };

  it('looks up and creates contacts; a duplicate email is a 409', async () => {
    expect((await api.get('/contacts', { params: { email: 'jo@example.test' } })).data).toEqual([]);
    const created = await api.post('/contacts', { name: 'Jo', email: 'jo@example.test' });
    expect(created.status).toBe(201);
    const found = await api.get('/contacts', { params: { email: 'JO@example.test' } });
    expect(found.data).toEqual([created.data]);
    const duplicate = await rejected(api.post('/contacts', { name: 'Jo', email: 'jo@example.test' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.data).toMatchObject({
      description: 'Validation failed',
      errors: [{ field: 'email', message: 'It should be a unique value', code: 'duplicate_value' }],
    });
  });

  it('creates tickets, adds notes, updates status and finds them by tag', async () => {
    const contact = (await api.post('/contacts', { name: 'Jo', email: 'jo@example.test' })).data as { id: number };
    const body = {
      requester_id: contact.id,
      subject: 'Refund',
      description: '<p>Refund <b>missing</b></p>',
      priority: 3,
      status: 2,
      source: 7,
      tags: ['reva', 'esc_42'],
      custom_fields: { cf_escalation_id: 'esc_42' },
    };
    const created = await api.post('/tickets', body);
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ id: 1, requester_id: contact.id, description_text: 'Refund missing', source: 7, tags: body.tags });
    await api.post('/tickets', { ...body, email: undefined, requester_id: undefined, phone: '+100', name: 'Caller', tags: ['other'] });

    const note = await api.post('/tickets/1/notes', { body: 'Handled by Ana', private: true });
    expect(note.status).toBe(201);
    expect((await api.put('/tickets/1', { status: 4 })).data.status).toBe(4);
    expect(sb.state.freshdesk.tickets[0]).toMatchObject({ notes: [{ body: 'Handled by Ana', private: true }] });
    expect(sb.state.freshdesk.tickets[0]!.statusHistory.map((s) => s.status)).toEqual([2, 4]);

    const search = await api.get('/search/tickets', { params: { query: `"tag:'esc_42'"` } });
    expect(search.data).toMatchObject({ total: 1, results: [{ id: 1 }] });
    const both = await api.get('/search/tickets', { params: { query: `"tag:'esc_42' OR tag:'other'"` } });
    expect(both.data.total).toBe(2);
    expect((await rejected(api.get('/search/tickets', { params: { query: "tag:'esc_42'" } }))).status).toBe(400);
    expect((await rejected(api.get('/tickets/99'))).status).toBe(404);
  });

  it('lists a requester’s tickets a page at a time like Freshdesk: 30 by default, at most 100, newest first, a link to the next page', async () => {
    const contact = (await api.post('/contacts', { name: 'Jo', email: 'jo@example.test' })).data as { id: number };
    const made: number[] = []; // ids in creation order
    for (let i = 1; i <= 105; i++)
      made.push((await api.post('/tickets', { requester_id: contact.id, subject: `t${i}`, description: 'd', tags: ['many'] })).data.id);
    await api.post('/tickets', { email: 'someone@example.test', subject: 'not hers', description: 'd' });
    const ids = (tickets: { id: number }[]) => tickets.map((t) => made.indexOf(t.id) + 1); // 1 = the first made

    const first = await api.get('/tickets', { params: { email: 'jo@example.test' } });
    expect(ids(first.data)).toEqual(Array.from({ length: 30 }, (_, k) => 105 - k));
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link)![1]!;
    expect(Object.fromEntries(new URL(next, sb.freshdeskUrl).searchParams)).toEqual({ email: 'jo@example.test', per_page: '30', page: '2' });

    const most = await api.get('/tickets', { params: { email: 'jo@example.test', per_page: 500 } });
    expect(most.data).toHaveLength(100);
    const last = await api.get('/tickets', { params: { email: 'jo@example.test', per_page: 100, page: 2 } });
    expect(ids(last.data)).toEqual([5, 4, 3, 2, 1]);
    expect(last.headers.link).toBeUndefined();
    const oldest = await api.get('/tickets', { params: { requester_id: contact.id, order_type: 'asc', per_page: 2 } });
    expect(ids(oldest.data)).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 5)); // a later updated_at than every create
    await api.put(`/tickets/${made[2]}`, { status: 3 });
    const touched = await api.get('/tickets', { params: { email: 'jo@example.test', order_by: 'updated_at', per_page: 2 } });
    expect(ids(touched.data)).toEqual([3, 105]);
    expect((await rejected(api.get('/tickets', { params: { order_by: 'subject' } }))).data.errors).toEqual([
      { field: 'order_by', message: "It should be one of these values: 'created_at,due_by,updated_at,status'", code: 'invalid_value' },
    ]);

    // Search: 30 results a page, 10 pages at most, the total of every match.
    const searched = await api.get('/search/tickets', { params: { query: `"tag:'many'"`, page: 4 } });
    expect(searched.data.total).toBe(105);
    expect(ids(searched.data.results)).toEqual(Array.from({ length: 15 }, (_, k) => 91 + k));
    expect((await rejected(api.get('/search/tickets', { params: { query: `"tag:'many'"`, page: 11 } }))).status).toBe(400);
  });

  it('validates tickets like Freshdesk: 400 with field errors, no "API" source, unknown fields refused', async () => {
    const error = await rejected(api.post('/tickets', { subject: 'x', description: 'y', priority: 5, source: 8, tags: 'a', custom_fields: [], comment: 'z' }));
    expect(error.status).toBe(400);
    expect(error.data.description).toBe('Validation failed');
    const fields = error.data.errors.map((e) => `${e.field}:${e.code}`).sort();
    expect(fields).toEqual([
      'comment:invalid_field',
      'custom_fields:datatype_mismatch',
      'priority:invalid_value',
      'requester_id:missing_field',
      'source:invalid_value',
      'tags:datatype_mismatch',
    ]);
  });

  it('refuses a wrong API key with 401', async () => {
    const bad = axios.create({ baseURL: `${sb.freshdeskUrl}/api/v2`, auth: { username: 'invalid', password: 'X' } });
    const error = await rejected(bad.get('/contacts'));
    expect(error.status).toBe(401);
    expect(error.data).toEqual({ code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' });
  });

  it('a 500 rule applies N times, only to the matching route', async () => {
    sb.fail({ service: 'freshdesk', method: 'POST /api/v2/tickets', status: 500, times: 2 });
    const body = { email: 'jo@example.test', subject: 'x', description: 'y' };
    expect((await rejected(api.post('/tickets', body))).status).toBe(500);
    expect((await api.get('/contacts')).status).toBe(200);
    expect((await rejected(api.post('/tickets', body))).status).toBe(500);
    expect((await api.post('/tickets', body)).status).toBe(201);
    expect(sb.state.freshdesk.tickets).toHaveLength(1);
  });
});

describe('controls over HTTP and waitFor', () => {
  it('POST /_sandbox/fail, GET /_sandbox/state, POST /_sandbox/reset', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/_sandbox/fail', { service: 'nope' })).status).toBe(400);
    expect((await post('/_sandbox/fail', { service: 'slack', status: 429, retryAfter: 3 })).status).toBe(200);
    const error = await slackError(slackClient().chat.postMessage({ channel: '#support', text: 'x' }));
    expect(error.retryAfter).toBe(3);
    await slackClient().chat.postMessage({ channel: '#support', text: 'kept' });

    const state = (await (await fetch(`${sb.url}/_sandbox/state`)).json()) as Sandbox['state'];
    expect(state.slack.messages.map((m) => m.text)).toEqual(['kept']);
    expect(state.requests).toHaveLength(2);

    await post('/_sandbox/reset', {});
    expect(sb.state.requests).toHaveLength(0);
    expect(sb.state.slack.messages).toHaveLength(0);
  });

  it('waitFor resolves with the predicate value, or times out', async () => {
    setTimeout(() => void slackClient().chat.postMessage({ channel: '#later', text: 'eventually' }), 50);
    const message = await sb.waitFor((s) => s.slack.messages[0]);
    expect(message.text).toBe('eventually');
    await expect(sb.waitFor(() => false, 50)).rejects.toThrow(/within 50 ms/);
  });
});

describe('HTML page', () => {
  it('lists messages and tickets, escapes content, refreshes every 5 s and loads nothing remote', async () => {
    const slack = slackClient();
    const parent = await slack.chat.postMessage({
      channel: '#support',
      text: '<script>alert(1)</script>',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Escalation <b>#1</b>' } },
        { type: 'actions', elements: [button('open', { url: 'javascript:alert(2)' }), button('claim', { style: 'primary' })] },
      ],
    });
    await slack.chat.postMessage({ channel: '#support', thread_ts: parent.ts!, text: 'reply "quoted" & more' });
    await createClient({ username: 'a@acme.test', token: 't', endpointUri: `${sb.zendeskUrl}/api/v2`, throwOriginalException: true }).tickets.create({
      ticket: { subject: '<img src=x onerror=alert(3)>', comment: { body: 'hi' } },
    });

    for (const path of ['/', '/_sandbox']) {
      const res = await fetch(`${sb.url}${path}`);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('<meta http-equiv="refresh" content="5">');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('Escalation &lt;b&gt;#1&lt;/b&gt;');
      expect(html).toContain('reply &quot;quoted&quot; &amp; more');
      expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;');
      expect(html).not.toMatch(/<script|javascript:|<img|<link|src=["']?http/i);
      expect(html).toMatch(/class="thread"/);
    }
  });
});
