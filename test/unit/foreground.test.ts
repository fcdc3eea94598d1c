// Foreground (ROLE=all): deliveries beside others wait while the API has many requests in flight.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Foreground } from '../../src/delivery/foreground.ts';

const held: ServerResponse[] = [];
const server = createServer((_req, res) => {
  held.push(res);
});
let url = '';

async function listen(fg: Foreground) {
  fg.track(server);
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function holdRequests(n: number) {
  const controller = new AbortController();
  const answers = Array.from({ length: n }, () => fetch(url, { signal: controller.signal }).catch(() => undefined));
  while (held.length < n) await new Promise((r) => setTimeout(r, 5));
  return { answers, abort: () => controller.abort() };
}

const answerAll = () => {
  for (const res of held.splice(0)) res.end('ok');
};

afterEach(async () => {
  answerAll();
  server.removeAllListeners('request');
  server.on('request', (_req, res) => held.push(res));
  await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  answerAll();
  await new Promise((r) => server.close(r));
});

describe('Foreground', () => {
  it('lets a delivery beside others wait while the API is busy, and go on once it calms down', async () => {
    const fg = new Foreground({ busyAt: 3, maxWaitMs: 10_000 });
    await listen(fg);
    const { answers } = await holdRequests(3);
    expect(fg.busy).toBe(true);
    // The only delivery running never waits.
    await fg.turn(false);
    let went = false;
    const waiting = fg.turn(true).then(() => {
      went = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(went).toBe(false);
    held.shift()!.end('ok');
    await waiting;
    expect(went).toBe(true);
    expect(fg.busy).toBe(false);
    answerAll();
    await Promise.all(answers);
  });

  it('counts a request the client gave up on as gone', async () => {
    const fg = new Foreground({ busyAt: 2, maxWaitMs: 10_000 });
    await listen(fg);
    const { abort } = await holdRequests(2);
    expect(fg.busy).toBe(true);
    const waiting = fg.turn(true);
    abort();
    await waiting;
    expect(fg.busy).toBe(false);
  });

  it('waits no longer than maxWaitMs under a steady overload', async () => {
    const fg = new Foreground({ busyAt: 1, maxWaitMs: 150 });
    await listen(fg);
    const { answers } = await holdRequests(2);
    const started = Date.now();
    await fg.turn(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fg.busy).toBe(true);
    answerAll();
    await Promise.all(answers);
  });
});
