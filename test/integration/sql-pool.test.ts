import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSqlPool } from '../../src/db/sql.ts';
import { createDeliveryPool } from '../../src/delivery/pool.ts';
import type { PoolClient } from 'pg';
import type { SqlPool } from '../../src/db/sql.ts';
import { type CaseInsert, countEvaluationsUnlessOpen, insertCases, prepareCase } from '../../src/escalations/hot-path.ts';
import { recordDeliveredBatch, saveMetadataBatch } from '../../src/delivery/rows.ts';
import { prepareAppend, writeAppends } from '../../src/escalations/follow-up.ts';

/** Sequential and index scans of `table` made by `run` on this connection (pg_stat_xact_user_tables counts them before they are reported). */
async function scansDuring(client: PoolClient, table: string, run: () => Promise<void>) {
  const scans = `SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = '${table}'`;
  await client.query('BEGIN');
  const before = (await client.query(scans)).rows[0];
  await run();
  const after = (await client.query(scans)).rows[0];
  await client.query('COMMIT');
  return { seq: Number(after.seq_scan) - Number(before.seq_scan), idx: Number(after.idx_scan) - Number(before.idx_scan) };
}

/**
 * Runs a claim-like named statement `warmRuns` times on an empty analysed table, grows the table to
 * 20,000 rows, runs it 5 times more: their scans, and the statement's plan counts.
 */
async function claimOnGrownTable(pool: SqlPool, warmRuns: number) {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE plan_probe (id uuid PRIMARY KEY, status text)');
    await client.query('ANALYZE plan_probe');
    const claim = { name: 'plan-probe-claim', text: "UPDATE plan_probe SET status = 'x' WHERE id = ANY($1::uuid[]) RETURNING id" };
    const runClaim = () => client.query({ ...claim, values: [['00000000-0000-0000-0000-000000000001']] });
    for (let k = 0; k < warmRuns; k++) await runClaim();
    await client.query("INSERT INTO plan_probe SELECT gen_random_uuid(), 'PENDING' FROM generate_series(1, 20000)");
    const scans = await scansDuring(client, 'plan_probe', async () => {
      for (let k = 0; k < 5; k++) await runClaim();
    });
    const plans = (await client.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'plan-probe-claim'")).rows[0];
    return { ...scans, genericPlans: Number(plans.generic_plans), customPlans: Number(plans.custom_plans) };
  } finally {
    await client.query('DROP TABLE IF EXISTS plan_probe');
    client.release();
  }
}

// A named statement's generic plan is cached per connection and is not re-made as a table grows (only
// an ANALYZE invalidates it). Prepared while escalation_integrations was empty, the delivery claim kept
// a sequential scan for every later run. The pools plan named statements on every run instead.
describe('plain pg pool and named statements (plans made per run)', () => {
  const pool = createSqlPool(process.env.DATABASE_URL!, 1);
  afterAll(() => pool.end());

  it('a named statement prepared on an empty table uses the index once the table has grown', async () => {
    const probe = await claimOnGrownTable(pool, 8);
    expect(probe.seq).toBe(0);
    expect(probe.idx).toBe(5);
    expect(probe.genericPlans).toBe(0);
  });
});

// The worker's pool plans a named statement once per connection (planning cost about as much as
// running it) and never with a sequential scan, so that one plan serves a table of any size.
describe("the delivery worker's pg pool", () => {
  const pool = createDeliveryPool(process.env.DATABASE_URL!, 1);
  afterAll(() => pool.end());

  it('plans a named statement once, and one planned on an empty table still uses the index once the table has grown', async () => {
    const probe = await claimOnGrownTable(pool, 3);
    expect(probe.seq).toBe(0);
    expect(probe.idx).toBe(5);
    expect(probe.customPlans).toBe(0);
    expect(probe.genericPlans).toBe(8);
  });
});

