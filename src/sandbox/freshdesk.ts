import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { freshdeskSection } from './page.ts';
import { defineSandboxModule, type SandboxContext } from './module.ts';
import { now, type FreshdeskContact, type FreshdeskState, type FreshdeskTicket } from './state.ts';

type Store = SandboxContext<FreshdeskState>;

type Obj = Record<string, unknown>;
interface FieldError {
  field: string;
  message: string;
  code: string;
}

const PRIORITIES = [1, 2, 3, 4];
const STATUSES = [2, 3, 4, 5];
const SOURCES = [1, 2, 3, 7, 9, 10];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TICKET_FIELDS = new Set([
  'name',
  'requester_id',
  'email',
  'facebook_id',
  'phone',
  'twitter_id',
  'unique_external_id',
  'subject',
  'type',
  'status',
  'priority',
  'description',
  'responder_id',
  'attachments',
  'cc_emails',
  'custom_fields',
  'due_by',
  'email_config_id',
  'fr_due_by',
  'group_id',
  'parent_id',
  'product_id',
  'source',
  'tags',
  'company_id',
  'internal_agent_id',
  'internal_group_id',
  'lookup_parameter',
]);
const REQUESTER_FIELDS = 'requester_id, phone, email, twitter_id, facebook_id, unique_external_id';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const htmlToText = (html: string) =>
  html
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .trim();

const invalid = (reply: FastifyReply, errors: FieldError[]) => reply.code(400).send({ description: 'Validation failed', errors });
const notFound = (reply: FastifyReply) => reply.code(404).send({ code: 'not_found', message: 'Record not found' });

function validateTicket(store: Store, t: Obj, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string, code: string) => errors.push({ field, message, code });
  const isString = (field: string) => {
    if (t[field] === undefined) {
      if (creating) err(field, 'It should be a/an String', 'missing_field');
    } else if (typeof t[field] !== 'string' || t[field] === '') err(field, 'It should be a/an String', 'datatype_mismatch');
  };
  for (const field of Object.keys(t)) if (!TICKET_FIELDS.has(field)) err(field, 'Unexpected/invalid field in request', 'invalid_field');

  if (t.requester_id !== undefined) {
    if (!store.state().contacts.some((c) => c.id === t.requester_id)) {
      err('requester_id', 'There is no contact matching the given requester_id', 'invalid_value');
    }
  } else if (t.email !== undefined) {
    if (typeof t.email !== 'string' || !EMAIL.test(t.email)) err('email', "It should be in the 'valid email address' format", 'invalid_value');
  } else if (t.phone !== undefined) {
    if (typeof t.name !== 'string' || t.name === '') err('name', 'It should be a/an String', 'missing_field');
  } else if (creating && t.twitter_id === undefined && t.facebook_id === undefined && t.unique_external_id === undefined) {
    err('requester_id', `Please fill at least 1 of ${REQUESTER_FIELDS} fields`, 'missing_field');
  }
  isString('subject');
  isString('description');
  for (const [field, allowed] of [
    ['priority', PRIORITIES],
    ['status', STATUSES],
    ['source', SOURCES],
  ] as const) {
    if (t[field] !== undefined && !allowed.includes(t[field] as never)) {
      err(field, `It should be one of these values: '${allowed.join(',')}'`, 'invalid_value');
    }
  }
  if (t.type !== undefined && t.type !== null && typeof t.type !== 'string') err('type', 'It should be a/an String', 'datatype_mismatch');
  if (t.tags !== undefined) {
    if (!Array.isArray(t.tags)) err('tags', 'It should be a/an Array', 'datatype_mismatch');
    else if (t.tags.some((tag) => typeof tag !== 'string')) err('tags', 'It should contain elements of type String only', 'datatype_mismatch');
  }
  if (t.custom_fields !== undefined && !isObj(t.custom_fields)) {
    err('custom_fields', 'It should be a/an key/value pair', 'datatype_mismatch');
  }
  return errors;
}

function findOrCreateContact(store: Store, t: Obj): number {
  if (typeof t.requester_id === 'number') return t.requester_id;
  const { contacts } = store.state();
  const email = typeof t.email === 'string' ? t.email : null;
  const phone = typeof t.phone === 'string' ? t.phone : null;
  const found = contacts.find((c) => (email && c.email?.toLowerCase() === email.toLowerCase()) || (phone && c.phone === phone));
  if (found) return found.id;
  return addContact(store, typeof t.name === 'string' ? t.name : (email?.split('@')[0] ?? 'Unknown'), email, phone).id;
}

