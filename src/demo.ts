import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { startSandbox, type Sandbox } from './sandbox/index.ts';
import { generateApiKey, hashApiKey } from './stores/api-keys.ts';
import { escalationConfigInput, splitConfig } from './stores/escalation-config.ts';
import { INTEGRATION_TYPES, integrations } from './integrations/registry.ts';
import { encryptSecret } from './stores/secret-box.ts';

/** Held while the demo store is looked up or created: processes starting at once make one, not two. */
const DEMO_STORE_LOCK_KEY = 7270736902n;

/** Starts the sandbox on its port, or uses the one already there (another process's on this host). */
export async function startOrFindSandbox(port: number): Promise<{ url: string; sandbox?: Sandbox }> {
  try {
    const sandbox = await startSandbox({ port, host: '127.0.0.1' });
    return { url: sandbox.url, sandbox };
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return { url: `http://127.0.0.1:${port}` };
  }
}

export interface DemoStore {
  id: string;
  apiKey: string;
  /** This call created the store (the first start against this database). */
  created: boolean;
  /** The store existed, but the local file had no valid key for it: a new key was issued. */
  keyIssued: boolean;
}

/** Every integration that has a demo section in its definition. */
const DEMO_CONFIG = escalationConfigInput.parse(
  Object.fromEntries(INTEGRATION_TYPES.flatMap((t) => (integrations[t].demo ? [[integrations[t].key, integrations[t].demo]] : []))),
);

function readSecretsFile(file: string): Partial<Record<string, string>> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, string>>) : {};
}

/**
 * The demo store: a sandbox store wired to every sandbox helpdesk, made once per database (the
 * database decides, under an advisory lock, not the local file). Its key is kept in `file`, beside the
 * generated secrets; a process whose file has no valid key for it gets a new key for the same store.
 */
export async function ensureDemoStore(db: Db, config: Config, file: string): Promise<DemoStore> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${DEMO_STORE_LOCK_KEY})`;
      // Read under the lock: a process on this host that created the store first has written it.
      const saved = readSecretsFile(file);
      const savedKey = saved.DEMO_STORE_KEY
        ? await tx.apiKey.findUnique({ where: { keyHash: hashApiKey(saved.DEMO_STORE_KEY) }, select: { storeId: true, revokedAt: true } })
        : null;
      const savedStoreId = savedKey && !savedKey.revokedAt ? savedKey.storeId : null;

      let demo = await tx.store.findFirst({ where: { demo: true }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      let created = false;
      if (!demo && savedStoreId && savedStoreId === saved.DEMO_STORE_ID) {
        // Made by an earlier version, before the database marked it: adopt it rather than make another.
        demo = await tx.store.update({ where: { id: savedStoreId }, data: { demo: true, sandbox: true }, select: { id: true } });
      }
      let apiKey = demo && savedStoreId === demo.id ? saved.DEMO_STORE_KEY! : undefined;
      let keyIssued = false;
      if (!demo) {
        const { config: publicConfig, secrets } = splitConfig(DEMO_CONFIG, {});
        const key = generateApiKey();
        demo = await tx.store.create({
          data: {
            name: 'Demo Store',
            sandbox: true,
            demo: true,
            config: publicConfig as object,
            secrets: encryptSecret(JSON.stringify(secrets), config.encryptionKey),
            apiKeys: { create: { keyHash: key.hash, prefix: key.prefix } },
          },
          select: { id: true },
        });
        apiKey = key.key;
        created = true;
      } else if (!apiKey) {
        const key = generateApiKey();
        await tx.apiKey.create({ data: { storeId: demo.id, keyHash: key.hash, prefix: key.prefix } });
        apiKey = key.key;
        keyIssued = true;
      }
      if (saved.DEMO_STORE_ID !== demo.id || saved.DEMO_STORE_KEY !== apiKey) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify({ ...saved, DEMO_STORE_ID: demo.id, DEMO_STORE_KEY: apiKey }, null, 2)}\n`, { mode: 0o600 });
      }
      return { id: demo.id, apiKey: apiKey!, created, keyIssued };
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
}
