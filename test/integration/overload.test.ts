// Overload is not an outage and not a bug: when every database connection stays busy past the pool's
// connect timeout, POST /escalate answers 503 with Retry-After (the client retries; nothing half-done),
// and once a connection is free again the same request is answered normally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolClient } from 'pg';
import { happyConversation, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ DB_POOL_SIZE: '1', DB_CONNECT_TIMEOUT_MS: '200' });
});
afterAll(async () => {
  await t?.close();
});

describe('database pool exhausted', () => {
  it('answers 503 with Retry-After and the pinned body, then 200 once a connection is free', async () => {
    const store = await t.createStore();
    const body = happyConversation();
    // Hold the only connection of the hot path's pool, as a burst of slow requests would.
    const held: PoolClient = await t.app.sql.connect();
    let busy: Awaited<ReturnType<TestApp['call']>>;
    try {
      busy = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: body });
    } finally {
      held.release();
    }
    expect(busy.statusCode, busy.body).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('busy') });
    const after = await t.call(store.apiKey, { method: 'POST', url: '/escalate', payload: body });
    expect(after.statusCode, after.body).toBe(200);
  });
});
