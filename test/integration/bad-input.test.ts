// Bad input over real HTTP: every refusal is a 4xx with the pinned body, nothing accepted is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ADMIN_KEY, seedConversation, testConfig } from '../helpers/app.ts';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

let app: FastifyInstance;
let port: number;
let store: { id: string; apiKey: string };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

/** A request through node:http, which sends the path as given (fetch would normalise it). */
function request(
  method: string,
  path: string,
  opts: { key?: string | null; body?: string | Buffer; headers?: Record<string, string | number> } = {},
): Promise<Answer> {
  const key = opts.key === undefined ? store.apiKey : opts.key;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const json = (value: unknown) => JSON.stringify(value);

function expectPinned(res: Answer, status: number, message?: RegExp) {
  expect(res.status, res.text).toBe(status);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  expect(
    Object.keys(body)
      .filter((k) => k !== 'details')
      .sort(),
  ).toEqual(['error', 'message', 'requestId', 'statusCode']);
  if (message) expect(body.message).toMatch(message);
  return body;
}

/** Writes raw bytes and returns what came back before the server closed. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c) => (got += c.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(bytes);
    setTimeout(() => socket.end(), 500);
  });
}

beforeAll(async () => {
  app = await buildApp({ config: testConfig({ WEBHOOK_ALLOW_PRIVATE: 'false' }), logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  const res = await request('POST', '/stores', { key: ADMIN_KEY, body: json({ name: `bad-input-${randomBytes(3).toString('hex')}` }) });
  expect(res.status, res.text).toBe(201);
  store = res.json();
});

afterAll(async () => {
  await app?.close();
});

describe('emoji and surrogates', () => {
  it('a reason cut in the middle of an emoji is stored, not lost (was: 500)', async () => {
    for (let shift = 0; shift < 4; shift++) {
      const reason = `${'x'.repeat(196 + shift)}${'😀'.repeat(10)}`;
      const res = await request('POST', '/escalate', { body: json({ ...seedConversation(), manual: true, reason }) });
      expect(res.status, res.text).toBe(201);
      const id = res.json().escalation.id;
      const full = await request('GET', `/escalations/${id}`);
      expect(full.status).toBe(200);
      expect(LONE.test(full.text.replace(/\\u[dD][89a-fA-F]\w\w\\u[dD][c-fC-F]\w\w/g, ''))).toBe(false);
      const manual = full.json().decision.triggers.find((t: { type: string }) => t.type === 'MANUAL');
      expect(LONE.test(manual.reason)).toBe(false);
    }
  });

  it('long messages full of emoji at every offset are escalated, summaries well-formed', async () => {
    for (let shift = 0; shift < 4; shift++) {
      const text = `${'a'.repeat(shift)}I want a refund for my broken order ${'😡'.repeat(2000)}`;
      const res = await request('POST', '/escalate', {
        body: json({
          conversationId: `emoji-${shift}-${randomBytes(3).toString('hex')}`,
          channel: 'web_chat',
          messages: [
            { role: 'customer', text },
            { role: 'customer', text: `${'b'.repeat(shift)}where is it ${'🙄'.repeat(500)}` },
          ],
          manual: true,
        }),
      });
      expect(res.status, res.text).toBe(201);
      expect(LONE.test(res.json().escalation.summary)).toBe(false);
      expect(res.json().escalation.summary.length).toBeLessThanOrEqual(300);
    }
  });

  it('lone surrogates sent escaped in JSON are replaced by U+FFFD, keys included; the escalation is kept', async () => {
    const body = `{"conversationId":"lone-${randomBytes(3).toString('hex')}","channel":"web_chat","manual":true,"reason":"\\ud83d cut","metadata":{"k\\udc00":"v\\ud800"},"messages":[{"role":"customer","text":"half an emoji \\ud83d and a pair \\ud83d\\ude00"}]}`;
    const res = await request('POST', '/escalate', { body });
    expect(res.status, res.text).toBe(201);
    const full = (await request('GET', `/escalations/${res.json().escalation.id}`)).json();
    expect(full.context.messages[0].text).toBe('half an emoji \ufffd and a pair 😀');
    expect(full.context.metadata).toEqual({ 'k\ufffd': 'v\ufffd' });
    expect(full.reason).toBe('\ufffd cut');
  });
});

describe("Fastify's own errors answer the pinned body", () => {
  it('malformed URL (bad percent-encoding): 400', async () => {
    expectPinned(await request('GET', '/escalations/%E0%A4%A'), 400, /URL/);
    expectPinned(await request('POST', '/escalations/%zz/assign', { body: json({ assignedTo: 'a' }) }), 400);
  });

  it('over-long path parameter: 414 (FST_ERR_MAX_PARAM_LENGTH)', async () => {
    const res = await request('GET', `/escalations/${'a'.repeat(300)}`);
    expectPinned(res, 414, /too long/);
    expect(res.headers['x-request-id']).toBe(res.json().requestId);
    expectPinned(await request('PUT', `/stores/${'b'.repeat(5000)}/escalation-config`, { body: '{}' }), 414);
  });

  it('unknown routes: 404, with and without a body', async () => {
    expectPinned(await request('GET', '/nope'), 404, /GET \/nope/);
    expectPinned(await request('POST', '/nope?x=1', { body: json({ a: 1 }) }), 404, /POST \/nope not found/);
    expectPinned(await request('DELETE', '/escalate'), 404);
  });

  it('body too large: 413 with a message', async () => {
    const body = json({ ...seedConversation(), metadata: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    expectPinned(await request('POST', '/escalate', { body }), 413, /5 MiB/);
    expectPinned(await request('POST', '/stores', { key: ADMIN_KEY, body: json({ name: 'x'.repeat(1024 * 1024 + 10) }) }), 413, /1 MiB/);
  });

  it('wrong content type: 415 (text/plain is parsed as text, then refused by validation: 400)', async () => {
    expectPinned(await request('POST', '/escalate', { body: '<x/>', headers: { 'content-type': 'application/xml' } }), 415);
    expectPinned(await request('POST', '/escalate', { body: 'a=1', headers: { 'content-type': 'multipart/form-data; boundary=x' } }), 415);
    expectPinned(await request('POST', '/escalate', { body: 'hello', headers: { 'content-type': 'text/plain' } }), 400);
  });

  it('malformed JSON, empty JSON body, wrong JSON types: 400', async () => {
    expectPinned(await request('POST', '/escalate', { body: '{"conversationId":' }), 400);
    expectPinned(await request('POST', '/escalate', { body: '' }), 400);
    expectPinned(await request('POST', '/escalate', { body: '"just a string"' }), 400);
    expectPinned(await request('POST', '/escalate', { body: json({ ...seedConversation(), messages: 'many' }) }), 400, /messages/);
    expectPinned(await request('POST', '/escalate', { body: json({ ...seedConversation(), aiConfidence: 1e308 * 10 }) }), 400);
    expectPinned(await request('POST', '/escalate', { body: '{"__proto__":{"x":1}}' }), 400);
  });

  it("requests Node's HTTP parser refuses: 400/431 with the pinned body", async () => {
    const garbage = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    const body = JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String), requestId: expect.any(String) });
    const huge = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 431, requestId: expect.any(String) });
  });
});

describe('an unauthenticated client with a large body', () => {
  it('reads its 401 even with Connection: close (the body is drained first; was EPIPE)', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 'a');
    for (const key of [null, 'wrong-key-0123456789']) {
      const res = await new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/escalate',
            agent: false,
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              connection: 'close',
              ...(key ? { authorization: `Bearer ${key}` } : {}),
            },
          },
          (r) => {
            let text = '';
            r.on('data', (c) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, text, json: () => JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        // Written in pieces, as a client on a real network does.
        let offset = 0;
        const write = () => {
          while (offset < body.length) {
            const ok = req.write(body.subarray(offset, offset + 64 * 1024));
            offset += 64 * 1024;
            if (!ok) return void req.once('drain', write);
          }
          req.end();
        };
        write();
      });
      expectPinned(res, 401);
    }
  });
});

describe('the admin key on per-case routes', () => {
  it('reads and acts on any case by id: the case names its store', async () => {
    const created = await request('POST', '/escalate', { body: json(seedConversation()) });
    const id = created.json().escalation.id;
    const admin = { key: ADMIN_KEY };
    const got = await request('GET', `/escalations/${id}`, admin);
    expect(got.status, got.text).toBe(200);
    expect(got.json()).toMatchObject({ id, storeId: store.id });
    expect((await request('POST', `/escalations/${id}/assign`, { ...admin, body: json({ assignedTo: 'ops' }) })).status).toBe(200);
    expect((await request('POST', `/escalations/${id}/feedback`, { ...admin, body: json({ warranted: true }) })).status).toBe(201);
    expect((await request('POST', `/escalations/${id}/resolve`, { ...admin, body: json({ summary: 'done' }) })).status).toBe(200);
    expect((await request('POST', `/escalations/${id}/reopen`, admin)).status).toBe(200);
    expectPinned(await request('POST', `/escalations/${id}/retry`, admin), 409);
    expectPinned(await request('GET', '/escalations/00000000-0000-4000-8000-000000000000', admin), 404);
    // A store key still reaches only its own cases.
    const other = (await request('POST', '/stores', { key: ADMIN_KEY, body: json({ name: 'other' }) })).json();
    expectPinned(await request('GET', `/escalations/${id}`, { key: other.apiKey }), 404);
  });
});

describe('webhook URLs refused when saved', () => {
  const save = (url: string) =>
    request('PUT', `/stores/${store.id}/escalation-config`, {
      body: json({ webhook: { enabled: true, url, secret: `whsec_${randomBytes(32).toString('base64')}` } }),
    });

  it('400 naming the URL for IP literals in private, loopback, link-local, unique-local, NAT64, 6to4 and metadata ranges', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.5/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.100.100.200/',
      'http://[::1]/hook',
      'http://[fe80::1]/hook',
      'http://[fd00:ec2::254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::]/',
      'http://[::ffff:7f00:1]/',
      'http://0x7f000001/',
      'http://localhost:3000/hook',
    ]) {
      const res = await save(url);
      const body = expectPinned(res, 400, /webhook\.url/);
      expect(body.message, url).toContain(url);
    }
  });

  it('accepts public hosts; WEBHOOK_ALLOW_PRIVATE=true accepts private ones', async () => {
    expect((await save('https://hooks.example.com/reva')).status).toBe(200);
    expect((await save('http://93.184.216.34/reva')).status).toBe(200);
    const open = await buildApp({ config: testConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }), logger: false });
    try {
      const s = (await open.inject({ method: 'POST', url: '/stores', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { name: 'open' } })).json();
      const res = await open.inject({
        method: 'PUT',
        url: `/stores/${s.id}/escalation-config`,
        headers: { authorization: `Bearer ${s.apiKey}` },
        payload: { webhook: { enabled: true, url: 'http://127.0.0.1:9999/hook', secret: `whsec_${randomBytes(32).toString('base64')}` } },
      });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await open.close();
    }
  });
});
