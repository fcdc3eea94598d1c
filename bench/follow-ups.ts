// Follow-ups: a chat backend calls POST /escalate again as the conversation goes on, so for an
// escalated conversation the common call is one whose case is already open (the new messages are
// appended to it, DESIGN §3). The other phases only ever open new cases; this one measures the
// follow-up side by side with opening a case, in one run, on the stack as deployed (ROLE=api + ROLE=worker).
import { randomUUID } from 'node:crypto';
import { best, type Closed, closedLoop, type Settings } from './e2e.ts';
import { conversation } from './env.ts';
import { call, createFleet, startStack, type Stack } from './stack.ts';

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const progress = (line: string) => console.log(`▶ ${line} (${new Date().toISOString().slice(11, 19)})`);

type Body = ReturnType<typeof conversation>;

/** Open conversations, each with the messages the chat backend would send next (the whole conversation so far). */
class OpenConversations {
  private readonly bodies: Body[];
  private next = 0;
  appended = 0;

  /** `earlier`: messages exchanged before the bench's ten (a long conversation: its case's context and search text grow with it). */
  constructor(ids: string[], earlier = 0) {
    this.bodies = ids.map((id) => withEarlierMessages(conversation(id, true), earlier));
  }

  /** The next conversation, one customer message longer than last time. */
  withNewMessage(): Body {
    const body = this.bodies[this.next++ % this.bodies.length]!;
    const n = body.messages.length;
    body.messages = [...body.messages, { role: 'customer', text: `Any news on this? (follow-up ${n})` }];
    this.appended++;
    return body;
  }

  /** The next conversation as it was last sent: a retry, nothing new. */
  unchanged(): Body {
    return this.bodies[this.next++ % this.bodies.length]!;
  }
}

function withEarlierMessages(body: Body, earlier: number): Body {
  const before = Array.from({ length: earlier }, (_, i) =>
    i % 2 === 0
      ? { role: 'customer', text: `Earlier question ${i / 2}: can I change the delivery address of my order?` }
      : { role: 'assistant', text: 'Yes, you can change it until it ships.' },
  );
  return { ...body, messages: [...before, ...body.messages] };
}

/** Open cases whose conversations are long before the bench follows them (the `long` row). */
const LONG_CASES = 100;
const LONG_EARLIER = 140;

export async function followUps(s: Settings): Promise<void> {
  const seconds = num('BENCH_SECONDS', s.quick ? 3 : 10);
  const rounds = num('BENCH_ROUNDS', s.quick ? 1 : 2);
  const open = num('BENCH_FOLLOWUP_CASES', s.quick ? 200 : 1000);
  console.log(
    `\n## Follow-ups: POST /escalate for a conversation whose case is open, vs opening a case (ROLE=api + ROLE=worker, no integration, autocannon 16 connections, ${seconds} s, best of ${rounds})`,
  );
  const results: Record<'created' | 'appended' | 'unchanged' | 'long', Closed[]> = { created: [], appended: [], unchanged: [], long: [] };
  let stack: Stack | undefined;
  let summary = '';
  try {
    progress(`follow-ups: opening ${fmt(open)} cases`);
    stack = await startStack('split', 'followups');
    const [store] = await createFleet(stack, 1, [], 'followups');
    const auth = () => ({ authorization: `Bearer ${store!.apiKey}` });
    const ids = Array.from({ length: open }, () => `followup-${randomUUID()}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length) await call(stack!.apiUrl, store!.apiKey, 'POST', '/escalate', conversation(ids[next++]!, true));
      }),
    );
    const conversations = new OpenConversations(ids);
    const longIds = Array.from({ length: LONG_CASES }, () => `followup-long-${randomUUID()}`);
    const long = new OpenConversations(longIds, LONG_EARLIER);
    for (let k = 0; k < LONG_CASES; k++) await call(stack.apiUrl, store!.apiKey, 'POST', '/escalate', long.unchanged());
    const meter = stack.meter({ loadGenerator: false });
    const url = `${stack.apiUrl}/escalate`;
    const fresh = () => conversation(randomUUID(), true);
    const warm = Math.min(3, seconds);
    await closedLoop(url, meter, warm, auth, fresh);
    await closedLoop(url, meter, warm, auth, () => conversations.withNewMessage());
    for (let i = 0; i < rounds; i++) {
      results.created.push(await closedLoop(url, meter, seconds, auth, fresh));
      results.appended.push(await closedLoop(url, meter, seconds, auth, () => conversations.withNewMessage()));
      results.unchanged.push(await closedLoop(url, meter, seconds, auth, () => conversations.unchanged()));
      results.long.push(await closedLoop(url, meter, seconds, auth, () => long.withNewMessage()));
    }
    // A follow-up never opens a second case: one case per conversation, holding at least the messages it was sent.
    const { rows } = await stack.pool.query<{ cases: number; conversations: number; messages: number; shortest: number }>(
      `SELECT count(*)::int AS cases, count(DISTINCT "conversationId")::int AS conversations, coalesce(sum("messageCount"), 0)::int AS messages,
              coalesce(min("messageCount"), 0)::int AS shortest
       FROM escalations WHERE "storeId" = $1 AND "conversationId" = ANY($2::text[])`,
      [store!.id, ids],
    );
    const r = rows[0]!;
    summary =
      `${fmt(r.cases)} cases for ${fmt(r.conversations)} followed conversations (${r.cases === open ? 'one each ✓' : 'expected one each ✗'}); ` +
      `${fmt(r.messages)} messages stored, ${fmt(open * 10)} opened with + ${fmt(conversations.appended)} sent as new (requests cut off when a round ended may not have arrived)`;
    if (r.cases !== open) s.verdict(false, `follow-ups: ${r.cases} cases for ${open} conversations (a follow-up opened a case)`);
  } finally {
    await stack?.stop();
  }

  const created = best(results.created);
  const rows: [string, Closed][] = [
    ['opens a case (new conversation)', created],
    ['follow-up: one new customer message, appended to the open case', best(results.appended)],
    ['follow-up: nothing new (the same conversation again)', best(results.unchanged)],
    [
      `follow-up: one new message to a long conversation (${LONG_CASES} cases opened with ${LONG_EARLIER + 10} messages, each request one longer)`,
      best(results.long),
    ],
  ];
  console.log(
    '| POST /escalate | req/s | p50 ms | p99 ms | non-2xx+errors | server CPU ms/req | CPU vs opening a case | CPU ms/req by process |\n|---|---|---|---|---|---|---|---|',
  );
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.bad} | ${fmt(r.cpuPerRequest, 2)} | ${fmt(r.cpuPerRequest / created.cpuPerRequest, 2)}× | ${r.breakdown} |`,
    );
  }
  console.log(summary);
}
