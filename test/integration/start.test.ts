// The real start-up path (src/main.ts start(env)): which stores reach the sandbox, and the demo store
// made once per database. Each test has its own database and Redis: the workers started here must not
// take other test files' jobs, and demo stores are counted per database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { dropDatabase, migrateDatabase, withDatabase } from '../../src/db/migrate.ts';
import { ensureDemoStore } from '../../src/demo.ts';
import { loadConfig } from '../../src/config.ts';
import { start, type Service } from '../../src/main.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { seedConversation } from '../helpers/app.ts';
import { freePort, startRedis, waitUntil, type RedisServer } from '../helpers/pipeline.ts';

const ADMIN = `admin-${randomBytes(12).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const quiet = () => {};

/** A port where a sandbox would be, recording anything that reaches it. */
async function startTrap(): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

const realCredentials = {
  slack: { enabled: true, channel: '#support', botToken: 'xoxb-real-looking-token' },
  zendesk: { enabled: true, subdomain: 'acme', email: 'bot@acme.test', apiToken: 'zd-real-token', webhookSecret: 'zd-hook' },
  freshdesk: { enabled: true, domain: 'acme.freshdesk.com', apiKey: 'fd-real-key', webhookSecret: 'fd-hook' },
};

let redis: RedisServer;
const databases: string[] = [];
const running: Service[] = [];
const closers: (() => Promise<unknown>)[] = [];

async function privateDatabase(): Promise<string> {
  const url = withDatabase(process.env.DATABASE_URL!, `reva_escalations_test_start_${process.pid}_${randomBytes(3).toString('hex')}`);
  databases.push(url);
  return url;
}

async function countStores(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ all: number; demo: number; sandbox: number }>(
      'SELECT count(*)::int AS all, count(*) FILTER (WHERE demo)::int AS demo, count(*) FILTER (WHERE sandbox)::int AS sandbox FROM stores',
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

async function run(env: Record<string, string>, secretsFile: string): Promise<Service> {
  const service = await start(env, { secretsFile, say: quiet });
  running.push(service);
  return service;
}

async function stop(service: Service) {
  running.splice(running.indexOf(service), 1);
  await service.close();
}

const tempSecretsFile = () => join(mkdtempSync(join(tmpdir(), 'reva-start-')), 'secrets.json');

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const service of running.splice(0)) await service.close().catch(() => {});
  for (const close of closers.splice(0)) await close().catch(() => {});
});
afterAll(async () => {
  await redis?.stop();
  for (const url of databases) await dropDatabase(url).catch(() => {});
});

describe('a production-like start', () => {
  it('with credentials per store and no *_API_URL (compose passes them empty): no sandbox, no demo store, real helpdesks', async () => {
    const trap = await startTrap();
    closers.push(() => trap.close());
    const databaseUrl = await privateDatabase();
    const secretsFile = tempSecretsFile();
    const port = await freePort();
    const service = await run(
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        ADMIN_API_KEY: ADMIN,
        ENCRYPTION_KEY,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        // What docker-compose used to pass: empty strings, which count as unset.
        SLACK_BOT_TOKEN: '',
        SLACK_API_URL: '',
        ZENDESK_API_URL: '',
        FRESHDESK_API_URL: '',
        SANDBOX: '',
        // Where a sandbox would listen: the trap sees anything sent there.
        SANDBOX_PORT: String(trap.port),
      },
      secretsFile,
    );
    expect(service.config.sandbox.url).toBeUndefined();
    expect(service.demo).toBeUndefined();
    expect(await countStores(databaseUrl)).toEqual({ all: 0, demo: 0, sandbox: 0 });
    expect(existsSync(secretsFile)).toBe(false);

    const base = `http://127.0.0.1:${port}`;
    const refused = await api(base, ADMIN, 'POST', '/stores', { name: 'wants the sandbox', sandbox: true });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.message).toMatch(/SANDBOX=on/);

    const store = (await api(base, ADMIN, 'POST', '/stores', { name: 'Acme' })).json;
    expect((await api(base, store.apiKey, 'PUT', `/stores/${store.id}/escalation-config`, realCredentials)).status).toBe(200);
    const shown = await api(base, store.apiKey, 'GET', `/stores/${store.id}/escalation-config`);
    expect(shown.json.sandbox).toBe(false);
    const escalated = await api(base, store.apiKey, 'POST', '/escalate', seedConversation());
    expect(escalated.status, escalated.text).toBe(201);
    const id = escalated.json.escalation.id;

    // Each helpdesk was tried (the real one: unreachable from here, or refusing the made-up credentials).
    const deliveries = await waitUntil(
      'a first attempt at each helpdesk',
      async () => {
        const c = await api(base, store.apiKey, 'GET', `/escalations/${id}`);
        const ds = c.json.deliveries as { type: string; status: string; attempts: number; lastError: string | null }[];
        return ds.length === 3 && ds.every((d) => d.attempts >= 1 && d.lastError) ? ds : undefined;
      },
      20_000,
    );
    for (const d of deliveries) {
      expect(d.status, d.type).not.toBe('DELIVERED');
      expect(d.lastError, d.type).not.toMatch(/127\.0\.0\.1|sandbox/);
    }
    expect(trap.hits).toEqual([]);
    expect(await countStores(databaseUrl)).toEqual({ all: 1, demo: 0, sandbox: 0 });
  });
});

