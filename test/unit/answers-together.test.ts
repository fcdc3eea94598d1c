// Answers finished by one event leave together once its work has settled (src/http/answers-together.ts):
// each still gets its own answer, over real HTTP, and no answer waits for the next turn of the loop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAnswersTogether } from '../../src/http/answers-together.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listen(setup: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify();
  writeAnswersTogether(app);
  setup(app);
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('answers written together once the work that finished them has settled', () => {
  it('several requests finished by one event are written after all of them, without waiting for the next turn', async () => {
    const events: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = 0;
    const url = await listen((app) => {
      app.get('/wait/:n', async (request, reply) => {
        const n = Number((request.params as { n: string }).n);
        const end = reply.raw.end.bind(reply.raw);
        reply.raw.end = ((...args: Parameters<typeof end>) => {
          events.push(`written ${n}`);
          return end(...args);
        }) as typeof reply.raw.end;
        // The shared event runs in the check phase (as detections do) and queues work for the next turn first.
        if (++arrived === 3)
          setImmediate(() => {
            setImmediate(() => events.push('next turn'));
            release();
          });
        await released;
        // Each request goes on for a different number of steps after the shared event (as handlers do).
        for (let i = 0; i < n * 5; i++) await Promise.resolve();
        events.push(`handled ${n}`);
        return { n };
      });
    });
    const answers = await Promise.all([0, 1, 2].map((n) => fetch(`${url}/wait/${n}`).then((r) => r.json())));
    expect(answers).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    await new Promise((resolve) => setImmediate(resolve));
    // Without the hook, request 0's answer leaves before requests 1 and 2 are handled.
    expect(events.slice(0, 3)).toEqual(['handled 0', 'handled 1', 'handled 2']);
    expect(events.slice(3, 6).sort()).toEqual(['written 0', 'written 1', 'written 2']);
    expect(events[6]).toBe('next turn');
  });

  it('many requests at once over their own connections each get their own answer, status and headers', async () => {
    const url = await listen((app) => {
      app.get('/echo/:n', (request, reply) => {
        const n = Number((request.params as { n: string }).n);
        return reply
          .status(n % 7 === 0 ? 404 : 200)
          .header('x-n', String(n))
          .send({ n });
      });
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const get = (n: number) =>
      new Promise<{ status: number; header: string; body: { n: number } }>((resolve, reject) => {
        http
          .get(`${url}/echo/${n}`, { agent }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode!, header: String(res.headers['x-n']), body: JSON.parse(text) }));
          })
          .on('error', reject);
      });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => get(n)));
    agent.destroy();
    answers.forEach((a, n) => {
      expect(a).toEqual({ status: n % 7 === 0 ? 404 : 200, header: String(n), body: { n } });
    });
  });
});
