// Gorgias, emulated: its REST API as our adapter and the public docs use it (tickets, messages and
// internal notes, customers, tags, cursor-paginated lists, HTTP Basic email + API key, 429 with
// Retry-After via the failure rules). Records live in the module's own state.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defineSandboxModule, type SandboxContext } from './module.ts';
import { esc } from './page.ts';
import { now } from './state.ts';

type Obj = Record<string, unknown>;

export interface GorgiasCustomer {
  id: number;
  name: string | null;
  email: string | null;
  external_id: string | null;
  channels: { id: number; type: string; address: string; preferred: boolean }[];
  created_datetime: string;
  updated_datetime: string;
}

export interface GorgiasUser {
  id: number;
  email: string;
  name: string;
}

export interface GorgiasMessage {
  id: number;
  ticket_id: number;
  channel: string;
  via: string;
  from_agent: boolean;
  /** Internal notes are not public. */
  public: boolean;
  sender: { id: number; email: string | null; name: string | null };
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  created_datetime: string;
  sent_datetime: string | null;
}

export interface GorgiasTag {
  id: number;
  name: string;
}

export interface GorgiasTicket {
  id: number;
  external_id: string | null;
  subject: string | null;
  status: 'open' | 'closed';
  priority: string;
  channel: string;
  via: string;
  customer_id: number | null;
  assignee_user: { id: number; email: string; name: string } | null;
  tag_ids: number[];
  meta: Obj | null;
  created_datetime: string;
  updated_datetime: string;
  closed_datetime: string | null;
  messages: GorgiasMessage[];
  statusHistory: { status: string; at: string }[];
}

export interface GorgiasState {
  tickets: GorgiasTicket[];
  customers: GorgiasCustomer[];
  users: GorgiasUser[];
  tags: GorgiasTag[];
}

type Ctx = SandboxContext<GorgiasState>;