describe('sandbox stores and real stores in one process', () => {
  let staging: Sandbox;
  beforeAll(async () => {
    // Plays a staging Freshdesk that an operator override sends every store to.
    staging = await startSandbox();
  });
  afterAll(async () => staging?.close());

  it('a sandbox store reaches the sandbox, a real store its real helpdesk, an override every store', async () => {
    const databaseUrl = await privateDatabase();
    const port = await freePort();
    const sandboxPort = await freePort();
    const service = await run(
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        ADMIN_API_KEY: ADMIN,
        ENCRYPTION_KEY,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SANDBOX: 'on',
        SANDBOX_PORT: String(sandboxPort),
        FRESHDESK_API_URL: staging.freshdeskUrl,
      },
      tempSecretsFile(),
    );
    const base = `http://127.0.0.1:${port}`;
    const sandboxBase = `http://127.0.0.1:${sandboxPort}`;
    expect(service.config.sandbox.url).toBe(sandboxBase);

    const sandboxStore = (await api(base, ADMIN, 'POST', '/stores', { name: 'trying things', sandbox: true })).json;
    const realStore = (await api(base, ADMIN, 'POST', '/stores', { name: 'Acme' })).json;
    for (const s of [sandboxStore, realStore]) {
      const put = await api(base, s.apiKey, 'PUT', `/stores/${s.id}/escalation-config`, realCredentials);
      expect(put.status, put.text).toBe(200);
    }
    expect((await api(base, sandboxStore.apiKey, 'GET', `/stores/${sandboxStore.id}/escalation-config`)).json.sandbox).toBe(true);
    expect((await api(base, realStore.apiKey, 'GET', `/stores/${realStore.id}/escalation-config`)).json.sandbox).toBe(false);
    // Fixed at creation: sending it back unchanged is fine, changing it is not.
    const flip = await api(base, realStore.apiKey, 'PUT', `/stores/${realStore.id}/escalation-config`, { ...realCredentials, sandbox: true });
    expect(flip.status, flip.text).toBe(400);
    expect(flip.json.message).toMatch(/sandbox/);

    const sandboxCase = (await api(base, sandboxStore.apiKey, 'POST', '/escalate', seedConversation())).json.escalation.id as string;
    const realCase = (await api(base, realStore.apiKey, 'POST', '/escalate', seedConversation())).json.escalation.id as string;

    type Delivery = { type: string; status: string; attempts: number; lastError: string | null };
    const deliveriesOf = async (key: string, id: string): Promise<Record<string, Delivery>> =>
      Object.fromEntries(((await api(base, key, 'GET', `/escalations/${id}`)).json.deliveries as Delivery[]).map((d) => [d.type, d]));
    await waitUntil(
      'the sandbox store delivered everywhere',
      async () => {
        const d = await deliveriesOf(sandboxStore.apiKey, sandboxCase);
        return ['SLACK', 'ZENDESK', 'FRESHDESK'].every((t) => d[t]?.status === 'DELIVERED');
      },
      20_000,
    );
    const real = await waitUntil(
      'the real store tried Slack and Zendesk, and delivered to the staging Freshdesk',
      async () => {
        const d = await deliveriesOf(realStore.apiKey, realCase);
        return d.SLACK?.lastError && d.ZENDESK?.lastError && d.FRESHDESK?.status === 'DELIVERED' ? d : undefined;
      },
      20_000,
    );
    expect(real.SLACK!.status).not.toBe('DELIVERED');
    expect(real.ZENDESK!.status).not.toBe('DELIVERED');

    const state = (await (await fetch(`${sandboxBase}/_sandbox/state`)).json()) as {
      slack: { messages: unknown[] };
      zendesk: { tickets: unknown[] };
      freshdesk: { tickets: unknown[] };
    };
    const mentions = (records: unknown[], id: string) => records.filter((r) => JSON.stringify(r).includes(id)).length;
    expect(mentions(state.slack.messages, sandboxCase)).toBeGreaterThan(0);
    expect(mentions(state.zendesk.tickets, sandboxCase)).toBe(1);
    expect(mentions([...state.slack.messages, ...state.zendesk.tickets, ...state.freshdesk.tickets], realCase)).toBe(0);
    // The override wins for every store: both Freshdesk tickets are at the staging Freshdesk.
    expect(state.freshdesk.tickets).toEqual([]);
    expect(mentions(staging.state.freshdesk.tickets, sandboxCase)).toBe(1);
    expect(mentions(staging.state.freshdesk.tickets, realCase)).toBe(1);
  });
});

