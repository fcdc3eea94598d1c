import { randomBytes } from 'node:crypto';

/** The benchmark's own database and Redis DB index, so it never touches the service's data. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/reva_escalations_bench';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
export const BENCH_ENCRYPTION_KEY = process.env.BENCH_ENCRYPTION_KEY ?? randomBytes(32).toString('base64');

export function benchEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL: BENCH_REDIS_URL,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    PUBLIC_URL: 'http://bench.local',
    ...extra,
  };
}

/** A ten-message conversation, the same text every time (only conversationId differs): `escalating` picks which. */
export function conversation(conversationId: string, escalating: boolean) {
  const customer = escalating
    ? [
        'Where is my order #1234? It has been two weeks.',
        "This is the third time I'm asking! Nobody helps me.",
        'I want to speak to a manager right now.',
        'Still waiting for an answer.',
        'This is ridiculous.',
      ]
    : ['Hi, do you ship to Canada?', 'How long does it take?', 'Can I pay with PayPal?', 'Do you have it in blue?', 'Great, thanks so much!'];
  const assistant = ['Let me check that for you.', 'Yes, we do.', 'It takes 3-5 business days.', 'Yes, PayPal works.', 'You are welcome!'];
  const messages = customer.flatMap((text, i) => [
    { role: 'customer', text },
    { role: 'assistant', text: assistant[i]! },
  ]);
  return {
    conversationId,
    channel: 'web_chat',
    messages,
    aiConfidence: escalating ? 0.3 : 0.95,
    customer: { name: 'Bench Customer', email: 'bench@example.com' },
  };
}
