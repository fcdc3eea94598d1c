// A server process for the HTTP benchmark: `baseline` (bare Fastify + one INSERT) or `full` (the service).
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { benchEnv } from './env.ts';

const mode = process.argv[2];
const port = Number(process.argv[3] ?? 0);

if (mode === 'baseline') {
  const pool = new pg.Pool({ connectionString: benchEnv().DATABASE_URL, max: 10 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, conversation_id text NOT NULL, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.post('/escalate', async (request, reply) => {
    const body = request.body as { conversationId: string };
    const { rows } = await pool.query('INSERT INTO bench_baseline (conversation_id, body) VALUES ($1, $2) RETURNING id', [body.conversationId, body]);
    return reply.status(201).send({ id: rows[0].id });
  });
  await app.listen({ port, host: '127.0.0.1' });
} else {
  const config = loadConfig(benchEnv(process.env.BENCH_EXTRA_ENV ? JSON.parse(process.env.BENCH_EXTRA_ENV) : {}));
  const app = await buildApp({ config, logger: false });
  await app.listen({ port, host: '127.0.0.1' });
}
console.log('READY');
process.on('SIGINT', () => process.exit(0));
