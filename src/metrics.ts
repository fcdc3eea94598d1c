import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import { INTEGRATION_TYPES, type DeliveryQueues } from './delivery/queues.ts';

// One registry per process: the API's /metrics and the worker's /metrics serve the same families, so
// an `all` process shows everything and a split deployment shows each side's own numbers.
export const metricsRegistry = new Registry();
// The event-loop delay is sampled every 100 ms, not prom-client's default 10 ms: a timer firing 100
// times a second costs an idle process about 7 ms of CPU per second (measured), which every case
// pays at low rates; ten samples a second still give the lag percentiles of a scrape interval.
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const deliveryOutcomes = new Counter({
  name: 'escalation_deliveries_total',
  help: 'Helpdesk delivery attempts by integration, outcome (delivered, retry, failed) and error class',
  labelNames: ['integration', 'outcome', 'error_class'],
  registers: [metricsRegistry],
});

export const deliveryRetries = new Counter({
  name: 'escalation_delivery_retries_total',
  help: 'Delivery attempts that failed and will be tried again by the queue, by integration and error class',
  labelNames: ['integration', 'error_class'],
  registers: [metricsRegistry],
});

export const deliveryLatency = new Histogram({
  name: 'escalation_delivery_latency_seconds',
  help: "Time from the case's creation to the helpdesk's answer to the create call (retries included), by integration",
  labelNames: ['integration'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [metricsRegistry],
});

export const deliveryRequeues = new Counter({
  name: 'escalation_delivery_requeues_total',
  help: 'Deliveries put back on their queue: by the outbox sweeper (job missing) or by a manual retry',
  labelNames: ['integration', 'reason'],
  registers: [metricsRegistry],
});

export const slaAlerts = new Counter({
  name: 'escalation_sla_alerts_total',
  help: 'SLA warnings (80% of a target) and breaches (100%) fired, by target kind',
  labelNames: ['stage', 'kind'],
  registers: [metricsRegistry],
});

export const inboundWebhooks = new Counter({
  name: 'escalation_inbound_webhooks_total',
  help: 'Inbound helpdesk and Slack requests by source and outcome',
  labelNames: ['source', 'outcome'],
  registers: [metricsRegistry],
});

/**
 * Error classes an on-call engineer acts on differently: the helpdesk's HTTP status when there is one;
 * otherwise what the adapter decided (permanent = the store's settings, e.g. a Slack token or channel;
 * retryable = the network: refused, cut, timed out). Never from the message text.
 */
export type DeliveryErrorClass = 'none' | 'rate_limited' | 'auth' | 'client_error' | 'server_error' | 'timeout' | 'network' | 'config';

export function deliveryErrorClass(err: unknown): DeliveryErrorClass {
  const e = err as { status?: number; permanent?: boolean } | undefined;
  if (!e) return 'none';
  const status = e.status;
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status !== undefined && status >= 500) return 'server_error';
  if (status !== undefined && status >= 400) return 'client_error';
  return e.permanent ? 'config' : 'network';
}

/** One call per create attempt's end (worker.ts): outcome counter, retries, and the latency of a success. */
export function recordDelivery(integration: string, outcome: 'delivered' | 'retry' | 'failed', details: { caseCreatedAt?: Date; err?: unknown } = {}) {
  const errorClass = outcome === 'delivered' ? 'none' : deliveryErrorClass(details.err);
  deliveryOutcomes.inc({ integration, outcome, error_class: errorClass });
  if (outcome === 'retry') deliveryRetries.inc({ integration, error_class: errorClass });
  if (outcome === 'delivered' && details.caseCreatedAt)
    deliveryLatency.observe({ integration }, Math.max(0, Date.now() - details.caseCreatedAt.getTime()) / 1000);
}

// ── Queue depth, collected on scrape ──────────────────────────────────────────────────────────────

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** The queues this process reports (the newest source wins: one per process in production). */
let queueSource: (() => Queue[]) | undefined;

/** Makes /metrics report these queues' depth; returns the undo for shutdown. */
export function watchQueues(source: () => Queue[]): () => void {
  queueSource = source;
  return () => {
    if (queueSource === source) queueSource = undefined;
  };
}

/** The delivery queues of this process (SLA alerts have none: they are polled from Postgres). */
export function watchDeliveryQueues(queues: DeliveryQueues): () => void {
  return watchQueues(() => [queues.cases as Queue, ...INTEGRATION_TYPES.map((type) => queues.queue(type) as Queue)]);
}

/** A scrape must not hang on a stalled Redis: each queue read gets this long. */
const QUEUE_READ_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue read timed out')), QUEUE_READ_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

interface QueueSnapshot {
  name: string;
  counts: Record<string, number>;
  oldestWaitingMs: number;
}

async function snapshot(queue: Queue): Promise<QueueSnapshot> {
  const [counts, oldest] = await withTimeout(Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getJobs(['waiting', 'prioritized'], 0, 0, true)]));
  const first = oldest[0];
  return { name: queue.name, counts, oldestWaitingMs: first ? Math.max(0, Date.now() - first.timestamp) : 0 };
}

// Both gauges read one snapshot per scrape: the first collect takes it, the second reuses it.
let pending: Promise<QueueSnapshot[]> | undefined;
function snapshots(): Promise<QueueSnapshot[]> {
  pending ??= (async () => {
    const queues = queueSource?.() ?? [];
    const settled = await Promise.allSettled(queues.map(snapshot));
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  })().finally(() => setTimeout(() => (pending = undefined), 100).unref());
  return pending;
}

new Gauge({
  name: 'escalation_queue_jobs',
  help: 'Jobs per queue and state, read from Redis at scrape time (absent while Redis does not answer)',
  labelNames: ['queue', 'state'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const s of await snapshots()) for (const state of QUEUE_STATES) this.set({ queue: s.name, state }, s.counts[state] ?? 0);
  },
});

new Gauge({
  name: 'escalation_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting to be picked up, per queue (0 when none waits)',
  labelNames: ['queue'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const s of await snapshots()) this.set({ queue: s.name }, s.oldestWaitingMs / 1000);
  },
});

// ── The outbox relay (src/delivery/relay.ts): new cases that start from Postgres, not a queue ────────

/** A relay's load (src/delivery/relay.ts): per helpdesk lane, and how long the oldest waiting announcement has waited. */
export interface RelayLoad {
  lanes: { integration: string; inFlight: number; waiting: number }[];
  oldestWaitingMs: number;
}

const relays = new Set<{ load(): RelayLoad }>();
export const watchRelay = (relay: { load(): RelayLoad }) => relays.add(relay);
export const unwatchRelay = (relay: { load(): RelayLoad }) => relays.delete(relay);

new Gauge({
  name: 'escalation_relay_cases',
  help: "New cases whose first attempts to a helpdesk this process's relay is running (in_flight) or has heard of and not yet started (waiting), per helpdesk",
  labelNames: ['state', 'integration'],
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const relay of relays) {
      for (const lane of relay.load().lanes) {
        this.inc({ state: 'in_flight', integration: lane.integration }, lane.inFlight);
        this.inc({ state: 'waiting', integration: lane.integration }, lane.waiting);
      }
    }
  },
});

new Gauge({
  name: 'escalation_relay_oldest_waiting_seconds',
  help: "How long the oldest new case heard by this process's relay has waited to start (0 when none waits)",
  registers: [metricsRegistry],
  collect() {
    this.set(Math.max(0, ...[...relays].map((r) => r.load().oldestWaitingMs)) / 1000);
  },
});
