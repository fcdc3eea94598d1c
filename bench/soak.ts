// npm run bench -- soak: a long run at a fixed rate (50 escalations/s for 10 minutes by default, 3
// integrations, 200 stores), watching what grows: each process's memory, Redis's memory and keys, the
// deliveries not yet made and how long a case takes to reach Slack, by 30 s window. A leak, a queue
// that falls behind or a helpdesk call whose cost grows with the helpdesk's history shows here and in
// no short phase: the first such run found the sandbox answering every ticket of a requester at once
// (every bench case has the same customer), which after ~7 minutes sent the worker to 2.2 GB.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { fmt, num } from './e2e.ts';
import { conversation } from './env.ts';
import { openLoop, quantile, type Sent } from './openloop.ts';
import { createFleet, slackArrivals, startStack, waitDelivered } from './stack.ts';

/** Resident memory of a process in MB (VmRSS), or NaN once it is gone. */
function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

interface Sample {
  at: number;
  posted: number;
  delivered: number;
  api: number;
  worker: number;
  sandbox: number;
  redisMb: number;
  redisKeys: number;
}

export async function soak(s: { quick: boolean }): Promise<void> {
  const seconds = num('BENCH_SOAK_S', s.quick ? 60 : 600);
  const rate = num('BENCH_SOAK_RATE', 50);
  const every = num('BENCH_SOAK_SAMPLE_S', s.quick ? 10 : 30);
  console.log(`\n## Soak: ${rate} escalations/s for ${seconds} s, Slack + Zendesk + Freshdesk, 200 stores, API and worker separate; a line every ${every} s`);
  const stack = await startStack('split', 'soak');
  const redis = new Redis(stack.redisUrl);
  try {
    const fleet = await createFleet(stack, num('BENCH_STORES', 200), ['slack', 'zendesk', 'freshdesk'], 'soak');
    const samples: Sample[] = [];
    let posted = 0;
    const t0 = Date.now();
    const sample = async () => {
      const memory = await redis.info('memory');
      const { rows } = await stack.pool.query(`SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM escalation_integrations`);
      const at: Sample = {
        at: (Date.now() - t0) / 1000,
        posted,
        delivered: rows[0].delivered,
        api: rssMb(stack.processes.api.pid),
        worker: rssMb(stack.processes.worker!.pid),
        sandbox: rssMb(stack.processes.sandbox.pid),
        redisMb: Number(/used_memory:(\d+)/.exec(memory)?.[1]) / 1024 / 1024,
        redisKeys: await redis.dbsize(),
      };
      samples.push(at);
      console.log(
        `${fmt(at.at)} s: ${fmt(at.posted)} posted, ${fmt(at.delivered)} of ${fmt(at.posted * 3)} deliveries made; RSS MB API ${fmt(at.api)} · worker ${fmt(at.worker)} · sandbox ${fmt(at.sandbox)}; Redis ${fmt(at.redisMb, 1)} MB, ${fmt(at.redisKeys)} keys`,
      );
    };
    await sample();
    const timer = setInterval(() => void sample().catch(() => {}), every * 1000);
    let sent: Sent[];
    try {
      sent = await openLoop({
        url: stack.apiUrl,
        rate,
        seconds,
        request: (i) => {
          posted++;
          return { path: '/escalate', headers: { authorization: `Bearer ${fleet[i % fleet.length]!.apiKey}` }, body: conversation(randomUUID(), true) };
        },
      });
    } finally {
      clearInterval(timer);
    }
    const accepted = sent.filter((r) => r.status >= 200 && r.status < 300);
    const ids = accepted.map((r) => (r.body as any)?.escalation?.id as string).filter(Boolean);
    const delivered = await waitDelivered(stack.pool, ids, 3, num('BENCH_DRAIN_S', 300) * 1000);
    await sample();

    // POST → Slack by minute of the run: a service that falls behind shows as a rising line.
    const arrivals = await slackArrivals(stack.sandboxUrl);
    const byMinute = new Map<number, number[]>();
    const start = sent[0]?.sentAt ?? 0;
    for (const r of accepted) {
      const at = arrivals.get((r.body as any)?.escalation?.id);
      if (at === undefined) continue;
      const minute = Math.floor((r.sentAt - start) / 60_000);
      const times = byMinute.get(minute) ?? [];
      times.push(at - r.sentAt);
      byMinute.set(minute, times);
    }
    const sortedMs = (v: number[]) => v.sort((a, b) => a - b);
    const p99s = [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => quantile(sortedMs(v), 0.99));
    console.log(`POST → Slack p99 by minute: ${p99s.map((v) => `${fmt(v)} ms`).join(' → ')}`);
    console.log(`${fmt(accepted.length)} of ${fmt(sent.length)} accepted; ${fmt(delivered)} of ${fmt(ids.length * 3)} deliveries made`);

    // What grew: the largest resident size in the run's first and last windows of a minute.
    const window = (from: number, to: number) => samples.filter((x) => x.at >= from && x.at <= to);
    const first = window(0, 60);
    const last = window(seconds - 60, seconds + 1);
    const most = (xs: Sample[], key: 'api' | 'worker' | 'redisMb' | 'redisKeys') => Math.max(...xs.map((x) => x[key]));
    if (first.length && last.length) {
      console.log(
        `first minute → last minute, largest: RSS MB API ${fmt(most(first, 'api'))} → ${fmt(most(last, 'api'))}, worker ${fmt(most(first, 'worker'))} → ${fmt(most(last, 'worker'))}; Redis ${fmt(most(first, 'redisMb'), 1)} → ${fmt(most(last, 'redisMb'), 1)} MB, ${fmt(most(first, 'redisKeys'))} → ${fmt(most(last, 'redisKeys'))} keys; over the whole run the worker peaked at ${fmt(Math.max(...samples.map((x) => x.worker)))} MB`,
      );
    }
  } finally {
    await redis.quit().catch(() => {});
    await stack.stop();
  }
}
