// Guard rails over real HTTP: the per-key rate limit is one count shared by two API instances (each
// with its own Redis connections, like two processes) on a private Redis; the dashboard sign-in has its
// own limit per address; the dashboard's CSP; a Redis outage skips the limit instead of failing requests.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/app.ts';
import { freePort, startRedis, type RedisServer } from '../helpers/pipeline.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const LIMIT = 5;
let redis: RedisServer;
const apps: TestApp[] = [];

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const t of apps) {
    // A client still uploading a refused body (the 413 test) keeps its connection busy; close() would wait for it.
    t.app.server.closeAllConnections();
    await t.close().catch(() => {});
  }
  await redis?.stop();
});

async function instance(env: Record<string, string>): Promise<{ t: TestApp; url: string }> {
  const t = await startTestApp(env);
  apps.push(t);
  return { t, url: await listen(t) };
}

// The body is read: an unread response (/metrics is large) stays in flight, and close() waits for it.
const get = async (url: string, key: string | null, path = '/escalations') => {
  const res = await fetch(`${url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: () => JSON.parse(text) as unknown };
};

describe('rate limit per API key', () => {
  it(`shares one count across two API instances: request ${LIMIT + 1} within the minute is a 429 with Retry-After and the error body`, async () => {
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const [one, two] = await Promise.all([instance(env), instance(env)]);
    const store = await one.t.createStore();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(i % 2 ? two.url : one.url, store.apiKey);
      statuses.push(res.status);
      expect(res.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1 - i));
    }
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const url of [one.url, two.url]) {
      const limited = await get(url, store.apiKey);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = await limited.json();
      expect(body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(new RegExp(`at most ${LIMIT} requests a minute per API key; retry in`)),
        requestId: limited.headers.get('x-request-id'),
      });
    }
    // Another key has its own count; the probes, the docs and the dashboard are not limited.
    const other = await one.t.createStore();
    expect((await get(two.url, other.apiKey)).status).toBe(200);
    for (const path of ['/health', '/ready', '/metrics', '/docs/json', '/dashboard/login'])
      for (let i = 0; i < LIMIT + 1; i++) expect((await get(one.url, store.apiKey, path)).status, path).toBeLessThan(400);
    // The count is kept in Redis under a hash of the key, never the key itself.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*');
      expect(keys.some((k) => k.startsWith('reva:rate-limit:'))).toBe(true);
      expect(keys.join(' ')).not.toContain(store.apiKey);
      expect(keys.join(' ')).not.toContain(store.apiKey.slice(8));
    } finally {
      client.disconnect();
    }
  });

  it('unauthenticated calls are counted per address; 0 turns the limit off', async () => {
    const limited = await instance({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '2' });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await get(limited.url, null)).status);
    expect(answers).toEqual([401, 401, 429]);
    const off = await instance({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '0' });
    const store = await off.t.createStore();
    for (let i = 0; i < 8; i++) expect((await get(off.url, store.apiKey)).status).toBe(200);
  });

  it('with Redis unreachable the limit is skipped: requests are answered, not failed', async () => {
    const deadPort = await freePort();
    const t = await instance({ REDIS_URL: `redis://127.0.0.1:${deadPort}`, RATE_LIMIT_PER_MINUTE: '1', REDIS_COMMAND_TIMEOUT_MS: '300' });
    // The store is made through an app with a working Redis (same database).
    const maker = await instance({ REDIS_URL: redis.url });
    const store = await maker.t.createStore();
    for (let i = 0; i < 3; i++) expect((await get(t.url, store.apiKey)).status).toBe(200);
  });
});

describe('dashboard sign-in', () => {
  it('is limited per address (guessing keys): the sign-in page says so, with 429 and Retry-After', async () => {
    const { url } = await instance({ REDIS_URL: redis.url, SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' });
    const attempt = () =>
      fetch(`${url}/dashboard/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'apiKey=rk_live_guess&next=%2Fdashboard',
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401]);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await limited.text();
    expect(html).toContain('<p class="error" role="alert">Too many sign-in attempts from this address: at most 3 a minute; retry in');
    expect(html).toContain('<input type="hidden" name="next" value="/dashboard">');
    // Even the right key waits: the limit is on attempts, not failures.
    const admin = await fetch(`${url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `apiKey=${ADMIN_KEY}`,
    });
    expect(admin.status).toBe(429);
  });

  it('behind a trusted proxy, each client address has its own count', async () => {
    const { url } = await instance({ REDIS_URL: redis.url, SIGN_IN_RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '127.0.0.1' });
    const attempt = (client: string) =>
      fetch(`${url}/dashboard/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
        body: 'apiKey=rk_live_guess',
      });
    expect((await attempt('203.0.113.7')).status).toBe(401);
    expect((await attempt('203.0.113.7')).status).toBe(429);
    expect((await attempt('198.51.100.9')).status).toBe(401);
    // https at the proxy: the session cookie is Secure.
    const signIn = await fetch(`${url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.44', 'x-forwarded-proto': 'https' },
      body: `apiKey=${ADMIN_KEY}`,
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it("counts from the first request after a start, even when the count's Redis connection comes up late", async () => {
    // The connection is accepted and answers nothing for 300 ms (a slow start, a loaded machine): the
    // routes are served once it is up, not before, so no attempt slips through uncounted.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
    try {
      proxy.stall();
      const starting = instance({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, SIGN_IN_RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '127.0.0.1' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.pass();
      const { url } = await starting;
      const attempt = () =>
        fetch(`${url}/dashboard/login`, {
          method: 'POST',
          redirect: 'manual',
          // An address of its own: the other sign-in tests count theirs in the same Redis.
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.77' },
          body: 'apiKey=rk_live_guess',
        });
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(429);
    } finally {
      await proxy.close();
    }
  });

  it('dashboard pages carry a CSP that allows no script; the API docs keep working', async () => {
    const { url } = await instance({ REDIS_URL: redis.url });
    const page = await fetch(`${url}/dashboard/login`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    // A redirect of the dashboard (signed out) carries it too.
    const redirect = await fetch(`${url}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('content-security-policy')).toContain("default-src 'none'");
    // Other helmet headers stay everywhere; the docs UI (which runs scripts) gets no dashboard CSP.
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const docs = await fetch(`${url}/docs/json`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toBeNull();
  });
});

describe('HTTP settings', () => {
  it('BODY_LIMIT, REQUEST_TIMEOUT_MS and KEEP_ALIVE_TIMEOUT_MS reach the server', async () => {
    const { t, url } = await instance({ REDIS_URL: redis.url, BODY_LIMIT: '2048', REQUEST_TIMEOUT_MS: '30000', KEEP_ALIVE_TIMEOUT_MS: '4321' });
    expect(t.app.server.requestTimeout).toBe(30_000);
    expect(t.app.server.keepAliveTimeout).toBe(4321);
    const big = await fetch(`${url}/stores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(3000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ statusCode: 413, message: 'Request body is larger than the 2 KiB limit' });
  });
});
