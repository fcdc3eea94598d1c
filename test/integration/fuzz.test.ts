// 3,000 generated requests over real HTTP to a listening app: random methods, paths, parameters,
// headers and bodies (long parameters, bad JSON, lone surrogates, huge numbers, deep nesting, wrong
// types), with and without keys. No answer may be a 5xx, and every 4xx carries the pinned body.
// Deterministic: the same seed sends the same requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ADMIN_KEY, seedConversation, testConfig } from '../helpers/app.ts';
import { startRedis, type RedisServer } from '../helpers/pipeline.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 8;

/** mulberry32: small, fast, and the same sequence everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

type Rng = ReturnType<typeof prng>;

interface Fixture {
  storeId: string;
  storeKey: string;
  caseId: string;
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  '😀',
  '\ud83d',
  '\ude00x',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ﷺ'.repeat(50),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '\\',
  '"',
  '{}',
  '[]',
  'true',
  '2026-13-45T99:99:99Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '00000000-0000-4000-8000-000000000000',
  'x'.repeat(5000),
];

const NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 123456789012345680000, 3.14];

function nastyString(r: Rng): string {
  switch (r.int(5)) {
    case 0:
      return r.pick(NASTY_STRINGS);
    case 1:
      return 'a'.repeat(r.pick([1, 50, 199, 200, 201, 320, 1000, 20_001]));
    case 2:
      return Array.from({ length: r.int(40) + 1 }, () => String.fromCharCode(r.int(0x10000))).join('');
    case 3:
      return `${'😀'.repeat(r.int(300))}${r.chance(0.5) ? '\ud83d' : ''}`;
    default:
      return r.pick(['refund', 'I want to speak to a manager', 'where is my order', 'cancel', 'lawyer']);
  }
}

function nastyValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 4 : 7)) {
    case 0:
      return nastyString(r);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return r.pick(['web_chat', 'email', 'customer', 'URGENT', 'OPEN']);
    case 4:
      return Array.from({ length: r.int(4) }, () => nastyValue(r, depth + 1));
    case 5:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [nastyString(r).slice(0, 30), nastyValue(r, depth + 1)]));
    default:
      return r.pick([[], {}, '', 0]);
  }
}

function deepNesting(r: Rng): string {
  const depth = r.pick([10, 100, 5000, 50_000]);
  const [open, close] = r.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
  return `{"conversationId":"deep","channel":"web_chat","messages":[{"role":"customer","text":"hi"}],"metadata":{"x":${open.repeat(depth)}1${close.repeat(depth)}}}`;
}

/** A valid /escalate body with one or a few fields broken, or a body that is not even JSON. */
function escalateBody(r: Rng): string {
  const roll = r.int(10);
  if (roll === 0)
    return r.pick([
      '',
      '{',
      '{"conversationId":',
      'not json',
      '[]',
      'null',
      '"x"',
      '{"a":1,}',
      "{'a':1}",
      '\u0000',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{}}}',
    ]);
  if (roll === 1) return deepNesting(r);
  if (roll === 2) {
    const raw = JSON.stringify(seedConversation(`fz-${r.int(1e9)}`));
    const cut = r.int(raw.length);
    return raw.slice(0, cut) + r.pick(['', '\\ud83d', '\\u0000', '\\', '"', '}']);
  }
  const body: Record<string, unknown> = seedConversation(`fz-${r.int(1e9)}`);
  const fields = [
    'conversationId',
    'channel',
    'messages',
    'aiConfidence',
    'customerSentiment',
    'customer',
    'order',
    'orderHistoryCount',
    'detectedIntent',
    'manual',
    'reason',
    'metadata',
    'storeId',
    'unknownField',
  ];
  for (let i = r.int(3) + 1; i > 0; i--) {
    const field = r.pick(fields);
    if (field === 'messages' && r.chance(0.5)) {
      body.messages = Array.from({ length: r.pick([0, 1, 3, 2001]) }, () => ({
        role: r.chance(0.8) ? r.pick(['customer', 'assistant']) : nastyValue(r),
        text: r.chance(0.8) ? nastyString(r) : nastyValue(r),
        ...(r.chance(0.2) ? { sentAt: r.pick(['2026-01-01T00:00:00Z', nastyString(r)]) } : {}),
      }));
    } else if (r.chance(0.15)) delete body[field];
    else body[field] = nastyValue(r);
  }
  let text = JSON.stringify(body);
  // JSON.stringify escapes lone surrogates; sometimes send them raw-escaped inside an otherwise fine body.
  if (r.chance(0.1)) text = text.replace(/"text":"/, '"text":"\\udc00\\ud83d');
  if (r.chance(0.05))
    text = text.replace(/"aiConfidence":[^,}]+/, `"aiConfidence":${r.pick(['1e400', '-1e400', '0.3e', 'NaN', 'Infinity', '99999999999999999999999999999'])}`);
  return text;
}

