// Graceful drain: on SIGTERM /ready turns 503 at once, requests are still served (with Connection: close)
// for the drain delay, requests in flight finish, then the process exits 0.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.ts';
import { ADMIN_KEY, testConfig } from '../helpers/app.ts';
import { createDb } from '../../src/db/client.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { freePort, startRedis, waitUntil, type RedisServer } from '../helpers/pipeline.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

function get(port: number, path: string, agent?: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

const refused = (port: number) =>
  get(port, '/health').then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED',
  );

describe('drain (in process)', () => {
  it('/ready 503 at once; a kept-alive connection is still answered, with Connection: close; in-flight requests finish; then the listener closes', async () => {
    const app = await buildApp({ config: testConfig(), logger: false });
    let slowStarted = () => {};
    const slowIsRunning = new Promise<void>((resolve) => (slowStarted = resolve));
    app.get('/slow', async () => {
      slowStarted();
      await new Promise((r) => setTimeout(r, 600));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(port, '/health', agent);
      expect(first.status).toBe(200);
      expect(first.headers.connection).toBe('keep-alive');

      const closed = app.ctx.drain.drainAndClose(app, 400);
      const ready = await get(port, '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({ status: 'draining', checks: {} });

      // The request races in on the connection kept alive from before: answered, and told to close.
      const racing = await get(port, '/health', agent);
      expect(racing.reusedSocket).toBe(true);
      expect(racing.status).toBe(200);
      expect(racing.headers.connection).toBe('close');

      // In flight when the listener closes: it finishes.
      const slow = get(port, '/slow');
      await slowIsRunning;
      await closed;
      const done = await slow;
      expect(done.status).toBe(200);
      expect(JSON.parse(done.body)).toEqual({ done: true });
      expect(await refused(port)).toBe(true);
    } finally {
      agent.destroy();
      await app.close();
    }
  });
});

describe('SIGTERM on the real process (src/main.ts)', () => {
  let child: ChildProcess | undefined;
  let redis: RedisServer | undefined;
  let sandbox: Sandbox | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await redis?.stop();
    await sandbox?.close();
  });

  it('drains for SHUTDOWN_DRAIN_MS, finishes the delivery job in flight, then exits 0', async () => {
    [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
    const port = await freePort();
    const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ROLE: 'all',
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: redis.url,
        ADMIN_API_KEY: ADMIN_KEY,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        // Operator overrides (as in tests and staging): the helpdesks are this test's sandbox; no demo store.
        SLACK_API_URL: sandbox.slackApiUrl,
        ZENDESK_API_URL: sandbox.zendeskUrl,
        FRESHDESK_API_URL: sandbox.freshdeskUrl,
        LOG_LEVEL: 'warn',
        SHUTDOWN_DRAIN_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitUntil('the API listening', () => output.includes('workers started') && output.includes('API on'), 30_000, 100).catch((err) => {
      throw new Error(`${(err as Error).message}\n${output}`);
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const api = (method: string, path: string, key: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const db = createDb(process.env.DATABASE_URL!, 1);
    try {
      expect((await get(port, '/ready', agent)).status).toBe(200);
      // A Slack post that takes longer than the drain delay is in flight when SIGTERM comes.
      const store = (await (await api('POST', '/stores', ADMIN_KEY, { name: `drain-${randomBytes(3).toString('hex')}` })).json()) as {
        id: string;
        apiKey: string;
      };
      expect(
        (
          await api('PUT', `/stores/${store.id}/escalation-config`, store.apiKey, {
            slack: { enabled: true, channel: '#support', botToken: 'xoxb-test-token' },
          })
        ).status,
      ).toBe(200);
      sandbox.setLatency('slack', 2500);
      const escalated = await api('POST', '/escalate', store.apiKey, {
        conversationId: `drain-${randomBytes(3).toString('hex')}`,
        channel: 'web_chat',
        manual: true,
        messages: [{ role: 'customer', text: 'I want a human' }],
      });
      expect(escalated.status).toBe(201);
      const caseId = ((await escalated.json()) as { escalation: { id: string } }).escalation.id;
      await sandbox.waitFor((s) => s.requests.some((r) => r.service === 'slack' && r.path.includes('chat.postMessage')), 10_000);

      const signalled = Date.now();
      child.kill('SIGTERM');
      const ready = await waitUntil(
        '/ready 503',
        async () => {
          const res = await get(port, '/ready');
          return res.status === 503 ? res : undefined;
        },
        1000,
        20,
      );
      expect(Date.now() - signalled).toBeLessThan(1000);
      expect(JSON.parse(ready.body).status).toBe('draining');

      const racing = await get(port, '/health', agent);
      expect(racing.reusedSocket).toBe(true);
      expect(racing.status).toBe(200);
      expect(racing.headers.connection).toBe('close');

      const code = await exited;
      expect(code, output).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1000);
      // The job in flight finished before the exit: posted once, and recorded.
      const delivery = await db.escalationIntegration.findFirstOrThrow({ where: { escalationId: caseId, type: 'SLACK' } });
      expect(delivery.status).toBe('DELIVERED');
      expect(sandbox.state.slack.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(caseId))).toHaveLength(1);
    } finally {
      agent.destroy();
      await db.$disconnect();
    }
  }, 60_000);
});
