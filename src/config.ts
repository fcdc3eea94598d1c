import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { IntegrationType } from './generated/prisma/enums.ts';
import type { Config } from './config-shape.ts';
import { INTEGRATION_TYPES, integrations } from './integrations/registry.ts';
import { DEFAULT_OUTCOME_WINDOW_MS, DEFAULT_WRITE_WINDOW_MS } from './delivery/statement-batch.ts';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/reva_escalations';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const DEFAULT_SANDBOX_PORT = 4010;

// z.coerce.boolean() turns "false" into true: booleans are parsed explicitly.
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A switch that also reads on/off; unset, undefined (the caller picks the default). */
const onOff = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes' || v === 'on'));

const optionalUrl = z.url().optional();

/** A duration in milliseconds. */
const milliseconds = (fallback: number, min = 0) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(24 * 3600_000)
    .default(fallback);

const encryptionKey = z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const baseEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.url().default(DEFAULT_REDIS_URL),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  ENCRYPTION_KEY: encryptionKey,
  PUBLIC_URL: optionalUrl,
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag,
  SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_SANDBOX_PORT),
  // Postgres and Redis faults: every wait on them is bounded, so an outage answers 503, never a hang.
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DB_CONNECT_TIMEOUT_MS: milliseconds(3000, 1),
  DB_STATEMENT_TIMEOUT_MS: milliseconds(10_000, 1),
  DB_QUERY_TIMEOUT_MS: milliseconds(12_000, 1),
  STORE_CHANGE_FEED: onOff.transform((v) => v ?? true),
  DELIVERY_RELAY: onOff.transform((v) => v ?? true),
  // Unset: on in a worker process (ROLE=worker), off where the API runs too (ROLE=all); see config-shape.ts.
  DELIVERY_RELAY_LANES: onOff,
  REDIS_COMMAND_TIMEOUT_MS: milliseconds(2000, 1),
  SHUTDOWN_DRAIN_MS: milliseconds(5000),
  HELPDESK_REQUEST_TIMEOUT_MS: milliseconds(15_000, 1),
  HELPDESK_LATE_COMMIT_MS: milliseconds(60_000, 1),
  DELIVERY_WRITE_WINDOW_MS: milliseconds(DEFAULT_WRITE_WINDOW_MS),
  DELIVERY_OUTCOME_WINDOW_MS: milliseconds(DEFAULT_OUTCOME_WINDOW_MS),
  // HTTP guard rails (the database ones are above).
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  REQUEST_TIMEOUT_MS: milliseconds(0),
  KEEP_ALIVE_TIMEOUT_MS: milliseconds(72_000, 1),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(20),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
    )
    .default('false'),
});

/** Operator overrides of the helpdesk base URLs (SLACK_API_URL, ZENDESK_API_URL, …), one per integration that has one. */
export const API_URL_VARIABLES: Partial<Record<IntegrationType, string>> = Object.fromEntries(
  INTEGRATION_TYPES.flatMap((type) => {
    const spec = integrations[type] as { baseUrl?: { overrideEnv: string } };
    return spec.baseUrl ? [[type, spec.baseUrl.overrideEnv]] : [];
  }),
);

/** Delivery concurrency per process: DELIVERY_CONCURRENCY_CASES (the fan-out) and one per integration (DELIVERY_CONCURRENCY_SLACK, …). */
export const CONCURRENCY_VARIABLES: Record<IntegrationType | 'CASES', string> = Object.fromEntries(
  [...INTEGRATION_TYPES, 'CASES'].map((key) => [key, `DELIVERY_CONCURRENCY_${key}`]),
) as Record<IntegrationType | 'CASES', string>;

const concurrency = z.coerce.number().int().min(1).max(10_000).optional();

const envSchema = baseEnvSchema.extend({
  ...Object.fromEntries(Object.values(API_URL_VARIABLES).map((name) => [name, optionalUrl])),
  ...Object.fromEntries(Object.values(CONCURRENCY_VARIABLES).map((name) => [name, concurrency])),
});

/**
 * The sample values of .env.example: a service started with them would share its admin key and
 * encryption key with everyone who read the repository (a test keeps this list in step with the file).
 */
export const PLACEHOLDER_SECRETS = {
  ADMIN_API_KEY: 'change-me-to-a-long-random-admin-key',
  ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
} as const;

/** Loads `.env` (when present) under the process environment, which wins. Returns whether it was there. */
export function loadDotEnv(file = resolve(process.cwd(), '.env')): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** Every variable the service reads (docker-compose.yml is checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * The one place where the environment is read as the operator meant it: a variable set to an empty
 * (or blank) string counts as unset, so `FOO=` in a .env file or `FOO: ${FOO:-}` in compose never
 * changes behaviour.
 */
export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') out[name] = value;
  return out;
}

/** Variables whose presence means "this service is being configured", so no sandbox or demo store by default. */
const CONFIGURED_BY = ['ADMIN_API_KEY', 'ENCRYPTION_KEY', 'SLACK_BOT_TOKEN', ...Object.values(API_URL_VARIABLES)];

