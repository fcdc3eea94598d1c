import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../src/integrations/slack/verify.ts';
import { zendeskSignature, verifyZendeskSignature, parseZendeskWebhook } from '../../src/integrations/zendesk/inbound.ts';
import { basicPassword, parseFreshdeskWebhook, verifyFreshdeskSecret } from '../../src/integrations/freshdesk/inbound.ts';
import { parseCommand } from '../../src/http/slack-commands.ts';
import { SlackFollowUps, withinAckBudget } from '../../src/http/slack-interactions.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../src/http/context.ts';

// Official vectors, from shared/notes/helpdesk-apis.md.
const SLACK = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  ts: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const ZENDESK = {
  secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
  ts: '2021-03-25T05:09:27Z',
  body: '{"event":"ticket.updated","id":123}',
  signature: 'S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=',
};

describe('Slack v0 signatures', () => {
  const at = Number(SLACK.ts) * 1000;
  const input = { signingSecret: SLACK.secret, timestamp: SLACK.ts, signature: SLACK.signature, rawBody: SLACK.body, nowMs: at };

  it('computes the official vector', () => {
    expect(slackSignature(SLACK.secret, SLACK.ts, SLACK.body)).toBe(SLACK.signature);
  });

  it('accepts the official request within the 5-minute window', () => {
    expect(verifySlackSignature(input)).toEqual({ ok: true });
    expect(verifySlackSignature({ ...input, nowMs: at + 299_000 })).toEqual({ ok: true });
    expect(verifySlackSignature({ ...input, nowMs: at - 299_000 })).toEqual({ ok: true });
  });

  it('rejects stale and future timestamps (replays)', () => {
    expect(verifySlackSignature({ ...input, nowMs: at + 301_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/i) });
    expect(verifySlackSignature({ ...input, nowMs: at - 301_000 })).toMatchObject({ ok: false });
    // Today, the official (2018) request is a replay.
    expect(verifySlackSignature({ ...input, nowMs: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/i) });
  });

  it('rejects a changed body, timestamp, secret or signature', () => {
    expect(verifySlackSignature({ ...input, rawBody: SLACK.body.replace('roadrunner', 'coyote') })).toMatchObject({
      ok: false,
      reason: 'Invalid Slack signature',
    });
    expect(verifySlackSignature({ ...input, timestamp: '1531420619' })).toMatchObject({ ok: false });
    expect(verifySlackSignature({ ...input, signingSecret: `${SLACK.secret}x` })).toMatchObject({ ok: false });
    expect(verifySlackSignature({ ...input, signature: SLACK.signature.toUpperCase() })).toMatchObject({ ok: false });
    expect(verifySlackSignature({ ...input, signature: 'v0=' })).toMatchObject({ ok: false });
    expect(verifySlackSignature({ ...input, signature: SLACK.signature.replace('v0=', 'v1=') })).toMatchObject({ ok: false });
  });

  it('rejects missing headers, malformed timestamps and an unset secret', () => {
    expect(verifySlackSignature({ ...input, signature: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/i) });
    expect(verifySlackSignature({ ...input, timestamp: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/i) });
    expect(verifySlackSignature({ ...input, timestamp: '1531420618.5' })).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/i) });
    expect(verifySlackSignature({ ...input, timestamp: 'NaN' })).toMatchObject({ ok: false });
    expect(verifySlackSignature({ ...input, signingSecret: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/SLACK_SIGNING_SECRET/) });
    expect(verifySlackSignature({ ...input, signingSecret: '' })).toMatchObject({ ok: false });
  });
});

