// Gorgias end to end against the sandbox (issue #14): the ticket with the whole context and its
// customer, follow-ups as internal notes, the HTTP integration's status sync back (with its secret),
// Retry-After, and exactly once when Gorgias carries out a request whose answer is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gorgiasSandbox, type GorgiasState, type GorgiasTicket } from '../../src/sandbox/gorgias.ts';
import { gorgias as gorgiasIntegration } from '../../src/integrations/gorgias/definition.ts';
import { caseTag, normaliseTag } from '../../src/integrations/render.ts';
import { StoreDirectory } from '../../src/stores/store-directory.ts';
import { seedConversation, startPipeline, waitUntil, type Pipeline, type StoreHandle } from '../helpers/pipeline.ts';

const SECRET = 'gorgias-hook-secret-0123456789';
const GORGIAS = { enabled: true, account: 'acme', email: 'agent@acme.test', apiKey: 'gorgias-api-key', webhookSecret: SECRET };
/** Slack to hear of what Gorgias does, the chat backend's webhook, and Gorgias. */
const STORE = { zendesk: null, freshdesk: null, gorgias: GORGIAS };

let p: Pipeline;
beforeAll(async () => {
  // Requests time out after 1 s; one whose answer is lost may still land for 2 s.
  p = await startPipeline({ env: { HELPDESK_LATE_COMMIT_MS: '2000' }, worker: { requestTimeoutMs: 1000 } });
}, 60_000);
afterAll(async () => p?.close());

const gorgias = (): GorgiasState => p.sandbox.stateOf(gorgiasSandbox);
const ticketsOf = (id: string) => gorgias().tickets.filter((t) => t.external_id === id);
const requests = (since = 0) => p.sandbox.state.requests.filter((r) => r.service === 'gorgias' && Date.parse(r.at) >= since);
const tagNames = (t: GorgiasTicket) => t.tag_ids.map((tid) => gorgias().tags.find((x) => x.id === tid)!.name);
const notesWith = (t: GorgiasTicket, text: string) => t.messages.filter((m) => m.channel === 'internal-note' && (m.body_text ?? '').includes(text));

type Conversation = Omit<ReturnType<typeof seedConversation>, 'customer'> & { customer: Record<string, string> };

async function delivered(store: StoreHandle, conversation: Conversation = seedConversation()) {
  const { id } = await p.escalate(store, conversation);
  const c = await p.waitForCase(store, id, 'every delivery DELIVERED', (x) => x.deliveries.every((d: { status: string }) => d.status === 'DELIVERED'), 15_000);
  const delivery = (type: string) => c.deliveries.find((d: { type: string }) => d.type === type);
  return { id, conversation, c, delivery, ticket: () => gorgias().tickets.find((t) => String(t.id) === delivery('GORGIAS').externalId)! };
}

function webhook(storeId: string, body: unknown, headers: Record<string, string> = { 'x-webhook-secret': SECRET }) {
  return p.call(null, { method: 'POST', url: `/webhooks/gorgias/${storeId}`, payload: body as object, headers });
}