/**
 * A newcomer's first start: none of the keys or helpdesk settings set by the operator. Production
 * always sets ADMIN_API_KEY and ENCRYPTION_KEY (several processes must share them), so it never counts.
 */
export function isZeroConfiguration(env: Record<string, string | undefined>): boolean {
  const defined = definedEnv(env);
  return CONFIGURED_BY.every((name) => defined[name] === undefined);
}

export type Env = z.input<typeof baseEnvSchema> & Record<string, string | undefined>;

export type { Config, DbOptions, HttpOptions } from './config-shape.ts';

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming each variable that is missing or malformed. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(definedEnv(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data as unknown as z.output<typeof baseEnvSchema>;
  const placeholders = (Object.keys(PLACEHOLDER_SECRETS) as (keyof typeof PLACEHOLDER_SECRETS)[]).filter((name) => e[name] === PLACEHOLDER_SECRETS[name]);
  if (placeholders.length)
    throw new ConfigError(
      `Refusing to start: ${placeholders.join(' and ')} ${placeholders.length > 1 ? 'are' : 'is'} the sample value from .env.example, known to anyone who reads it.\n` +
        `  Generate your own with: openssl rand -base64 32 (or leave ${placeholders.length > 1 ? 'them' : 'it'} unset for a local start: a key is generated into .local/secrets.json)`,
    );
  const port = e.PORT;
  const raw = parsed.data as Record<string, unknown>;
  // Slack's override keeps the SDK's `slackApiUrl` form (trailing slash); the others are origins.
  const apiUrls: Partial<Record<IntegrationType, string>> = {};
  for (const [type, name] of Object.entries(API_URL_VARIABLES) as [IntegrationType, string][]) {
    const value = raw[name] as string | undefined;
    if (value) apiUrls[type] = type === 'SLACK' ? value : value.replace(/\/+$/, '');
  }
  const deliveryConcurrency: Config['deliveryConcurrency'] = {};
  for (const [key, name] of Object.entries(CONCURRENCY_VARIABLES) as [IntegrationType | 'CASES', string][]) {
    const value = raw[name] as number | undefined;
    if (value !== undefined) deliveryConcurrency[key] = value;
  }
  return {
    port,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    role: e.ROLE,
    adminApiKey: e.ADMIN_API_KEY,
    encryptionKey: Buffer.from(e.ENCRYPTION_KEY, 'base64'),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: apiUrls.SLACK },
    apiUrls,
    zendeskApiUrl: apiUrls.ZENDESK,
    freshdeskApiUrl: apiUrls.FRESHDESK,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    logLevel: e.LOG_LEVEL,
    sandbox: { mode: e.SANDBOX, port: e.SANDBOX_PORT, ...(e.SANDBOX === 'on' ? { url: sandboxUrl(e.SANDBOX_PORT) } : {}) },
    db: {
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
    },
    storeChangeFeed: e.STORE_CHANGE_FEED,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    helpdeskRequestTimeoutMs: e.HELPDESK_REQUEST_TIMEOUT_MS,
    helpdeskLateCommitMs: e.HELPDESK_LATE_COMMIT_MS,
    deliveryWriteWindowMs: e.DELIVERY_WRITE_WINDOW_MS,
    deliveryOutcomeWindowMs: e.DELIVERY_OUTCOME_WINDOW_MS,
    deliveryRelay: e.DELIVERY_RELAY,
    deliveryRelayLanes: e.DELIVERY_RELAY_LANES ?? e.ROLE === 'worker',
    deliveryConcurrency,
    http: {
      bodyLimit: e.BODY_LIMIT,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      signInRateLimitPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

export const sandboxUrl = (port: number) => `http://127.0.0.1:${port}`;

/** The config of a process that serves sandbox stores (SANDBOX=auto on a zero-configuration start). */
export function withSandbox(config: Config): Config {
  return { ...config, sandbox: { ...config.sandbox, url: sandboxUrl(config.sandbox.port) } };
}

export const LOCAL_SECRETS_FILE = resolve(dirname(new URL(import.meta.url).pathname), '..', '.local', 'secrets.json');

/**
 * A newcomer's first start needs no configuration: ADMIN_API_KEY and ENCRYPTION_KEY, when unset, are
 * generated once into a git-ignored file and reused on every later start (DESIGN §4).
 */
export function withLocalSecrets(env: Record<string, string | undefined>, file = LOCAL_SECRETS_FILE) {
  const defined = definedEnv(env);
  const missing = (['ADMIN_API_KEY', 'ENCRYPTION_KEY'] as const).filter((k) => !defined[k]);
  if (missing.length === 0) return { env, generated: [] as string[], file: null };
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const generated: string[] = [];
  if (!stored.ADMIN_API_KEY) {
    stored.ADMIN_API_KEY = `admin_${randomBytes(24).toString('base64url')}`;
    generated.push('ADMIN_API_KEY');
  }
  if (!stored.ENCRYPTION_KEY) {
    stored.ENCRYPTION_KEY = randomBytes(32).toString('base64');
    generated.push('ENCRYPTION_KEY');
  }
  if (generated.length) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const merged = { ...env };
  for (const k of missing) merged[k] = stored[k];
  return { env: merged, generated, file, fromFile: missing };
}