const STATUSES = ['open', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'critical'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_MESSAGES = 500;
/** Gorgias's documented rate limit for API-key integrations; every answer says where the caller stands. */
const CALL_LIMIT = 40;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
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

/** Gorgias puts what is wrong under `error` (its inner shape is undocumented: this is one plausible one). */
const badRequest = (reply: FastifyReply, msg: string, data?: Obj) => reply.code(400).send({ error: { msg, ...(data ? { data } : {}) } });
const notFound = (reply: FastifyReply) => reply.code(404).send({ error: { msg: 'Resource not found.' } });

/** The API user: the email of the Basic credentials (created on first use). */
function apiUser(ctx: Ctx, req: FastifyRequest): GorgiasUser {
  const email = basicCredentials(req)?.email ?? 'api@sandbox.test';
  const { users } = ctx.state();
  const found = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  if (found) return found;
  const user = { id: ctx.nextId('gorgias.user'), email, name: email.split('@')[0] ?? email };
  users.push(user);
  return user;
}

function basicCredentials(req: FastifyRequest): { email: string; key: string } | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString();
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { email: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

function addCustomer(ctx: Ctx, c: { name?: unknown; email?: unknown; external_id?: unknown; channels?: unknown }): GorgiasCustomer {
  const at = now();
  const email = typeof c.email === 'string' ? c.email : null;
  const channels = (Array.isArray(c.channels) ? c.channels : []).filter(isObj).map((ch) => ({
    id: ctx.nextId('gorgias.channel'),
    type: String(ch.type),
    address: String(ch.address),
    preferred: ch.preferred === true,
  }));
  if (email && !channels.some((ch) => ch.type === 'email'))
    channels.push({ id: ctx.nextId('gorgias.channel'), type: 'email', address: email, preferred: channels.length === 0 });
  const customer: GorgiasCustomer = {
    id: ctx.nextId('gorgias.customer'),
    name: typeof c.name === 'string' ? c.name : null,
    email,
    external_id: typeof c.external_id === 'string' ? c.external_id : null,
    channels,
    created_datetime: at,
    updated_datetime: at,
  };
  ctx.state().customers.push(customer);
  return customer;
}

const customerByEmail = (ctx: Ctx, email: string) => ctx.state().customers.find((c) => c.email?.toLowerCase() === email.toLowerCase());

function tagIds(ctx: Ctx, tags: Obj[]): number[] {
  const state = ctx.state();
  const ids: number[] = [];
  for (const t of tags) {
    let tag = typeof t.id === 'number' ? state.tags.find((x) => x.id === t.id) : undefined;
    if (!tag && typeof t.name === 'string') {
      tag = state.tags.find((x) => x.name.toLowerCase() === String(t.name).toLowerCase());
      if (!tag) {
        tag = { id: ctx.nextId('gorgias.tag'), name: String(t.name) };
        state.tags.push(tag);
      }
    }
    if (tag && !ids.includes(tag.id)) ids.push(tag.id);
  }
  return ids;
}

/** What is wrong with a tags value (array of {name} or {id}), or undefined. */
function tagsProblem(ctx: Ctx, tags: unknown): string | undefined {
  if (!Array.isArray(tags)) return 'tags: must be a list of objects with a name or an id';
  for (const t of tags) {
    if (!isObj(t) || (!nonEmpty(t.name) && typeof t.id !== 'number')) return 'tags: each tag needs a name or an id';
    if (typeof t.id === 'number' && !nonEmpty(t.name) && !ctx.state().tags.some((x) => x.id === t.id)) return `tags: no tag with id ${t.id}`;
  }
  return undefined;
}

/** A message as POSTed (alone or inside a new ticket); the problem found, or the message. */
function makeMessage(ctx: Ctx, req: FastifyRequest, m: unknown, ticketId: number, customerId: number | null): string | GorgiasMessage {
  if (!isObj(m)) return 'must be an object';
  if (!nonEmpty(m.channel)) return 'channel: Missing data for required field.';
  if (typeof m.from_agent !== 'boolean') return 'from_agent: Missing data for required field.';
  if (!nonEmpty(m.via)) return 'via: Missing data for required field.';
  if (!nonEmpty(m.body_text) && !nonEmpty(m.body_html)) return 'body_text: body_text or body_html is required.';
  if (!isObj(m.sender) || (typeof m.sender.id !== 'number' && !nonEmpty(m.sender.email))) return 'sender: Missing data for required field.';
  if (m.channel === 'internal-note' && m.from_agent !== true) return 'from_agent: internal notes are always sent by an agent.';
  const state = ctx.state();
  let sender: GorgiasMessage['sender'];
  if (m.from_agent) {
    const s = m.sender as Obj;
    apiUser(ctx, req); // the user whose key is used exists from its first call
    const user =
      typeof s.id === 'number' ? state.users.find((u) => u.id === s.id) : state.users.find((u) => u.email.toLowerCase() === String(s.email).toLowerCase());
    if (!user) return 'sender: an outgoing message or internal note must be sent by a user of the account.';
    sender = { id: user.id, email: user.email, name: user.name };
  } else {
    const c = typeof m.sender.id === 'number' ? state.customers.find((x) => x.id === (m.sender as Obj).id) : customerByEmail(ctx, String(m.sender.email));
    if (!c) return 'sender: an incoming message must be sent by a customer.';
    if (customerId !== null && c.id !== customerId) return 'sender: an incoming message must be sent by the ticket customer.';
    sender = { id: c.id, email: c.email, name: c.name };
  }
  const bodyHtml = nonEmpty(m.body_html) ? m.body_html : null;
  return {
    id: ctx.nextId('gorgias.message'),
    ticket_id: ticketId,
    channel: m.channel,
    via: m.via,
    from_agent: m.from_agent,
    public: m.channel !== 'internal-note',
    sender,
    subject: typeof m.subject === 'string' ? m.subject : null,
    body_text: nonEmpty(m.body_text) ? m.body_text : htmlToText(bodyHtml ?? ''),
    body_html: bodyHtml,
    created_datetime: now(),
    sent_datetime: typeof m.sent_datetime === 'string' ? m.sent_datetime : null,
  };
}

function publicTicket(ctx: Ctx, t: GorgiasTicket, withMessages = false): Obj {
  const state = ctx.state();
  const c = t.customer_id === null ? null : (state.customers.find((x) => x.id === t.customer_id) ?? null);
  const { messages, statusHistory: _s, tag_ids, customer_id: _c, ...rest } = t;
  return {
    ...rest,
    uri: `/api/tickets/${t.id}/`,
    customer: c ? { id: c.id, email: c.email, name: c.name } : null,
    tags: tag_ids.map((id) => state.tags.find((x) => x.id === id)).filter(Boolean),
    messages_count: messages.length,
    excerpt: (messages[messages.length - 1]?.body_text ?? '').slice(0, 100),
    ...(withMessages ? { messages } : {}),
  };
}

/** Cursor pagination: an opaque cursor (here the offset), `limit` 1–100 (default 30). */
function page<T>(items: T[], q: { limit?: string; cursor?: string }): { data: T[]; meta: { prev_cursor: string | null; next_cursor: string | null } } | string {
  const limit = q.limit === undefined ? 30 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return 'limit: Must be greater than or equal to 1 and less than or equal to 100.';
  let offset = 0;
  if (q.cursor !== undefined) {
    offset = Number(Buffer.from(q.cursor, 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) return 'cursor: Invalid cursor.';
  }
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  return {
    data: items.slice(offset, offset + limit),
    meta: {
      prev_cursor: offset > 0 ? cursor(Math.max(0, offset - limit)) : null,
      next_cursor: offset + limit < items.length ? cursor(offset + limit) : null,
    },
  };
}

/** Both spellings the docs use: with and without the trailing slash. */
const both = (path: string) => [path, `${path}/`];

function routes(app: FastifyInstance, ctx: Ctx): void {
  const find = (req: FastifyRequest) => ctx.state().tickets.find((t) => t.id === Number((req.params as { id: string }).id));
  const listed = <T>(reply: FastifyReply, items: T[], q: Obj) => {
    const result = page(items, q as { limit?: string; cursor?: string });
    return typeof result === 'string' ? badRequest(reply, result) : result;
  };
  const touch = (t: GorgiasTicket) => {
    t.updated_datetime = now();
  };
  const setStatus = (t: GorgiasTicket, status: 'open' | 'closed') => {
    if (t.status === status) return;
    const at = now();
    t.status = status;
    t.closed_datetime = status === 'closed' ? at : null;
    t.statusHistory.push({ status, at });
  };

  // Writes are JSON, as Gorgias's API takes them.
  app.addHook('preHandler', async (req, reply) => {
    if ((req.method === 'POST' || req.method === 'PUT') && !String(req.headers['content-type']).includes('application/json')) {
      return reply.code(415).send({ error: { msg: 'Content-Type must be application/json.' } });
    }
  });
  // Gorgias counts calls per account in a leaky bucket and says where the caller stands on every answer.
  let calls = 0;
  app.addHook('onSend', async (_req, reply, payload) => {
    calls = (calls % CALL_LIMIT) + 1;
    reply.header('x-gorgias-account-api-call-limit', `${calls}/${CALL_LIMIT}`);
    return payload;
  });

  for (const url of both('/api/account')) {
    app.get(url, async (req) => ({ domain: 'sandbox', status: { status: 'active' }, user: apiUser(ctx, req) }));
  }

  for (const url of both('/api/customers')) {
    app.get(url, async (req, reply) => {
      const q = req.query as Obj;
      const items = ctx
        .state()
        .customers.filter(
          (c) =>
            (q.email === undefined || c.email?.toLowerCase() === String(q.email).toLowerCase()) &&
            (q.external_id === undefined || c.external_id === String(q.external_id)),
        );
      return listed(reply, items, q);
    });
    app.post(url, async (req, reply) => {
      const c = isObj(req.body) ? req.body : {};
      if (!Array.isArray(c.channels)) return badRequest(reply, 'channels: Missing data for required field.');
      for (const ch of c.channels)
        if (!isObj(ch) || !nonEmpty(ch.type) || !nonEmpty(ch.address)) return badRequest(reply, 'channels: each channel needs a type and an address.');
      if (c.email !== undefined && (typeof c.email !== 'string' || !EMAIL.test(c.email))) return badRequest(reply, 'email: Not a valid email address.');
      if (c.name !== undefined && typeof c.name !== 'string') return badRequest(reply, 'name: Not a valid string.');
      if (typeof c.email === 'string' && customerByEmail(ctx, c.email)) {
        return reply.code(409).send({ error: { msg: 'A customer with this email already exists.', data: { email: c.email } } });
      }
      return reply.code(201).send(addCustomer(ctx, c));
    });
  }
  for (const url of both('/api/customers/:id')) {
    app.get(url, async (req, reply) => {
      const c = ctx.state().customers.find((x) => x.id === Number((req.params as { id: string }).id));
      return c ?? notFound(reply);
    });
  }

  for (const url of both('/api/tickets')) {
    app.get(url, async (req, reply) => {
      const q = req.query as Obj;
      const items = ctx
        .state()
        .tickets.filter(
          (t) =>
            (q.external_id === undefined || t.external_id === String(q.external_id)) &&
            (q.customer_id === undefined || t.customer_id === Number(q.customer_id)),
        );
      // Newest first unless asked otherwise (order_by=created_datetime:asc).
      const ordered = String(q.order_by ?? '').endsWith(':asc') ? items : [...items].reverse();
      const result = page(ordered, q as { limit?: string; cursor?: string });
      if (typeof result === 'string') return badRequest(reply, result);
      return { ...result, data: result.data.map((t) => publicTicket(ctx, t)) };
    });

    app.post(url, async (req, reply) => {
      const t = isObj(req.body) ? req.body : {};
      if (!Array.isArray(t.messages) || t.messages.length === 0) return badRequest(reply, 'messages: Missing data for required field.');
      if (t.messages.length > MAX_MESSAGES) return badRequest(reply, `messages: Length must be between 1 and ${MAX_MESSAGES}.`);
      if (t.status !== undefined && !STATUSES.includes(String(t.status))) return badRequest(reply, `status: Must be one of: ${STATUSES.join(', ')}.`);
      if (t.priority !== undefined && !PRIORITIES.includes(String(t.priority))) return badRequest(reply, `priority: Must be one of: ${PRIORITIES.join(', ')}.`);
      if (t.external_id !== undefined && t.external_id !== null && (typeof t.external_id !== 'string' || t.external_id.length > 255)) {
        return badRequest(reply, 'external_id: Longer than maximum length 255.');
      }
      if (t.subject !== undefined && t.subject !== null && typeof t.subject !== 'string') return badRequest(reply, 'subject: Not a valid string.');
      if (t.tags !== undefined) {
        const problem = tagsProblem(ctx, t.tags);
        if (problem) return badRequest(reply, problem);
      }
      let customer: GorgiasCustomer | undefined;
      if (t.customer !== undefined) {
        const c = t.customer;
        if (!isObj(c) || (typeof c.id !== 'number' && !nonEmpty(c.email))) return badRequest(reply, 'customer: an id or an email is required.');
        customer = typeof c.id === 'number' ? ctx.state().customers.find((x) => x.id === c.id) : customerByEmail(ctx, String(c.email));
        if (!customer && typeof c.id === 'number') return badRequest(reply, `customer: no customer with id ${c.id}.`);
        customer ??= addCustomer(ctx, { email: c.email, name: c.name });
      }
      const id = ctx.nextId('gorgias.ticket');
      const messages: GorgiasMessage[] = [];
      for (const [i, m] of t.messages.entries()) {
        const made = makeMessage(ctx, req, m, id, customer?.id ?? null);
        if (typeof made === 'string') return badRequest(reply, `messages.${i}.${made}`);
        messages.push(made);
      }
      // Without a customer, the customer is whoever wrote the first incoming message.
      const customerId = customer?.id ?? messages.find((m) => !m.from_agent)?.sender.id ?? null;
      const at = now();
      const status = (t.status as 'open' | 'closed' | undefined) ?? 'open';
      const ticket: GorgiasTicket = {
        id,
        external_id: typeof t.external_id === 'string' ? t.external_id : null,
        subject: typeof t.subject === 'string' ? t.subject : (messages[0]?.subject ?? null),
        status,
        priority: (t.priority as string | undefined) ?? 'normal',
        channel: nonEmpty(t.channel) ? t.channel : messages[0]!.channel,
        via: nonEmpty(t.via) ? t.via : messages[0]!.via,
        customer_id: customerId,
        assignee_user: null,
        tag_ids: Array.isArray(t.tags) ? tagIds(ctx, t.tags.filter(isObj)) : [],
        meta: isObj(t.meta) ? t.meta : null,
        created_datetime: at,
        updated_datetime: at,
        closed_datetime: status === 'closed' ? at : null,
        messages,
        statusHistory: [{ status, at }],
      };
      ctx.state().tickets.push(ticket);
      return reply.code(201).send(publicTicket(ctx, ticket, true));
    });
  }

  for (const url of both('/api/tickets/:id')) {
    app.get(url, async (req, reply) => {
      const ticket = find(req);
      return ticket ? publicTicket(ctx, ticket, true) : notFound(reply);
    });

    app.put(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      const t = isObj(req.body) ? req.body : {};
      if (t.status !== undefined && !STATUSES.includes(String(t.status))) return badRequest(reply, `status: Must be one of: ${STATUSES.join(', ')}.`);
      if (t.priority !== undefined && !PRIORITIES.includes(String(t.priority))) return badRequest(reply, `priority: Must be one of: ${PRIORITIES.join(', ')}.`);
      if (t.tags !== undefined) {
        const problem = tagsProblem(ctx, t.tags);
        if (problem) return badRequest(reply, problem);
      }
      if (t.subject !== undefined && typeof t.subject !== 'string') return badRequest(reply, 'subject: Not a valid string.');
      if (typeof t.status === 'string') setStatus(ticket, t.status as 'open' | 'closed');
      if (typeof t.priority === 'string') ticket.priority = t.priority;
      if (typeof t.subject === 'string') ticket.subject = t.subject;
      if (typeof t.external_id === 'string') ticket.external_id = t.external_id;
      if (isObj(t.meta)) ticket.meta = { ...(ticket.meta ?? {}), ...t.meta };
      if (Array.isArray(t.tags)) ticket.tag_ids = tagIds(ctx, t.tags.filter(isObj));
      if (isObj(t.assignee_user) && nonEmpty(t.assignee_user.email)) {
        const email = t.assignee_user.email;
        ticket.assignee_user = { id: ctx.nextId('gorgias.user'), email, name: email.split('@')[0] ?? email };
      }
      touch(ticket);
      return publicTicket(ctx, ticket);
    });
  }

  // Tag helpers: add (POST), replace (PUT), remove (DELETE) by ids and/or names.
  for (const url of both('/api/tickets/:id/tags')) {
    const named = (body: unknown): Obj[] => {
      const b = isObj(body) ? body : {};
      const ids = Array.isArray(b.ids) ? b.ids.filter((v) => typeof v === 'number').map((id) => ({ id })) : [];
      const names = Array.isArray(b.names) ? b.names.filter(nonEmpty).map((name) => ({ name })) : [];
      return [...ids, ...names];
    };
    app.get(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      return listed(reply, ticket.tag_ids.map((id) => ctx.state().tags.find((x) => x.id === id)).filter(Boolean), {});
    });
    app.post(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      ticket.tag_ids = [...new Set([...ticket.tag_ids, ...tagIds(ctx, named(req.body))])];
      touch(ticket);
      return reply.code(201).send();
    });
    app.put(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      ticket.tag_ids = tagIds(ctx, named(req.body));
      touch(ticket);
      return reply.code(200).send();
    });
    app.delete(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      const gone = new Set(tagIds(ctx, named(req.body)));
      ticket.tag_ids = ticket.tag_ids.filter((id) => !gone.has(id));
      touch(ticket);
      return reply.code(204).send();
    });
  }

  for (const url of both('/api/tickets/:id/messages')) {
    app.get(url, async (req, reply) => {
      const ticket = find(req);
      return ticket ? listed(reply, ticket.messages, req.query as Obj) : notFound(reply);
    });
    app.post(url, async (req, reply) => {
      const ticket = find(req);
      if (!ticket) return notFound(reply);
      const made = makeMessage(ctx, req, req.body, ticket.id, ticket.customer_id);
      if (typeof made === 'string') return badRequest(reply, made);
      ticket.messages.push(made);
      // A customer writing again reopens the ticket, as in Gorgias.
      if (!made.from_agent) setStatus(ticket, 'open');
      touch(ticket);
      return reply.code(201).send(made);
    });
  }

  for (const url of both('/api/tickets/:id/messages/:messageId')) {
    const message = (req: FastifyRequest) => {
      const ticket = find(req);
      const id = Number((req.params as { messageId: string }).messageId);
      return { ticket, index: ticket ? ticket.messages.findIndex((m) => m.id === id) : -1 };
    };
    app.get(url, async (req, reply) => {
      const { ticket, index } = message(req);
      return ticket && index >= 0 ? ticket.messages[index] : notFound(reply);
    });
    app.delete(url, async (req, reply) => {
      const { ticket, index } = message(req);
      if (!ticket || index < 0) return notFound(reply);
      ticket.messages.splice(index, 1);
      touch(ticket);
      return reply.code(204).send();
    });
  }

  for (const url of both('/api/tags')) {
    app.get(url, async (req, reply) => listed(reply, ctx.state().tags, req.query as Obj));
  }

  // The agent's page of a ticket (the link on the case): the ticket on the sandbox page.
  app.get('/app/ticket/:id', async (req, reply) => reply.redirect(`/#gorgias-ticket-${encodeURIComponent((req.params as { id: string }).id)}`));
}

