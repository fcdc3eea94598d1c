// A ROLE=worker process alone (src/main.ts in its own process, as compose runs it) serves /health, /ready
// and /metrics on its PORT; after a few escalations (made by an API in this process) its metrics show
// the delivery and queue families with real values.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../helpers/metrics.ts';
import { freePort, seedConversation, startPipeline, waitUntil, type Pipeline } from '../helpers/pipeline.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

let p: Pipeline;
let worker: ChildProcess;
let port: number;
let output = '';

beforeAll(async () => {
  // The API and the sweeper run here; no delivery worker in this process: only the child delivers. The
  // sweeper leaves the cases waiting in the child's relay alone (it would take them over after its minimum age).
  p = await startPipeline({ workers: false, sweepMinAgeMs: 60_000 });
  port = await freePort();
  worker = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH!,
      ...p.env,
      ROLE: 'worker',
      PORT: String(port),
      HOST: '127.0.0.1',
      SANDBOX: 'off',
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SHUTDOWN_DRAIN_MS: '0',
      // two cases at a time per helpdesk, so the slow Slack below leaves new cases waiting in the relay for the metrics to show
      DELIVERY_CONCURRENCY_CASES: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  worker.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await waitUntil('the worker process listening', () => output.includes('worker health and metrics on'), 30_000, 100).catch((err) => {
    throw new Error(`${(err as Error).message}\n${output}`);
  });
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const gone = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await gone;
  }
  await p?.close();
});

const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, text: await res.text() };
};

describe('ROLE=worker alone', () => {
  it('serves /health and /ready (Postgres and Redis) on PORT, and nothing of the API', async () => {
    expect(await get('/health')).toEqual({ status: 200, text: JSON.stringify({ status: 'ok' }) });
    // The first probe also opens the first database connection, while six queue workers start up: on a
    // busy machine it may take longer than the probe's 600 ms, so readiness is waited for (briefly).
    const ready = await waitUntil(
      '/ready 200',
      async () => {
        const r = await get('/ready');
        return r.status === 200 ? r : undefined;
      },
      5000,
      100,
    );
    expect(JSON.parse(ready.text)).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    const api = await get('/escalations');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.text)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    // The start-up lines went through pino: JSON lines with the [reva] text.
    const startLine = output.split('\n').find((l) => l.includes('workers started'));
    expect(JSON.parse(startLine!)).toMatchObject({ level: 30, msg: expect.stringMatching(/^\[reva\] workers started/) });
  });

  it('/metrics shows delivery outcomes, latency, error classes and queue depth with non-zero values after a few escalations', async () => {
    const ok = await p.createStore({ zendesk: null, freshdesk: null });
    const broken = await p.createStore({
      slack: { enabled: true, channel: '#missing-channel', botToken: 'xoxb-test-token' },
      zendesk: null,
      freshdesk: null,
      webhook: null,
    });
    // Slow Slack answers keep the cases' first Slack attempts running in the relay's Slack lane (and, past
    // its two places, waiting) while we scrape.
    p.sandbox.setLatency('slack', 700);
    let sawActive = 0;
    let sawWaiting = 0;
    let sawOldestWaiting = 0;
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        const { text } = await get('/metrics');
        sawActive = Math.max(sawActive, sample(text, 'escalation_relay_cases', { state: 'in_flight', integration: 'SLACK' }) ?? 0);
        sawWaiting = Math.max(sawWaiting, sample(text, 'escalation_relay_cases', { state: 'waiting', integration: 'SLACK' }) ?? 0);
        sawOldestWaiting = Math.max(sawOldestWaiting, sample(text, 'escalation_relay_oldest_waiting_seconds', {}) ?? 0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const cases = [];
    for (let i = 0; i < 12; i++) cases.push(await p.escalate(ok, seedConversation()));
    const failed = await p.escalate(broken, seedConversation());
    try {
      for (const c of cases) await p.waitForDelivery(ok, c.id, 'SLACK', 'DELIVERED', 30_000);
      await p.waitForDelivery(broken, failed.id, 'SLACK', 'FAILED', 30_000);
      await waitUntil(
        'the webhook deliveries',
        async () => (await p.db.escalationIntegration.count({ where: { type: 'WEBHOOK', status: 'DELIVERED' } })) === 12,
        30_000,
        100,
      );
    } finally {
      scraping = false;
      await scraper;
      p.sandbox.setLatency('slack', 0);
    }
    expect(sawActive).toBeGreaterThan(0);
    expect(sawActive).toBeLessThanOrEqual(2);
    expect(sawWaiting).toBeGreaterThan(0);
    expect(sawOldestWaiting).toBeGreaterThan(0);

    const { status, text } = await get('/metrics');
    expect(status).toBe(200);
    expect(sample(text, 'escalation_deliveries_total', { integration: 'SLACK', outcome: 'delivered', error_class: 'none' })).toBe(12);
    expect(sample(text, 'escalation_deliveries_total', { integration: 'WEBHOOK', outcome: 'delivered', error_class: 'none' })).toBe(12);
    // channel_not_found cannot be fixed by retrying: one attempt, failed, classed as our configuration.
    expect(sample(text, 'escalation_deliveries_total', { integration: 'SLACK', outcome: 'failed', error_class: 'config' })).toBe(1);
    // Latency from case creation to Slack's answer: 12 observations, each at least the sandbox's 700 ms.
    expect(sample(text, 'escalation_delivery_latency_seconds_count', { integration: 'SLACK' })).toBe(12);
    expect(sample(text, 'escalation_delivery_latency_seconds_bucket', { integration: 'SLACK', le: '0.5' })).toBe(0);
    expect(sample(text, 'escalation_delivery_latency_seconds_sum', { integration: 'SLACK' })).toBeGreaterThan(12 * 0.7);
    // Queue depth read from Redis at scrape time: no fan-out job (the relay took the cases); the Slack
    // failure was for good (channel_not_found), so no Slack retry job was made, and none failed.
    expect(sample(text, 'escalation_queue_jobs', { queue: 'deliver-case', state: 'waiting' })).toBe(0);
    expect(sample(text, 'escalation_relay_cases', { state: 'in_flight', integration: 'SLACK' })).toBe(0);
    expect(sample(text, 'escalation_relay_cases', { state: 'waiting', integration: 'SLACK' })).toBe(0);
    expect(sample(text, 'escalation_queue_jobs', { queue: 'deliver-slack', state: 'failed' })).toBe(0);
    expect(sample(text, 'escalation_queue_jobs', { queue: 'deliver-webhook', state: 'waiting' })).toBe(0);
    expect(sample(text, 'escalation_queue_oldest_waiting_seconds', { queue: 'deliver-webhook' })).toBe(0);
    // SLA alerts are polled from Postgres (sla_timers): there is no SLA queue to report.
    expect(sample(text, 'escalation_queue_jobs', { queue: 'sla', state: 'waiting' })).toBeUndefined();
    for (const family of [
      'escalation_delivery_retries_total',
      'escalation_sla_alerts_total',
      'escalation_delivery_requeues_total',
      'process_cpu_seconds_total',
    ])
      expect(text).toContain(`# TYPE ${family}`);
  }, 90_000);

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }, 40_000);
});
