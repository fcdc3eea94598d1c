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
  /** A delivery that runs until its release is called; `started` says whether it got past the gate. */
  function delivery(fg: Foreground) {
    let release = () => {};
    const state = { started: false, done: undefined as Promise<void> | undefined, release: () => release() };
    const running = new Promise<void>((r) => {
      release = r;
    });
    state.done = fg.run(async () => {
      state.started = true;
      await running;
    });
    return state;
  }
  const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

  it('lets a delivery beside others wait while the API is busy, and go on once it calms down', async () => {
    const fg = new Foreground({ busyAt: 3, maxWaitMs: 10_000 });
    await listen(fg);
    const { answers } = await holdRequests(3);
    expect(fg.busy).toBe(true);
    const first = delivery(fg);
    const second = delivery(fg);
    await tick();
    // The only delivery running never waits; the one beside it does.
    expect([first.started, second.started]).toEqual([true, false]);
    held.shift()!.end('ok');
    await tick();
    expect(fg.busy).toBe(false);
    expect(second.started).toBe(true);
    first.release();
    second.release();
    await Promise.all([first.done, second.done]);
    answerAll();
    await Promise.all(answers);
  });

  it('with nothing running, the oldest waiting delivery goes even while the API stays busy', async () => {
    const fg = new Foreground({ busyAt: 1, maxWaitMs: 10_000 });
    await listen(fg);
    const { answers } = await holdRequests(2);
    const [a, b, c] = [delivery(fg), delivery(fg), delivery(fg)];
    await tick();
    expect([a.started, b.started, c.started]).toEqual([true, false, false]);
    a.release();
    await tick();
    expect([b.started, c.started]).toEqual([true, false]);
    b.release();
    await tick();
    expect(c.started).toBe(true);
    c.release();
    await Promise.all([a.done, b.done, c.done]);
    answerAll();
    await Promise.all(answers);
  });

  it('counts a request the client gave up on as gone', async () => {
    const fg = new Foreground({ busyAt: 2, maxWaitMs: 10_000 });
    await listen(fg);
    const { abort } = await holdRequests(2);
    const [a, b] = [delivery(fg), delivery(fg)];
    await tick();
    expect(b.started).toBe(false);
    abort();
    await tick();
    expect(fg.busy).toBe(false);
    expect(b.started).toBe(true);
    a.release();
    b.release();
    await Promise.all([a.done, b.done]);
  });

  it('waits no longer than maxWaitMs under a steady overload', async () => {
    const fg = new Foreground({ busyAt: 1, maxWaitMs: 150 });
    await listen(fg);
    const { answers } = await holdRequests(2);
    const a = delivery(fg);
    const started = Date.now();
    await fg.run(async () => {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fg.busy).toBe(true);
    a.release();
    await a.done;
    answerAll();
    await Promise.all(answers);
  });

  it('a delivery that fails frees its place like one that succeeds', async () => {
    const fg = new Foreground({ busyAt: 1, maxWaitMs: 10_000 });
    await listen(fg);
    const { answers } = await holdRequests(1);
    let fail = () => {};
    const failing = fg.run(() => new Promise<void>((_, reject) => (fail = () => reject(new Error('helpdesk down')))));
    const next = delivery(fg);
    await tick();
    expect(next.started).toBe(false);
    fail();
    await expect(failing).rejects.toThrow('helpdesk down');
    await tick();
    expect(next.started).toBe(true);
    next.release();
    await next.done;
    answerAll();
    await Promise.all(answers);
  });
});