describe('Zendesk webhook signatures', () => {
  const at = Date.parse(ZENDESK.ts);
  const input = { secret: ZENDESK.secret, timestamp: ZENDESK.ts, signature: ZENDESK.signature, rawBody: ZENDESK.body, nowMs: at };

  it('computes the official vector (the secret string is the key as-is, not base64-decoded)', () => {
    expect(zendeskSignature(ZENDESK.secret, ZENDESK.ts, ZENDESK.body)).toBe(ZENDESK.signature);
  });

  it('accepts the official request within 5 minutes, rejects it outside', () => {
    expect(verifyZendeskSignature(input)).toEqual({ ok: true });
    expect(verifyZendeskSignature({ ...input, nowMs: at + 300_000 })).toEqual({ ok: true });
    expect(verifyZendeskSignature({ ...input, nowMs: at + 301_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/i) });
    expect(verifyZendeskSignature({ ...input, nowMs: at - 301_000 })).toMatchObject({ ok: false });
    expect(verifyZendeskSignature({ ...input, nowMs: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/i) });
  });

  it('rejects a changed body, timestamp, secret or signature', () => {
    expect(verifyZendeskSignature({ ...input, rawBody: '{"event":"ticket.updated","id":124}' })).toMatchObject({
      ok: false,
      reason: 'Invalid Zendesk signature',
    });
    expect(verifyZendeskSignature({ ...input, timestamp: '2021-03-25T05:09:28Z' })).toMatchObject({ ok: false });
    expect(verifyZendeskSignature({ ...input, secret: 'this_secret_is_for_testing_only' })).toMatchObject({ ok: false });
    expect(verifyZendeskSignature({ ...input, signature: ZENDESK.signature.slice(1) })).toMatchObject({ ok: false });
  });

  it('rejects missing headers, malformed timestamps and a store without a secret', () => {
    expect(verifyZendeskSignature({ ...input, signature: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/i) });
    expect(verifyZendeskSignature({ ...input, timestamp: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/i) });
    expect(verifyZendeskSignature({ ...input, timestamp: 'yesterday' })).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/i) });
    expect(verifyZendeskSignature({ ...input, secret: undefined })).toMatchObject({ ok: false, reason: expect.stringMatching(/webhookSecret/) });
  });
});

