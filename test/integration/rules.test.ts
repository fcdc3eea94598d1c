import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happyConversation, seedConversation, startTestApp, type TestApp } from '../helpers/app.ts';

type Trigger = { type: string; value: unknown; threshold: unknown; reason: string };

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const bigOrders = {
  name: 'big orders',
  conditions: { all: [{ fact: 'orderTotal', operator: 'greaterThan', value: 500 }] },
  event: { type: 'escalate' },
};
const withOrder = (total: number) => ({ ...happyConversation(), order: { number: 'A-1', total, currency: 'USD' } });

describe('store rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const putConfig = (store: { id: string; apiKey: string }, payload: object) =>
    t.call(store.apiKey, { method: 'PUT', url: `/stores/${store.id}/escalation-config`, payload });
  async function storeWith(config: object) {
    const store = await t.createStore();
    const res = await putConfig(store, config);
    expect(res.statusCode, res.body).toBe(200);
    return store;
  }
  const escalate = (key: string, payload: object) => t.call(key, { method: 'POST', url: '/escalate', payload });
  const evaluate = (key: string, payload: object) => t.call(key, { method: 'POST', url: '/escalations/evaluate', payload });
  const ruleMatches = (decision: { triggers: Trigger[] }) => decision.triggers.filter((x) => x.type === 'RULE_MATCH');

  describe('validation when saved', () => {
    it.each([
      ['unknown fact', { ...bigOrders, conditions: { all: [{ fact: 'moonPhase', operator: 'equal', value: 'full' }] } }, 'moonPhase'],
      ['unknown operator', { ...bigOrders, conditions: { all: [{ fact: 'orderTotal', operator: 'biggerThan', value: 5 }] } }, 'biggerThan'],
      ['unknown event type', { ...bigOrders, event: { type: 'explode' } }, 'explode'],
      ['nested unknown fact', { ...bigOrders, conditions: { any: [{ all: [{ not: { fact: 'weather', operator: 'equal', value: 1 } }] }] } }, 'weather'],
      ['setPriority without a valid priority', { ...bigOrders, event: { type: 'setPriority', params: { priority: 'CRITICAL' } } }, 'priority'],
      ['route to an unknown integration', { ...bigOrders, event: { type: 'route', params: { integrations: ['jira'] } } }, 'integrations'],
      ['route with nothing', { ...bigOrders, event: { type: 'route', params: {} } }, 'route'],
      ['a rule without a name', { conditions: bigOrders.conditions, event: bigOrders.event }, 'name'],
      ['conditions that are not an object', { ...bigOrders, conditions: 'always' }, 'conditions'],
      ['a condition without a value', { ...bigOrders, conditions: { all: [{ fact: 'orderTotal', operator: 'greaterThan' }] } }, 'value'],
      ['"in" with a value that is not a list', { ...bigOrders, conditions: { all: [{ fact: 'channel', operator: 'in', value: 5 }] } }, 'in'],
      ['"notIn" with a fact reference', { ...bigOrders, conditions: { all: [{ fact: 'intent', operator: 'notIn', value: { fact: 'turns' } }] } }, 'notIn'],
      [
        'a value referring to an unknown fact',
        { ...bigOrders, conditions: { all: [{ fact: 'turns', operator: 'greaterThan', value: { fact: 'maxTurns' } }] } },
        'maxTurns',
      ],
      ['a top level without all/any', { ...bigOrders, conditions: { fact: 'orderTotal', operator: 'greaterThan', value: 1 } }, 'rules[0]'],
    ])('400 for %s, naming it', async (_name, rule, named) => {
      const store = await t.createStore();
      const res = await putConfig(store, { rules: [rule] });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: expect.any(String) });
      expect(res.json().message).toContain(named);
      // Nothing was saved.
      const config = await t.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` });
      expect(config.json().rules).toBeUndefined();
    });

    it('names the rule at fault among several', async () => {
      const store = await t.createStore();
      const res = await putConfig(store, {
        rules: [bigOrders, { ...bigOrders, name: 'night shift', conditions: { all: [{ fact: 'hour', operator: 'greaterThan', value: 22 }] } }],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('rules[1] ("night shift")');
      expect(res.json().message).toContain('"hour"');
    });

    it('400 (never 5xx) for absurdly nested rules', async () => {
      const store = await t.createStore();
      // Built as text: the test's own JSON.stringify would overflow on these.
      const put = (rule: string) =>
        t.call(store.apiKey, {
          method: 'PUT',
          url: `/stores/${store.id}/escalation-config`,
          payload: `{"rules":[${rule}]}`,
          headers: { 'content-type': 'application/json' },
        });
      const leaf = '{"fact":"orderTotal","operator":"greaterThan","value":1}';
      const deep = await put(`{"name":"deep","event":{"type":"escalate"},"conditions":{"all":[${'{"not":'.repeat(50_000)}${leaf}${'}'.repeat(50_000)}]}}`);
      expect(deep.statusCode, deep.body.slice(0, 300)).toBe(400);
      expect(deep.json().message).toMatch(/nest/);

      const deepValue = await put(
        `{"name":"deep value","event":{"type":"escalate"},"conditions":{"all":[{"fact":"channel","operator":"in","value":${'['.repeat(50_000)}1${']'.repeat(50_000)}}]}}`,
      );
      expect(deepValue.statusCode, deepValue.body.slice(0, 300)).toBe(400);
    });

    it('saves valid rules of every event type and shows them back', async () => {
      const rules = [
        bigOrders,
        { name: 'email calm', conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'email' }] }, event: { type: 'suppress' } },
        {
          name: 'vip',
          conditions: { any: [{ fact: 'customerTier', operator: 'in', value: ['vip', 'gold'] }] },
          event: { type: 'setPriority', params: { priority: 'URGENT' } },
        },
        {
          name: 'sms to webhook',
          conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'sms' }] },
          event: { type: 'route', params: { integrations: ['webhook'], slackChannel: '#sms' } },
        },
        {
          name: 'keywords',
          conditions: {
            all: [
              { fact: 'keywords', operator: 'contains', value: 'lawyer' },
              { fact: 'hourOfDay', operator: 'greaterThanInclusive', value: 0 },
            ],
          },
          event: { type: 'escalate' },
        },
      ];
      const store = await t.createStore();
      const res = await putConfig(store, { rules });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rules).toEqual(rules);
      const read = await t.call(store.apiKey, { method: 'GET', url: `/stores/${store.id}/escalation-config` });
      expect(read.json().rules).toEqual(rules);
    });
  });

  describe('evaluation', () => {
    it('escalate: an otherwise-happy conversation escalates with RULE_MATCH naming the rule', async () => {
      const store = await storeWith({ rules: [bigOrders] });
      for (const call of [escalate, evaluate]) {
        const small = await call(store.apiKey, withOrder(400));
        expect(small.statusCode, small.body).toBe(200);
        expect(small.json().decision.shouldEscalate).toBe(false);
        expect(ruleMatches(small.json().decision)).toEqual([]);
      }

      const dry = await evaluate(store.apiKey, withOrder(600));
      expect(dry.statusCode).toBe(200);
      expect(dry.json().decision.shouldEscalate).toBe(true);
      expect(ruleMatches(dry.json().decision)).toEqual([expect.objectContaining({ value: 'big orders', reason: expect.stringContaining('big orders') })]);
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(0);

      const res = await escalate(store.apiKey, withOrder(600));
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.decision.triggers.map((x: Trigger) => x.type)).toEqual(['RULE_MATCH']);
      expect(ruleMatches(body.decision)[0]).toMatchObject({ value: 'big orders' });
      expect(body.escalation.triggers).toEqual(['RULE_MATCH']);
      expect(body.decision.priority).toBe(body.escalation.priority);
      // A rule escalation is prioritised like any other trigger: a $600 order is not LOW.
      expect(body.decision.priority).not.toBe('LOW');
      expect(dry.json().decision.priority).toBe(body.decision.priority);
      const listed = await t.call(store.apiKey, { method: 'GET', url: '/escalations?trigger=RULE_MATCH' });
      expect(listed.json().items.map((e: { id: string }) => e.id)).toEqual([body.escalation.id]);
    });

    it('every documented fact reaches the rules', async () => {
      const facts: [string, object, object][] = [
        ['sentiment', { fact: 'sentiment', operator: 'lessThan', value: -0.7 }, { ...happyConversation(), customerSentiment: -0.9 }],
        ['confidence', { fact: 'confidence', operator: 'lessThan', value: 0.99 }, { ...happyConversation(), aiConfidence: 0.98 }],
        [
          'keywords',
          { fact: 'keywords', operator: 'contains', value: 'warranty claim' },
          { ...happyConversation(), messages: [{ role: 'customer', text: 'I have a warranty claim.' }] },
        ],
        ['intent', { fact: 'intent', operator: 'equal', value: 'billing' }, { ...happyConversation(), detectedIntent: 'billing' }],
        ['turns', { fact: 'turns', operator: 'greaterThanInclusive', value: 2 }, happyConversation()],
        ['customerTier', { fact: 'customerTier', operator: 'equal', value: 'platinum' }, { ...happyConversation(), customer: { tier: 'platinum' } }],
        ['orderTotal', { fact: 'orderTotal', operator: 'greaterThan', value: 500 }, withOrder(501)],
        ['channel', { fact: 'channel', operator: 'in', value: ['instagram', 'messenger'] }, { ...happyConversation(), channel: 'messenger' }],
        ['hourOfDay', { fact: 'hourOfDay', operator: 'equal', value: new Date().getUTCHours() }, happyConversation()],
      ];
      for (const [fact, condition, conversation] of facts) {
        const store = await storeWith({
          detection: { keywords: ['warranty claim'], confidenceThreshold: 0.5 },
          rules: [{ name: `on ${fact}`, conditions: { all: [condition] }, event: { type: 'escalate' } }],
        });
        const fired = await evaluate(store.apiKey, conversation);
        expect(fired.statusCode, fired.body).toBe(200);
        const hourRolledOver = fact === 'hourOfDay' && (condition as { value: number }).value !== new Date().getUTCHours();
        if (hourRolledOver) continue;
        expect(
          ruleMatches(fired.json().decision).map((x) => x.value),
          fact,
        ).toEqual([`on ${fact}`]);
        expect(fired.json().decision.shouldEscalate, fact).toBe(true);
        const quiet = await evaluate(store.apiKey, {
          ...happyConversation(),
          messages: [{ role: 'customer', text: 'Thanks!' }],
          channel: 'web_chat',
          aiConfidence: 0.999,
        });
        if (fact !== 'hourOfDay') expect(ruleMatches(quiet.json().decision), `${fact} on a quiet conversation`).toEqual([]);
      }
    });

    it('suppress: the conversation is not escalated, and RULE_MATCH still shows', async () => {
      const store = await storeWith({
        rules: [
          { name: 'email is handled elsewhere', conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'email' }] }, event: { type: 'suppress' } },
        ],
      });
      for (const call of [escalate, evaluate]) {
        const res = await call(store.apiKey, { ...seedConversation(), channel: 'email' });
        expect(res.statusCode, res.body).toBe(200);
        const decision = res.json().decision;
        expect(res.json().escalated ?? false).toBe(false);
        expect(decision.shouldEscalate).toBe(false);
        expect(decision.suppressed).toBe(true);
        expect(ruleMatches(decision).map((x) => x.value)).toEqual(['email is handled elsewhere']);
        // The detector's own triggers stay visible.
        expect(decision.triggers.map((x: Trigger) => x.type)).toEqual(
          expect.arrayContaining(['LOW_CONFIDENCE', 'NEGATIVE_SENTIMENT', 'KEYWORD_MATCH', 'RULE_MATCH']),
        );
      }
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(0);
      const web = await escalate(store.apiKey, seedConversation());
      expect(web.statusCode).toBe(201);
      expect(ruleMatches(web.json().decision)).toEqual([]);
    });

    it('suppress wins over escalate', async () => {
      const store = await storeWith({
        rules: [
          bigOrders,
          { name: 'test orders', conditions: { all: [{ fact: 'customerTier', operator: 'equal', value: 'test' }] }, event: { type: 'suppress' } },
        ],
      });
      const res = await escalate(store.apiKey, { ...withOrder(900), customer: { tier: 'test' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().decision.shouldEscalate).toBe(false);
      expect(
        ruleMatches(res.json().decision)
          .map((x) => x.value)
          .sort(),
      ).toEqual(['big orders', 'test orders']);
    });

    it('setPriority alone does not escalate, but sets the priority of an escalation', async () => {
      const store = await storeWith({
        rules: [
          {
            name: 'vip first',
            conditions: { all: [{ fact: 'customerTier', operator: 'equal', value: 'vip' }] },
            event: { type: 'setPriority', params: { priority: 'URGENT' } },
          },
          {
            name: 'legal is slow',
            conditions: { all: [{ fact: 'intent', operator: 'equal', value: 'legal' }] },
            event: { type: 'setPriority', params: { priority: 'LOW' } },
          },
        ],
      });
      const calm = { ...happyConversation(), customer: { tier: 'vip' } };
      for (const call of [escalate, evaluate]) {
        const res = await call(store.apiKey, calm);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().decision.shouldEscalate).toBe(false);
        expect(ruleMatches(res.json().decision).map((x) => x.value)).toEqual(['vip first']);
      }
      expect(await t.app.ctx.db.escalation.count({ where: { storeId: store.id } })).toBe(0);

      const plain = await evaluate(store.apiKey, seedConversation());
      const upset = await escalate(store.apiKey, { ...seedConversation(), customer: { tier: 'vip' } });
      expect(upset.statusCode, upset.body).toBe(201);
      expect(plain.json().decision.priority).not.toBe('URGENT');
      expect(upset.json().decision.priority).toBe('URGENT');
      expect(upset.json().escalation.priority).toBe('URGENT');

      // A store rule may override even the high-risk URGENT.
      const legal = await escalate(store.apiKey, {
        conversationId: `c-${randomBytes(4).toString('hex')}`,
        channel: 'email',
        messages: [{ role: 'customer', text: 'My lawyer will sue you.' }],
      });
      expect(legal.statusCode, legal.body).toBe(201);
      expect(legal.json().decision.intent).toBe('legal');
      expect(legal.json().escalation.priority).toBe('LOW');
    });

    it('route: picks the integrations and Slack channel of the case', async () => {
      const store = await storeWith({
        slack: { enabled: true, channel: '#support', botToken: `xoxb-${randomBytes(8).toString('hex')}` },
        webhook: { enabled: true, url: 'http://127.0.0.1:9/hooks', secret: whsec() },
        rules: [
          {
            name: 'sms to webhook only',
            conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'sms' }] },
            event: { type: 'route', params: { integrations: ['webhook'] } },
          },
          {
            name: 'vip channel',
            conditions: { all: [{ fact: 'customerTier', operator: 'equal', value: 'vip' }] },
            event: { type: 'route', params: { slackChannel: '#vip' } },
          },
          {
            name: 'to zendesk',
            conditions: { all: [{ fact: 'channel', operator: 'equal', value: 'voice' }] },
            event: { type: 'route', params: { integrations: ['zendesk'] } },
          },
        ],
      });
      const created: string[] = [];
      const deliveriesOf = async (conversation: object) => {
        const res = await escalate(store.apiKey, conversation);
        expect(res.statusCode, res.body).toBe(201);
        const full = await t.call(store.apiKey, { method: 'GET', url: `/escalations/${res.json().escalation.id}` });
        created.push(res.json().escalation.id);
        return { decision: res.json().decision, full: full.json() };
      };
      try {
        const sms = await deliveriesOf({ ...seedConversation(), channel: 'sms' });
        expect(sms.full.deliveries.map((d: { type: string }) => d.type)).toEqual(['WEBHOOK']);
        expect(sms.decision.route).toEqual({ integrations: ['webhook'] });
        expect(ruleMatches(sms.decision).map((x) => x.value)).toEqual(['sms to webhook only']);
        expect(sms.full.timeline[0].data.integrations).toEqual(['WEBHOOK']);

        const web = await deliveriesOf(seedConversation());
        expect(web.full.deliveries.map((d: { type: string }) => d.type)).toEqual(['SLACK', 'WEBHOOK']);
        expect(web.decision.route).toBeUndefined();

        const vip = await deliveriesOf({ ...seedConversation(), customer: { tier: 'vip' } });
        expect(vip.full.deliveries.map((d: { type: string }) => d.type)).toEqual(['SLACK', 'WEBHOOK']);
        expect(vip.decision.route).toEqual({ slackChannel: '#vip' });
        expect(vip.full.context.slackChannel).toBe('#vip');

        // Routing to an integration the store has not enabled sends nowhere rather than failing.
        const voice = await deliveriesOf({ ...seedConversation(), channel: 'voice' });
        expect(voice.full.deliveries).toEqual([]);

        // route alone does not escalate
        const calm = await escalate(store.apiKey, { ...happyConversation(), channel: 'sms' });
        expect(calm.statusCode).toBe(200);
        expect(calm.json().decision.shouldEscalate).toBe(false);

        const dry = await evaluate(store.apiKey, { ...seedConversation(), channel: 'sms', customer: { tier: 'vip' } });
        expect(dry.json().decision.route).toEqual({ integrations: ['webhook'], slackChannel: '#vip' });
      } finally {
        // These deliveries point nowhere: keep any worker of other test files from trying them.
        const rows = await t.app.ctx.db.escalationIntegration.findMany({ where: { escalationId: { in: created } } });
        await t.app.ctx.db.escalationIntegration.updateMany({ where: { escalationId: { in: created } }, data: { status: 'SKIPPED' } });
        for (const d of rows) await (await t.app.ctx.queues.queue(d.type).getJob(d.id))?.remove().catch(() => {});
      }
    });

    it('a config change to the rules applies to the next call', async () => {
      const store = await storeWith({ rules: [bigOrders] });
      expect((await evaluate(store.apiKey, withOrder(600))).json().decision.shouldEscalate).toBe(true);
      expect((await putConfig(store, { rules: [] })).statusCode).toBe(200);
      expect((await evaluate(store.apiKey, withOrder(600))).json().decision.shouldEscalate).toBe(false);
    });
  });
});
