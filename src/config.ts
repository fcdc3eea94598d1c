import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/reva_escalations';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

// z.coerce.boolean() turns "false" into true: booleans are parsed explicitly.
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

/** A duration in milliseconds; an empty variable counts as unset. */
const milliseconds = (fallback: number) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(3_600_000).default(fallback));

const encryptionKey = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const envSchema = z.object({
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
  SLACK_API_URL: optionalUrl,
  ZENDESK_API_URL: optionalUrl,
  FRESHDESK_API_URL: optionalUrl,
  WEBHOOK_ALLOW_PRIVATE: booleanFlag,
  HELPDESK_REQUEST_TIMEOUT_MS: milliseconds(15_000),
  HELPDESK_LATE_COMMIT_MS: milliseconds(60_000),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  role: 'api' | 'worker' | 'all';
  adminApiKey: string;
  encryptionKey: Buffer;
  publicUrl: string;
  slack: { signingSecret?: string; botToken?: string; apiUrl?: string };
  zendeskApiUrl?: string;
  freshdeskApiUrl?: string;
  webhookAllowPrivate: boolean;
  logLevel: string;
  /** Budget of each HTTP request to a helpdesk; a request that hangs longer fails and is retried. */
  helpdeskRequestTimeoutMs: number;
  /**
   * How long a helpdesk may still carry out a request after we stopped waiting for its answer. A retry
   * looks for the earlier request's result (Freshdesk, Zendesk notes: for this long before sending
   * again), and a late duplicate is looked for and removed once this has passed.
   */
  helpdeskLateCommitMs: number;
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming each variable that is missing or malformed. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const port = e.PORT;
  return {
    port,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    role: e.ROLE,
    adminApiKey: e.ADMIN_API_KEY,
    encryptionKey: Buffer.from(e.ENCRYPTION_KEY, 'base64'),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL },
    zendeskApiUrl: e.ZENDESK_API_URL?.replace(/\/+$/, ''),
    freshdeskApiUrl: e.FRESHDESK_API_URL?.replace(/\/+$/, ''),
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    logLevel: e.LOG_LEVEL,
    helpdeskRequestTimeoutMs: e.HELPDESK_REQUEST_TIMEOUT_MS,
    helpdeskLateCommitMs: e.HELPDESK_LATE_COMMIT_MS,
  };
}

export const LOCAL_SECRETS_FILE = resolve(dirname(new URL(import.meta.url).pathname), '..', '.local', 'secrets.json');

/**
 * A newcomer's first start needs no configuration: ADMIN_API_KEY and ENCRYPTION_KEY, when unset, are
 * generated once into a git-ignored file and reused on every later start (DESIGN §4).
 */
export function withLocalSecrets(env: Record<string, string | undefined>, file = LOCAL_SECRETS_FILE) {
  const missing = (['ADMIN_API_KEY', 'ENCRYPTION_KEY'] as const).filter((k) => !env[k]);
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
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  const merged = { ...env };
  for (const k of missing) merged[k] = stored[k];
  return { env: merged, generated, file, fromFile: missing };
}