function otherBody(r: Rng, path: string): string {
  if (r.chance(0.2)) return r.pick(['', '{', 'null', '[]', '"x"', '{"a":}']);
  if (path.endsWith('/assign')) return JSON.stringify({ assignedTo: r.chance(0.7) ? nastyString(r) : nastyValue(r) });
  if (path.endsWith('/resolve'))
    return JSON.stringify({ summary: r.chance(0.7) ? nastyString(r) : nastyValue(r), ...(r.chance(0.3) ? { resolvedBy: nastyValue(r) } : {}) });
  if (path.endsWith('/reopen')) return JSON.stringify(r.chance(0.5) ? { reason: nastyValue(r) } : nastyValue(r));
  if (path.endsWith('/feedback')) return JSON.stringify({ warranted: nastyValue(r), rating: nastyValue(r), comment: nastyValue(r) });
  if (path === '/stores') return JSON.stringify({ name: r.chance(0.6) ? nastyString(r) : nastyValue(r) });
  if (path.includes('escalation-config'))
    return JSON.stringify({
      [r.pick(['slack', 'zendesk', 'freshdesk', 'webhook', 'detection', 'sla', 'rules', 'other'])]: r.chance(0.3)
        ? {
            enabled: true,
            url: r.pick(['http://127.0.0.1/', 'http://[::1]/', 'https://example.com/x', nastyString(r)]),
            secret: nastyString(r),
            channel: nastyString(r),
            subdomain: nastyString(r),
            domain: nastyString(r),
            apiToken: nastyString(r),
            email: nastyString(r),
          }
        : nastyValue(r),
    });
  return JSON.stringify(nastyValue(r));
}

const ROUTES: [string, string][] = [
  ['POST', '/escalate'],
  ['POST', '/escalate'],
  ['POST', '/escalate'],
  ['POST', '/escalations/evaluate'],
  ['GET', '/escalations'],
  ['GET', '/escalations/export'],
  ['GET', '/escalations/analytics'],
  ['GET', '/escalations/:id'],
  ['POST', '/escalations/:id/assign'],
  ['POST', '/escalations/:id/resolve'],
  ['POST', '/escalations/:id/reopen'],
  ['POST', '/escalations/:id/retry'],
  ['POST', '/escalations/:id/feedback'],
  ['POST', '/stores'],
  ['GET', '/stores'],
  ['GET', '/stores/:storeId/escalation-config'],
  ['PUT', '/stores/:storeId/escalation-config'],
  ['POST', '/webhooks/zendesk/:storeId'],
  ['POST', '/webhooks/freshdesk/:storeId'],
  ['POST', '/slack/interactions'],
  ['POST', '/slack/commands'],
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/docs/json'],
  ['GET', '/nope'],
  ['POST', '/escalations/:id/unknown'],
];

const LONE_SURROGATE = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;

/** encodeURIComponent, with a lone surrogate sent as the bytes a careless client would send (not UTF-8). */
const encode = (text: string) =>
  text
    .split(LONE_SURROGATE)
    .map((part) => (LONE_SURROGATE.test(part) ? '%ED%A0%BD' : encodeURIComponent(part)))
    .join('');

const QUERY_KEYS = ['status', 'priority', 'channel', 'trigger', 'assignedTo', 'intent', 'q', 'from', 'to', 'limit', 'cursor', 'storeId', 'interval', 'x'];

function param(r: Rng, valid: string): string {
  switch (r.int(6)) {
    case 0:
    case 1:
      return valid;
    case 2:
      return 'a'.repeat(r.pick([199, 200, 201, 300, 2000]));
    case 3:
      return r.pick(['%E0%A4%A', '%zz', '%00', '%F0%9F%98%80', '..', '%2F', 'null', '00000000-0000-4000-8000-000000000000', '%ED%A0%BD']);
    default:
      return encode(nastyString(r).slice(0, 300));
  }
}

function query(r: Rng, storeId: string): string {
  if (r.chance(0.4)) return '';
  const parts: string[] = [];
  for (let i = r.int(5) + 1; i > 0; i--) {
    const key = r.pick(QUERY_KEYS);
    const value =
      key === 'storeId' && r.chance(0.5)
        ? storeId
        : key === 'limit'
          ? r.pick(['0', '1', '200', '201', '-5', '1e3', 'abc', '9'.repeat(30)])
          : key === 'status' || key === 'priority'
            ? r.pick(['OPEN', 'OPEN,RESOLVED', 'open', ',,,', 'URGENT,LOW', nastyString(r).slice(0, 50)])
            : nastyString(r).slice(0, r.pick([10, 100, 3000]));
    parts.push(`${r.chance(0.1) ? '%zz' : encode(key)}=${r.chance(0.05) ? '%E0%A4%A' : encode(value)}`);
  }
  return `?${parts.join('&')}`;
}

