// API key rotation: create (shown once), list (prefixes only), revoke — and a revoked key is refused by
// every API process within a second. Two app instances, each with its own key cache, over real HTTP.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/app.ts';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
let a: TestApp;
let b: TestApp;
const base: Record<string, string> = {};

async function api(app: 'a' | 'b', key: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base[app]}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp({ ENCRYPTION_KEY }), startTestApp({ ENCRYPTION_KEY })]);
  for (const [name, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base[name] = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('API keys', () => {
  it('create (shown once), list (no key material), revoke: refused by both processes within a second', async () => {
    const store = await a.createStore();
    const created = await api('a', store.apiKey, 'POST', `/stores/${store.id}/api-keys`);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      apiKey: expect.stringMatching(/^rk_live_/),
      prefix: created.json.apiKey.slice(0, 14),
      createdAt: expect.any(String),
    });
    const second = created.json.apiKey as string;

    const listed = await api('b', second, 'GET', `/stores/${store.id}/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.json.items).toHaveLength(2);
    expect(listed.json.items[1]).toEqual({ id: created.json.id, prefix: created.json.prefix, createdAt: created.json.createdAt, revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(second.slice(14));
    expect(JSON.stringify(listed.json)).not.toContain(store.apiKey.slice(14));

    // Both processes have the old key cached as valid.
    for (const app of ['a', 'b'] as const) expect((await api(app, store.apiKey, 'GET', '/escalations')).status).toBe(200);
    const oldId = listed.json.items[0].id as string;
    const revokedAt = Date.now();
    const revoked = await api('a', second, 'DELETE', `/stores/${store.id}/api-keys/${oldId}`);
    expect(revoked.status).toBe(204);
    // The revoking process refuses it at once; the other within a second.
    const refusedByA = await api('a', store.apiKey, 'GET', '/escalations');
    expect(refusedByA.status).toBe(401);
    expect(refusedByA.json).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'Invalid API key', requestId: expect.any(String) });
    let refusedByBAfter = -1;
    while (Date.now() - revokedAt < 2000) {
      if ((await api('b', store.apiKey, 'GET', '/escalations')).status === 401) {
        refusedByBAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refusedByBAfter).toBeGreaterThanOrEqual(0);
    expect(refusedByBAfter).toBeLessThan(1000);
    // And it stays refused; the new key works on both.
    for (const app of ['a', 'b'] as const) {
      expect((await api(app, store.apiKey, 'GET', '/escalations')).status).toBe(401);
      expect((await api(app, second, 'GET', '/escalations')).status).toBe(200);
    }
    const after = await api('b', ADMIN_KEY, 'GET', `/stores/${store.id}/api-keys`);
    expect(after.json.items[0]).toMatchObject({ id: oldId, revokedAt: expect.any(String) });
    expect(new Date(after.json.items[0].revokedAt).getTime()).toBeGreaterThanOrEqual(revokedAt - 1000);
    // Revoking again is a no-op.
    expect((await api('b', ADMIN_KEY, 'DELETE', `/stores/${store.id}/api-keys/${oldId}`)).status).toBe(204);
  });

  it('a store manages only its own keys; the admin any store; unknown keys and stores are 404', async () => {
    const mine = await a.createStore();
    const other = await a.createStore();
    const otherKeys = await api('a', ADMIN_KEY, 'GET', `/stores/${other.id}/api-keys`);
    const otherKeyId = otherKeys.json.items[0].id as string;

    for (const [method, path] of [
      ['POST', `/stores/${other.id}/api-keys`],
      ['GET', `/stores/${other.id}/api-keys`],
      ['DELETE', `/stores/${other.id}/api-keys/${otherKeyId}`],
    ] as const) {
      const res = await api('a', mine.apiKey, method, path);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json).toMatchObject({ statusCode: 403, message: 'This API key belongs to another store' });
    }
    // Another store's key id through my store is "no such key" (no cross-store revocation).
    const crossed = await api('a', mine.apiKey, 'DELETE', `/stores/${mine.id}/api-keys/${otherKeyId}`);
    expect(crossed.status).toBe(404);
    expect((await api('a', other.apiKey, 'GET', '/escalations')).status).toBe(200);

    const byAdmin = await api('a', ADMIN_KEY, 'POST', `/stores/${other.id}/api-keys`);
    expect(byAdmin.status).toBe(201);
    expect((await api('b', byAdmin.json.apiKey, 'GET', '/escalations')).status).toBe(200);

    const missingStore = await api('a', ADMIN_KEY, 'POST', `/stores/00000000-0000-4000-8000-000000000000/api-keys`);
    expect(missingStore.status).toBe(404);
    expect(missingStore.json.message).toMatch(/Store .* not found/);
    expect((await api('a', ADMIN_KEY, 'GET', `/stores/not-a-uuid/api-keys`)).status).toBe(400);
    expect((await api('a', null, 'GET', `/stores/${mine.id}/api-keys`)).status).toBe(401);
    // A store may revoke the key it is using: the next call with it is refused.
    const ownId = (await api('a', mine.apiKey, 'GET', `/stores/${mine.id}/api-keys`)).json.items[0].id;
    expect((await api('a', mine.apiKey, 'DELETE', `/stores/${mine.id}/api-keys/${ownId}`)).status).toBe(204);
    expect((await api('a', mine.apiKey, 'GET', `/stores/${mine.id}/api-keys`)).status).toBe(401);
  });
});
