import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's helmet options, merged over the app's (the dashboard's strict CSP); false: none. */
    helmet?: HelmetOptions | false;
  }
}

type Headers = Record<string, string>;

/**
 * The headers helmet sets with these options. They depend on nothing in the request, so they are
 * computed once (the Fastify plugin builds helmet's middleware again on every request).
 */
export function helmetHeaders(options: HelmetOptions): Headers {
  const headers: Headers = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, res as never, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/** helmet's headers on every answer: the app's options, or a route's own (config.helmet) over them. */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions) {
  const defaults = helmetHeaders(options);
  const byRoute = new WeakMap<object, Headers>();
  const headersOf = (config: { helmet?: HelmetOptions | false } | undefined): Headers => {
    if (config?.helmet === undefined) return defaults;
    let headers = byRoute.get(config);
    if (!headers) {
      headers = config.helmet === false ? {} : helmetHeaders({ ...options, ...config.helmet } as HelmetOptions);
      byRoute.set(config, headers);
    }
    return headers;
  };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headersOf(request.routeOptions.config));
    done();
  });
}