interface Generated {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function generate(r: Rng, f: Fixture): Generated {
  let [method, template] = r.pick(ROUTES);
  if (r.chance(0.05)) method = r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
  const path = template.replace(':id', () => param(r, f.caseId)).replace(':storeId', () => param(r, f.storeId)) + query(r, f.storeId);
  const headers: Record<string, string> = {};
  const auth = r.int(8);
  if (auth <= 3) headers.authorization = `Bearer ${f.storeKey}`;
  else if (auth === 4) headers.authorization = `Bearer ${ADMIN_KEY}`;
  else if (auth === 5)
    headers.authorization = r.pick([
      'Bearer',
      'Bearer wrong-key',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Bearer ${'k'.repeat(600)}`,
      'bearer  x  y',
    ]);
  if (r.chance(0.1)) headers['idempotency-key'] = r.pick(['k1', 'k'.repeat(300), 'same-key', '😀'.replace(/./gu, 'x')]);
  if (r.chance(0.1)) headers['x-request-id'] = r.pick(['fuzz-1', 'bad id with spaces', 'x'.repeat(150)]);
  if (r.chance(0.1)) headers.accept = r.pick(['text/html', 'application/xml', '*/*']);
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && r.chance(0.92)) {
    body = template === '/escalate' || template === '/escalations/evaluate' ? escalateBody(r) : otherBody(r, template);
    if (r.chance(0.006)) body = JSON.stringify({ ...seedConversation(), metadata: { pad: 'x'.repeat(r.pick([2, 6]) * 1024 * 1024) } });
    headers['content-type'] = r.chance(0.93)
      ? r.pick(['application/json', 'application/json; charset=utf-8'])
      : r.pick([
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'application/json; charset=latin1',
          'application/jsonx',
          '',
        ]);
    if (headers['content-type'] === '') delete headers['content-type'];
  }
  return { method, path, headers, body };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(port: number, agent: http.Agent, g: Generated): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: g.method, path: g.path, agent, headers: g.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(g.body);
  });
}

/** What is wrong with an answer, or undefined. */
function problem(g: Generated, res: Answer): string | undefined {
  if (res.status >= 500) return `${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status < 400 || g.method === 'HEAD') return undefined;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `${res.status} without a JSON body: ${res.text.slice(0, 200)}`;
  }
  const keys = Object.keys(body)
    .filter((k) => k !== 'details')
    .sort()
    .join(',');
  if (keys !== 'error,message,requestId,statusCode') return `${res.status} body keys ${keys}`;
  if (body.statusCode !== res.status) return `statusCode ${String(body.statusCode)} on a ${res.status}`;
  if (typeof body.error !== 'string' || typeof body.message !== 'string' || body.message === '') return `${res.status} error/message not text`;
  if (typeof body.requestId !== 'string' || body.requestId === '') return `${res.status} without requestId`;
  return undefined;
}

let app: FastifyInstance;
let port: number;
let redis: RedisServer;
let fixture: Fixture;

beforeAll(async () => {
  redis = await startRedis();
  app = await buildApp({
    config: testConfig({ REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE: 'false', SLACK_SIGNING_SECRET: 'fuzz-signing-secret' }),
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true });
  const store = await send(port, agent, {
    method: 'POST',
    path: '/stores',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'fuzz' }),
  });
  const { id: storeId, apiKey: storeKey } = JSON.parse(store.text);
  const created = await send(port, agent, {
    method: 'POST',
    path: '/escalate',
    headers: { authorization: `Bearer ${storeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(seedConversation()),
  });
  expect(created.status, created.text).toBe(201);
  fixture = { storeId, storeKey, caseId: JSON.parse(created.text).escalation.id };
  agent.destroy();
});

afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

describe('fuzz', () => {
  it(`${REQUESTS} generated requests (seed ${SEED}): no 5xx, every 4xx with the pinned body`, async () => {
    const r = prng(SEED);
    const requests = Array.from({ length: REQUESTS }, () => generate(r, fixture));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const g = requests[next++]!;
          const res = await send(port, agent, g).catch((err: Error) => ({ status: 0, headers: {}, text: `transport error: ${err.message}` }));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const wrong = res.status === 0 ? res.text : problem(g, res);
          if (wrong) failures.push(`${g.method} ${g.path.slice(0, 150)} [${g.body?.slice(0, 120) ?? ''}] → ${wrong}`);
        }
      }),
    );
    agent.destroy();
    const summary = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(`fuzz: ${REQUESTS} requests in ${Date.now() - started} ms; ${summary}`);
    expect(failures.slice(0, 20), `${failures.length} bad answers`).toEqual([]);
    // The generator reaches the interesting answers, not only 400s.
    for (const status of [200, 201, 400, 401, 404, 413, 414, 415]) expect(statuses.get(status) ?? 0, `answers ${status}`).toBeGreaterThan(0);
  }, 120_000);
});