// The API's pool keeps Postgres's plan cache (re-planning a batch insert and its foreign-key checks
// cost a third of Postgres's CPU per case) and rules out sequential scans, so what was cached while a
// table was tiny still finds rows by index once it has grown.
describe('plain pg pool with cached plans, index only (the request path)', () => {
  const pool = createSqlPool(process.env.DATABASE_URL!, 1, 'cached-index-only');
  afterAll(() => pool.end());

  it('a foreign-key check and a named statement cached on a tiny table use the index once it has grown', async () => {
    const client = await pool.connect();
    try {
      await client.query('CREATE TEMP TABLE plan_parent (id uuid PRIMARY KEY)');
      await client.query('CREATE TEMP TABLE plan_child (id bigserial PRIMARY KEY, "parentId" uuid NOT NULL REFERENCES plan_parent(id))');
      await client.query('INSERT INTO plan_parent SELECT gen_random_uuid() FROM generate_series(1, 3)');
      // Analyzed while tiny: a sequential scan is then the cheapest plan of both statements.
      await client.query('ANALYZE plan_parent');
      const insert = { name: 'plan-probe-insert', text: 'INSERT INTO plan_child ("parentId") SELECT id FROM plan_parent WHERE id = $1::uuid' };
      const { rows: parents } = await client.query('SELECT id FROM plan_parent');
      for (let k = 0; k < 8; k++) await client.query({ ...insert, values: [parents[k % 3].id] });
      await client.query('INSERT INTO plan_parent SELECT gen_random_uuid() FROM generate_series(1, 20000)');
      const scans = await scansDuring(client, 'plan_parent', async () => {
        for (let k = 0; k < 5; k++) await client.query({ ...insert, values: [parents[k % 3].id] });
      });
      // Each run: the statement's own lookup and its row's foreign-key check, both by the primary key.
      expect(scans.seq).toBe(0);
      expect(scans.idx).toBe(10);
      const plans = await client.query("SELECT generic_plans FROM pg_prepared_statements WHERE name = 'plan-probe-insert'");
      expect(Number(plans.rows[0].generic_plans)).toBeGreaterThan(0);
    } finally {
      await client.query('DROP TABLE IF EXISTS plan_child, plan_parent');
      client.release();
    }
  });
});