function ticketCard(state: GorgiasState, t: GorgiasTicket): string {
  const customer = state.customers.find((c) => c.id === t.customer_id);
  const tags = t.tag_ids.map((id) => state.tags.find((x) => x.id === id)?.name).filter(Boolean) as string[];
  return `<div class="card" id="gorgias-ticket-${t.id}"><h3>#${t.id} ${esc(t.subject ?? '')}</h3>
  <div class="meta">${esc(t.status)} · priority ${esc(t.priority)} · channel ${esc(t.channel)} · customer ${esc(customer?.email ?? customer?.name ?? t.customer_id ?? '-')}${t.external_id ? ` · external_id ${esc(t.external_id)}` : ''}</div>
  <div class="meta">tags: ${tags.map((tag) => `<code>${esc(tag)}</code>`).join(' ') || '-'}</div>
  <div class="meta">status history: ${t.statusHistory.map((s) => esc(s.status)).join(' → ')}</div>
  ${t.messages.map((m) => `<div class="comment ${m.public ? '' : 'private'}"><div class="meta">${m.public ? (m.from_agent ? 'outgoing' : 'incoming') : 'internal note'} · ${esc(m.sender.email ?? m.sender.name ?? '')} · ${esc(m.created_datetime)}</div><div class="pre">${esc(m.body_text ?? '')}</div></div>`).join('')}
</div>`;
}

