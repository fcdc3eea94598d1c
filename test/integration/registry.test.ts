// The integration registry is the one list: every registered integration gets a queue, a worker, a
// config section (with masked secrets) and a sandbox module, and the record is exhaustive (a missing
// entry does not compile).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { CASE_QUEUE, DeliveryQueues, queueName } from '../../src/delivery/queues.ts';
import { DEFAULT_CASE_CONCURRENCY, DeliveryWorkers, QUEUED_JOBS_PER_SLOT } from '../../src/delivery/worker.ts';
import { IntegrationType } from '../../src/generated/prisma/enums.ts';
import { INTEGRATION_TYPES, integrations, type IntegrationRegistry } from '../../src/integrations/registry.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { escalationConfigInput, maskedConfig, splitConfig } from '../../src/stores/escalation-config.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { startRedis, testLog, type RedisServer } from '../helpers/pipeline.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the integration registry', () => {
  it('has a definition for every IntegrationType of the schema, under its own type', () => {
    expect([...INTEGRATION_TYPES].sort()).toEqual(Object.values(IntegrationType).sort());
    for (const type of INTEGRATION_TYPES) expect(integrations[type].type).toBe(type);
    const keys = INTEGRATION_TYPES.map((t) => integrations[t].key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9]*$/);
  });

  it('is exhaustive: a registry without one of its entries does not compile', () => {
    const { WEBHOOK: _left, ...partial } = integrations;
    // @ts-expect-error WEBHOOK is missing
    const incomplete: IntegrationRegistry = partial;
    expect(Object.keys(incomplete)).not.toContain('WEBHOOK');
  });

  it('is exhaustive, checked by the compiler on a copy of the registry with one line removed', () => {
    // Inside node_modules: not part of the project's `tsc` (which another process may be running).
    const dir = join(ROOT, 'node_modules', '.cache', `registry-check-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const registry = join(ROOT, 'src/integrations/registry.ts');
      const write = (name: string, without?: string) => {
        const types = INTEGRATION_TYPES.filter((t) => t !== without);
        writeFileSync(
          join(dir, name),
          [
            `import type { IntegrationRegistry } from ${JSON.stringify(registry)};`,
            `import { integrations } from ${JSON.stringify(registry)};`,
            `export const copy = { ${types.map((t) => `${t}: integrations.${t}`).join(', ')} } satisfies IntegrationRegistry;`,
          ].join('\n'),
        );
      };
      write('complete.ts');
      write('without-zendesk.ts', 'ZENDESK');
      const tsc = (file: string) => {
        writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), include: [], files: [file] }));
        return spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      };
      const complete = tsc('complete.ts');
      expect(complete.status, complete.stdout + complete.stderr).toBe(0);
      const missing = tsc('without-zendesk.ts');
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).toContain('without-zendesk.ts');
      expect(missing.stdout).toMatch(/ZENDESK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('gives every integration a config section whose secrets are split off and shown masked', () => {
    const shape = escalationConfigInput.shape as Record<string, unknown>;
    for (const type of INTEGRATION_TYPES) {
      const d = integrations[type];
      expect(shape[d.key], `${d.key} section`).toBeDefined();
      const secrets = Object.fromEntries(d.config.secretFields.map((f) => [f, `${f}-value-1234`]));
      const stored = { [d.key]: secrets };
      const { config } = splitConfig({}, {});
      const masked = maskedConfig({ ...config, [d.key]: { enabled: false } } as never, stored as never) as Record<string, Record<string, string>>;
      for (const f of d.config.secretFields) expect(masked[d.key]![f], `${d.key}.${f}`).toBe('****1234');
      for (const f of d.config.requiredSecrets) expect(d.config.secretFields).toContain(f);
    }
  });

  it('documents every registered integration in the README table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const type of INTEGRATION_TYPES) {
      const d = integrations[type] as (typeof integrations)[IntegrationType] & { inbound?: unknown };
      const sync = d.inbound ? `\`POST /webhooks/${d.key}/{storeId}\`` : '—';
      expect(readme).toContain(`| ${d.label} | \`${d.type}\` | \`${d.key}\` | ${sync} | ${d.docs} |`);
    }
  });
});

