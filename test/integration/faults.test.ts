// Postgres and Redis faults, black-box over real HTTP: Postgres behind a TCP proxy that stalls or cuts,
// Redis as a private redis-server that is stopped, or behind a proxy that stalls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ADMIN_KEY, seedConversation, testConfig } from '../helpers/app.ts';
import { startRedis, waitUntil, type RedisServer } from '../helpers/pipeline.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

interface LogLine {
  level: number;
  msg: string;
  dependency?: string;
  err?: unknown;
}

let app: FastifyInstance;
let base: string;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let redis: RedisServer;
let storeKey: string;
const logs: LogLine[] = [];

/** Log lines of the service itself, not the per-request access log. */
const serviceLogs = () => logs.filter((l) => l.msg !== 'incoming request' && l.msg !== 'request completed');

async function http(method: string, path: string, body?: unknown, key: string | null = storeKey) {
  const started = Date.now();
  const res = await fetch(base + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), ms: Date.now() - started };
}

function expectUnavailable(res: Awaited<ReturnType<typeof http>>, dependency: 'database' | 'redis') {
  expect(res.status, res.text).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(res.json()).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    message: expect.stringContaining(dependency === 'database' ? 'database' : 'Redis'),
    requestId: expect.any(String),
  });
}

/** No host, port, driver or error text from inside. */
function expectNoInternals(text: string) {
  for (const secret of ['127.0.0.1', String(pgProxy.port), String(redisProxy.port), '5432', 'ECONN', 'Prisma', 'pg', 'timeout exceeded', 'Connection'])
    expect(text).not.toContain(secret);
}

beforeAll(async () => {
  redis = await startRedis();
  const pgUrl = new URL(process.env.DATABASE_URL!);
  pgProxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  redisProxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
  pgUrl.hostname = '127.0.0.1';
  pgUrl.port = String(pgProxy.port);
  const config = testConfig({
    DATABASE_URL: pgUrl.toString(),
    REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
    DB_CONNECT_TIMEOUT_MS: '1000',
    DB_STATEMENT_TIMEOUT_MS: '1000',
    DB_QUERY_TIMEOUT_MS: '1500',
    // Longer than /ready's probe (600 ms), so a stalled Redis shows as a timeout there.
    REDIS_COMMAND_TIMEOUT_MS: '900',
  });
  const stream = { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) };
  app = await buildApp({ config, logger: { level: 'info', stream } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const store = await http('POST', '/stores', { name: `faults-${randomBytes(3).toString('hex')}` }, ADMIN_KEY);
  expect(store.status, store.text).toBe(201);
  storeKey = store.json().apiKey;
});

afterAll(async () => {
  pgProxy?.pass();
  redisProxy?.pass();
  await app?.close();
  await Promise.all([pgProxy?.close(), redisProxy?.close()]);
  await redis?.stop();
});

describe('Postgres stalls (connections open, nothing answers)', () => {
  it('/ready says 503 within a second, naming the database, without internals', async () => {
    expect((await http('GET', '/ready')).json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    logs.length = 0;
    pgProxy.stall();
    const ready = await http('GET', '/ready');
    expect(ready.ms).toBeLessThan(1000);
    expect(ready.status).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'timeout', redis: 'ok' } });
    expectNoInternals(ready.text);
  });

  it('requests fail fast with 503, Retry-After and the pinned body once the stall is confirmed', async () => {
    // One probe without an answer may be a busy moment; the next one (the heartbeat, or /ready) confirms.
    expect((await http('GET', '/ready')).status).toBe(503);
    const answers = await Promise.all([
      http('POST', '/escalate', seedConversation()),
      http('GET', '/escalations'),
      http('GET', '/escalations/analytics'),
      http('POST', '/escalations/evaluate', seedConversation()),
      http('GET', `/escalations/${'0'.repeat(8)}-0000-4000-8000-000000000000`),
      http('POST', '/stores', { name: 'x' }, ADMIN_KEY),
      http('GET', '/escalations', undefined, 'not-a-key'),
    ]);
    for (const res of answers) {
      expectUnavailable(res, 'database');
      expect(res.ms).toBeLessThan(1000);
      expectNoInternals(res.text);
    }
    // Liveness does not depend on the database.
    expect((await http('GET', '/health')).status).toBe(200);
  });

  it('recovers by itself once Postgres answers again; one log line down, one back up', async () => {
    pgProxy.pass();
    await waitUntil('/ready 200', async () => (await http('GET', '/ready')).status === 200, 15_000, 200);
    const created = await waitUntil(
      'an escalation accepted',
      async () => {
        const res = await http('POST', '/escalate', seedConversation());
        return res.status === 201 ? res : undefined;
      },
      10_000,
      200,
    );
    expect(created.json().escalated).toBe(true);
    const lines = serviceLogs().filter((l) => l.dependency === 'database');
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^database unavailable/), 'database available again']);
    // No stack per request.
    expect(serviceLogs().filter((l) => l.level >= 50 && l.dependency === undefined)).toEqual([]);
  });

  it('a request already waiting on the database when it stalls answers 503, not 500 or never', async () => {
    pgProxy.stall();
    try {
      // The first request may be in before the monitor notices: it waits for the query timeout at most.
      const res = await http('GET', '/escalations');
      expectUnavailable(res, 'database');
      expect(res.ms).toBeLessThan(4000);
    } finally {
      pgProxy.pass();
    }
    await waitUntil('/ready 200', async () => (await http('GET', '/ready')).status === 200, 15_000, 200);
  });
});

