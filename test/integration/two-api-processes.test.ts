// Two API processes (src/main.ts ROLE=api, as compose scales them) on one Postgres and one Redis: the
// per-key rate limit is one shared count, and a key revoked through one is refused by the other within
// a second.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../helpers/app.ts';
import { freePort, startRedis, waitUntil, type RedisServer } from '../helpers/pipeline.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
// High enough for the revocation test to poll a key many times without reaching it.
const LIMIT = 40;

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

let redis: RedisServer;
const processes: ApiProcess[] = [];

async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH!, ...env, ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SANDBOX: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const api = { child, url: `http://127.0.0.1:${port}`, output: () => output };
  processes.push(api);
  await waitUntil('the API process listening', () => output.includes('API on'), 30_000, 100).catch((err) => {
    throw new Error(`${(err as Error).message}\n${output}`);
  });
  return api;
}

let one: ApiProcess;
let two: ApiProcess;

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    REDIS_URL: redis.url,
    ADMIN_API_KEY: ADMIN_KEY,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    SHUTDOWN_DRAIN_MS: '0',
  };
  [one, two] = await Promise.all([startApi(env), startApi(env)]);
}, 60_000);

afterAll(async () => {
  for (const { child } of processes) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
  await redis?.stop();
}, 40_000);

async function call(api: ApiProcess, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe('two API processes', () => {
  it(`share the per-key count: request ${LIMIT + 1} within a minute is a 429 on either`, async () => {
    const store = (await call(one, ADMIN_KEY, 'POST', '/stores', { name: `rl-${randomBytes(3).toString('hex')}` })).json as { id: string; apiKey: string };
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await call(i % 2 ? two : one, store.apiKey, 'GET', '/escalations')).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const api of [one, two]) {
      const limited = await call(api, store.apiKey, 'GET', '/escalations');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.json).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringContaining(`at most ${LIMIT} requests a minute per API key`),
        requestId: expect.any(String),
      });
    }
  });

  it('a key revoked through one process is refused by the other within a second', async () => {
    const store = (await call(one, ADMIN_KEY, 'POST', '/stores', { name: `rv-${randomBytes(3).toString('hex')}` })).json as { id: string; apiKey: string };
    const spare = (await call(two, ADMIN_KEY, 'POST', `/stores/${store.id}/api-keys`)).json as { id: string; apiKey: string };
    // Process two has the key cached as valid.
    expect((await call(two, store.apiKey, 'GET', '/escalations')).status).toBe(200);
    const keys = (await call(one, ADMIN_KEY, 'GET', `/stores/${store.id}/api-keys`)).json.items as { id: string; prefix: string }[];
    const original = keys.find((k) => store.apiKey.startsWith(k.prefix) && k.id !== spare.id)!;
    const revokedAt = Date.now();
    expect((await call(one, ADMIN_KEY, 'DELETE', `/stores/${store.id}/api-keys/${original.id}`)).status).toBe(204);
    let refusedAfter = -1;
    while (Date.now() - revokedAt < 1500) {
      if ((await call(two, store.apiKey, 'GET', '/escalations')).status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAfter, 'ms until process two refused the revoked key').toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThan(1000);
    expect((await call(one, store.apiKey, 'GET', '/escalations')).status).toBe(401);
    expect((await call(two, spare.apiKey, 'GET', '/escalations')).status).toBe(200);
  });
});