// A pooled connection closed by a lull is a new Postgres backend at the next burst: a fork that fills
// its caches again (~15 ms of Postgres CPU here) and new plans for every named statement. pg-pool's
// default closed them after 10 s idle; the bench's steady 50 cases/s then opened ~25 a minute.
describe('pooled connections outlive a lull', () => {
  const pool = createSqlPool(process.env.DATABASE_URL!, 3);
  afterAll(() => pool.end());
  const burst = async () => {
    const rows = await Promise.all([0, 1, 2].map(() => pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')));
    return new Set(rows.map((r) => r.rows[0]!.pid));
  };

  it('a burst after 11 idle seconds runs on the connections of the burst before it', async () => {
    const first = await burst();
    expect(first.size).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(await burst()).toEqual(first);
  }, 20_000);

  it('idle connections do not keep a process alive that has nothing else to do', () => {
    const code = `import { createSqlPool } from './src/db/sql.ts';
      const pool = createSqlPool(${JSON.stringify(process.env.DATABASE_URL)}, 2);
      await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
      console.log('idle');`;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 15_000 });
    expect(run.stdout.trim()).toBe('idle');
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 20_000);
});

/**
 * Runs `body` on one connection of `pool` whose statements see empty temporary copies of `tables`
 * (temporary tables come first in the search path; the copies have no foreign keys), dropped after.
 */
async function withShadowTables(pool: SqlPool, tables: string[], body: (client: PoolClient, session: SqlPool) => Promise<void>) {
  const client = await pool.connect();
  try {
    for (const t of tables) await client.query(`CREATE TEMP TABLE ${t} (LIKE public.${t} INCLUDING ALL)`);
    // The functions under test take a pool; this one runs them on the connection that sees the copies.
    await body(client, { query: client.query.bind(client) } as unknown as SqlPool);
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.query(`DROP TABLE IF EXISTS ${tables.map((t) => `pg_temp.${t}`).join(', ')}`);
    client.release();
  }
}

/** Rows of the temporary `table` read by `run` on this connection: scanned, or fetched through an index. */
async function rowsReadDuring(client: PoolClient, table: string, run: () => Promise<void>): Promise<number> {
  const read = `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_xact_user_tables WHERE relid = 'pg_temp.${table}'::regclass`;
  await client.query('BEGIN');
  const before = Number((await client.query(read)).rows[0].n);
  await run();
  const after = Number((await client.query(read)).rows[0].n);
  await client.query('COMMIT');
  return after - before;
}

// POST /escalate looks up the open case of each conversation in the batch (a follow-up reads it, a new
// conversation finds none). As a join against the batch it was planned, while escalations was small, as
// a hash join over the whole unique index, and the cached plan read every open case per statement until
// the table's next ANALYZE (autovacuum's pace: up to a minute, the table 4× bigger by then at 50 cases/s).
describe("the accept path's open-case look-up (the API's pool, plans cached)", () => {
  const pool = createSqlPool(process.env.DATABASE_URL!, 1, 'cached-index-only');
  afterAll(() => pool.end());
  const store = randomUUID();
  const newCase = (conversationId: string): CaseInsert => {
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000);
    return {
      id: randomUUID(),
      integrations: [],
      eventData: {},
      searchText: 'where is my order',
      c: {
        storeId: store,
        conversationId,
        openConversationId: conversationId,
        channel: 'web_chat',
        priority: 'MEDIUM',
        triggers: ['manual_request'],
        intent: 'order_status',
        keywords: [],
        summary: 'where is my order',
        reason: null,
        aiConfidence: 0.5,
        sentiment: -0.2,
        customerId: null,
        customerName: null,
        customerEmail: null,
        customerTier: null,
        orderNumber: null,
        orderTotal: null,
        messageCount: 2,
        idempotencyKey: null,
        context: { messages: [] },
        decision: {},
        firstResponseDueAt: later,
        resolutionDueAt: later,
        createdAt: now,
        firstResponseWarnAt: null,
        resolutionWarnAt: null,
        slaTimeZone: null,
        expectedFirstResponseAt: null,
      },
    };
  };

  /** Adds `rows` open cases of the store to the (shadowed) escalations table. */
  const growCases = (client: PoolClient, rows: number) =>
    client.query(
      `INSERT INTO escalations (id, "storeId", "conversationId", "openConversationId", channel, priority, intent, summary, sentiment,
         "messageCount", context, decision, "firstResponseDueAt", "resolutionDueAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, c, c, 'web_chat', 'LOW', 'other', 'grown', 0, 1, '{}', '{}', now(), now(), now()
       FROM (SELECT gen_random_uuid()::text AS c FROM generate_series(1, $2::int)) AS g`,
      [store, rows],
    );

  it('probes the unique index per conversation, also once the table has grown far past its statistics', async () => {
    await withShadowTables(pool, ['escalations', 'escalation_integrations', 'sla_timers', 'escalation_events', 'evaluations'], async (client, session) => {
      const grow = (rows: number) => growCases(client, rows);
      // Statistics of a young table (autovacuum analyzes after its first 50 changed rows, then once per 10%).
      await grow(50);
      await client.query('ANALYZE pg_temp.escalations');
      const lookups = async () => {
        const opened = await insertCases(session, [prepareCase(newCase(`c-${randomUUID()}`))]);
        expect('escalation' in opened[0]!).toBe(true);
        const followUp = await insertCases(session, [prepareCase(newCase('followed'))]);
        expect(followUp[0]).toMatchObject({ conflict: true, open: { id: expect.any(String) } });
        const counted = await countEvaluationsUnlessOpen(session, [{ storeId: store, channel: 'web_chat', conversationId: 'followed' }]);
        expect(counted[0]).toEqual(expect.any(String));
      };
      await insertCases(session, [prepareCase(newCase('followed'))]);
      // Past the plan cache's five custom plans: what runs now is the generic plan, kept until an ANALYZE.
      for (let k = 0; k < 8; k++) await lookups();
      await grow(20_000);
      // One new conversation (no case), one follow-up and one count (its case each): two rows fetched,
      // where the join read all 20,000 open cases per statement.
      expect(await rowsReadDuring(client, 'escalations', lookups)).toBeLessThanOrEqual(4);
    });
  });

  it("merges a batch of follow-ups by a probe of each case's primary key, also once the table has grown far past its statistics", async () => {
    await withShadowTables(pool, ['escalations', 'escalation_integrations', 'sla_timers', 'escalation_events', 'evaluations'], async (client, session) => {
      const grow = (rows: number) => growCases(client, rows);
      await grow(50);
      await client.query('ANALYZE pg_temp.escalations');
      const cases: string[] = [];
      for (const conversation of ['merged-1', 'merged-2']) {
        const [opened] = await insertCases(session, [prepareCase(newCase(conversation))]);
        cases.push((opened as { escalation: { id: string } }).escalation.id);
      }
      const version = async (id: string) => (await client.query('SELECT xmin::text AS v FROM escalations WHERE id = $1', [id])).rows[0].v as string;
      let turn = 0;
      const merge = async () => {
        turn++;
        const added = [{ role: 'customer' as const, text: `turn ${turn}` }];
        const append = async (caseId: string) => ({
          caseId,
          version: await version(caseId),
          context: { messages: added, customer: {}, order: {}, metadata: {} },
          added,
          searchText: `turn ${turn}`,
          extendsSearch: false,
          channel: 'web_chat',
        });
        const first = await append(cases[0]!);
        // The second case's merge was made on a version that has changed since: it misses, the first is written.
        const stale = await append(cases[1]!);
        await client.query(`UPDATE escalations SET "updatedAt" = now() WHERE id = $1`, [cases[1]]);
        const written = await writeAppends(session, [first, stale].map(prepareAppend));
        expect(written[0]).toMatchObject({ event: expect.any(String), deliveries: [] });
        expect(written[1]).toBeNull();
      };
      for (let k = 0; k < 8; k++) await merge();
      await grow(20_000);
      // Per merge: two versions read, one row updated, one compare that missed: a few rows, not 20,000.
      expect(await rowsReadDuring(client, 'escalations', merge)).toBeLessThanOrEqual(8);
      const { rows } = await client.query(`SELECT "messageCount", context->'messages'->0->>'text' AS last FROM escalations WHERE id = $1`, [cases[0]]);
      expect(rows[0]).toEqual({ messageCount: 2 + 9, last: 'turn 9' });
      expect(
        (await client.query(`SELECT count(*)::int AS n FROM escalation_events WHERE "escalationId" = $1 AND type = 'messages_appended'`, [cases[0]])).rows[0].n,
      ).toBe(9);
    });
  });
});

