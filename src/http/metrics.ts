import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const deliveryOutcomes = new Counter({
  name: 'escalation_deliveries_total',
  help: 'Helpdesk delivery attempts by integration and outcome',
  labelNames: ['integration', 'outcome'],
  registers: [metricsRegistry],
});
