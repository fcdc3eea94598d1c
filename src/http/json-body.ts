import type { FastifyInstance } from 'fastify';

// Escapes of text Postgres cannot store: NUL, and UTF-16 surrogates (harmless in pairs, refused alone by jsonb).
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what Postgres text and jsonb refuse
const clean = (s: string) => s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');

/** Cleans every string and key in place; iterative, since a body may nest deeper than the stack. */
function cleanStrings(root: unknown): unknown {
  if (typeof root === 'string') return clean(root);
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      const cleanKey = clean(key);
      if (cleanKey !== key) delete record[key];
      record[cleanKey] = typeof value === 'string' ? clean(value) : value;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return root;
}

/**
 * Fastify's JSON parser, with NUL characters dropped and lone surrogates replaced by U+FFFD:
 * Postgres cannot store them, and a conversation must not fail to escalate because a client let one
 * slip into a message.
 */
export function registerJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = raw as string;
    if (!SUSPECT_ESCAPE.test(body)) return parse(request, body, done);
    parse(request, body, (err, parsed) => (err ? done(err) : done(null, cleanStrings(parsed))));
  });
}
