import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  definedEnv,
  ENV_VARIABLES,
  isZeroConfiguration,
  loadConfig,
  loadDotEnv,
  PLACEHOLDER_SECRETS,
  withLocalSecrets,
  withSandbox,
} from '../../src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = { ADMIN_API_KEY: 'admin-key-long-enough', ENCRYPTION_KEY: KEY };

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(c.redisUrl).toBe(DEFAULT_REDIS_URL);
    expect(c.role).toBe('all');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.webhookAllowPrivate).toBe(false);
    expect(c.encryptionKey).toHaveLength(32);
  });

  it('names every variable that is missing or malformed', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', ENCRYPTION_KEY: 'short', ROLE: 'both', DATABASE_URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'ADMIN_API_KEY', 'ENCRYPTION_KEY', 'ROLE', 'DATABASE_URL']) expect(message).toContain(name);
    expect(message).toContain('32 bytes');
  });

  it('helpdesk timeouts: defaults, empty means unset, nonsense is named', () => {
    expect(loadConfig(base)).toMatchObject({ helpdeskRequestTimeoutMs: 15_000, helpdeskLateCommitMs: 60_000 });
    expect(loadConfig({ ...base, HELPDESK_REQUEST_TIMEOUT_MS: '', HELPDESK_LATE_COMMIT_MS: '' })).toMatchObject({
      helpdeskRequestTimeoutMs: 15_000,
      helpdeskLateCommitMs: 60_000,
    });
    expect(loadConfig({ ...base, HELPDESK_REQUEST_TIMEOUT_MS: '2500', HELPDESK_LATE_COMMIT_MS: '90000' })).toMatchObject({
      helpdeskRequestTimeoutMs: 2500,
      helpdeskLateCommitMs: 90_000,
    });
    expect(() => loadConfig({ ...base, HELPDESK_LATE_COMMIT_MS: 'soon' })).toThrow(/HELPDESK_LATE_COMMIT_MS/);
    expect(() => loadConfig({ ...base, HELPDESK_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HELPDESK_REQUEST_TIMEOUT_MS/);
  });

  it('parses booleans explicitly: "false" is false', () => {
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(loadConfig(base).storeChangeFeed).toBe(true);
    expect(loadConfig({ ...base, STORE_CHANGE_FEED: 'off' }).storeChangeFeed).toBe(false);
    expect(() => loadConfig({ ...base, STORE_CHANGE_FEED: 'sometimes' })).toThrow(/STORE_CHANGE_FEED/);
    expect(loadConfig(base).deliveryRelay).toBe(true);
    expect(loadConfig({ ...base, DELIVERY_RELAY: 'off' }).deliveryRelay).toBe(false);
    expect(() => loadConfig({ ...base, DELIVERY_RELAY: 'maybe' })).toThrow(/DELIVERY_RELAY/);
    // A lane per helpdesk where only workers run; where the API runs too, a case's first attempts start together.
    expect(loadConfig(base).deliveryRelayLanes).toBe(false);
    expect(loadConfig({ ...base, ROLE: 'worker' }).deliveryRelayLanes).toBe(true);
    expect(loadConfig({ ...base, ROLE: 'worker', DELIVERY_RELAY_LANES: 'off' }).deliveryRelayLanes).toBe(false);
    expect(loadConfig({ ...base, DELIVERY_RELAY_LANES: 'on' }).deliveryRelayLanes).toBe(true);
    expect(() => loadConfig({ ...base, DELIVERY_RELAY_LANES: 'some' })).toThrow(/DELIVERY_RELAY_LANES/);
  });

  it('treats empty helpdesk URLs as unset and strips trailing slashes', () => {
    const c = loadConfig({ ...base, ZENDESK_API_URL: '', FRESHDESK_API_URL: 'http://127.0.0.1:4010/freshdesk/', PUBLIC_URL: 'https://reva.example/' });
    expect(c.zendeskApiUrl).toBeUndefined();
    expect(c.freshdeskApiUrl).toBe('http://127.0.0.1:4010/freshdesk');
    expect(c.publicUrl).toBe('https://reva.example');
  });

  it('treats every empty or blank variable as unset, the same way for every variable', () => {
    const empty = Object.fromEntries(ENV_VARIABLES.map((name) => [name, '']));
    const blank = Object.fromEntries(ENV_VARIABLES.map((name) => [name, '  ']));
    const expected = loadConfig(base);
    for (const env of [empty, blank]) {
      const c = loadConfig({ ...env, ...base });
      expect({ ...c, encryptionKey: null }).toEqual({ ...expected, encryptionKey: null });
    }
    expect(definedEnv({ A: '', B: ' ', C: 'x', D: undefined })).toEqual({ C: 'x' });
    // An empty key is as good as none: the generated one is used, not an empty string.
    const file = join(mkdtempSync(join(tmpdir(), 'reva-config-')), 'secrets.json');
    const local = withLocalSecrets({ ADMIN_API_KEY: '', ENCRYPTION_KEY: '' }, file);
    expect(local.fromFile).toEqual(['ADMIN_API_KEY', 'ENCRYPTION_KEY']);
    expect(() => loadConfig(local.env)).not.toThrow();
  });

  it('SANDBOX: auto by default (no sandbox until a start decides), on serves sandbox stores on SANDBOX_PORT, off never', () => {
    expect(loadConfig(base).sandbox).toEqual({ mode: 'auto', port: 4010 });
    expect(loadConfig({ ...base, SANDBOX: 'on' }).sandbox).toEqual({ mode: 'on', port: 4010, url: 'http://127.0.0.1:4010' });
    expect(loadConfig({ ...base, SANDBOX: 'on', SANDBOX_PORT: '4999' }).sandbox.url).toBe('http://127.0.0.1:4999');
    expect(loadConfig({ ...base, SANDBOX: 'off' }).sandbox.url).toBeUndefined();
    expect(withSandbox(loadConfig(base)).sandbox.url).toBe('http://127.0.0.1:4010');
    expect(() => loadConfig({ ...base, SANDBOX: 'yes' })).toThrow(/SANDBOX/);
    expect(() => loadConfig({ ...base, SANDBOX_PORT: '0' })).toThrow(/SANDBOX_PORT/);
  });

  it('a zero-configuration start is one where the operator set no key and no helpdesk setting (empty ones do not count)', () => {
    expect(isZeroConfiguration({})).toBe(true);
    expect(isZeroConfiguration({ PORT: '3001', DATABASE_URL: DEFAULT_DATABASE_URL, SLACK_BOT_TOKEN: '', ZENDESK_API_URL: '' })).toBe(true);
    for (const name of ['ADMIN_API_KEY', 'ENCRYPTION_KEY', 'SLACK_BOT_TOKEN', 'SLACK_API_URL', 'ZENDESK_API_URL', 'FRESHDESK_API_URL'])
      expect(isZeroConfiguration({ [name]: 'set' }), name).toBe(false);
  });

  it('generates missing keys once into a private file and reuses them; a set value wins', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'reva-config-')), 'secrets.json');
    const first = withLocalSecrets({}, file);
    expect(first.generated.sort()).toEqual(['ADMIN_API_KEY', 'ENCRYPTION_KEY']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = withLocalSecrets({}, file);
    expect(second.generated).toEqual([]);
    expect(second.env.ADMIN_API_KEY).toBe(first.env.ADMIN_API_KEY);
    expect(() => loadConfig(second.env)).not.toThrow();
    const operator = withLocalSecrets({ ADMIN_API_KEY: 'operator-chosen-admin-key' }, file);
    expect(operator.env.ADMIN_API_KEY).toBe('operator-chosen-admin-key');
    expect(operator.env.ENCRYPTION_KEY).toBe(JSON.parse(readFileSync(file, 'utf8')).ENCRYPTION_KEY);
  });
  it('bounds every wait on Postgres and Redis, and the drain, with documented defaults; empty means unset', () => {
    const defaults = loadConfig(base);
    expect(defaults.db).toEqual({ poolSize: 10, connectTimeoutMs: 3000, statementTimeoutMs: 10_000, queryTimeoutMs: 12_000 });
    expect(defaults.redisCommandTimeoutMs).toBe(2000);
    expect(defaults.shutdownDrainMs).toBe(5000);
    const set = loadConfig({ ...base, DB_POOL_SIZE: '3', DB_CONNECT_TIMEOUT_MS: '500', DB_STATEMENT_TIMEOUT_MS: '', SHUTDOWN_DRAIN_MS: '0' });
    expect(set.db).toEqual({ poolSize: 3, connectTimeoutMs: 500, statementTimeoutMs: 10_000, queryTimeoutMs: 12_000 });
    expect(set.shutdownDrainMs).toBe(0);
    expect(() => loadConfig({ ...base, DB_POOL_SIZE: '0', DB_QUERY_TIMEOUT_MS: 'soon', REDIS_COMMAND_TIMEOUT_MS: '-1' })).toThrow(
      /DB_POOL_SIZE[\s\S]*DB_QUERY_TIMEOUT_MS[\s\S]*REDIS_COMMAND_TIMEOUT_MS/,
    );
  });

  it('HTTP guard rails: body limit, request timeouts, rate limits and the helpdesk timeout, present values as defaults', () => {
    const defaults = loadConfig(base);
    expect(defaults.http).toEqual({
      bodyLimit: 1024 * 1024,
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 72_000,
      rateLimitPerMinute: 6000,
      signInRateLimitPerMinute: 20,
      trustProxy: false,
    });
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(defaults.helpdeskRequestTimeoutMs).toBe(15_000);
    const set = loadConfig({ ...base, BODY_LIMIT: '2048', REQUEST_TIMEOUT_MS: '30000', RATE_LIMIT_PER_MINUTE: '0', HELPDESK_REQUEST_TIMEOUT_MS: '5000' });
    expect(set.http).toMatchObject({ bodyLimit: 2048, requestTimeoutMs: 30_000, rateLimitPerMinute: 0 });
    expect(set.helpdeskRequestTimeoutMs).toBe(5000);
    expect(() => loadConfig({ ...base, RATE_LIMIT_PER_MINUTE: '-5', BODY_LIMIT: 'big' })).toThrow(/BODY_LIMIT[\s\S]*RATE_LIMIT_PER_MINUTE/);
  });

  it('refuses to start with the sample secrets of .env.example, naming them', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const sample = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(example)?.[1];
    // The list in config.ts is the file's values: copying .env.example to .env cannot start a service.
    expect(sample('ADMIN_API_KEY')).toBe(PLACEHOLDER_SECRETS.ADMIN_API_KEY);
    expect(sample('ENCRYPTION_KEY')).toBe(PLACEHOLDER_SECRETS.ENCRYPTION_KEY);
    expect(() => loadConfig({ ...base, ADMIN_API_KEY: sample('ADMIN_API_KEY') })).toThrow(
      /Refusing to start: ADMIN_API_KEY is the sample value from \.env\.example[\s\S]*openssl rand/,
    );
    expect(() => loadConfig({ ADMIN_API_KEY: sample('ADMIN_API_KEY'), ENCRYPTION_KEY: sample('ENCRYPTION_KEY') })).toThrow(
      /ADMIN_API_KEY and ENCRYPTION_KEY are the sample value/,
    );
    expect(() => loadConfig({ ...base, ENCRYPTION_KEY: sample('ENCRYPTION_KEY') })).toThrow(ConfigError);
  });

  it('loads .env when present, under the process environment, which wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reva-dotenv-'));
    expect(loadDotEnv(join(dir, '.env'))).toBe(false);
    const file = join(dir, '.env');
    writeFileSync(file, 'REVA_DOTENV_ONLY_IN_FILE=from-file\nREVA_DOTENV_IN_BOTH=from-file\n');
    process.env.REVA_DOTENV_IN_BOTH = 'from-process';
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.REVA_DOTENV_ONLY_IN_FILE).toBe('from-file');
      expect(process.env.REVA_DOTENV_IN_BOTH).toBe('from-process');
    } finally {
      delete process.env.REVA_DOTENV_ONLY_IN_FILE;
      delete process.env.REVA_DOTENV_IN_BOTH;
    }
  });
});