// The worker records progress marks and DELIVERED for several deliveries per statement, joined to a
// JSON document Postgres guesses at 100 rows. Planned once per connection (the worker's pool) while
// escalation_integrations was young, the join hashed a sequential scan of the whole table per statement.
describe("the delivery worker's batch records (its pool, planned once)", () => {
  const pool = createDeliveryPool(process.env.DATABASE_URL!, 1);
  afterAll(() => pool.end());

  it('find their rows by primary key, also once the table has grown far past its statistics', async () => {
    await withShadowTables(pool, ['escalation_integrations', 'escalation_events'], async (client, session) => {
      const grow = async (rows: number) =>
        (
          await client.query<{ id: string }>(
            `INSERT INTO escalation_integrations (id, "escalationId", "storeId", type, "updatedAt")
             SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'SLACK', now() FROM generate_series(1, $1::int) RETURNING id`,
            [rows],
          )
        ).rows.map((r) => r.id);
      // Statistics of a young table (autovacuum analyzes after its first 50 changed rows, then once per 10%).
      const young = await grow(50);
      await client.query('ANALYZE pg_temp.escalation_integrations');
      let k = 0;
      const records = async () => {
        const [a, b] = [young[k++ % 50]!, young[k++ % 50]!];
        const saved = await saveMetadataBatch(session, [
          { id: a, expected: undefined, metadata: { step: k } },
          { id: b, expected: undefined, metadata: { step: k } },
        ]);
        expect(saved.size).toBeLessThanOrEqual(2);
        const [c] = await grow(1);
        const delivered = await recordDeliveredBatch(session, [{ id: c!, externalId: `x-${k}`, externalUrl: null, metadata: {} }]);
        expect(delivered).toEqual(new Set([c]));
      };
      for (let n = 0; n < 8; n++) await records();
      await grow(20_000);
      // Two marks and one DELIVERED: three rows fetched by their ids, where the hash join read all 20,000.
      expect(await rowsReadDuring(client, 'escalation_integrations', records)).toBeLessThanOrEqual(6);
    });
  });
});
