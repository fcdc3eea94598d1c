import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { computeAnalytics } from '../analytics/analytics.ts';
import { retryFailedDeliveries } from '../escalations/retry.ts';
import { listQuery } from '../escalations/schemas.ts';
import { listEscalations } from '../escalations/search.ts';
import { serializeCase } from '../cases/serialize.ts';
import type { AppContext } from '../http/context.ts';
import { DomainError, Invalid, NotFound } from '../cases/errors.ts';
import { constantTimeEquals } from '../stores/api-keys.ts';
import { slaClocks } from '../sla/clocks.ts';
import { layout } from './layout.ts';
import { analyticsPage, casePage, listPage, loginPage, storePicker } from './pages.ts';
import { COOKIE, SessionCodec, readCookie, safeNext, setSessionCookie, type Session } from './session.ts';
import { html, type SafeHtml } from './html.ts';
import { head } from '../text/code-points.ts';
import { RateLimitedError, signInRateLimit } from '../http/rate-limit.ts';
import { settingsRoutes } from './settings.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session;
  }
}

type Form = Record<string, string | undefined>;

/** No scripts, no frames, forms post only here; the layout's styles are inline. */
export const DASHBOARD_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};
const DASHBOARD_HELMET = { contentSecurityPolicy: DASHBOARD_CSP };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 24 * 3600 * 1000;

