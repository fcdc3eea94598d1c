import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { SANDBOX_SLACK_TOKEN, SLACK_API_URL, slackApiUrl } from '../../src/integrations/base-urls.ts';
import { freshdeskOrigin } from '../../src/integrations/freshdesk/origin.ts';
import { zendeskOrigin } from '../../src/integrations/zendesk/origin.ts';
import { slackToken } from '../../src/integrations/slack/client.ts';
import { DeliveryError } from '../../src/integrations/types.ts';
import type { StoreRecord } from '../../src/stores/store-directory.ts';

const base = { ADMIN_API_KEY: 'admin-key-long-enough', ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

function store(sandbox: boolean, botToken?: string): StoreRecord {
  return {
    id: sandbox ? 'sandbox-store' : 'real-store',
    name: 'x',
    sandbox,
    updatedAt: new Date(),
    config: {
      slack: { enabled: true, channel: '#support' },
      zendesk: { enabled: true, subdomain: 'acme', email: 'a@acme.test' },
      freshdesk: { enabled: true, domain: 'acme.freshdesk.com' },
      secrets: botToken ? { slack: { botToken } } : {},
    },
  };
}

const urls = (config: ReturnType<typeof loadConfig>, s: StoreRecord) => ({
  slack: slackApiUrl(config, s),
  zendesk: zendeskOrigin(config, s),
  freshdesk: freshdeskOrigin(config, s),
});

describe('which base URL a store calls', () => {
  it('a production start (no override, no sandbox): the real helpdesk of the account the store names', () => {
    const config = loadConfig(base);
    expect(urls(config, store(false))).toEqual({ slack: SLACK_API_URL, zendesk: 'https://acme.zendesk.com', freshdesk: 'https://acme.freshdesk.com' });
  });

  it('one process serving a sandbox store and a real store: only the sandbox store reaches the sandbox', () => {
    const config = loadConfig({ ...base, SANDBOX: 'on', SANDBOX_PORT: '4555' });
    expect(urls(config, store(true))).toEqual({
      slack: 'http://127.0.0.1:4555/slack/api/',
      zendesk: 'http://127.0.0.1:4555/zendesk',
      freshdesk: 'http://127.0.0.1:4555/freshdesk',
    });
    expect(urls(config, store(false))).toEqual({ slack: SLACK_API_URL, zendesk: 'https://acme.zendesk.com', freshdesk: 'https://acme.freshdesk.com' });
    // The operator's own token (a slash command outside any store) goes to real Slack too.
    expect(slackApiUrl(config, null)).toBe(SLACK_API_URL);
  });

  it('operator overrides redirect every store, sandbox or not (tests, staging); an empty override is no override', () => {
    const config = loadConfig({
      ...base,
      SANDBOX: 'on',
      SLACK_API_URL: 'http://staging.test/slack/api/',
      ZENDESK_API_URL: 'http://staging.test/zendesk/',
      FRESHDESK_API_URL: '',
    });
    for (const s of [store(true), store(false)]) {
      expect(slackApiUrl(config, s)).toBe('http://staging.test/slack/api/');
      expect(zendeskOrigin(config, s)).toBe('http://staging.test/zendesk');
    }
    expect(freshdeskOrigin(config, store(false))).toBe('https://acme.freshdesk.com');
    expect(freshdeskOrigin(config, store(true))).toBe('http://127.0.0.1:4010/freshdesk');
  });

  it('a sandbox store in a process without the sandbox fails for good, saying how to turn it on', () => {
    for (const mode of ['off', 'auto']) {
      const config = loadConfig({ ...base, SANDBOX: mode });
      let error: unknown;
      try {
        zendeskOrigin(config, store(true));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).permanent).toBe(true);
      expect((error as Error).message).toMatch(/sandbox store.*SANDBOX=on/);
    }
  });

  it("a sandbox store never gets the operator's Slack token; a real store does when it has none", () => {
    const config = loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-operator-real' });
    expect(slackToken(config, store(false))).toBe('xoxb-operator-real');
    expect(slackToken(config, store(true))).toBe(SANDBOX_SLACK_TOKEN);
    expect(slackToken(config, store(true, 'xoxb-own'))).toBe('xoxb-own');
  });
});