describe('Freshdesk webhook secret', () => {
  const secret = 's3cret-value:with-colon';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('reads the HTTP Basic password (any user name, colons allowed in the password)', () => {
    expect(basicPassword(basic('anyone', secret))).toBe(secret);
    expect(basicPassword(basic('', 'pw'))).toBe('pw');
    expect(basicPassword('Bearer abc')).toBeUndefined();
    expect(basicPassword(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(basicPassword(undefined)).toBeUndefined();
  });

  it('accepts the secret as Basic password or as X-Webhook-Secret', () => {
    expect(verifyFreshdeskSecret({ secret, authorization: basic('freshdesk', secret), headerSecret: undefined })).toEqual({ ok: true });
    expect(verifyFreshdeskSecret({ secret, authorization: undefined, headerSecret: secret })).toEqual({ ok: true });
    expect(verifyFreshdeskSecret({ secret, authorization: basic('x', 'wrong'), headerSecret: secret })).toEqual({ ok: true });
  });

  it('rejects a wrong, missing or unconfigured secret', () => {
    expect(verifyFreshdeskSecret({ secret, authorization: basic(secret, 'X'), headerSecret: undefined })).toMatchObject({
      ok: false,
      reason: 'Invalid Freshdesk webhook secret',
    });
    expect(verifyFreshdeskSecret({ secret, authorization: undefined, headerSecret: `${secret} ` })).toMatchObject({ ok: false });
    expect(verifyFreshdeskSecret({ secret, authorization: undefined, headerSecret: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing/i),
    });
    expect(verifyFreshdeskSecret({ secret, authorization: undefined, headerSecret: '' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/missing/i),
    });
    expect(verifyFreshdeskSecret({ secret: undefined, authorization: undefined, headerSecret: 'anything' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/webhookSecret/),
    });
  });
});

describe('helpdesk bodies', () => {
  it('maps Zendesk statuses case-insensitively; blank placeholders mean no assignee', () => {
    const parse = (status: string, extra: object = {}) => parseZendeskWebhook({ ticket_id: '42', status, assignee_name: '', assignee_email: '', ...extra });
    expect(parse('Solved')).toEqual({ ok: true, value: { ticketId: '42', rawStatus: 'Solved', state: 'solved', assigneeName: null, assigneeEmail: null } });
    expect(parse('CLOSED')).toMatchObject({ value: { state: 'closed' } });
    expect(parse('New')).toMatchObject({ value: { state: 'open' } });
    expect(parse('Hold', { assignee_name: ' Ann ' })).toMatchObject({ value: { state: 'pending', assigneeName: 'Ann' } });
    expect(parse('deleted')).toMatchObject({ value: { state: null } });
    expect(parseZendeskWebhook({ ticket_id: 42, status: 'open' })).toMatchObject({ value: { ticketId: '42' } });
    expect(parseZendeskWebhook({ ticket_id: '{{ticket.id}}', status: 'open' })).toMatchObject({ ok: false, message: expect.stringMatching(/ticket_id/) });
    expect(parseZendeskWebhook({ ticket_id: '1' })).toMatchObject({ ok: false, message: expect.stringMatching(/status/) });
    expect(parseZendeskWebhook('nope')).toMatchObject({ ok: false });
  });

  it('maps Freshdesk statuses by name or number', () => {
    const state = (status: unknown) => {
      const r = parseFreshdeskWebhook({ ticket_id: 7, status, agent_name: '', agent_email: '' });
      return r.ok ? r.value.state : 'invalid';
    };
    expect([state('Open'), state('pending'), state('Resolved'), state('CLOSED')]).toEqual(['open', 'pending', 'solved', 'closed']);
    expect([state(2), state(3), state(4), state(5), state('4')]).toEqual(['open', 'pending', 'solved', 'closed', 'solved']);
    expect([state('Waiting on Customer'), state(6)]).toEqual([null, null]);
    expect(state(-1)).toBe('invalid');
  });
});

describe('slash command syntax', () => {
  it('parses the subcommands', () => {
    expect(parseCommand('')).toEqual({ kind: 'help' });
    expect(parseCommand('  HELP ')).toEqual({ kind: 'help' });
    expect(parseCommand('list')).toEqual({ kind: 'list' });
    expect(parseCommand('take abc123')).toEqual({ kind: 'take', id: 'abc123' });
    expect(parseCommand('resolve abc123 Refund issued &amp; confirmed')).toEqual({ kind: 'resolve', id: 'abc123', summary: 'Refund issued & confirmed' });
    expect(parseCommand('reply abc123 Hi Jane,\nyour refund is on its way')).toEqual({
      kind: 'reply',
      id: 'abc123',
      message: 'Hi Jane,\nyour refund is on its way',
    });
  });

  it('explains bad syntax', () => {
    expect(parseCommand('take')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/Usage: `\/escalation take/) });
    expect(parseCommand('take a b')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('resolve abc123')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/summary/) });
    expect(parseCommand('reply abc123   ')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/message/) });
    expect(parseCommand('list now')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('dance', '/esc')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/Unknown subcommand `dance`.*\/esc help/) });
    expect(parseCommand(`resolve abc123 ${'x'.repeat(5001)}`)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/too long/) });
  });
});

describe('Slack acknowledgement budget', () => {
  const quiet = { warn() {}, debug() {} } as unknown as FastifyBaseLogger;
  const followUps = () => new SlackFollowUps({} as AppContext, quiet);

  it('answers with the result when the work is fast, and says "late" (keeping the work) when it is not', async () => {
    expect(await withinAckBudget(Promise.resolve(42), followUps(), 50)).toEqual({ done: true, value: 42 });
    const f = followUps();
    let finished = false;
    const slow = new Promise<string>((r) => setTimeout(() => r('slow'), 120)).then((v) => {
      finished = true;
      return v;
    });
    const started = Date.now();
    const answer = await withinAckBudget(slow, f, 30);
    expect(answer.done).toBe(false);
    expect(Date.now() - started).toBeLessThan(110);
    await f.drain();
    expect(finished).toBe(true);
  });

  it('passes fast failures on, and only logs late ones', async () => {
    await expect(withinAckBudget(Promise.reject(new Error('boom')), followUps(), 50)).rejects.toThrow('boom');
    const f = followUps();
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late boom')), 60));
    expect((await withinAckBudget(late, f, 10)).done).toBe(false);
    await f.drain();
  });
});
