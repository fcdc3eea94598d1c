import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADMIN_API_KEY: ADMIN_KEY,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PUBLIC_URL: 'http://reva.test',
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Every test file shares the admin key and the default Redis: a shared per-key count would make
    // busy files fail each other. test/integration/guard-rails.test.ts turns the limits on.
    RATE_LIMIT_PER_MINUTE: '0',
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** app.inject with the given key as Bearer token. */
  call(key: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  createStore(name?: string): Promise<{ id: string; name: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await buildApp({ config, logger: false });
  await app.ready();
  const call: TestApp['call'] = (key, opts) =>
    app.inject({ ...opts, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(opts.headers ?? {}) } });
  return {
    app,
    config,
    call,
    async createStore(name = `store-${randomBytes(4).toString('hex')}`) {
      const res = await call(ADMIN_KEY, { method: 'POST', url: '/stores', payload: { name } });
      if (res.statusCode !== 201) throw new Error(`createStore failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    close: () => app.close(),
  };
}

/** The seed example: a frustrated customer the AI cannot help. */
export function seedConversation(conversationId = `conv-${randomBytes(6).toString('hex')}`) {
  return {
    conversationId,
    channel: 'web_chat' as const,
    messages: [
      { role: 'customer' as const, text: "Where is my order #1234? It's been two weeks." },
      { role: 'assistant' as const, text: 'I understand your concern. Let me check on that for you.' },
      { role: 'customer' as const, text: "This is the third time I'm asking! Nobody helps me." },
      { role: 'assistant' as const, text: 'I apologize for the inconvenience. Your order is in transit.' },
      { role: 'customer' as const, text: 'I want to speak to a manager right now.' },
    ],
    aiConfidence: 0.3,
    customerSentiment: -0.8,
    customer: { id: 'cust-1', name: 'Jane Doe', email: 'jane@example.com', tier: 'standard' },
    order: { number: '1234', total: 89.9, currency: 'USD', status: 'shipped' },
  };
}

export function happyConversation(conversationId = `conv-${randomBytes(6).toString('hex')}`) {
  return {
    conversationId,
    channel: 'web_chat' as const,
    messages: [
      { role: 'customer' as const, text: 'Hi, do you ship to Canada?' },
      { role: 'assistant' as const, text: 'Yes! We ship to Canada in 3-5 business days.' },
      { role: 'customer' as const, text: 'Great, thanks so much!' },
    ],
    aiConfidence: 0.95,
  };
}
