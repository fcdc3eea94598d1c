import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { startSandbox, type Sandbox } from './sandbox/index.ts';
import { splitConfig } from './stores/escalation-config.ts';
import { StoreDirectory } from './stores/store-directory.ts';

export const SANDBOX_PORT = 4010;

/** No helpdesk is configured at all: a newcomer's first start runs against the local sandbox. */
export function needsSandbox(env: Record<string, string | undefined>): boolean {
  return !env.SLACK_BOT_TOKEN && !env.SLACK_API_URL && !env.ZENDESK_API_URL && !env.FRESHDESK_API_URL;
}

export function sandboxConfig(config: Config, sandboxUrl: string): Config {
  return {
    ...config,
    slack: { ...config.slack, apiUrl: `${sandboxUrl}/slack/api/`, botToken: config.slack.botToken ?? 'xoxb-sandbox-demo' },
    zendeskApiUrl: `${sandboxUrl}/zendesk`,
    freshdeskApiUrl: `${sandboxUrl}/freshdesk`,
  };
}

/** Starts the sandbox on its usual port, or uses the one already there (another process's). */
export async function startOrFindSandbox(port = SANDBOX_PORT): Promise<{ url: string; sandbox?: Sandbox }> {
  try {
    const sandbox = await startSandbox({ port, host: '127.0.0.1' });
    return { url: sandbox.url, sandbox };
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return { url: `http://127.0.0.1:${port}` };
  }
}

interface DemoStore {
  id: string;
  apiKey: string;
}

/** A demo store wired to every sandbox helpdesk; its key is kept beside the generated secrets. */
export async function ensureDemoStore(db: Db, config: Config, file: string): Promise<DemoStore & { created: boolean }> {
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, string>>) : {};
  const stores = new StoreDirectory(db, config.encryptionKey);
  if (saved.DEMO_STORE_ID && saved.DEMO_STORE_KEY && (await stores.storeIdForKey(saved.DEMO_STORE_KEY)) === saved.DEMO_STORE_ID) {
    return { id: saved.DEMO_STORE_ID, apiKey: saved.DEMO_STORE_KEY, created: false };
  }
  const store = await stores.create('Demo Store');
  const { config: publicConfig, secrets } = splitConfig(
    {
      slack: { enabled: true, channel: '#support-escalations', channelsByPriority: { URGENT: '#support-urgent' } },
      zendesk: { enabled: true, subdomain: 'demo', email: 'agent@demo.example', apiToken: 'sandbox-zendesk-token', webhookSecret: 'sandbox-zendesk-signing-secret' },
      freshdesk: { enabled: true, domain: 'demo.freshdesk.com', apiKey: 'sandbox-freshdesk-key', webhookSecret: 'sandbox-freshdesk-secret' },
    },
    {},
  );
  await stores.saveConfig(store.id, publicConfig, secrets);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...saved, DEMO_STORE_ID: store.id, DEMO_STORE_KEY: store.apiKey }, null, 2) + '\n', { mode: 0o600 });
  return { id: store.id, apiKey: store.apiKey, created: true };
}
