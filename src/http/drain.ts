import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * Graceful shutdown of the HTTP side. On SIGTERM /ready answers 503 at once so the load balancer
 * stops sending new work; for `delayMs` every request is still served, with `Connection: close` so
 * kept-alive clients reconnect elsewhere; then the listener closes, requests in flight finish, and
 * idle connections are closed.
 */
export class Drain {
  private started?: Promise<void>;
  draining = false;

  /** Answers with `Connection: close` once draining. */
  register(app: FastifyInstance) {
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) reply.header('connection', 'close');
      done(null, payload);
    });
  }

  /** Starts the drain (once; later calls get the same promise) and closes `app` after `delayMs`. */
  drainAndClose(app: FastifyInstance, delayMs: number, log: FastifyBaseLogger = app.log): Promise<void> {
    this.started ??= (async () => {
      this.draining = true;
      log.info({ delayMs }, 'draining: /ready answers 503; still serving until the listener closes');
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await app.close();
    })();
    return this.started;
  }
}
