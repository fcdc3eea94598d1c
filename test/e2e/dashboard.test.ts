// The dashboard as a person uses it: Debian's Chromium driven by playwright-core against the real
// server (listening on a port), with the delivery workers and the helpdesk sandbox running.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, seedConversation, startPipeline, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

const SHOTS = 'test-results/dashboard';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('dashboard in a browser', () => {
  let p: Pipeline;
  let base: string;
  let browser: Browser;
  let page: Page;
  let store: StoreHandle;
  let caseId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    p = await startPipeline({ env: { PUBLIC_URL: base } });
    await p.app.listen({ port, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    store = await p.createStore({ webhook: null });
    p.sandbox.fail({ service: 'zendesk', method: 'POST /api/v2/tickets', status: 401, times: 1 });
    caseId = (await p.escalate(store, seedConversation())).id;
    await p.waitForDelivery(store, caseId, 'ZENDESK', 'FAILED');
    await p.waitForDelivery(store, caseId, 'SLACK', 'DELIVERED');
    // A second, quieter case, so that filtering has something to leave out.
    await p.escalate(store, {
      ...seedConversation(),
      messages: [{ role: 'customer', text: 'The parcel never arrived, please help' }],
      customerSentiment: undefined,
      aiConfidence: 0.5,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('opens a case from its Slack link, signing in on the way', async () => {
    const message = p.sandbox.state.slack.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(caseId));
    const link = JSON.stringify(message?.blocks).match(/"url":"([^"]+)"/)?.[1];
    expect(link).toBe(`${base}/dashboard/escalations/${caseId}`);

    await page.goto(link!);
    expect(page.url()).toContain('/dashboard/login');
    await page.screenshot({ path: `${SHOTS}/01-sign-in.png`, fullPage: true });
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not valid');

    await page.getByLabel('API key').fill(store.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(page.url()).toBe(link);
    await expect(page.locator('h1').textContent()).resolves.toContain('speak to a manager');
    // The messages that fired triggers are highlighted, with the trigger named.
    const fired = page.locator('.msg.fired');
    expect(await fired.count()).toBeGreaterThan(0);
    await expect(fired.filter({ hasText: 'speak to a manager' }).locator('.trigger-tag').first().textContent()).resolves.toBe('KEYWORD_MATCH');
    // Deliveries link to the Slack message and tickets.
    await expect(page.getByRole('link', { name: 'Slack message' }).getAttribute('href')).resolves.toContain('/slack/archives/');
    await page.screenshot({ path: `${SHOTS}/02-case.png`, fullPage: true });
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'reva_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
  });

  it('lists and filters cases', async () => {
    await page.goto(`${base}/dashboard`);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    await page.getByLabel('Search').fill('manager');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('speak to a manager');
    await page.screenshot({ path: `${SHOTS}/03-list-filtered.png`, fullPage: true });
    await page.getByLabel('Priority').selectOption('LOW');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.getByText('No escalations match.').count()).resolves.toBe(1);
  });

  it('retries a failed delivery, assigns and resolves, and the timeline shows it', async () => {
    await page.goto(`${base}/dashboard/escalations/${caseId}`);
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('ZENDESK');
    await p.waitForDelivery(store, caseId, 'ZENDESK', 'DELIVERED');

    await page.getByLabel('Assign to').fill('dana@acme.test');
    await page.getByRole('button', { name: 'Assign' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Assigned to dana@acme.test');

    await page.getByLabel('Resolution summary').fill('Refunded the shipping and sent a new parcel.');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Resolved');
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('assigned');
    expect(timeline).toContain('resolved');
    expect(timeline).toContain('Refunded the shipping');
    await expect(page.locator('.badge.s-RESOLVED').first().textContent()).resolves.toBe('RESOLVED');
    await page.screenshot({ path: `${SHOTS}/04-resolved.png`, fullPage: true });

    const api = await p.getCase(store, caseId);
    expect(api.status).toBe('RESOLVED');
    expect(api.resolutionSummary).toBe('Refunded the shipping and sent a new parcel.');
    expect(api.timeline.find((e: { type: string }) => e.type === 'resolved').source).toBe('dashboard');
  });

  it('shows the analytics charts', async () => {
    await page.goto(`${base}/dashboard/analytics`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Analytics');
    await expect(page.getByText('2 escalated of').count()).resolves.toBe(1);
    expect(await page.locator('svg.chart').count()).toBe(1);
    expect(await page.locator('table.bars').count()).toBeGreaterThanOrEqual(5);
    await expect(page.locator('table.bars').first().textContent()).resolves.toContain('KEYWORD_MATCH');
    await page.screenshot({ path: `${SHOTS}/05-analytics.png`, fullPage: true });
  });

  it('edits and tests integration settings and manages keys, with forms only, under the CSP', async () => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/dashboard`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Settings');
    const slack = page.locator('section', { has: page.locator('#h-slack') });
    // The saved token is shown masked, never in a field.
    await expect(slack.getByLabel('Bot token').inputValue()).resolves.toBe('');
    await expect(slack.textContent()).resolves.toContain('Saved: ****oken');

    await slack.getByLabel('Channel', { exact: true }).fill('#missing-team');
    await slack.getByRole('button', { name: 'Test' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Slack has no channel #missing-team');
    await page.screenshot({ path: `${SHOTS}/06-settings-test.png`, fullPage: true });

    const slackAgain = page.locator('section', { has: page.locator('#h-slack') });
    await slackAgain.getByLabel('Channel', { exact: true }).fill('#support-escalations');
    await slackAgain.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Slack settings saved.');
    expect((await p.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` })).json().slack).toMatchObject({
      channel: '#support-escalations',
      botToken: '****oken',
    });

    await page.getByRole('button', { name: 'Create key' }).click();
    const newKey = (await page.locator('.notice code').textContent())!;
    expect(newKey).toMatch(/^rk_live_/);
    expect((await p.call(newKey, { method: 'GET', url: '/escalations' })).statusCode).toBe(200);
    await page.goto(`${base}/dashboard/settings`);
    await page.getByRole('button', { name: `Revoke key ${newKey.slice(0, 14)}` }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('API key revoked');
    expect((await p.call(newKey, { method: 'GET', url: '/escalations' })).statusCode).toBe(401);
    await page.screenshot({ path: `${SHOTS}/07-settings-keys.png`, fullPage: true });
    expect(violations).toEqual([]);
  });

  it('refuses a cross-site form post and signs out', async () => {
    const res = await fetch(`${base}/dashboard/escalations/${caseId}/reopen`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    await page.goto(`${base}/dashboard`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(page.url()).toContain('/dashboard/login');
  });
});
