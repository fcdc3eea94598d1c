// Inputs found by review that used to answer 500: each is now a clear 4xx (or handled).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('edge inputs', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createStore()).apiKey;
  });
  afterAll(async () => t.close());

  it('dates Postgres cannot hold are a 400 naming the field', async () => {
    for (const url of [
      '/escalations?from=0000-01-01T00:00:00Z',
      '/escalations/export?from=0000-01-01T00:00:00Z',
      '/escalations/analytics?from=0000-01-01T00:00:00Z&to=0000-01-05T00:00:00Z',
    ]) {
      const res = await t.call(key, { method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().message).toMatch(/from/);
    }
    const cursor = Buffer.from('0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000').toString('base64url');
    const res = await t.call(key, { method: 'GET', url: `/escalations?cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/cursor/);
  });

  it('a malformed session cookie means signed out, a malformed Origin is refused', async () => {
    const page = await t.call(null, { method: 'GET', url: '/dashboard', headers: { cookie: 'reva_session=%E0%A4%A' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toContain('/dashboard/login');
    const post = await t.call(null, {
      method: 'POST',
      url: '/dashboard/login',
      headers: { origin: 'garbage', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'apiKey=x',
    });
    expect(post.statusCode).toBe(403);
    expect(post.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it('a signed-out list page with filters returns there after sign-in', async () => {
    const page = await t.call(null, { method: 'GET', url: '/dashboard?status=OPEN&priority=HIGH' });
    const next = new URL(page.headers.location as string, 'http://x').searchParams.get('next');
    expect(next).toBe('/dashboard?status=OPEN&priority=HIGH');
    const signIn = await t.call(null, {
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ apiKey: key, next: next! }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/dashboard?status=OPEN&priority=HIGH');
  });
});