function addContact(store: Store, name: string, email: string | null, phone: string | null): FreshdeskContact {
  const at = now();
  const contact = { id: store.nextId('freshdesk.contact'), name, email, phone, created_at: at, updated_at: at };
  store.state().contacts.push(contact);
  return contact;
}

const TICKET_ORDERS = ['created_at', 'due_by', 'updated_at', 'status'];
const SEARCH_PAGE_SIZE = 30;
const SEARCH_PAGES = 10;

type Sortable = string | number | null | undefined;
/** Numbers by value, timestamps (ISO strings) by time; a missing value first. */
const compare = (a: Sortable, b: Sortable) => (a === b ? 0 : a == null ? -1 : b == null ? 1 : a < b ? -1 : 1);

/**
 * Freshdesk's paging of lists: `per_page` (30 by default, at most 100) and `page`, and a `link`
 * header to the next page while there is one. A list answered whole would let a client that reads
 * only the first page (as Freshdesk allows) pass here and miss tickets there, and a requester with
 * thousands of tickets (every bench case has the same customer) made each answer tens of megabytes.
 */
function paged<T>(req: FastifyRequest, reply: FastifyReply, items: T[]): T[] {
  const q = req.query as Record<string, string>;
  const perPage = Math.min(100, Math.max(1, Number(q.per_page) || 30));
  const pageNo = Math.max(1, Number(q.page) || 1);
  if (pageNo * perPage < items.length) {
    const next = new URLSearchParams(q);
    next.set('per_page', String(perPage));
    next.set('page', String(pageNo + 1));
    reply.header('link', `<${req.url.split('?')[0]}?${next}>; rel="next"`);
  }
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}

function publicTicket(t: FreshdeskTicket, includeConversations = false): Obj {
  const { notes, statusHistory: _s, ...rest } = t;
  return {
    ...rest,
    is_escalated: false,
    cc_emails: [],
    fwd_emails: [],
    reply_cc_emails: [],
    attachments: [],
    ...(includeConversations ? { conversations: notes } : {}),
  };
}

type Term = (t: FreshdeskTicket) => boolean;

