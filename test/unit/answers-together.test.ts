// Answers finished in one turn of the event loop leave together at its end (src/http/answers-together.ts):
// each still gets its own answer, over real HTTP, and an answer waits only for the turn it was made in.
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

describe('answers written together at the end of the turn', () => {
  it('is written after the work its turn queued before it, not right after the handler', async () => {
    const events: string[] = [];
    const url = await listen((app) => {
      app.get('/one', (_request, reply) => {
        reply.raw.on('finish', () => events.push('written'));
        setImmediate(() => events.push('work queued in the same turn'));
        events.push('handled');
        return reply.send({ ok: true });
      });
    });
    const res = await fetch(`${url}/one`);
    expect(await res.json()).toEqual({ ok: true });
    expect(events).toEqual(['handled', 'work queued in the same turn', 'written']);
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
