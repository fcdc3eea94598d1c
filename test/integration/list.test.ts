import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';
import { QUESTIONS, convId } from '../helpers/conversations.ts';

interface Case {
  id: string;
  status: string;
  priority: string;
  channel: string;
  triggers: string[];
  intent: string;
  assignedTo: string | null;
  createdAt: string;
  conversationId: string;
}

const HOUR = 3600_000;
const BASE = Date.parse('2024-03-01T00:00:00.000Z');

/** Conversations that escalate for different reasons; `word` lands in a later customer message. */
const VARIANTS = [
  (word: string) => ({
    channel: 'web_chat',
    aiConfidence: 0.9,
    messages: [
      { role: 'customer', text: 'I will sue you, my lawyer is ready.' },
      { role: 'assistant', text: 'I am sorry to hear that.' },
      { role: 'customer', text: `Tell them about the ${word}.` },
    ],
  }),
  (word: string) => ({
    channel: 'email',
    aiConfidence: 0.95,
    manual: true,
    messages: [
      { role: 'customer', text: 'Hello there.' },
      { role: 'customer', text: `About the ${word} again.` },
    ],
  }),
  (word: string) => ({
    channel: 'sms',
    aiConfidence: 0.95,
    messages: [
      { role: 'customer', text: 'When will my package arrive?' },
      { role: 'assistant', text: 'It ships soon.' },
      { role: 'customer', text: 'When will my package arrive?' },
      { role: 'assistant', text: `It ships soon with the ${word}.` },
    ],
  }),
  (word: string) => ({
    channel: 'whatsapp',
    aiConfidence: 0.95,
    messages: [
      ...QUESTIONS.flatMap((text) => [
        { role: 'customer', text },
        { role: 'assistant', text: 'Sure, here is the answer.' },
      ]),
      { role: 'assistant', text: `Also see the ${word}.` },
    ],
  }),
  (word: string) => ({ ...seedConversation(), channel: 'voice', messages: [...seedConversation().messages, { role: 'customer', text: `And the ${word}!` }] }),
];

const newestFirst = (a: Case, b: Case) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const ids = (cases: Case[]) => [...cases].sort(newestFirst).map((c) => c.id);

