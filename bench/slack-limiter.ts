// The Slack channel limiter alone, before and after, side by side: the acceptance run's pattern
// (RATE cases/s round-robin over CHANNELS channels, each case a message then a thread reply) against
// a private redis-server, with the worker's timing modelled: a marker save before each post, a post
// round trip, and stalls that bunch cases up (a worker or Postgres pause). Prints the message's wait
// for its slot (p50/p99/max), the reply's, the sandbox's verdict on the slot times (bucket 3, 1/s,
// with and without arrival jitter) and CPU per case of this process and of Redis.
//   node --import tsx bench/slack-limiter.ts            (env: RATE, SECONDS, CHANNELS, PATTERN=roundrobin|random,
//                                                          STALL_MS, STALL_EVERY_S)
// To compare with another version of the limiter, put it beside the current one and name it:
//   git show 97d95e0:src/integrations/rate-limits.ts > src/integrations/rate-limits-before.ts
//   LIMITERS=before=rate-limits-before.ts,after=rate-limits.ts node --import tsx bench/slack-limiter.ts
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type * as Limiter from '../src/integrations/rate-limits.ts';
import { type DeliveryContext, type IntegrationAdapter, SettleWait } from '../src/integrations/types.ts';

const RATE = Number(process.env.RATE ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 30);
const CHANNELS = Number(process.env.CHANNELS ?? 200);
const PATTERN = process.env.PATTERN ?? 'roundrobin';
/** Every STALL_EVERY_S a pause of STALL_MS: cases arriving meanwhile start together when it ends. */
const STALL_EVERY_S = Number(process.env.STALL_EVERY_S ?? 5);
const STALL_MS = Number(process.env.STALL_MS ?? 1500);

const rng = (() => {
  let x = 42;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
})();
/** A marker save: mostly 2 ms, one in 50 takes 100–300 ms. */
const saveMs = () => (rng() < 0.02 ? 100 + rng() * 200 : 1 + rng() * 2);
const postMs = () => 3 + rng() * 4;

interface Sample {
  channel: string;
  message: number;
  reply: number;
  replyFrom?: number;
  slots: number[];
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function run(label: string, lib: typeof Limiter, redisUrl: string, redis: Redis) {
  await redis.flushdb();
  const samples: Sample[] = [];
  const adapter: IntegrationAdapter = lib.withRateLimits({
    type: 'SLACK',
    async create(ctx) {
      const s = ctx as unknown as { t0: number; sample: Sample };
      const dest = lib.slackChannel(ctx, s.sample.channel);
      // The message: turn, marker, slot, post (a job that came back after a long wait skips what it did).
      if (!s.sample.message) {
        await lib.throttle(ctx, dest, 'first');
        await sleep(saveMs());
        await lib.throttleRequest(ctx);
        s.sample.message = performance.now() - s.t0;
        s.sample.slots.push(Date.now());
        await sleep(postMs());
      }
      // The reply: turn, marker, slot.
      const r0 = s.sample.replyFrom ?? performance.now();
      s.sample.replyFrom = r0;
      await lib.throttle(ctx, dest, 'later');
      await sleep(saveMs());
      await lib.throttleRequest(ctx);
      s.sample.reply = performance.now() - r0;
      s.sample.slots.push(Date.now());
      await sleep(postMs());
      return { externalId: 'x', externalUrl: null };
    },
    update: async () => {},
  });
  const config = { redisUrl, slack: { botToken: 'xoxb-bench' } };
  const store = { config: { secrets: {} }, sandbox: false };
  const total = RATE * SECONDS;
  const start = performance.now() + 200;
  const cpu0 = process.cpuUsage();
  const redisCpu0 = await redisCpu(redis);
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    let due = start + (i * 1000) / RATE;
    // A stall: what arrives during it starts when it ends.
    const inCycle = (due - start) % (STALL_EVERY_S * 1000);
    if (STALL_MS > 0 && inCycle < STALL_MS) due += STALL_MS - inCycle;
    const channel = `CB${String(PATTERN === 'random' ? Math.floor(rng() * CHANNELS) : i % CHANNELS).padStart(6, '0')}`;
    const createdAt = new Date(Date.now() + (start + (i * 1000) / RATE - performance.now()));
    const sample: Sample = { channel, message: 0, reply: 0, slots: [] };
    samples.push(sample);
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const ctx = {
      config,
      store,
      escalation: { createdAt },
      delivery: { id: `d${i}`, type: 'SLACK' },
      t0: performance.now(),
      sample,
    } as unknown as DeliveryContext;
    // As the worker does: a long wait for the limit delays the job, which then comes back.
    const attempt = async (): Promise<void> => {
      try {
        await adapter.create(ctx);
      } catch (err) {
        if (!(err instanceof SettleWait)) return void console.error(`${label}: ${(err as Error).message}`);
        await sleep(Math.max(0, err.untilMs - Date.now()));
        return attempt();
      }
    };
    jobs.push(attempt());
  }
  await Promise.all(jobs);
  const cpu = process.cpuUsage(cpu0);
  const redisMs = (await redisCpu(redis)) - redisCpu0;
  await lib.closeRateLimits();
  return { label, samples, nodeMs: (cpu.user + cpu.system) / 1000 / total, redisMs: redisMs / total };
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const f = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return (f('used_cpu_sys') + f('used_cpu_user')) * 1000;
}

