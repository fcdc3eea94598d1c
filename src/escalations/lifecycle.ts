import type { Db } from '../db/client.ts';
import type { DeliveryQueues } from '../delivery/queues.ts';
import type { Escalation, EscalationEvent, EscalationStatus } from '../generated/prisma/client.ts';
import { Conflict, NotFound } from '../cases/errors.ts';
import type { FastifyBaseLogger } from 'fastify';
import { forgetExpectedWait } from '../sla/expected-wait.ts';
import { echoTargetOf, type IntegrationKey } from '../integrations/registry.ts';

/** Who changed a case: the API, the dashboard, the SLA worker, or an integration (its key, e.g. 'zendesk'). */
export type EventSource = 'api' | 'sla' | 'dashboard' | 'system' | IntegrationKey;

/** Allowed moves of the case lifecycle; anything else is a 409. */
const TRANSITIONS: Record<EscalationStatus, EscalationStatus[]> = {
  OPEN: ['IN_PROGRESS', 'RESOLVED', 'CLOSED'],
  IN_PROGRESS: ['IN_PROGRESS', 'RESOLVED', 'CLOSED'],
  RESOLVED: ['OPEN', 'IN_PROGRESS', 'CLOSED'],
  CLOSED: [],
};

export function canMove(from: EscalationStatus, to: EscalationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

interface Actor {
  source: EventSource;
  actor?: string | null;
}

export type AssignOutcome = { kind: 'assigned'; escalation: Escalation } | { kind: 'taken'; by: string | null; escalation: Escalation };

/**
 * Status changes of a case. Each is one conditional UPDATE (so concurrent changes cannot both win),
 * an event on the timeline, and an update pushed to every helpdesk except the one it came from
 * (no echo loops when their webhooks come back).
 */
export class Lifecycle {
  constructor(
    private readonly db: Db,
    private readonly queues: DeliveryQueues,
    private readonly log: FastifyBaseLogger,
  ) {}

  private async load(storeId: string, id: string): Promise<Escalation> {
    const row = await this.db.escalation.findFirst({ where: { id, storeId } });
    if (!row) throw new NotFound(`Escalation ${id} not found`);
    return row;
  }

  private refuse(row: Escalation, to: EscalationStatus, verb: string): never {
    throw new Conflict(`Cannot ${verb} escalation ${row.id}: it is ${row.status}${row.status === 'CLOSED' ? ' (closed cases are final)' : ''}`, {
      status: row.status,
      wanted: to,
    });
  }

  /**
   * Assigns the case. `onlyIfUnassigned` is the "Take Case" semantics: the first taker wins and a
   * second one gets `taken` back instead of stealing the case.
   */
  async assign(storeId: string, id: string, assignedTo: string, by: Actor, onlyIfUnassigned = false, tries = 3): Promise<AssignOutcome> {
    const row = await this.load(storeId, id);
    if (!canMove(row.status, 'IN_PROGRESS')) {
      if (onlyIfUnassigned) return { kind: 'taken', by: row.assignedTo, escalation: row };
      this.refuse(row, 'IN_PROGRESS', 'assign');
    }
    const now = new Date();
    const updated = await this.db.escalation
      .updateMany({
        where: {
          id,
          storeId,
          // The status read above: what to clear depends on it, so a concurrent change makes this miss.
          status: row.status,
          ...(onlyIfUnassigned ? { assignedTo: null } : {}),
        },
        data: {
          assignedTo,
          assignedAt: row.assignedAt ?? now,
          status: 'IN_PROGRESS',
          // Taking a resolved case back into work undoes its resolution.
          ...(row.status === 'RESOLVED' ? { resolvedAt: null, resolutionSummary: null } : {}),
          openConversationId: row.conversationId,
        },
      })
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'P2002') throw new Conflict(`Conversation ${row.conversationId} already has another open escalation`);
        throw err;
      });
    const fresh = await this.load(storeId, id);
    if (updated.count === 0) {
      if (onlyIfUnassigned && fresh.assignedTo) return { kind: 'taken', by: fresh.assignedTo, escalation: fresh };
      if (fresh.status !== row.status && tries > 1) return this.assign(storeId, id, assignedTo, by, onlyIfUnassigned, tries - 1);
      if (onlyIfUnassigned) return { kind: 'taken', by: fresh.assignedTo, escalation: fresh };
      this.refuse(fresh, 'IN_PROGRESS', 'assign');
    }
    if (!row.assignedAt) forgetExpectedWait(fresh.storeId, fresh.priority);
    await this.record(fresh, 'assigned', by, { assignedTo, previous: row.assignedTo, from: row.status, to: 'IN_PROGRESS' });
    return { kind: 'assigned', escalation: fresh };
  }

  async resolve(storeId: string, id: string, summary: string | null, by: Actor): Promise<Escalation> {
    const row = await this.load(storeId, id);
    if (!canMove(row.status, 'RESOLVED')) this.refuse(row, 'RESOLVED', 'resolve');
    const updated = await this.db.escalation.updateMany({
      where: { id, storeId, status: row.status },
      data: { status: 'RESOLVED', resolvedAt: new Date(), resolutionSummary: summary, openConversationId: null },
    });
    if (updated.count === 0) return this.resolve(storeId, id, summary, by);
    const fresh = await this.load(storeId, id);
    await this.record(fresh, 'resolved', by, { summary, from: row.status, to: 'RESOLVED' });
    return fresh;
  }

  async reopen(storeId: string, id: string, reason: string | null, by: Actor): Promise<Escalation> {
    const row = await this.load(storeId, id);
    const to: EscalationStatus = row.assignedTo ? 'IN_PROGRESS' : 'OPEN';
    if (row.status !== 'RESOLVED') this.refuse(row, to, 'reopen');
    try {
      const updated = await this.db.escalation.updateMany({
        where: { id, storeId, status: 'RESOLVED' },
        data: { status: to, resolvedAt: null, resolutionSummary: null, openConversationId: row.conversationId },
      });
      if (updated.count === 0) this.refuse(await this.load(storeId, id), to, 'reopen');
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new Conflict(`Conversation ${row.conversationId} already has another open escalation`);
      throw err;
    }
    const fresh = await this.load(storeId, id);
    await this.record(fresh, 'reopened', by, { reason, from: 'RESOLVED', to });
    return fresh;
  }

  async close(storeId: string, id: string, by: Actor): Promise<Escalation> {
    const row = await this.load(storeId, id);
    if (!canMove(row.status, 'CLOSED')) this.refuse(row, 'CLOSED', 'close');
    const updated = await this.db.escalation.updateMany({
      where: { id, storeId, status: row.status },
      data: { status: 'CLOSED', closedAt: new Date(), openConversationId: null, resolvedAt: row.resolvedAt ?? new Date() },
    });
    if (updated.count === 0) return this.close(storeId, id, by);
    const fresh = await this.load(storeId, id);
    await this.record(fresh, 'status_changed', by, { from: row.status, to: 'CLOSED' });
    return fresh;
  }

  /** Adds an event to the timeline and pushes it to the case's helpdesks (except its source). */
  async record(row: Escalation, type: string, by: Actor, data: Record<string, unknown>) {
    const event = await this.db.escalationEvent.create({
      data: { escalationId: row.id, type, source: by.source, actor: by.actor ?? null, data: data as object },
    });
    await this.push(row, event);
    return event;
  }

  /** Pushes a recorded timeline event to the case's helpdesks (except the one it came from). */
  async push(row: Pick<Escalation, 'id'>, event: EscalationEvent) {
    // A change that came from a helpdesk's webhook is not pushed back to that helpdesk (it would echo).
    const skip = echoTargetOf(event.source);
    const deliveries = await this.db.escalationIntegration.findMany({
      where: { escalationId: row.id, status: { in: ['DELIVERED', 'PENDING'] }, ...(skip ? { type: { not: skip } } : {}) },
      select: { id: true, type: true },
    });
    try {
      await this.queues.enqueueUpdate(deliveries, event.id.toString());
    } catch (err) {
      // Not a line per request: a Redis outage is logged once by the API's dependency monitor.
      this.log.debug({ err: (err as Error).message, escalationId: row.id }, 'could not enqueue helpdesk updates');
    }
  }
}
