import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { z } from 'zod';
import { type Controls, failureRuleSchema } from './failures.ts';
import type { SandboxModule } from './module.ts';
import { now, type Store } from './state.ts';
import { renderPage } from './page.ts';

export type { SandboxAnswer as Answer } from './module.ts';

const MAX_RECORDED_REQUESTS = 10_000;

export function buildServer(store: Store, controls: Controls, modules: readonly SandboxModule[], logger = false): FastifyInstance {
  // forceCloseConnections: close() must not wait for requests a failure rule keeps hanging.
  const app = Fastify({ logger, forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
  app.register(formbody);
  const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  const services = modules.map((m) => m.service);

  for (const mod of modules) {
    app.register(
      async (scope) => {
        wireService(scope, mod, store, controls);
        mod.routes(scope, { state: () => store.state[mod.service] as never, nextId: store.nextId, nextTs: store.nextTs, origin });
        // A path the service does not have: recorded and open to failure rules like the others, then 404 in its words.
        scope.setNotFoundHandler((_req, reply) => {
          const answer = mod.failure(404);
          return reply.code(answer.status).send(answer.body);
        });
      },
      { prefix: `/${mod.service}` },
    );
  }

  app.get('/_sandbox/state', async () => store.state);
  app.post('/_sandbox/fail', async (req, reply) => {
    const rule = failureRuleSchema
      .refine((r) => services.includes(r.service), { message: `service must be one of ${services.join(', ')}`, path: ['service'] })
      .safeParse(req.body);
    if (!rule.success) return reply.code(400).send({ error: 'invalid_rule', issues: rule.error.issues });
    controls.add(rule.data);
    return { ok: true, pending: controls.rules.length };
  });
  app.post('/_sandbox/latency', async (req, reply) => {
    const body = z.object({ service: z.enum(services), ms: z.number().min(0) }).safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'invalid_latency', issues: body.error.issues });
    controls.latency[body.data.service] = body.data.ms;
    return { ok: true };
  });
  app.post('/_sandbox/reset', async () => {
    store.reset();
    controls.reset();
    return { ok: true };
  });
  const page = async (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(renderPage(store.state, modules));
  app.get('/', page);
  app.get('/_sandbox', page);
  // Slack permalinks point here; land on the message in the page.
  app.get('/slack/archives/:channel/:p', async (req, reply) => {
    const { channel, p } = req.params as { channel: string; p: string };
    const ts = p.replace(/^p(\d+)(\d{6})$/, '$1.$2');
    return reply.redirect(`/#msg-${encodeURIComponent(channel)}-${encodeURIComponent(ts)}`);
  });
  return app;
}

function wireService(scope: FastifyInstance, mod: SandboxModule, store: Store, controls: Controls): void {
  const commitDelays = new WeakMap<FastifyRequest, number>();
  const unanswered = new WeakSet<FastifyRequest>();
  const held = new WeakSet<FastifyRequest>();

  scope.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) req.log.error(error);
    const answer = mod.failure(status, error);
    return reply.code(answer.status).send(answer.body);
  });

  scope.addHook('preHandler', async (req, reply) => {
    const path = req.url.slice(`/${mod.service}`.length).split('?')[0] ?? '';
    const { requests } = store.state;
    // Bounded so a long benchmark run does not grow memory without limit.
    if (requests.length >= MAX_RECORDED_REQUESTS) requests.shift();
    requests.push({
      service: mod.service,
      method: req.method,
      path,
      query: { ...(req.query as Record<string, unknown>) },
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
      body: req.body ?? null,
      at: now(),
    });
    const refused = mod.admit?.(req, path, store.state[mod.service] as object);
    if (refused) {
      for (const [name, value] of Object.entries(refused.headers ?? {})) reply.header(name, value);
      return reply.code(refused.status).send(refused.body);
    }
    await controls.sleep(controls.latency[mod.service] ?? 0);

    const rule = controls.take(mod.service, mod.target(req, path));
    if (rule) {
      await controls.sleep(rule.hangMs ?? 0);
      const slackError = mod.service === 'slack' ? rule.slackError : undefined;
      if (rule.status !== undefined || slackError) {
        // The real services always send Retry-After with a 429; clients rely on it.
        const retryAfter = rule.retryAfter ?? (rule.status === 429 ? 1 : undefined);
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        const answer = slackError ? { status: 200, body: { ok: false, error: slackError } } : mod.failure(rule.status ?? 500);
        return reply.code(rule.status ?? answer.status).send(answer.body);
      }
      if (rule.delayAfterCommitMs) commitDelays.set(req, rule.delayAfterCommitMs);
      if (rule.commitAfterRetry) {
        held.add(req);
        await controls.holdUntilRepeated(mod.service, rule, rule.commitAfterMs ?? 60_000);
        unanswered.add(req);
      } else if (rule.commitAfterMs !== undefined) {
        await controls.sleep(rule.commitAfterMs);
        unanswered.add(req);
      }
    }

    const denied = mod.authenticate(req);
    if (denied) return reply.code(denied.status).send(denied.body);
  });

  // The handler has already stored its effect; holding the answer back mimics a client dying mid-call.
  scope.addHook('onSend', async (req, reply, payload) => {
    // This request's effect is stored: a request held until one like it came again lands just after it.
    if (!held.has(req) && reply.statusCode < 400) {
      const path = req.url.slice(`/${mod.service}`.length).split('?')[0] ?? '';
      controls.carriedOut(mod.service, mod.target(req, path));
    }
    const ms = commitDelays.get(req);
    if (ms) await controls.sleep(ms);
    // The work is done; the caller never hears of it (it has usually given up long ago).
    if (unanswered.has(req)) req.raw.socket?.destroy();
    return payload;
  });
}