describe('the demo store', () => {
  it('the zero-configuration start makes it once: restarting twice finds the same store and key', async () => {
    const databaseUrl = await privateDatabase();
    const secretsFile = tempSecretsFile();
    const sandboxPort = await freePort();
    // Nothing but where Postgres and Redis are, and ports free on this machine.
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent', SANDBOX_PORT: String(sandboxPort) };
    const seen: { id: string; apiKey: string; created: boolean }[] = [];
    for (let i = 0; i < 3; i++) {
      const service = await run({ ...env, PORT: String(await freePort()) }, secretsFile);
      expect(service.config.sandbox.url).toBe(`http://127.0.0.1:${sandboxPort}`);
      seen.push(service.demo!);
      if (i === 0) {
        // The README's try-it: the key in the file works, and the case reaches the sandbox.
        const key = JSON.parse(readFileSync(secretsFile, 'utf8')).DEMO_STORE_KEY as string;
        const res = await api(`http://127.0.0.1:${service.config.port}`, key, 'POST', '/escalate', seedConversation());
        expect(res.status, res.text).toBe(201);
        await waitUntil(
          'the demo case in the sandbox',
          async () => {
            const state = (await (await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/state`)).json()) as { zendesk: { tickets: unknown[] } };
            return JSON.stringify(state.zendesk.tickets).includes(res.json.escalation.id);
          },
          20_000,
        );
      }
      await stop(service);
    }
    expect(seen.map((d) => d.created)).toEqual([true, false, false]);
    expect(new Set(seen.map((d) => d.id)).size).toBe(1);
    expect(new Set(seen.map((d) => d.apiKey)).size).toBe(1);
    expect(await countStores(databaseUrl)).toEqual({ all: 1, demo: 1, sandbox: 1 });
  });

  it('two processes starting at once against one database (separate disks, like two containers) make one', async () => {
    const databaseUrl = await privateDatabase();
    const sandboxPort = await freePort();
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      ADMIN_API_KEY: ADMIN,
      ENCRYPTION_KEY,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SANDBOX: 'on',
      SANDBOX_PORT: String(sandboxPort),
    };
    const [a, b] = await Promise.all([
      run({ ...env, ROLE: 'api', PORT: String(await freePort()) }, tempSecretsFile()),
      run({ ...env, ROLE: 'worker', PORT: String(await freePort()) }, tempSecretsFile()),
    ]);
    expect(a!.demo!.id).toBe(b!.demo!.id);
    expect([a!.demo!.created, b!.demo!.created].sort()).toEqual([false, true]);
    // The one without the creator's file got a key of its own for the same store.
    expect(a!.demo!.apiKey).not.toBe(b!.demo!.apiKey);
    expect(await countStores(databaseUrl)).toEqual({ all: 1, demo: 1, sandbox: 1 });
  });

  it('a demo store made by an earlier version (before the database marked it) is adopted, not made again', async () => {
    const databaseUrl = await privateDatabase();
    await migrateDatabase(databaseUrl);
    const config = loadConfig({ DATABASE_URL: databaseUrl, ADMIN_API_KEY: ADMIN, ENCRYPTION_KEY });
    const db = createDb(databaseUrl, 2);
    closers.push(() => db.$disconnect());
    const old = await new StoreDirectory(db, config.encryptionKey).create('Demo Store');
    const secretsFile = tempSecretsFile();
    writeFileSync(secretsFile, JSON.stringify({ DEMO_STORE_ID: old.id, DEMO_STORE_KEY: old.apiKey }));
    const demo = await ensureDemoStore(db, config, secretsFile);
    expect(demo).toEqual({ id: old.id, apiKey: old.apiKey, created: false, keyIssued: false });
    expect(await countStores(databaseUrl)).toEqual({ all: 1, demo: 1, sandbox: 1 });
  });
});