describe('what the registry gives each integration', () => {
  let redis: RedisServer;
  let queues: DeliveryQueues;
  let db: Db;
  let sandbox: Sandbox;

  beforeAll(async () => {
    redis = await startRedis();
    queues = new DeliveryQueues(redis.url);
    db = createDb(process.env.DATABASE_URL!, 1);
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await queues?.close();
    await db?.$disconnect();
    await sandbox?.close();
    await redis?.stop();
  });

  it("a queue and a worker with the definition's concurrency", async () => {
    const config = testConfig({ REDIS_URL: redis.url });
    const workers = new DeliveryWorkers(config, db, new StoreDirectory(db, config.encryptionKey), testLog);
    workers.start();
    try {
      await workers.waitUntilReady();
      const consumed = workers.consumed();
      for (const type of INTEGRATION_TYPES) {
        expect(queues.queue(type).name).toBe(queueName(type));
        // Room for jobs waiting for a rate limit's turn besides those at work (the slot: the definition's concurrency).
        expect(consumed).toContainEqual({ queue: queueName(type), concurrency: integrations[type].concurrency * QUEUED_JOBS_PER_SLOT });
      }
      // And the fan-out queue: a new case's first attempts, all at once.
      expect(consumed).toContainEqual({ queue: CASE_QUEUE, concurrency: DEFAULT_CASE_CONCURRENCY });
      expect(consumed).toHaveLength(INTEGRATION_TYPES.length + 1);
    } finally {
      await workers.close();
      workers.disconnect();
    }
  });

  it('a sandbox module, served under its name with failure injection', async () => {
    for (const type of INTEGRATION_TYPES) {
      const mod = integrations[type].sandbox;
      expect(sandbox.stateOf(mod), `${type} sandbox state`).toBeDefined();
      const res = await fetch(`${sandbox.url}/_sandbox/fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: mod.service, status: 503 }),
      });
      expect(res.status, `${mod.service} failure rule`).toBe(200);
      // The injected failure answers the next request to that service, in its own words.
      const failed = await fetch(`${sandbox.urlOf(mod.service)}/api/anything`, { method: 'POST' });
      expect(failed.status).toBe(503);
    }
    const unknown = await fetch(`${sandbox.url}/_sandbox/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'nope', status: 503 }),
    });
    expect(unknown.status).toBe(400);
  });

  it('a page section per module, and a sandbox of any subset of modules', async () => {
    const page = await (await fetch(`${sandbox.url}/`)).text();
    for (const type of INTEGRATION_TYPES) if (integrations[type].sandbox.page) expect(page).toContain(`<h2>${integrations[type].label}`);
    const only = await startSandbox({ modules: [integrations.WEBHOOK.sandbox] });
    try {
      expect((await fetch(`${only.url}/`)).status).toBe(200);
      expect((await fetch(`${only.urlOf('webhook')}/hooks`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(204);
      expect((await fetch(`${only.urlOf('zendesk')}/api/v2/tickets.json`)).status).toBe(404);
    } finally {
      await only.close();
    }
  });
});

describe('the inbound route derived from the registry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers for every integration with an inbound part, and 404 (error body) for the others', async () => {
    const store = await t.createStore();
    for (const type of INTEGRATION_TYPES) {
      const d = integrations[type] as (typeof integrations)[IntegrationType] & { inbound?: unknown };
      const res = await t.call(null, { method: 'POST', url: `/webhooks/${d.key}/${store.id}`, payload: { ticket_id: '1', status: 'open' } });
      // No secret configured: verification fails (401) where the helpdesk calls back; a 404 where it does not.
      expect(res.statusCode, d.key).toBe(d.inbound ? 401 : 404);
      expect(res.json()).toMatchObject({ statusCode: res.statusCode, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
    }
    const unknown = await t.call(null, { method: 'POST', url: `/webhooks/nohelpdesk/${store.id}`, payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('nohelpdesk');
  });
});