function expectError(res: { statusCode: number; json(): any; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  return res.json().message as string;
}

/** RFC 4180 reader, enough for the export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('GET /escalations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  async function escalate(key: string, payload: Record<string, unknown>): Promise<Case> {
    const res = await t.call(key, { method: 'POST', url: '/escalate', payload: { conversationId: convId(), ...payload } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().escalation;
  }
  async function setCreatedAt(c: Case, at: number) {
    await t.app.ctx.db.escalation.update({ where: { id: c.id }, data: { createdAt: new Date(at) } });
    c.createdAt = new Date(at).toISOString();
  }
  const list = async (key: string, query: string) => {
    const res = await t.call(key, { method: 'GET', url: `/escalations${query ? `?${query}` : ''}` });
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return res.json() as { items: Case[]; nextCursor: string | null };
  };
  /** Every page of a query, following nextCursor. */
  async function allPages(key: string, query: string, limit: number) {
    const pages: Case[][] = [];
    let cursor: string | null = null;
    do {
      const page = await list(key, `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }

  describe('filters', () => {
    let key: string;
    let cases: Case[];
    const words = ['zeppelin', 'marmalade', 'trombone', 'walrus', 'origami', 'quasar', 'lantern', 'pelican', 'saxophone', 'glacier', 'pinecone', 'hammock'];

    beforeAll(async () => {
      const store = await t.createStore();
      key = store.apiKey;
      cases = [];
      for (let i = 0; i < words.length; i++) cases.push(await escalate(key, VARIANTS[i % VARIANTS.length]!(words[i]!)));
      // Known creation times, two of them equal (ties are ordered by id).
      for (let i = 0; i < cases.length; i++) await setCreatedAt(cases[i]!, BASE + (i === 7 ? 6 : i) * HOUR);
      for (const [i, who] of [
        [0, 'Alice@Acme.test'],
        [1, 'bob'],
        [2, 'alice@acme.test'],
        [3, 'carol'],
      ] as const) {
        const res = await t.call(key, { method: 'POST', url: `/escalations/${cases[i]!.id}/assign`, payload: { assignedTo: who } });
        expect(res.statusCode).toBe(200);
        Object.assign(cases[i]!, { status: 'IN_PROGRESS', assignedTo: who });
      }
      for (const i of [3, 4]) {
        const res = await t.call(key, { method: 'POST', url: `/escalations/${cases[i]!.id}/resolve`, payload: { summary: 'done' } });
        expect(res.statusCode).toBe(200);
        cases[i]!.status = 'RESOLVED';
      }
    });

    it('lists every case newest first with the case fields', async () => {
      const page = await list(key, '');
      expect(page.items.map((c) => c.id)).toEqual(ids(cases));
      expect(page.nextCursor).toBeNull();
      // The data set covers what the filters below need.
      expect(new Set(cases.map((c) => c.priority)).size).toBeGreaterThanOrEqual(3);
      expect(new Set(cases.map((c) => c.intent)).size).toBeGreaterThanOrEqual(2);
      const item = page.items[0]!;
      const full = (await t.call(key, { method: 'GET', url: `/escalations/${item.id}` })).json();
      for (const [k, v] of Object.entries(item)) expect(full[k], k).toEqual(v);
      expect(item).not.toHaveProperty('context');
    });

    it.each([
      ['status=OPEN', (c: Case) => c.status === 'OPEN'],
      ['status=IN_PROGRESS,RESOLVED', (c: Case) => ['IN_PROGRESS', 'RESOLVED'].includes(c.status)],
      ['status=CLOSED', () => false],
      ['priority=URGENT', (c: Case) => c.priority === 'URGENT'],
      ['priority=HIGH,LOW', (c: Case) => ['HIGH', 'LOW'].includes(c.priority)],
      ['channel=email', (c: Case) => c.channel === 'email'],
      ['channel=sms,%20voice', (c: Case) => ['sms', 'voice'].includes(c.channel)],
      ['trigger=MANUAL', (c: Case) => c.triggers.includes('MANUAL')],
      ['trigger=MAX_TURNS_EXCEEDED,REPEATED_QUESTION', (c: Case) => c.triggers.includes('MAX_TURNS_EXCEEDED') || c.triggers.includes('REPEATED_QUESTION')],
      ['intent=legal', (c: Case) => c.intent === 'legal'],
      ['intent=delivery,other', (c: Case) => ['delivery', 'other'].includes(c.intent)],
      ['assignedTo=ALICE%40acme.test', (c: Case) => c.assignedTo?.toLowerCase() === 'alice@acme.test'],
      ['assignedTo=bob', (c: Case) => c.assignedTo === 'bob'],
      [`from=${new Date(BASE + 3 * HOUR).toISOString()}`, (c: Case) => Date.parse(c.createdAt) >= BASE + 3 * HOUR],
      [`to=${new Date(BASE + 3 * HOUR).toISOString()}`, (c: Case) => Date.parse(c.createdAt) < BASE + 3 * HOUR],
      [
        `from=${encodeURIComponent('2024-03-01T03:00:00+01:00')}&to=${encodeURIComponent('2024-03-01T06:00:00Z')}`,
        (c: Case) => Date.parse(c.createdAt) >= BASE + 2 * HOUR && Date.parse(c.createdAt) < BASE + 6 * HOUR,
      ],
    ])('filter %s', async (query, keep) => {
      const page = await list(key, query);
      const expected = ids(cases.filter(keep));
      expect(page.items.map((c) => c.id)).toEqual(expected);
    });

    it('combines filters (AND across, OR within a list)', async () => {
      const combos: [string, (c: Case) => boolean][] = [
        ['status=OPEN&channel=web_chat,email', (c) => c.status === 'OPEN' && ['web_chat', 'email'].includes(c.channel)],
        [
          `priority=URGENT,HIGH&from=${new Date(BASE + 1 * HOUR).toISOString()}&to=${new Date(BASE + 10 * HOUR).toISOString()}`,
          (c) => ['URGENT', 'HIGH'].includes(c.priority) && Date.parse(c.createdAt) >= BASE + HOUR && Date.parse(c.createdAt) < BASE + 10 * HOUR,
        ],
        ['trigger=MANUAL&assignedTo=bob', (c) => c.triggers.includes('MANUAL') && c.assignedTo === 'bob'],
        ['intent=legal&status=IN_PROGRESS', (c) => c.intent === 'legal' && c.status === 'IN_PROGRESS'],
        ['q=zeppelin&status=IN_PROGRESS', (c) => c.id === cases[0]!.id],
        ['q=zeppelin&status=OPEN', () => false],
      ];
      for (const [query, keep] of combos) {
        const page = await list(key, query);
        expect(
          page.items.map((c) => c.id),
          query,
        ).toEqual(ids(cases.filter(keep)));
      }
      // The filters are not vacuous: each combination above was checked against a non-trivial set.
      expect(cases.filter(combos[0]![1]).length).toBeGreaterThan(0);
    });

    it('q searches the conversation and the summary, with stemming', async () => {
      for (let i = 0; i < words.length; i++) {
        const page = await list(key, `q=${words[i]}`);
        expect(
          page.items.map((c) => c.id),
          words[i],
        ).toEqual([cases[i]!.id]);
      }
      // Plural → singular, case-insensitive, several words (all must match).
      expect((await list(key, 'q=Zeppelins')).items.map((c) => c.id)).toEqual([cases[0]!.id]);
      expect((await list(key, 'q=walrus%20zeppelin')).items).toEqual([]);
      expect((await list(key, 'q=walrus%20or%20zeppelin')).items.map((c) => c.id)).toEqual(ids([cases[0]!, cases[3]!]));
      // The first customer message is the summary: it is searchable too.
      const lawyer = cases.filter((_, i) => i % VARIANTS.length === 0);
      expect((await list(key, 'q=lawyer')).items.map((c) => c.id)).toEqual(ids(lawyer));
      expect((await list(key, 'q=nonexistentword')).items).toEqual([]);
    });

    it('q finds messages appended to an open case', async () => {
      const open = cases.find((c) => c.status === 'OPEN')!;
      const full = (await t.call(key, { method: 'GET', url: `/escalations/${open.id}` })).json();
      const res = await t.call(key, {
        method: 'POST',
        url: '/escalate',
        payload: {
          conversationId: open.conversationId,
          channel: open.channel,
          messages: [...full.context.messages, { role: 'customer', text: 'Also my kaleidoscope broke.' }],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().deduplicated).toBe(true);
      expect((await list(key, 'q=kaleidoscope')).items.map((c) => c.id)).toEqual([open.id]);
    });

    it('400 for bad filter values, naming the parameter', async () => {
      const bad: [string, string][] = [
        ['status=OPEN,DONE', 'querystring.status'],
        ['priority=urgent', 'querystring.priority'],
        ['channel=fax', 'querystring.channel'],
        ['trigger=NOPE', 'querystring.trigger'],
        ['intent=weather', 'querystring.intent'],
        ['from=yesterday', 'querystring.from'],
        ['to=2024-01-01', 'querystring.to'],
        ['limit=0', 'querystring.limit'],
        ['limit=201', 'querystring.limit'],
        ['limit=-1', 'querystring.limit'],
        ['limit=2.5', 'querystring.limit'],
        ['limit=ten', 'querystring.limit'],
        ['status=', 'querystring.status'],
        [`from=${new Date(BASE + 5 * HOUR).toISOString()}&to=${new Date(BASE).toISOString()}`, 'querystring.from'],
        [`q=${'x'.repeat(201)}`, 'querystring.q'],
      ];
      for (const [query, field] of bad) {
        const res = await t.call(key, { method: 'GET', url: `/escalations?${query}` });
        expect(expectError(res, 400), query).toContain(field);
      }
    });

    it('limit bounds: 1 and 200 are accepted, the default is 50', async () => {
      const one = await list(key, 'limit=1');
      expect(one.items).toHaveLength(1);
      expect(one.nextCursor).toEqual(expect.any(String));
      const max = await list(key, 'limit=200');
      expect(max.items).toHaveLength(cases.length);
      expect(max.nextCursor).toBeNull();
    });
  });

  describe('pagination', () => {
    it('walks 25 cases with limit 7: every case once, newest first', async () => {
      const store = await t.createStore();
      const cases: Case[] = [];
      for (let i = 0; i < 25; i++) cases.push(await escalate(store.apiKey, VARIANTS[i % VARIANTS.length]!(`w${i}`)));
      // Groups of three share a creation time, so the id breaks ties across page boundaries.
      for (let i = 0; i < cases.length; i++) await setCreatedAt(cases[i]!, BASE + Math.floor(i / 3) * HOUR);
      const pages = await allPages(store.apiKey, 'status=OPEN', 7);
      expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
      const seen = pages.flat().map((c) => c.id);
      expect(new Set(seen).size).toBe(25);
      expect(seen).toEqual(ids(cases));

      // Exactly one page, then none: the last full page has no cursor to an empty one.
      const exact = await allPages(store.apiKey, 'status=OPEN', 25);
      expect(exact.map((p) => p.length)).toEqual([25]);
      const filtered = await allPages(store.apiKey, 'channel=email,sms', 2);
      expect(filtered.flat().map((c) => c.id)).toEqual(ids(cases.filter((c) => ['email', 'sms'].includes(c.channel))));
    });

    it('stays stable while new cases arrive between pages', async () => {
      const store = await t.createStore();
      const original: Case[] = [];
      for (let i = 0; i < 15; i++) original.push(await escalate(store.apiKey, VARIANTS[i % VARIANTS.length]!(`w${i}`)));
      for (let i = 0; i < original.length; i++) await setCreatedAt(original[i]!, Date.now() - (20 - i) * 60_000);

      const seen: Case[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const page = await list(store.apiKey, `limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items);
        cursor = page.nextCursor;
        // New cases arrive concurrently with the next page being read.
        const [next] = await Promise.all([
          cursor ? list(store.apiKey, `limit=4&cursor=${cursor}`) : Promise.resolve(null),
          escalate(store.apiKey, VARIANTS[round % VARIANTS.length]!(`new${round}`)),
          escalate(store.apiKey, VARIANTS[(round + 1) % VARIANTS.length]!(`newer${round}`)),
        ]);
        if (next) {
          seen.push(...next.items);
          cursor = next.nextCursor;
        }
        round++;
      } while (cursor && round < 20);

      const seenIds = seen.map((c) => c.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      expect(seenIds).toEqual(ids(original));
      // The new cases are there for a fresh first page.
      const fresh = await list(store.apiKey, 'limit=200');
      expect(fresh.items).toHaveLength(15 + 2 * round);
    });

    it('400 for a cursor this API did not issue', async () => {
      const store = await t.createStore();
      for (const cursor of [
        'garbage',
        '%00',
        Buffer.from('2024-01-01T00:00:00.000Z').toString('base64url'),
        Buffer.from('yesterday|00000000-0000-4000-8000-000000000000').toString('base64url'),
        Buffer.from(`2024-01-01T00:00:00.000Z|${'z'.repeat(36)}`).toString('base64url'),
        'x'.repeat(201),
      ]) {
        const res = await t.call(store.apiKey, { method: 'GET', url: `/escalations?cursor=${cursor}` });
        expect(expectError(res, 400), cursor).toMatch(/cursor/);
      }
    });
  });

  describe('GET /escalations/export', () => {
    const COLUMNS = [
      'id',
      'createdAt',
      'status',
      'priority',
      'channel',
      'intent',
      'triggers',
      'keywords',
      'summary',
      'customerName',
      'customerEmail',
      'orderNumber',
      'orderTotal',
      'assignedTo',
      'assignedAt',
      'resolvedAt',
      'sentiment',
      'aiConfidence',
      'conversationId',
      'url',
    ];

    it('answers text/csv with a header row and the filtered rows', async () => {
      const store = await t.createStore();
      const cases: Case[] = [];
      for (let i = 0; i < 7; i++) cases.push(await escalate(store.apiKey, VARIANTS[i % VARIANTS.length]!(`w${i}`)));
      for (let i = 0; i < cases.length; i++) await setCreatedAt(cases[i]!, BASE + i * HOUR);
      await t.call(store.apiKey, { method: 'POST', url: `/escalations/${cases[1]!.id}/resolve`, payload: { summary: 'ok' } });
      cases[1]!.status = 'RESOLVED';

      const all = await t.call(store.apiKey, { method: 'GET', url: '/escalations/export' });
      expect(all.statusCode, all.body).toBe(200);
      expect(all.headers['content-type']).toMatch(/^text\/csv/);
      expect(all.headers['content-disposition']).toMatch(/^attachment; filename="escalations-\d{4}-\d{2}-\d{2}\.csv"$/);
      const rows = parseCsv(all.body);
      expect(rows[0]).toEqual(COLUMNS);
      expect(rows.slice(1).map((r) => r[0])).toEqual(ids(cases));
      for (const row of rows.slice(1)) {
        const c = cases.find((x) => x.id === row[0])!;
        const byName = Object.fromEntries(COLUMNS.map((name, i) => [name, row[i]]));
        expect(byName).toMatchObject({
          createdAt: c.createdAt,
          status: c.status,
          priority: c.priority,
          channel: c.channel,
          intent: c.intent,
          triggers: c.triggers.join(';'),
          conversationId: c.conversationId,
          url: `http://reva.test/dashboard/escalations/${c.id}`,
        });
      }

      const filtered = await t.call(store.apiKey, { method: 'GET', url: '/escalations/export?status=OPEN&channel=web_chat,email,sms' });
      const frows = parseCsv(filtered.body);
      expect(frows[0]).toEqual(COLUMNS);
      const expected = ids(cases.filter((c) => c.status === 'OPEN' && ['web_chat', 'email', 'sms'].includes(c.channel)));
      expect(expected.length).toBeGreaterThan(0);
      expect(frows.slice(1).map((r) => r[0])).toEqual(expected);

      const none = await t.call(store.apiKey, { method: 'GET', url: '/escalations/export?status=CLOSED' });
      expect(none.body).toBe(`${COLUMNS.join(',')}\r\n`);
      expect(expectError(await t.call(store.apiKey, { method: 'GET', url: '/escalations/export?status=NOPE' }), 400)).toContain('querystring.status');
    });

    it('escapes commas, quotes and newlines and neutralises formulas', async () => {
      const store = await t.createStore();
      const name = '=HYPERLINK("http://evil.test","click"), "Bob"\nSecond line';
      const email = '@SUM(A1:A9)';
      const orderNumber = '+1,234';
      const conversationId = `-2+3-${randomBytes(3).toString('hex')}`;
      const c = await escalate(store.apiKey, {
        ...seedConversation(conversationId),
        customer: { name, email },
        order: { number: orderNumber, total: 12.5 },
      });
      const res = await t.call(store.apiKey, { method: 'GET', url: '/escalations/export' });
      const rows = parseCsv(res.body);
      expect(rows).toHaveLength(2);
      const row = Object.fromEntries(COLUMNS.map((n, i) => [n, rows[1]![i]]));
      expect(row.id).toBe(c.id);
      expect(row.customerName).toBe(`'${name}`);
      expect(row.customerEmail).toBe(`'${email}`);
      expect(row.orderNumber).toBe(`'${orderNumber}`);
      expect(row.conversationId).toBe(`'${conversationId}`);
      expect(row.orderTotal).toBe('12.5');
      // A negative number stays a number.
      expect(row.sentiment).toBe('-0.8');
      expect(res.body).toContain(`"'=HYPERLINK(""http://evil.test"",""click""), ""Bob""\nSecond line"`);
      // No cell of the raw output starts with a formula character.
      for (const r of rows) for (const cell of r) expect(cell === '' || !/^[=+@]/.test(cell), cell).toBe(true);
    });
  });
});