describe('Postgres down (connections refused)', () => {
  it('/ready 503 naming the database; requests 503; recovery by itself', async () => {
    pgProxy.cut();
    try {
      const ready = await http('GET', '/ready');
      expect(ready.ms).toBeLessThan(1000);
      expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'down', redis: 'ok' } });
      expectNoInternals(ready.text);
      const res = await http('POST', '/escalate', seedConversation());
      expectUnavailable(res, 'database');
      expect(res.ms).toBeLessThan(1000);
    } finally {
      pgProxy.pass();
    }
    await waitUntil('/ready 200', async () => (await http('GET', '/ready')).status === 200, 15_000, 200);
    expect((await http('POST', '/escalate', seedConversation())).status).toBe(201);
  });
});

describe('Redis away', () => {
  it('stopped: /ready 503 naming redis; POST /escalate still 201 (the outbox keeps the deliveries)', async () => {
    logs.length = 0;
    await redis.stop();
    try {
      const ready = await http('GET', '/ready');
      expect(ready.ms).toBeLessThan(1000);
      expect(ready.status).toBe(503);
      // 'down' (refused), or 'timeout' when a probe was already waiting on the connection Redis cut.
      expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: expect.stringMatching(/^(down|timeout)$/) } });
      expectNoInternals(ready.text);
      for (let i = 0; i < 3; i++) {
        const created = await http('POST', '/escalate', seedConversation());
        expect(created.status, created.text).toBe(201);
      }
      expect((await http('GET', '/escalations')).status).toBe(200);
    } finally {
      await redis.start();
    }
    await waitUntil('/ready 200', async () => (await http('GET', '/ready')).status === 200, 15_000, 200);
    const lines = serviceLogs().filter((l) => l.dependency === 'redis');
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^redis unavailable/), 'redis available again']);
    // Nothing else worth a warning: no line per request.
    expect(
      serviceLogs()
        .filter((l) => l.level >= 40)
        .map((l) => l.msg),
    ).toEqual([expect.stringMatching(/^redis unavailable/)]);
  });

  it('stalled: /ready 503 within a second (timeout); POST /escalate still 201 within the command timeout', async () => {
    redisProxy.stall();
    try {
      const ready = await http('GET', '/ready');
      expect(ready.ms).toBeLessThan(1000);
      expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'timeout' } });
      const created = await http('POST', '/escalate', seedConversation());
      expect(created.status, created.text).toBe(201);
      expect(created.ms).toBeLessThan(3000);
    } finally {
      redisProxy.pass();
    }
    await waitUntil('/ready 200', async () => (await http('GET', '/ready')).status === 200, 15_000, 200);
  });
});
