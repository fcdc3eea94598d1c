// Processes for the benchmark's baselines (and the old in-process modes):
//   bare PORT     bare Fastify: POST /escalate INSERTs the JSON body as one jsonb row; POST /escalations/evaluate
//                 answers a constant decision. The floor a real route is compared with.
//   jobs          a BullMQ worker whose job is one HTTP POST (to the sandbox) + one pg UPDATE: the floor of a
//                 delivery. Env: BENCH_JOBS_QUEUE, BENCH_JOBS_CONCURRENCY, BENCH_JOBS_POST_URL, REDIS_URL, DATABASE_URL.
//   baseline PORT / full PORT   the older modes of the `http` and `large` phases.
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { benchEnv } from './env.ts';

const mode = process.argv[2];
const port = Number(process.argv[3] ?? 0);

/** The size and shape of a real decision, computed once. */
const CONSTANT_DECISION = {
  decision: {
    shouldEscalate: true,
    priority: 'HIGH',
    triggers: ['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH'],
    sentiment: -0.62,
    confidence: 0.3,
    intent: 'delivery',
    keywords: ['manager', 'ridiculous'],
    riskFlags: [],
    summary: 'Customer asks where order #1234 is after two weeks and wants a manager.',
    turns: 5,
  },
};

async function insertRoute(app: FastifyInstance, url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, conversation_id text NOT NULL, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  app.post('/escalate', async (request, reply) => {
    const body = request.body as { conversationId: string };
    const { rows } = await pool.query('INSERT INTO bench_baseline (conversation_id, body) VALUES ($1, $2) RETURNING id', [body.conversationId, body]);
    return reply.status(201).send({ id: rows[0].id });
  });
}

if (mode === 'bare' || mode === 'baseline') {
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  await insertRoute(app, process.env.DATABASE_URL ?? benchEnv().DATABASE_URL!);
  app.post('/escalations/evaluate', async () => CONSTANT_DECISION);
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
} else if (mode === 'jobs') {
  const { Worker } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const postUrl = process.env.BENCH_JOBS_POST_URL!;
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const worker = new Worker<{ id: number; channel: string }>(
    process.env.BENCH_JOBS_QUEUE ?? 'bench-jobs',
    async (job) => {
      const res = await fetch(postUrl, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-bench', 'content-type': 'application/json' },
        body: JSON.stringify({ channel: job.data.channel, text: `baseline job ${job.data.id}` }),
      });
      const answer = (await res.json()) as { ok?: boolean; error?: string };
      if (!res.ok || answer.ok === false) throw new Error(`POST ${res.status} ${answer.error ?? ''}`);
      await pool.query('UPDATE bench_jobs SET done_at = now() WHERE id = $1', [job.data.id]);
    },
    { connection, concurrency: Number(process.env.BENCH_JOBS_CONCURRENCY ?? 24), removeOnComplete: { count: 0 } },
  );
  const { createServer } = await import('node:http');
  createServer((_req, res) => res.end('ok')).listen(port, '127.0.0.1');
  void worker;
} else {
  const config = loadConfig(benchEnv(process.env.BENCH_EXTRA_ENV ? JSON.parse(process.env.BENCH_EXTRA_ENV) : {}));
  const app = await buildApp({ config, logger: false });
  await app.listen({ port, host: '127.0.0.1' });
}
console.log('READY');
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
