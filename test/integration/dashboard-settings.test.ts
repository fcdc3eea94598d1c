// /dashboard/settings over real HTTP with the session cookie: see and edit the store's integrations
// (secrets write-only: masked, blank keeps), run the credentials test against the sandbox, create and
// revoke API keys; cross-site posts refused; no secret ever in the HTML.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

let p: Pipeline;
let base: string;
let store: StoreHandle;
let cookie: string;

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base, ...headers },
    body: new URLSearchParams(form).toString(),
  });
}
const page = async (path = '/dashboard/settings') => {
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  return { status: res.status, text: await res.text(), headers: res.headers };
};
/** Follows a 303 back to the settings page and returns its HTML. */
const followed = async (res: Response) => {
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/dashboard\/settings\?/);
  return (await page(location)).text;
};
/** A page rendered in answer to the post (a test, or a refused save): the values as typed. */
const rendered = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
};
const savedConfig = async () => (await p.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` })).json();

beforeAll(async () => {
  p = await startPipeline({ workers: false });
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
  store = await p.createStore();
  const login = await fetch(`${base}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apiKey: store.apiKey, next: '/dashboard/settings' }).toString(),
  });
  expect(login.status).toBe(303);
  cookie = login.headers.get('set-cookie')!.split(';')[0]!;
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('dashboard settings', () => {
  it('shows every integration with secrets masked, never in clear, under the no-script CSP', async () => {
    const { status, text, headers } = await page();
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(text).toContain('<a href="/dashboard/settings">Settings</a>');
    for (const heading of ['Slack', 'Zendesk', 'Freshdesk', 'Webhook (your chat backend)', 'API keys']) expect(text).toContain(`>${heading}</h2>`);
    expect(text).toContain('value="#support"');
    expect(text).toContain('Saved: ****oken. Leave blank to keep it.');
    for (const secret of ['xoxb-test-token', 'zd-token', 'fd-key', 'zd-hook-secret', 'fd-hook-secret']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/<script/i);
  });

  it('Test runs the credentials check on the form values without saving them', async () => {
    const failing = await rendered(
      await post('/dashboard/settings/integrations/slack', { action: 'test', enabled: 'on', channel: '#missing-room', botToken: '' }),
      200,
    );
    expect(failing).toContain('Slack test failed: Slack has no channel #missing-room that the bot reva-bot in the workspace Sandbox can see');
    // The form keeps what was typed (so it can be corrected), and still says the token is saved.
    expect(failing).toContain('value="#missing-room"');
    expect(failing).toContain('Saved: ****oken. Leave blank to keep it.');
    expect((await savedConfig()).slack.channel).toBe('#support');
    const passing = await rendered(
      await post('/dashboard/settings/integrations/zendesk', { action: 'test', enabled: 'on', subdomain: 'acme', email: 'agent@acme.test' }),
      200,
    );
    expect(passing).toContain('Zendesk test passed: Zendesk accepted the token of agent (agent) on acme.');
    const badToken = await rendered(
      await post('/dashboard/settings/integrations/freshdesk', { action: 'test', enabled: 'on', domain: 'acme', apiKey: 'invalid' }),
      200,
    );
    expect(badToken).toContain('Freshdesk test failed: Freshdesk did not accept the API key (HTTP 401): check freshdesk.apiKey.');
    // A typed secret is never sent back in the page.
    expect(badToken).not.toContain('invalid"');
  });

  it('Save keeps a blank secret, replaces a new one, and leaves the other integrations as they were', async () => {
    const before = await savedConfig();
    const saved = await followed(
      await post('/dashboard/settings/integrations/slack', {
        action: 'save',
        enabled: 'on',
        channel: '#ops-escalations',
        channel_URGENT: '#ops-urgent',
        botToken: '',
      }),
    );
    expect(saved).toContain('Slack settings saved.');
    const after = await savedConfig();
    expect(after.slack).toEqual({ enabled: true, channel: '#ops-escalations', channelsByPriority: { URGENT: '#ops-urgent' }, botToken: before.slack.botToken });
    expect(after.zendesk).toEqual(before.zendesk);
    expect(after.webhook).toEqual(before.webhook);
    // The kept token still works: the stored secret was not replaced by an empty one.
    expect(
      (
        await p.call(store.apiKey, { method: 'POST', url: `/stores/${store.id}/integrations/slack/test`, payload: { enabled: true, channel: '#support' } })
      ).json().ok,
    ).toBe(true);

    await followed(
      await post('/dashboard/settings/integrations/slack', { action: 'save', enabled: 'on', channel: '#support', botToken: 'xoxb-brand-new-token' }),
    );
    expect((await savedConfig()).slack).toEqual({ enabled: true, channel: '#support', botToken: '****oken' });
    const stored = await p.app.ctx.stores.get(store.id);
    expect(stored!.config.secrets.slack?.botToken).toBe('xoxb-brand-new-token');
    // Disabling keeps the settings.
    await followed(await post('/dashboard/settings/integrations/freshdesk', { action: 'save', domain: 'acme.freshdesk.com' }));
    expect((await savedConfig()).freshdesk).toMatchObject({ enabled: false, domain: 'acme.freshdesk.com', apiKey: '****' });
  });

  it('invalid values are not saved and say why', async () => {
    const html = await rendered(await post('/dashboard/settings/integrations/slack', { action: 'save', enabled: 'on', channel: 'not a channel!' }), 400);
    expect(html).toMatch(/Slack not saved: channel: must be a channel name/);
    expect(html).toContain('value="not a channel!"');
    const webhook = await rendered(await post('/dashboard/settings/integrations/webhook', { action: 'save', enabled: 'on', url: 'ftp://example.com/x' }), 400);
    expect(webhook).toMatch(/Webhook \(your chat backend\) not saved: url: /);
    expect((await savedConfig()).slack.channel).toBe('#support');
  });

  it('creates a key (shown once, in the page, never in a URL) and revokes one', async () => {
    const created = await post('/dashboard/settings/api-keys', {});
    expect(created.status).toBe(201);
    const html = await created.text();
    const key = /<code>(rk_live_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];
    expect(key).toBeDefined();
    expect(created.headers.get('location')).toBeNull();
    expect((await p.call(key!, { method: 'GET', url: '/escalations' })).statusCode).toBe(200);
    // The list shows prefixes only, with a Revoke button each.
    const listing = (await page()).text;
    expect(listing).not.toContain(key!);
    expect(listing).toContain(`${key!.slice(0, 14)}…`);
    const keys = await p.app.ctx.stores.listKeys(store.id);
    const newest = keys.find((k) => key!.startsWith(k.prefix) && !k.revokedAt)!;
    const revoked = await followed(await post(`/dashboard/settings/api-keys/${newest.id}/revoke`, {}));
    expect(revoked).toContain('API key revoked');
    expect(revoked).toMatch(/Revoked \d{4}-\d{2}-\d{2}/);
    expect((await p.call(key!, { method: 'GET', url: '/escalations' })).statusCode).toBe(401);
    expect(await followed(await post('/dashboard/settings/api-keys/00000000-0000-4000-8000-000000000000/revoke', {}))).toContain(
      'No such API key in this store.',
    );
  });

  it('refuses cross-site posts and signed-out visitors', async () => {
    const forged = await post('/dashboard/settings/api-keys', {}, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    const signedOut = await fetch(`${base}/dashboard/settings`, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2Fsettings');
  });

  it('revoking the key a session signed in with ends that session (last: it signs this file out)', async () => {
    const keys = await p.app.ctx.stores.listKeys(store.id);
    const signedInWith = keys.find((k) => store.apiKey.startsWith(k.prefix))!;
    expect((await page()).status).toBe(200);
    const revoked = await post(`/dashboard/settings/api-keys/${signedInWith.id}/revoke`, {});
    expect(revoked.status).toBe(303);
    const after = await fetch(`${base}/dashboard/settings`, { headers: { cookie }, redirect: 'manual' });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2Fsettings');
    expect(after.headers.get('set-cookie')).toMatch(/^reva_session=; .*Max-Age=0/);
  });
});
