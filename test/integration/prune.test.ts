// Dedupe records are kept only as long as a redelivery can come.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxSweeper } from '../../src/delivery/sweeper.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('outbox sweeper retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('deletes inbound dedupe records after 7 days and idempotency records after a day, nothing newer', async () => {
    const db = t.app.ctx.db;
    const store = await t.createStore();
    const tag = `prune-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const now = Date.now();
    const day = 24 * 3600 * 1000;
    await db.inboundEvent.createMany({
      data: [
        { source: 'zendesk', externalId: `${tag}-old`, createdAt: new Date(now - 8 * day) },
        { source: 'zendesk', externalId: `${tag}-new`, createdAt: new Date(now - 6 * day) },
      ],
    });
    await db.idempotencyRecord.createMany({
      data: [
        { storeId: store.id, key: `${tag}-old`, requestHash: 'h', statusCode: 201, response: {}, createdAt: new Date(now - 2 * day) },
        { storeId: store.id, key: `${tag}-new`, requestHash: 'h', statusCode: 201, response: {}, createdAt: new Date(now - 3600_000) },
      ],
    });
    const sweeper = new OutboxSweeper(db, t.app.ctx.queues, pino({ level: 'silent' }));
    const pruned = await sweeper.prune(now);
    expect(pruned.inbound).toBeGreaterThanOrEqual(1);
    expect(pruned.idempotency).toBeGreaterThanOrEqual(1);
    const inbound = await db.inboundEvent.findMany({ where: { externalId: { startsWith: tag } }, select: { externalId: true } });
    expect(inbound.map((r) => r.externalId)).toEqual([`${tag}-new`]);
    const keys = await db.idempotencyRecord.findMany({ where: { storeId: store.id }, select: { key: true } });
    expect(keys.map((r) => r.key)).toEqual([`${tag}-new`]);
  });
});
