import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { zendeskSection } from './page.ts';
import { defineSandboxModule, type SandboxContext } from './module.ts';
import { now, type ZendeskComment, type ZendeskState, type ZendeskTicket } from './state.ts';

type Store = SandboxContext<ZendeskState>;

type Obj = Record<string, unknown>;
type Details = Record<string, { description: string; error: string }[]>;

const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const TYPES = ['problem', 'incident', 'question', 'task'];
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const IDEMPOTENCY_TTL_MS = 2 * 60 * 60 * 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
const htmlToText = (html: string) =>
  html
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
const textToHtml = (text: string) => `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`;

/** Key-order independent, so a replayed body with reordered keys still matches its idempotency key. */
function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : isObj(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical(v[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

function validate(t: Obj, creating: boolean): Details {
  const details: Details = {};
  const add = (field: string, description: string, error = 'InvalidValue') =>
    (details[field] ??= []).push({ description: `${capitalise(field)}: ${description}`, error });
  const c = t.comment;
  const commentOk = isObj(c) && (nonEmpty(c.body) || nonEmpty(c.html_body));
  if (creating && !commentOk) add('description', 'cannot be blank', 'BlankValue');
  if (!creating && c !== undefined && !commentOk) add('comment', 'cannot be blank', 'BlankValue');
  if (isObj(c) && c.public !== undefined && typeof c.public !== 'boolean') add('comment', 'public must be true or false');
  for (const [field, allowed] of [
    ['priority', PRIORITIES],
    ['type', TYPES],
    ['status', STATUSES],
  ] as const) {
    if (t[field] !== undefined && t[field] !== null && !allowed.includes(String(t[field]))) {
      add(field, `"${String(t[field])}" is not one of ${allowed.join(', ')}`);
    }
  }
  if (t.subject !== undefined && typeof t.subject !== 'string') add('subject', 'must be a string');
  for (const field of ['tags', 'additional_tags', 'remove_tags']) {
    if (t[field] === undefined) continue;
    const tags = t[field];
    if (!Array.isArray(tags)) add(field, 'must be an array of strings');
    else for (const tag of tags) if (typeof tag !== 'string' || !/^\S+$/.test(tag)) add(field, `${JSON.stringify(tag)} is not a single token`);
  }
  if (t.custom_fields !== undefined) {
    const fields = t.custom_fields;
    if (!Array.isArray(fields)) add('custom_fields', 'must be an array of {id, value}');
    else for (const f of fields) if (!isObj(f) || !/^\d+$/.test(String(f.id))) add('custom_fields', `id ${JSON.stringify(isObj(f) ? f.id : f)} is not numeric`);
  }
  if (t.requester !== undefined) {
    const r = t.requester;
    if (!isObj(r) || (r.email === undefined && r.name === undefined)) add('requester', 'must have a name or an email');
    else if (r.email !== undefined && !(typeof r.email === 'string' && EMAIL.test(r.email))) add('requester', 'Email is invalid');
  }
  if (t.external_id !== undefined && t.external_id !== null && !['string', 'number'].includes(typeof t.external_id)) {
    add('external_id', 'must be a string');
  }
  return details;
}

function agentEmail(req: FastifyRequest): string {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return basic ? (Buffer.from(basic, 'base64').toString().split('/token:')[0] ?? '') : 'oauth-agent@sandbox.test';
}

function userId(store: Store, email: string | undefined, name?: string): number {
  const { users } = store.state();
  const found = email ? users.find((u) => u.email.toLowerCase() === email.toLowerCase()) : undefined;
  if (found) return found.id;
  const user = { id: store.nextId('zendesk.user'), name: name ?? email?.split('@')[0] ?? 'Unknown', email: email ?? '' };
  users.push(user);
  return user.id;
}

function makeComment(store: Store, c: Obj, authorId: number): ZendeskComment {
  const body = nonEmpty(c.body) ? c.body : htmlToText(String(c.html_body));
  return {
    id: store.nextId('zendesk.comment'),
    author_id: authorId,
    body,
    html_body: nonEmpty(c.html_body) ? c.html_body : textToHtml(body),
    public: c.public !== false,
    created_at: now(),
  };
}

function publicTicket(t: ZendeskTicket): Obj {
  const { comments: _c, statusHistory: _s, assignee_email: _a, ...rest } = t;
  return { ...rest, raw_subject: t.subject, assignee_id: null, group_id: null, via: { channel: 'api' } };
}

function audit(store: Store, t: ZendeskTicket, authorId: number, comment: ZendeskComment | undefined, changes: Obj, type: 'Create' | 'Change'): Obj {
  const events: Obj[] = [];
  if (comment) events.push({ ...comment, type: 'Comment', attachments: [] });
  for (const [field_name, value] of Object.entries(changes)) {
    events.push({ id: store.nextId('zendesk.event'), type, field_name, value });
  }
  return { id: store.nextId('zendesk.audit'), ticket_id: t.id, created_at: now(), author_id: authorId, via: { channel: 'api' }, events };
}

const invalid = (reply: FastifyReply, details: Details) => reply.code(422).send({ error: 'RecordInvalid', description: 'Record validation errors', details });
const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'RecordNotFound', description: 'Not found' });
const missingRoot = (reply: FastifyReply) => reply.code(400).send({ error: 'ParameterMissing', description: 'param is missing or the value is empty: ticket' });
const ticketId = (req: FastifyRequest) => Number((req.params as { id: string }).id.replace(/\.json$/, ''));
const withJson = (path: string) => [path, `${path}.json`];

function routes(app: FastifyInstance, store: Store): void {
  const { origin } = store;
  const find = (id: number) => store.state().tickets.find((t) => t.id === id);

  for (const url of withJson('/api/v2/tickets')) {
    app.post(url, async (req, reply) => {
      const body = req.body as Obj | undefined;
      if (!isObj(body) || !isObj(body.ticket)) return missingRoot(reply);
      const key = req.headers['idempotency-key'];
      const print = fingerprint(body);
      const previous = typeof key === 'string' ? store.state().idempotency[key] : undefined;
      if (previous && Date.now() - Date.parse(previous.at) < IDEMPOTENCY_TTL_MS) {
        if (previous.fingerprint !== print) {
          return reply.code(400).send({
            error: 'IdempotentRequestError',
            description: 'Request parameters do not match the original request for this Idempotency-Key',
          });
        }
        return reply.code(201).header('x-idempotency-lookup', 'hit').send(previous.response);
      }

      const t = body.ticket;
      const details = validate(t, true);
      if (Object.keys(details).length) return invalid(reply, details);

      const submitterId = userId(store, agentEmail(req));
      const requester = isObj(t.requester) ? t.requester : undefined;
      const requesterId = requester
        ? userId(store, requester.email as string | undefined, requester.name as string | undefined)
        : typeof t.requester_id === 'number'
          ? t.requester_id
          : submitterId;
      const id = store.nextId('zendesk.ticket');
      const comment = makeComment(store, t.comment as Obj, requesterId);
      const at = now();
      const status = typeof t.status === 'string' ? t.status : 'new';
      const ticket: ZendeskTicket = {
        id,
        url: `${origin(req)}/zendesk/api/v2/tickets/${id}.json`,
        external_id: t.external_id === undefined || t.external_id === null ? null : String(t.external_id),
        subject: typeof t.subject === 'string' ? t.subject : comment.body.slice(0, 80),
        description: comment.body,
        status,
        priority: typeof t.priority === 'string' ? t.priority : null,
        type: typeof t.type === 'string' ? t.type : null,
        tags: [...new Set((t.tags as string[] | undefined) ?? [])],
        custom_fields: ((t.custom_fields as Obj[] | undefined) ?? []).map((f) => ({ id: Number(f.id), value: f.value ?? null })),
        requester_id: requesterId,
        submitter_id: submitterId,
        assignee_email: typeof t.assignee_email === 'string' ? t.assignee_email : null,
        created_at: at,
        updated_at: at,
        comments: [comment],
        statusHistory: [{ status, at }],
      };
      store.state().tickets.push(ticket);
      const changes = { subject: ticket.subject, status, priority: ticket.priority, type: ticket.type, tags: ticket.tags };
      const response = { ticket: publicTicket(ticket), audit: audit(store, ticket, submitterId, comment, changes, 'Create') };
      if (typeof key === 'string') {
        // Stored before answering, so a retry after a lost answer finds it (delayAfterCommitMs).
        store.state().idempotency[key] = { fingerprint: print, ticketId: id, at, response };
        reply.header('x-idempotency-lookup', 'miss');
      }
      return reply.code(201).header('location', ticket.url).send(response);
    });
  }

  app.get('/api/v2/tickets/:id', async (req, reply) => {
    const ticket = find(ticketId(req));
    return ticket ? { ticket: publicTicket(ticket) } : notFound(reply);
  });

  // Comments of a ticket: oldest first unless sort_order=desc.
  for (const url of withJson('/api/v2/tickets/:id/comments')) {
    app.get(url, async (req, reply) => {
      const ticket = find(ticketId(req));
      if (!ticket) return notFound(reply);
      const desc = (req.query as { sort_order?: string }).sort_order === 'desc';
      const comments = desc ? [...ticket.comments].reverse() : ticket.comments;
      return { comments: comments.map((c) => ({ ...c, type: 'Comment', attachments: [] })), next_page: null, previous_page: null, count: comments.length };
    });
  }

  app.put('/api/v2/tickets/:id', async (req, reply) => {
    const ticket = find(ticketId(req));
    if (!ticket) return notFound(reply);
    const body = req.body as Obj | undefined;
    if (!isObj(body) || !isObj(body.ticket)) return missingRoot(reply);
    const t = body.ticket;
    if (ticket.status === 'closed') {
      return invalid(reply, { status: [{ description: 'Status: closed prevents ticket update', error: 'ClosedPreventsUpdate' }] });
    }
    const details = validate(t, false);
    if (Object.keys(details).length) return invalid(reply, details);

    const authorId = userId(store, agentEmail(req));
    const at = now();
    const changes: Obj = {};
    for (const field of ['subject', 'priority', 'type', 'assignee_email']) {
      if (typeof t[field] === 'string') changes[field] = t[field];
    }
    Object.assign(ticket, changes);
    if (typeof t.status === 'string' && t.status !== ticket.status) {
      ticket.status = changes.status = t.status;
      ticket.statusHistory.push({ status: t.status, at });
    }
    const tags = new Set(Array.isArray(t.tags) ? (t.tags as string[]) : ticket.tags);
    for (const tag of (t.additional_tags as string[] | undefined) ?? []) tags.add(tag);
    for (const tag of (t.remove_tags as string[] | undefined) ?? []) tags.delete(tag);
    if (tags.size !== ticket.tags.length || ticket.tags.some((tag) => !tags.has(tag))) ticket.tags = changes.tags = [...tags];
    for (const f of (t.custom_fields as Obj[] | undefined) ?? []) {
      const existing = ticket.custom_fields.find((c) => c.id === Number(f.id));
      if (existing) existing.value = f.value ?? null;
      else ticket.custom_fields.push({ id: Number(f.id), value: f.value ?? null });
    }
    const comment = isObj(t.comment) ? makeComment(store, t.comment, authorId) : undefined;
    if (comment) ticket.comments.push(comment);
    ticket.updated_at = at;
    return { ticket: publicTicket(ticket), audit: audit(store, ticket, authorId, comment, changes, 'Change') };
  });

  for (const url of withJson('/api/v2/users/me')) {
    app.get(url, async (req) => {
      const email = agentEmail(req);
      return { user: { id: userId(store, email), email, name: email.split('@')[0], role: 'agent', active: true } };
    });
  }
}

export const zendesk = defineSandboxModule<ZendeskState>({
  service: 'zendesk',
  emptyState: () => ({ tickets: [], users: [], idempotency: {} }),
  page: zendeskSection,
  routes,
  target: (req, path) => ({ verb: req.method, path }),

  authenticate(req) {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    // API-token auth only: Zendesk has retired password access for the API.
    const creds = basic ? /^[^\s/:]+@[^\s/:]+\/token:(.+)$/.exec(Buffer.from(basic, 'base64').toString()) : null;
    const ok = creds ? creds[1] !== 'invalid' : bearer !== undefined && bearer !== 'invalid';
    return ok ? undefined : { status: 401, body: { error: "Couldn't authenticate you" } };
  },

  failure(status, error) {
    const known: Record<number, Obj> = {
      400: { error: 'InvalidRequest', description: error?.message ?? 'Bad request' },
      401: { error: "Couldn't authenticate you" },
      404: { error: 'RecordNotFound', description: 'Not found' },
      415: { error: 'UnsupportedMediaType', description: error?.message ?? 'Unsupported media type' },
      429: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
      503: { error: 'ServiceUnavailable', description: 'Maintenance' },
    };
    return { status, body: known[status] ?? { error: 'InternalServerError', description: error?.message ?? 'Sandbox: injected failure' } };
  },
});