const q = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? Number.NaN;
const fmt = (n: number) => n.toFixed(0);

/** Requests the sandbox (bucket of 3, 1 a second per channel) would refuse, with `jitterMs` of random arrival delay. */
function refused(samples: Sample[], jitterMs: number): number {
  const byChannel = new Map<string, number[]>();
  for (const s of samples) byChannel.set(s.channel, [...(byChannel.get(s.channel) ?? []), ...s.slots.map((t) => t + rng() * jitterMs)]);
  let n = 0;
  for (const times of byChannel.values()) {
    times.sort((a, b) => a - b);
    let tokens = 3;
    let at = times[0] ?? 0;
    for (const t of times) {
      tokens = Math.min(3, tokens + (t - at) / 1000);
      at = t;
      if (tokens >= 1) tokens -= 1;
      else n++;
    }
  }
  return n;
}

const port = await freePort();
const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
try {
  await sleep(300);
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url);
  console.log(
    `${RATE} cases/s for ${SECONDS} s, ${CHANNELS} channels (${PATTERN}), a ${STALL_MS} ms stall every ${STALL_EVERY_S} s; marker save 1–3 ms (2%: 100–300 ms), post 3–7 ms`,
  );
  console.log(
    '| limiter | message wait p50 / p99 / max ms | messages waiting > 300 ms | reply wait p50 / p99 / max ms | refused by a 3/1 s bucket (0 / 200 / 500 ms jitter) | Node CPU ms/case | Redis CPU ms/case |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const limiters = (process.env.LIMITERS ?? 'current=rate-limits.ts').split(',').map((entry) => {
    const [label, file] = entry.split('=') as [string, string];
    return { label, load: () => import(`../src/integrations/${file}`) as Promise<typeof Limiter> };
  });
  for (const round of [0, 1]) {
    for (const { label, load } of limiters) {
      const r = await run(label, await load(), url, redis);
      const m = r.samples.map((s) => s.message).sort((a, b) => a - b);
      const rep = r.samples.map((s) => s.reply).sort((a, b) => a - b);
      // The message wait net of the marker save modelled before its slot (≈ 2 ms; 2% up to 300).
      console.log(
        `| ${label} (round ${round + 1}) | ${fmt(q(m, 0.5))} / ${fmt(q(m, 0.99))} / ${fmt(m.at(-1)!)} | ${m.filter((x) => x > 300).length} of ${m.length} | ${fmt(q(rep, 0.5))} / ${fmt(q(rep, 0.99))} / ${fmt(rep.at(-1)!)} | ${refused(r.samples, 0)} / ${refused(r.samples, 200)} / ${refused(r.samples, 500)} | ${r.nodeMs.toFixed(2)} | ${r.redisMs.toFixed(3)} |`,
      );
    }
  }
  await redis.quit();
} finally {
  server.kill();
}