/** Freshdesk's filter syntax, minimally: `"field:value AND/OR field:'text'"`, also `field:>n` / `field:<n`. */
function parseQuery(raw: string): Term | undefined {
  if (!/^".*"$/s.test(raw) || raw.length > 514) return undefined;
  const value = (v: string): unknown => (/^'.*'$/.test(v) ? v.slice(1, -1) : v === 'null' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  const term = (text: string): Term | undefined => {
    const m = /^\(?\s*(\w+):([<>]?)('[^']*'|\S+?)\s*\)?$/.exec(text.trim());
    if (!m) return undefined;
    const [, field = '', op, rawValue = ''] = m;
    const want = value(rawValue);
    const read = (t: FreshdeskTicket): unknown => (field === 'tag' ? t.tags : field in t ? (t as unknown as Obj)[field] : t.custom_fields[field]);
    return (t) => {
      const got = read(t);
      if (Array.isArray(got)) return got.some((g) => String(g).toLowerCase() === String(want).toLowerCase());
      if (op === '>') return (got as number) >= (want as number);
      if (op === '<') return (got as number) <= (want as number);
      return typeof got === 'string' && typeof want === 'string' ? got.toLowerCase() === want.toLowerCase() : got === want;
    };
  };
  const anyOf = raw
    .slice(1, -1)
    .split(/\s+OR\s+/)
    .map((clause) => clause.split(/\s+AND\s+/).map(term));
  if (anyOf.some((all) => all.some((t) => !t))) return undefined;
  return (t) => anyOf.some((all) => all.every((match) => match!(t)));
}

function routes(app: FastifyInstance, store: Store): void {
  const find = (req: FastifyRequest) => store.state().tickets.find((t) => t.id === Number((req.params as { id: string }).id));

  // Freshdesk refuses anything but JSON on writes.
  app.addHook('preHandler', async (req, reply) => {
    if ((req.method === 'POST' || req.method === 'PUT') && !String(req.headers['content-type']).includes('application/json')) {
      return reply.code(415).send({ code: 'invalid_content_type', message: 'Content-Type header should have application/json' });
    }
  });

  app.get('/api/v2/contacts', async (req) => {
    const q = req.query as { email?: string; phone?: string };
    return store.state().contacts.filter((c) => (!q.email || c.email?.toLowerCase() === q.email.toLowerCase()) && (!q.phone || c.phone === q.phone));
  });

  app.post('/api/v2/contacts', async (req, reply) => {
    const c = isObj(req.body) ? req.body : {};
    const errors: FieldError[] = [];
    if (typeof c.name !== 'string' || c.name === '') errors.push({ field: 'name', message: 'It should be a/an String', code: 'missing_field' });
    if ([c.email, c.phone, c.mobile, c.twitter_id, c.unique_external_id].every((v) => v === undefined)) {
      errors.push({ field: 'email', message: 'Please fill at least 1 of email, mobile, phone, twitter_id, unique_external_id fields', code: 'missing_field' });
    } else if (c.email !== undefined && (typeof c.email !== 'string' || !EMAIL.test(c.email))) {
      errors.push({ field: 'email', message: "It should be in the 'valid email address' format", code: 'invalid_value' });
    }
    if (errors.length) return invalid(reply, errors);
    const email = typeof c.email === 'string' ? c.email : null;
    const duplicate = email && store.state().contacts.find((x) => x.email?.toLowerCase() === email.toLowerCase());
    if (duplicate) {
      return reply.code(409).send({
        description: 'Validation failed',
        errors: [{ field: 'email', additional_info: { user_id: duplicate.id }, message: 'It should be a unique value', code: 'duplicate_value' }],
      });
    }
    return reply.code(201).send(addContact(store, c.name as string, email, typeof c.phone === 'string' ? c.phone : null));
  });

  // Like Freshdesk: a page at a time (see paged), newest first unless order_by/order_type say otherwise.
  app.get('/api/v2/tickets', async (req, reply) => {
    const q = req.query as { requester_id?: string; email?: string; order_by?: string; order_type?: string };
    const orderBy = q.order_by ?? 'created_at';
    if (!TICKET_ORDERS.includes(orderBy)) {
      return invalid(reply, [{ field: 'order_by', message: `It should be one of these values: '${TICKET_ORDERS.join(',')}'`, code: 'invalid_value' }]);
    }
    if (q.order_type !== undefined && q.order_type !== 'asc' && q.order_type !== 'desc') {
      return invalid(reply, [{ field: 'order_type', message: "It should be one of these values: 'asc,desc'", code: 'invalid_value' }]);
    }
    const requester = q.email ? store.state().contacts.find((c) => c.email?.toLowerCase() === q.email?.toLowerCase())?.id : Number(q.requester_id);
    const tickets = store.state().tickets.filter((t) => (!q.email && !q.requester_id) || t.requester_id === requester);
    // Tickets are kept in creation order, so ties keep it.
    const key = orderBy as 'due_by' | 'updated_at' | 'status';
    const value = (t: FreshdeskTicket) => (t as unknown as Record<string, Sortable>)[key];
    if (orderBy !== 'created_at') tickets.sort((a, b) => compare(value(a), value(b)));
    if (q.order_type !== 'asc') tickets.reverse();
    return paged(req, reply, tickets).map((t) => publicTicket(t));
  });

  app.post('/api/v2/tickets', async (req, reply) => {
    const t = isObj(req.body) ? req.body : {};
    const errors = validateTicket(store, t, true);
    if (errors.length) return invalid(reply, errors);
    const at = now();
    const ticket: FreshdeskTicket = {
      id: store.nextId('freshdesk.ticket'),
      subject: t.subject as string,
      description: t.description as string,
      description_text: htmlToText(t.description as string),
      priority: (t.priority as number | undefined) ?? 1,
      status: (t.status as number | undefined) ?? 2,
      source: (t.source as number | undefined) ?? 2,
      type: typeof t.type === 'string' ? t.type : null,
      tags: (t.tags as string[] | undefined) ?? [],
      custom_fields: (t.custom_fields as Obj | undefined) ?? {},
      requester_id: findOrCreateContact(store, t),
      responder_id: typeof t.responder_id === 'number' ? t.responder_id : null,
      group_id: typeof t.group_id === 'number' ? t.group_id : null,
      created_at: at,
      updated_at: at,
      notes: [],
      statusHistory: [{ status: (t.status as number | undefined) ?? 2, at }],
    };
    store.state().tickets.push(ticket);
    return reply.code(201).send(publicTicket(ticket));
  });

  app.get('/api/v2/tickets/:id', async (req, reply) => {
    const ticket = find(req);
    const include = String((req.query as { include?: string }).include ?? '');
    return ticket ? publicTicket(ticket, include.split(',').includes('conversations')) : notFound(reply);
  });

  app.put('/api/v2/tickets/:id', async (req, reply) => {
    const ticket = find(req);
    if (!ticket) return notFound(reply);
    const t = isObj(req.body) ? req.body : {};
    const errors = validateTicket(store, t, false);
    if (errors.length) return invalid(reply, errors);
    const at = now();
    if (typeof t.status === 'number' && t.status !== ticket.status) ticket.statusHistory.push({ status: t.status, at });
    for (const field of ['subject', 'description', 'priority', 'status', 'type', 'tags', 'responder_id', 'group_id'] as const) {
      if (t[field] !== undefined) Object.assign(ticket, { [field]: t[field] });
    }
    if (typeof t.description === 'string') ticket.description_text = htmlToText(t.description);
    if (isObj(t.custom_fields)) ticket.custom_fields = { ...ticket.custom_fields, ...t.custom_fields };
    ticket.updated_at = at;
    return publicTicket(ticket);
  });

  app.post('/api/v2/tickets/:id/notes', async (req, reply) => {
    const ticket = find(req);
    if (!ticket) return notFound(reply);
    const n = isObj(req.body) ? req.body : {};
    if (typeof n.body !== 'string' || n.body === '') {
      return invalid(reply, [{ field: 'body', message: 'It should be a/an String', code: 'missing_field' }]);
    }
    if (n.private !== undefined && typeof n.private !== 'boolean') {
      return invalid(reply, [{ field: 'private', message: 'It should be a/an Boolean', code: 'datatype_mismatch' }]);
    }
    const at = now();
    const note = {
      id: store.nextId('freshdesk.note'),
      ticket_id: ticket.id,
      body: n.body,
      body_text: htmlToText(n.body),
      private: n.private !== false,
      incoming: n.incoming === true,
      created_at: at,
      updated_at: at,
    };
    ticket.notes.push(note);
    ticket.updated_at = at;
    return reply.code(201).send(note);
  });

  // Notes and replies of a ticket, oldest first, a page at a time (see paged).
  app.get('/api/v2/tickets/:id/conversations', async (req, reply) => {
    const ticket = find(req);
    if (!ticket) return notFound(reply);
    return paged(req, reply, ticket.notes);
  });

  app.delete('/api/v2/conversations/:id', async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    for (const ticket of store.state().tickets) {
      const index = ticket.notes.findIndex((n) => n.id === id);
      if (index >= 0) {
        ticket.notes.splice(index, 1);
        return reply.code(204).send();
      }
    }
    return notFound(reply);
  });

  app.get('/api/v2/search/tickets', async (req, reply) => {
    const match = parseQuery(String((req.query as { query?: string }).query ?? ''));
    if (!match) {
      return invalid(reply, [{ field: 'query', message: 'It should be a valid query enclosed in double quotes, e.g. "tag:\'x\'"', code: 'invalid_value' }]);
    }
    // Like Freshdesk's search: 30 results a page, at most 10 pages; `total` counts every match.
    const pageNo = Number((req.query as { page?: string }).page ?? 1);
    if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > SEARCH_PAGES) {
      return invalid(reply, [{ field: 'page', message: `It should be a Positive Number less than or equal to ${SEARCH_PAGES}`, code: 'invalid_value' }]);
    }
    const matches = store.state().tickets.filter(match);
    const results = matches.slice((pageNo - 1) * SEARCH_PAGE_SIZE, pageNo * SEARCH_PAGE_SIZE).map((t) => publicTicket(t));
    return { results, total: matches.length };
  });

  app.get('/api/v2/agents/me', async () => ({ id: 1, available: true, contact: { name: 'Sandbox Agent', email: 'agent@sandbox.test' } }));
}

export const freshdesk = defineSandboxModule<FreshdeskState>({
  service: 'freshdesk',
  emptyState: () => ({ tickets: [], contacts: [] }),
  page: freshdeskSection,
  routes,
  target: (req, path) => ({ verb: req.method, path }),

  authenticate(req) {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [key, password] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    if (key && key !== 'invalid' && password === 'X') return undefined;
    return { status: 401, body: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' } };
  },

  failure(status, error) {
    if (error && status === 400) return { status, body: { code: 'invalid_json', message: 'Request body has invalid json format' } };
    if (error && status === 415) return { status, body: { code: 'invalid_content_type', message: 'Content-Type header should have application/json' } };
    const known: Record<number, Obj> = {
      401: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' },
      404: { code: 'not_found', message: 'Record not found' },
      429: { code: 'rate_limited', message: 'You have exceeded the limit of requests per minute' },
    };
    return { status, body: known[status] ?? { code: 'internal_error', message: error?.message ?? 'Sandbox: injected failure' } };
  },
});
