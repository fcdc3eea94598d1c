import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializeCase } from '../../src/cases/serialize.ts';
import { evaluateConversation } from '../../src/escalations/decide.ts';
import { decisionSchema, escalateResponse } from '../../src/escalations/schemas.ts';
import { compiledJsonSerializer } from '../../src/http/json-serializer.ts';

const conversation = {
  conversationId: 'c-1',
  channel: 'web_chat' as const,
  aiConfidence: 0.3,
  customer: { name: 'Jane "JD" Doe\u2028', email: 'jane@example.com', tier: 'gold' },
  order: { number: '1234', total: 600 },
  messages: [
    { role: 'customer' as const, text: 'Where is my order #1234? It has been two weeks 😡' },
    { role: 'assistant' as const, text: 'Let me check.' },
    { role: 'customer' as const, text: "Third time I'm asking! I want to speak to a manager or I'll sue." },
  ],
};

async function answers() {
  const store = {
    id: 's-1',
    name: 'store',
    sandbox: false,
    updatedAt: new Date(),
    config: {
      rules: [
        {
          name: 'big orders',
          conditions: { all: [{ fact: 'orderTotal', operator: 'greaterThan', value: 500 }] },
          event: { type: 'route', params: { slackChannel: '#vip' } },
        },
      ],
    },
  };
  const decision = await evaluateConversation(store as never, conversation as never);
  const now = new Date('2026-12-03T10:00:00.000Z');
  const row = {
    id: 'e-1',
    storeId: 's-1',
    conversationId: 'c-1',
    channel: 'web_chat',
    status: 'OPEN',
    priority: decision.priority,
    triggers: decision.triggers.map((t) => t.type),
    intent: decision.intent,
    keywords: decision.keywords,
    summary: decision.summary,
    reason: null,
    sentiment: decision.sentiment,
    aiConfidence: 0.3,
    context: { customer: conversation.customer, order: conversation.order, messages: conversation.messages },
    messageCount: 3,
    assignedTo: null,
    assignedAt: null,
    resolvedAt: null,
    resolutionSummary: null,
    closedAt: null,
    firstResponseDueAt: now,
    resolutionDueAt: now,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    slaTimeZone: 'Europe/Paris',
    createdAt: now,
    updatedAt: now,
  };
  const handoff = {
    message: 'A member of our team will reply within about 1 hour.',
    expectedFirstResponseAt: now.toISOString(),
    expectedWait: { minutes: 60, basis: 'sla', sampleSize: 0 },
    withinBusinessHours: true,
    nextOpenAt: null,
    locale: 'en',
    timeZone: null,
  };
  // Something the schema does not name must not reach the client (zod strips it too).
  const withExtra = { ...decision, internal: 'not for clients' };
  return {
    created: { escalated: true, escalation: serializeCase(row as never, 'http://x'), decision: withExtra, handoff },
    deduplicated: { escalated: true, deduplicated: true, escalation: serializeCase({ ...row, slaTimeZone: null } as never, 'http://x'), decision, handoff },
    calm: { escalated: false, decision },
  };
}

describe('compiledJsonSerializer', () => {
  it('writes the same bytes as zod then JSON.stringify for the answers of POST /escalate', async () => {
    const serialize = compiledJsonSerializer({ schema: escalateResponse });
    for (const [kind, payload] of Object.entries(await answers())) {
      expect(serialize(payload), kind).toBe(JSON.stringify(escalateResponse.encode(payload as never)));
    }
    expect(serialize((await answers()).created)).not.toContain('not for clients');
  });

  it('and for POST /escalations/evaluate', async () => {
    const schema = z.object({ decision: decisionSchema });
    const payload = { decision: (await answers()).created.decision };
    expect(compiledJsonSerializer({ schema })(payload)).toBe(JSON.stringify(schema.encode(payload as never)));
  });
});