/** The merchants' dashboard: server-rendered HTML, forms post back, no JavaScript needed. */
export async function dashboardRoutes(app: FastifyInstance, ctx: AppContext) {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const sessions = new SessionCodec(ctx.config.encryptionKey);
  // Too many sign-in attempts: the sign-in page says so (429, Retry-After), not a JSON body in a browser.
  app.setErrorHandler(async (err, request, reply) => {
    if (!(err instanceof RateLimitedError)) throw err;
    return page(reply, request, 'Sign in', loginPage({ next: safeNext((request.body as Form | undefined)?.next), error: err.message }), 429);
  });
  // Every dashboard answer (pages, redirects, errors) carries the strict CSP: the dashboard has no JavaScript.
  // HTML pages are not part of the API contract: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), helmet: DASHBOARD_HELMET } as typeof route.config;
    route.schema = { ...(route.schema ?? {}), hide: true };
  });

  async function page(reply: FastifyReply, request: FastifyRequest, title: string, body: SafeHtml, status = 200) {
    const session = request.session;
    const store = session?.storeId ? await ctx.stores.get(session.storeId) : null;
    return reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ title, signedIn: !!session, storeName: store?.name, isAdmin: session?.kind === 'admin' }, body));
  }

  // A cross-site form post never carries the SameSite=Lax cookie; this refuses one that names another origin.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST') {
      const origin = request.headers.origin;
      if (origin && origin !== 'null' && originHost(origin) !== request.headers.host)
        return reply.status(403).send({ statusCode: 403, error: 'Forbidden', message: 'Cross-site form posts are refused', requestId: request.id });
    }
    const path = request.url.split('?')[0]!;
    if (path === '/dashboard/login') return;
    const session = sessions.decode(readCookie(request, COOKIE));
    const signIn = `/dashboard/login?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/dashboard')}`;
    if (!session) return reply.redirect(signIn);
    if (session.keyId && !(await ctx.stores.isKeyActive(session.keyId))) {
      setSessionCookie(request, reply, null);
      return reply.redirect(signIn);
    }
    request.session = session;
    if (!session.storeId && path !== '/dashboard/stores' && path !== '/dashboard/logout')
      return reply.redirect(`/dashboard/stores?next=${encodeURIComponent(request.url)}`);
  });

  app.get('/dashboard/login', async (request, reply) => {
    const next = safeNext((request.query as Form).next);
    return page(reply, request, 'Sign in', loginPage({ next }));
  });

  app.post('/dashboard/login', { config: { rateLimit: signInRateLimit(ctx.config) } }, async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const next = safeNext(form.next);
    const key = (form.apiKey ?? '').trim();
    if (key && key.length <= 512 && constantTimeEquals(key, ctx.config.adminApiKey)) {
      setSessionCookie(request, reply, sessions.encode({ kind: 'admin', storeId: null }));
      return reply.redirect(`/dashboard/stores?next=${encodeURIComponent(next)}`, 303);
    }
    const identity = key && key.length <= 512 ? await ctx.stores.keyIdentity(key) : null;
    if (!identity) return page(reply, request, 'Sign in', loginPage({ next, error: 'That API key is not valid.' }), 401);
    setSessionCookie(request, reply, sessions.encode({ kind: 'store', storeId: identity.storeId, keyId: identity.keyId }));
    return reply.redirect(next, 303);
  });

  app.post('/dashboard/logout', async (request, reply) => {
    setSessionCookie(request, reply, null);
    return reply.redirect('/dashboard/login', 303);
  });

  app.get('/dashboard/stores', async (request, reply) => {
    if (request.session!.kind !== 'admin') return reply.redirect('/dashboard');
    return page(reply, request, 'Choose a store', storePicker(await ctx.stores.list(), safeNext((request.query as Form).next)));
  });

  app.post('/dashboard/stores', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    if (request.session!.kind !== 'admin' || !UUID.test(form.storeId ?? '') || !(await ctx.stores.get(form.storeId!)))
      return reply.redirect('/dashboard/stores', 303);
    setSessionCookie(request, reply, sessions.encode({ kind: 'admin', storeId: form.storeId! }));
    return reply.redirect(safeNext(form.next), 303);
  });

  app.get('/dashboard', async (request, reply) => {
    const query = request.query as Form;
    const filters = Object.fromEntries(
      ['q', 'status', 'priority', 'channel', 'trigger', 'intent', 'assignedTo', 'cursor'].map((k) => [k, query[k]?.trim() || undefined]),
    );
    const parsed = listQuery.safeParse({ ...filters, limit: '50' });
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return page(reply, request, 'Escalations', html`<p class="error" role="alert">${message}</p>${listPage([], filters, null)}`, 400);
    }
    const { rows, nextCursor } = await listEscalations(ctx.db, request.session!.storeId!, parsed.data);
    const { cursor: _, ...shown } = filters;
    return page(
      reply,
      request,
      'Escalations',
      listPage(
        rows.map((r) => serializeCase(r, ctx.config.publicUrl)),
        shown,
        nextCursor,
      ),
    );
  });

  app.get('/dashboard/escalations/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const query = request.query as Form;
    if (!UUID.test(id)) return page(reply, request, 'Not found', notFoundBody(), 404);
    try {
      const e = await ctx.escalations.get(request.session!.storeId!, id);
      const store = await ctx.stores.get(request.session!.storeId!);
      const clocks = slaClocks(e, store?.config ?? {});
      return page(reply, request, e.summary, casePage(e, { error: query.error, notice: query.notice }, clocks));
    } catch (err) {
      if (err instanceof NotFound) return page(reply, request, 'Not found', notFoundBody(), 404);
      throw err;
    }
  });

  const actions: Record<string, (storeId: string, id: string, form: Form) => Promise<string>> = {
    assign: async (storeId, id, form) => {
      const who = head((form.assignedTo ?? '').trim(), 320);
      if (!who) throw new Invalid('Say who to assign the case to.');
      await ctx.lifecycle.assign(storeId, id, who, { source: 'dashboard', actor: who });
      return `Assigned to ${who}.`;
    },
    resolve: async (storeId, id, form) => {
      const summary = head((form.summary ?? '').trim(), 5000);
      if (!summary) throw new Invalid('A resolution summary is needed to resolve the case.');
      await ctx.lifecycle.resolve(storeId, id, summary, { source: 'dashboard' });
      return 'Resolved.';
    },
    reopen: async (storeId, id) => {
      await ctx.lifecycle.reopen(storeId, id, null, { source: 'dashboard' });
      return 'Reopened.';
    },
    retry: async (storeId, id) => {
      const types = await retryFailedDeliveries(ctx, storeId, id);
      return `Sending again: ${types.join(', ')}.`;
    },
  };

  app.post('/dashboard/escalations/:id/:action', async (request, reply) => {
    const { id, action } = request.params as { id: string; action: string };
    const run = actions[action];
    if (!run || !UUID.test(id)) return page(reply, request, 'Not found', notFoundBody(), 404);
    const back = `/dashboard/escalations/${id}`;
    try {
      const notice = await run(request.session!.storeId!, id, (request.body ?? {}) as Form);
      return reply.redirect(`${back}?notice=${encodeURIComponent(notice)}`, 303);
    } catch (err) {
      if (err instanceof DomainError) return reply.redirect(`${back}?error=${encodeURIComponent(err.message)}`, 303);
      throw err;
    }
  });

  settingsRoutes(app, ctx, page);

  app.get('/dashboard/analytics', async (request, reply) => {
    const query = request.query as Form;
    const parseDay = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null);
    const to = parseDay(query.to) ? new Date(parseDay(query.to)!.getTime() + DAY) : new Date();
    let from = parseDay(query.from) ?? new Date(to.getTime() - 30 * DAY);
    if (from >= to || to.getTime() - from.getTime() > 731 * DAY) from = new Date(to.getTime() - 30 * DAY);
    const interval = query.interval === 'week' ? 'week' : 'day';
    const analytics = await computeAnalytics(ctx.db, { storeId: request.session!.storeId!, from, to, interval });
    return page(reply, request, 'Analytics', analyticsPage(analytics, { from: from.toISOString(), to: new Date(to.getTime() - 1).toISOString(), interval }));
  });
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function notFoundBody() {
  return html`<h1>Not found</h1><p>This escalation does not exist in this store. <a href="/dashboard">Back to the list</a></p>`;
}
