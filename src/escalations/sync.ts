import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { Conflict } from '../cases/errors.ts';
import type { Escalation, IntegrationType } from '../generated/prisma/client.ts';
import type { TicketUpdate } from '../integrations/definition.ts';
import type { IntegrationKey } from '../integrations/registry.ts';
import type { Lifecycle } from './lifecycle.ts';

/** The helpdesk an update came from, as its definition names it. */
export interface TicketSource {
  type: IntegrationType;
  /** Its key: the timeline source of the changes it makes (so they are not pushed back to it). */
  key: IntegrationKey;
  label: string;
  /** The resolution summary of a case solved in the helpdesk. */
  solvedSummary: string;
}

export interface SyncResult {
  /** applied: the case changed; unchanged: it already matched; duplicate: a redelivery; ignored: not ours or not mapped. */
  status: 'applied' | 'unchanged' | 'duplicate' | 'ignored';
  escalationId?: string;
  caseStatus?: string;
  actions?: string[];
  reason?: string;
}

export interface TicketUpdateInput {
  storeId: string;
  source: TicketSource;
  update: TicketUpdate;
  /** The helpdesk's own id of this delivery, if it sends one. */
  deliveryId?: string;
  /** The body as received: part of the fingerprint of a delivery that has no id. */
  rawBody: string;
}

/**
 * Applies what a helpdesk says about its ticket to the case: solved → resolve, closed → close,
 * open/pending with an assignee → assign (if someone else), any of those on a RESOLVED case →
 * reopen. Applying the same status twice changes nothing (helpdesks retry, or disable webhooks that
 * fail). Redeliveries are dropped by InboundEvent: the helpdesk's delivery id, else a fingerprint.
 */
export class TicketSync {
  constructor(
    private readonly db: Db,
    private readonly lifecycle: Lifecycle,
  ) {}

  async apply(input: TicketUpdateInput): Promise<SyncResult> {
    const { storeId, source, update } = input;
    const delivery = await this.db.escalationIntegration.findFirst({
      where: { storeId, type: source.type, externalId: update.ticketId },
      include: { escalation: true },
    });
    if (!delivery) return { status: 'ignored', reason: `No escalation has ${source.label} ticket ${update.ticketId}` };
    const row = delivery.escalation;
    if (!update.state) {
      return { status: 'ignored', escalationId: row.id, caseStatus: row.status, reason: `${source.label} status "${update.rawStatus}" is not mapped` };
    }
    const key = dedupeKey(storeId, input.deliveryId, input.rawBody, row);
    const inserted = await this.db.inboundEvent.createMany({ data: [{ source: source.key, externalId: key }], skipDuplicates: true });
    if (inserted.count === 0) return { status: 'duplicate', escalationId: row.id, caseStatus: row.status };
    try {
      const { actions, final, reason } = await this.transition(row, source, update);
      return {
        status: actions.length ? 'applied' : 'unchanged',
        escalationId: row.id,
        caseStatus: final.status,
        ...(actions.length ? { actions } : {}),
        ...(reason ? { reason } : {}),
      };
    } catch (err) {
      // Not applied: forget the delivery so the helpdesk's retry is processed.
      await this.db.inboundEvent.deleteMany({ where: { source: source.key, externalId: key } }).catch(() => {});
      throw err;
    }
  }

  private async transition(row: Escalation, source: TicketSource, update: TicketUpdate) {
    const actor = update.assigneeName ?? update.assigneeEmail;
    const by = { source: source.key, actor };
    const actions: string[] = [];
    let current = row;
    let reason: string | undefined;
    // A concurrent change can make a move impossible between the check and the update: the case then
    // already reflects someone's newer decision, and the webhook is answered as unchanged.
    const attempt = async (action: string, move: () => Promise<Escalation>) => {
      try {
        current = await move();
        actions.push(action);
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        reason = err.message;
        current = (await this.db.escalation.findUnique({ where: { id: row.id } })) ?? current;
      }
    };
    if (current.status === 'CLOSED') return { actions, final: current, reason: 'The case is closed (closed cases are final)' };
    switch (update.state) {
      case 'solved':
        if (current.status !== 'RESOLVED') await attempt('resolved', () => this.lifecycle.resolve(row.storeId, row.id, source.solvedSummary, by));
        break;
      case 'closed':
        await attempt('closed', () => this.lifecycle.close(row.storeId, row.id, by));
        break;
      case 'open':
      case 'pending': {
        // The ticket is no longer solved: neither is the case.
        if (current.status === 'RESOLVED') {
          await attempt('reopened', () =>
            this.lifecycle.reopen(row.storeId, row.id, `${source.label} ticket ${update.ticketId} is ${update.rawStatus} again`, by),
          );
        }
        const assignee = update.assigneeName ?? update.assigneeEmail;
        // (re-read: a failed reopen may have found the case moved on meanwhile)
        const status: string = current.status;
        if (assignee && status !== 'RESOLVED' && status !== 'CLOSED' && !sameAssignee(current.assignedTo, update)) {
          await attempt('assigned', async () => {
            const outcome = await this.lifecycle.assign(row.storeId, row.id, assignee, by);
            return outcome.escalation;
          });
        }
        break;
      }
    }
    return { actions, final: current, reason };
  }
}

/**
 * A helpdesk that names each delivery keeps the name across its retries. Without one, an identical
 * body for a case that has not changed since is a redelivery. The case's state is part of the key so
 * that a ticket going Resolved → Open → Resolved is three real changes, not a duplicate of the first.
 */
function dedupeKey(storeId: string, deliveryId: string | undefined, rawBody: string, row: Escalation): string {
  if (deliveryId) return `${storeId}:${deliveryId}`;
  const hash = createHash('sha256')
    .update([storeId, row.id, row.status, row.assignedTo ?? '', row.updatedAt.toISOString(), rawBody].join('\n'))
    .digest('hex');
  return `${storeId}:sha256:${hash}`;
}

function sameAssignee(current: string | null, update: TicketUpdate): boolean {
  if (!current) return false;
  const c = current.trim().toLowerCase();
  return [update.assigneeName, update.assigneeEmail].some((v) => v !== null && v.toLowerCase() === c);
}