export const gorgiasSandbox = defineSandboxModule<GorgiasState>({
  service: 'gorgias',
  emptyState: () => ({ tickets: [], customers: [], users: [], tags: [] }),
  routes,
  target: (req, path) => ({ verb: req.method, path: path.replace(/\/$/, '') }),

  authenticate(req) {
    // The agent's ticket link is a page, not the API.
    if (req.url.startsWith('/gorgias/app/')) return undefined;
    const creds = basicCredentials(req);
    if (creds && EMAIL.test(creds.email) && creds.key !== '' && creds.key !== 'invalid') return undefined;
    return { status: 401, body: { error: { msg: 'Unauthorized: invalid email or API key.' } } };
  },

  failure(status, error) {
    const known: Record<number, string> = {
      400: error?.message ?? 'Bad request.',
      401: 'Unauthorized: invalid email or API key.',
      403: 'Forbidden.',
      404: 'Resource not found.',
      409: 'Conflict.',
      415: error?.message ?? 'Unsupported media type.',
      429: 'Too many requests: the rate limit of your account is reached.',
      503: 'Service unavailable.',
    };
    return { status, body: { error: { msg: known[status] ?? error?.message ?? 'Sandbox: injected failure' } } };
  },

  page(state) {
    const customers = state.customers.map((c) => `${c.id} ${esc(c.name ?? '')} &lt;${esc(c.email ?? c.external_id ?? '')}&gt;`).join(', ');
    return `<section><h2>Gorgias</h2>${state.tickets.map((t) => ticketCard(state, t)).join('') || '<p class="none">No tickets.</p>'}
<p class="meta">customers: ${customers || '-'}</p></section>`;
  },
});