async function followUp(store: StoreHandle, conversation: Conversation, text: string) {
  const res = await p.call(store.apiKey, {
    method: 'POST',
    url: '/escalate',
    payload: { ...conversation, messages: [...conversation.messages, { role: 'customer', text }] },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().deduplicated).toBe(true);
}

/** Reconciliation is over when no delivery still waits for one. */
const settled = (ids: string[]) =>
  waitUntil(
    'no reconcile pending',
    async () => (await p.db.escalationIntegration.count({ where: { escalationId: { in: ids }, reconcileAfter: { not: null } } })) === 0,
    20_000,
    250,
  );

describe('Gorgias', () => {
  let store: StoreHandle;
  beforeAll(async () => {
    store = await p.createStore(STORE);
  });

  it('shows the store config with its secrets masked', async () => {
    const res = await p.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` });
    expect(res.statusCode, res.body).toBe(200);
    const section = res.json().gorgias;
    expect(section).toMatchObject({ enabled: true, account: 'acme', email: 'agent@acme.test' });
    expect(section.apiKey).toMatch(/^\*{4}/);
    expect(section.webhookSecret).toMatch(/^\*{4}/);
    expect(res.body).not.toContain(GORGIAS.apiKey);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses an account that is a host or URL (no server-side request forgery through config)', async () => {
    for (const account of ['https://evil.test', 'evil.test', '169.254.169.254']) {
      const res = await p.call(store.apiKey, { method: 'PUT', url: `/stores/${store.id}/escalation-config`, payload: { gorgias: { ...GORGIAS, account } } });
      expect(res.statusCode, account).toBe(400);
      expect(res.json()).toMatchObject({
        statusCode: 400,
        error: expect.any(String),
        message: expect.stringMatching(/account/),
        requestId: expect.any(String),
      });
    }
  });

  it('escalate → a ticket with the full context as an internal note, the customer, and the case, channel and store tags', async () => {
    const started = Date.now();
    const { id, c, delivery, ticket, conversation } = await delivered(store);
    const t = ticket();
    expect(ticketsOf(id)).toEqual([t]);
    expect(delivery('GORGIAS').externalUrl).toBe(`${p.sandbox.urlOf('gorgias')}/app/ticket/${t.id}`);
    expect(t).toMatchObject({ status: 'open', priority: c.priority === 'URGENT' ? 'critical' : c.priority.toLowerCase(), channel: 'api', via: 'api' });
    expect(t.subject).toContain(c.priority);
    expect(t.meta).toMatchObject({ reva: { caseId: id, storeId: store.id } });

    const customer = gorgias().customers.find((x) => x.id === t.customer_id)!;
    expect(customer).toMatchObject({ email: 'jane@example.com', name: 'Jane Doe' });
    expect(tagNames(t)).toEqual(expect.arrayContaining(['reva_escalation', caseTag(id), 'channel_web_chat', normaliseTag(`store_${store.name}`)]));

    expect(t.messages).toHaveLength(1);
    const note = t.messages[0]!;
    expect(note).toMatchObject({ channel: 'internal-note', public: false, from_agent: true, sender: { email: 'agent@acme.test' } });
    const body = note.body_text!;
    expect(body).toContain(c.summary);
    for (const trigger of c.decision.triggers) expect(body).toContain(trigger.reason);
    expect(body).toContain('Jane Doe · jane@example.com');
    expect(body).toContain('#1234 · 89.90 USD · shipped');
    for (const m of conversation.messages) expect(body).toContain(m.text);
    expect(body).toContain(`http://reva.test/dashboard/escalations/${id}`);
    expect(note.body_html).toContain('<br>');

    // HTTP Basic with the account email and API key, on /api/… of the override origin.
    const posted = requests(started).find((r) => r.method === 'POST' && /^\/api\/tickets\/?$/.test(r.path))!;
    expect(posted.headers.authorization).toBe(`Basic ${Buffer.from('agent@acme.test:gorgias-api-key').toString('base64')}`);

    // The same customer (by email) is found again, not created twice.
    const second = await delivered(store);
    expect(second.ticket().customer_id).toBe(t.customer_id);
    expect(gorgias().customers.filter((x) => x.email === 'jane@example.com')).toHaveLength(1);
  });

  it('a customer without an email is found or created by the chat id', async () => {
    const conversation = { ...seedConversation(), customer: { id: 'chat-visitor-7', name: 'Visitor Seven' } };
    const first = await delivered(store, conversation);
    const again = await delivered(store, { ...seedConversation(), customer: { id: 'chat-visitor-7', name: 'Visitor Seven' } });
    const customer = gorgias().customers.find((x) => x.id === first.ticket().customer_id)!;
    expect(customer).toMatchObject({ external_id: 'chat-visitor-7', name: 'Visitor Seven', email: null });
    expect(again.ticket().customer_id).toBe(customer.id);
  });

  it('a new message in the conversation → one internal note with the new text', async () => {
    const { id, conversation, ticket } = await delivered(store);
    await followUp(store, conversation, 'Hello?? Is anyone reading this?');
    const note = await p.sandbox.waitFor(() => notesWith(ticket(), 'Is anyone reading this?')[0], 10_000);
    expect(note).toMatchObject({ public: false, from_agent: true });
    const eventId = (await p.db.escalationEvent.findFirstOrThrow({ where: { escalationId: id, type: 'messages_appended' } })).id.toString();
    expect(note.body_text).toContain(`Reva event #${eventId}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(notesWith(ticket(), 'Is anyone reading this?')).toHaveLength(1);
  });

  it('a case resolved here closes the Gorgias ticket with a note; reopened, the ticket opens again', async () => {
    const { id, ticket } = await delivered(store);
    const resolve = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/resolve`, payload: { summary: 'Parcel found at the depot' } });
    expect(resolve.statusCode, resolve.body).toBe(200);
    await p.sandbox.waitFor(() => ticket().status === 'closed' && notesWith(ticket(), 'Parcel found at the depot').length === 1, 10_000);
    const reopen = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/reopen`, payload: { reason: 'Wrong parcel' } });
    expect(reopen.statusCode, reopen.body).toBe(200);
    await p.sandbox.waitFor(() => ticket().status === 'open' && notesWith(ticket(), 'Wrong parcel').length === 1, 10_000);
    expect(ticket().statusHistory.map((s) => s.status)).toEqual(['open', 'closed', 'open']);
  });

  it('the credential test signs in to the account, and says so when Gorgias refuses the key', async () => {
    const stores = new StoreDirectory(p.db, p.config.encryptionKey, 0);
    const check = (record: Awaited<ReturnType<StoreDirectory['get']>>) =>
      gorgiasIntegration.check!({ config: p.config, store: record!, requestTimeoutMs: 2000 });
    expect(await check(await stores.get(store.id))).toEqual({ ok: true, detail: 'Signed in to the Gorgias account sandbox as agent@acme.test' });
    const other = await p.createStore({ ...STORE, gorgias: { ...GORGIAS, apiKey: 'invalid' } });
    const refused = await check(await stores.get(other.id));
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/refused the credentials of agent@acme\.test \(401\)/) });
  });

  it('Gorgias closes the ticket → the case resolves, Slack hears of it, nothing echoes back to Gorgias; open again reopens it', async () => {
    const { id, delivery, ticket } = await delivered(store);
    const t = ticket();
    const before = Date.now();
    const res = await webhook(store.id, { ticket_id: String(t.id), status: 'closed', assignee_name: 'Gina Agent', assignee_email: 'gina@acme.test' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'applied', escalationId: id, caseStatus: 'RESOLVED' });

    const c = await p.waitForCase(store, id, 'RESOLVED', (x) => x.status === 'RESOLVED');
    const resolved = c.timeline.find((e: { type: string }) => e.type === 'resolved');
    expect(resolved).toMatchObject({ source: 'gorgias' });
    const slackTs = delivery('SLACK').externalId;
    await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === slackTs && /Resolved/.test(m.text)), 10_000);
    await waitUntil('escalation.resolved at the chat backend', () =>
      p.receiver.received.some((r) => r.json.type === 'escalation.resolved' && r.json.data?.escalation?.id === id),
    );
    // Give an echo every chance to show up: none may.
    await new Promise((r) => setTimeout(r, 1000));
    const toTicket = requests(before).filter((r) => r.method !== 'GET' && r.path.includes(`/tickets/${t.id}`));
    expect(toTicket).toEqual([]);
    expect(t.statusHistory.map((s) => s.status)).toEqual(['open']);
    expect(notesWith(t, 'Resolved')).toHaveLength(0);

    // The same webhook again changes nothing; a redelivery is answered 200.
    const again = await webhook(store.id, { ticket_id: t.id, status: 'Closed', assignee_name: 'Gina Agent', assignee_email: 'gina@acme.test' });
    expect(again.statusCode, again.body).toBe(200);
    expect(['unchanged', 'duplicate']).toContain(again.json().status);

    const reopened = await webhook(store.id, { ticket_id: t.id, status: 'open', assignee_name: '', assignee_email: '' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const open = await p.waitForCase(store, id, 'reopened', (x) => x.status === 'OPEN' || x.status === 'IN_PROGRESS');
    expect(open.timeline.find((e: { type: string }) => e.type === 'reopened')).toMatchObject({ source: 'gorgias' });
    await p.sandbox.waitFor((s) => s.slack.messages.find((m) => m.thread_ts === slackTs && /Reopened/.test(m.text)), 10_000);

    // A ticket that is not one of ours is ignored.
    const stranger = await webhook(store.id, { ticket_id: '999999', status: 'closed' });
    expect(stranger.statusCode).toBe(200);
    expect(stranger.json().status).toBe('ignored');
  });

  it('a missing or wrong secret gets 401 with the error body, and changes nothing', async () => {
    const { id, ticket } = await delivered(store);
    const body = { ticket_id: String(ticket().id), status: 'closed' };
    const attempts: Record<string, string>[] = [
      {},
      { 'x-webhook-secret': 'wrong' },
      { 'x-webhook-secret': `${SECRET}x` },
      { authorization: `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}` },
    ];
    for (const headers of attempts) {
      const res = await webhook(store.id, body, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), requestId: expect.any(String) });
      expect(res.body).not.toContain(SECRET);
    }
    // An unknown store has no secret to match.
    expect((await webhook('00000000-0000-4000-8000-000000000000', body)).statusCode).toBe(401);
    expect((await p.getCase(store, id)).status).toBe('OPEN');
  });

  it('a 429 with Retry-After is waited out, then the ticket is made once', async () => {
    p.sandbox.fail({ service: 'gorgias', method: 'POST /api/tickets', status: 429, retryAfter: 2 });
    const started = Date.now();
    const { id, delivery } = await delivered(store);
    const posts = requests(started).filter((r) => r.method === 'POST' && /^\/api\/tickets\/?$/.test(r.path));
    expect(posts).toHaveLength(2);
    expect(Date.parse(posts[1]!.at) - Date.parse(posts[0]!.at)).toBeGreaterThanOrEqual(1900);
    expect(ticketsOf(id)).toHaveLength(1);
    // A rate limit is a wait, not a failed try (issue #13): the attempt is given back.
    expect(delivery('GORGIAS').attempts).toBe(1);
  });
});

describe('Gorgias, exactly once', () => {
  let store: StoreHandle;
  beforeAll(async () => {
    store = await p.createStore({ slack: null, zendesk: null, freshdesk: null, webhook: null, gorgias: GORGIAS });
  });

  it('a ticket whose answer was lost is found by the retry and adopted; so is a note', async () => {
    p.sandbox.fail({ service: 'gorgias', method: 'POST /api/tickets', commitAfterMs: 600 });
    const { id, conversation, delivery, ticket } = await delivered(store);
    expect(ticketsOf(id).map((t) => String(t.id))).toEqual([delivery('GORGIAS').externalId]);

    p.sandbox.fail({ service: 'gorgias', method: 'POST /api/tickets/*/messages', commitAfterMs: 600 });
    await followUp(store, conversation, 'Any news on my parcel?');
    await p.sandbox.waitFor(() => notesWith(ticket(), 'Any news on my parcel?').length > 0, 10_000);
    await waitUntil(
      'the note delivery synced',
      async () => {
        const d = await p.db.escalationIntegration.findFirstOrThrow({ where: { escalationId: id, type: 'GORGIAS' } });
        const appended = await p.db.escalationEvent.findFirstOrThrow({ where: { escalationId: id, type: 'messages_appended' } });
        return d.syncedEventId !== null && d.syncedEventId >= appended.id;
      },
      15_000,
    );
    await settled([id]);
    expect(notesWith(ticket(), 'Any news on my parcel?')).toHaveLength(1);
  }, 40_000);

  it('a ticket that lands after the window is closed as a duplicate of the recorded one; a late note loses its copy', async () => {
    p.sandbox.fail({ service: 'gorgias', method: 'POST /api/tickets', commitAfterRetry: true });
    const { id } = await p.escalate(store, seedConversation());
    const d = await p.waitForDelivery(store, id, 'GORGIAS', 'DELIVERED', 15_000);
    await p.sandbox.waitFor(() => ticketsOf(id).length === 2, 10_000);
    await settled([id]);
    const tickets = ticketsOf(id);
    const kept = tickets.find((t) => String(t.id) === d.externalId)!;
    const duplicate = tickets.find((t) => t !== kept)!;
    expect(kept.status).toBe('open');
    expect(duplicate.status).toBe('closed');
    expect(tagNames(duplicate)).toContain('reva_duplicate');
    expect(duplicate.messages.at(-1)!.body_text).toContain(`Duplicate of ticket #${kept.id}`);

    p.sandbox.fail({ service: 'gorgias', method: 'POST /api/tickets/*/messages', commitAfterRetry: true });
    const assign = await p.call(store.apiKey, { method: 'POST', url: `/escalations/${id}/assign`, payload: { assignedTo: 'nina' } });
    expect(assign.statusCode, assign.body).toBe(200);
    await p.sandbox.waitFor(() => notesWith(kept, 'Assigned to nina').length === 2, 15_000);
    await settled([id]);
    expect(notesWith(kept, 'Assigned to nina')).toHaveLength(1);
  }, 60_000);
});
