import { defineSandboxModule } from './module.ts';
import { now } from './state.ts';
import { esc } from './page.ts';

export interface ReceivedCallback {
  id: number;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  at: string;
}

export interface WebhookState {
  received: ReceivedCallback[];
}

const KEPT = 1000;

/**
 * The chat backend's callback URL played by the sandbox: it takes any POST under /webhook/ and keeps
 * it for the page and tests (a store whose `webhook.url` points here, with WEBHOOK_ALLOW_PRIVATE=true).
 */
export const webhookSandbox = defineSandboxModule<WebhookState>({
  service: 'webhook',
  emptyState: () => ({ received: [] }),
  routes(app, ctx) {
    app.post('/*', async (req, reply) => {
      const { received } = ctx.state();
      if (received.length >= KEPT) received.shift();
      received.push({
        id: ctx.nextId('webhook.callback'),
        path: req.url.slice('/webhook'.length).split('?')[0] ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
        body: req.body ?? null,
        at: now(),
      });
      return reply.code(204).send();
    });
  },
  target: (req, path) => ({ verb: req.method, path }),
  // A Standard Webhooks receiver checks the signature itself; the sandbox takes every callback.
  authenticate: () => undefined,
  failure: (status, error) => ({ status, body: { error: error?.message ?? 'Sandbox: injected failure' } }),
  page: (state) =>
    `<section><h2>Webhook (chat backend)</h2>${
      state.received
        .slice(-20)
        .reverse()
        .map(
          (r) =>
            `<div class="card"><div class="meta">${esc(r.at)} · ${esc(r.headers['webhook-id'] ?? '')}</div><pre class="raw">${esc(JSON.stringify(r.body, null, 2))}</pre></div>`,
        )
        .join('') || '<p class="none">No callbacks.</p>'
    }</section>`,
});
