// SLA breach actions (DESIGN §3 "Breach actions"): per-store policies that act once on a breached
// target — raise the priority, re-route to another Slack channel with a mention, re-assign — each
// recorded on the timeline (source "sla") and pushed like any event: a thread reply in Slack, an
// internal note on the tickets, an outbound `escalation.sla_action` event.
import type { Db } from '../db/client.ts';
import type { Escalation, EscalationEvent, Priority } from '../generated/prisma/client.ts';
import type { PublicConfig } from '../stores/escalation-config.ts';
import type { SlaBreachAction } from './config-schema.ts';
import { targetMet, type SlaKind } from './schedule.ts';

const RANK: Record<Priority, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, URGENT: 3 };

/** What a policy did, as recorded on the timeline and in sla_breach_actions. */
export interface ActionsTaken {
  raisedPriority?: { from: Priority; to: Priority };
  slackChannel?: string;
  mention?: string;
  assignedTo?: { from: string | null; to: string };
}

export function policyApplies(policy: SlaBreachAction, kind: SlaKind, priority: Priority): boolean {
  return (!policy.kind || policy.kind === kind) && (!policy.priority || policy.priority.includes(priority));
}

/**
 * Runs the store's policies that match a breached target, each at most once per case and kind:
 * the row in sla_breach_actions, the change to the case and the timeline event commit together,
 * so a retried job or a second process finds the row and does nothing. Returns the new events.
 */
export async function runBreachActions(db: Db, breached: Escalation, kind: SlaKind, dueAt: string): Promise<{ row: Escalation; event: EscalationEvent }[]> {
  const store = await db.store.findUnique({ where: { id: breached.storeId }, select: { config: true } });
  const policies = ((store?.config ?? {}) as PublicConfig).slaBreachActions ?? [];
  // Policies match the priority the case had when it breached, not one an earlier policy raised.
  const matching = policies.map((policy, index) => ({ policy, index })).filter(({ policy }) => policyApplies(policy, kind, breached.priority));
  const done: { row: Escalation; event: EscalationEvent }[] = [];
  for (const { policy, index } of matching) {
    const result = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM escalations WHERE id = ${breached.id}::uuid FOR UPDATE`;
      const row = await tx.escalation.findUniqueOrThrow({ where: { id: breached.id } });
      // Handled meanwhile (answered, resolved, closed): nothing to do.
      if (targetMet(row, kind) || row.status === 'RESOLVED' || row.status === 'CLOSED') return null;
      const actions: ActionsTaken = {};
      if (policy.raisePriority && RANK[policy.raisePriority] > RANK[row.priority]) actions.raisedPriority = { from: row.priority, to: policy.raisePriority };
      if (policy.slackChannel) actions.slackChannel = policy.slackChannel;
      if (policy.mention) actions.mention = policy.mention;
      if (policy.assignTo && policy.assignTo !== row.assignedTo) actions.assignedTo = { from: row.assignedTo, to: policy.assignTo };
      if (Object.keys(actions).length === 0) return null;
      const claimed = await tx.slaBreachAction.createMany({
        data: [{ escalationId: row.id, storeId: row.storeId, kind, policy: index, actions: actions as object }],
        skipDuplicates: true,
      });
      if (claimed.count === 0) return null;
      // The assignee is who should pick the case up; it is not a first response (assignedAt and status stay).
      const updated =
        actions.raisedPriority || actions.assignedTo
          ? await tx.escalation.update({
              where: { id: row.id },
              data: {
                ...(actions.raisedPriority ? { priority: actions.raisedPriority.to } : {}),
                ...(actions.assignedTo ? { assignedTo: actions.assignedTo.to } : {}),
              },
            })
          : row;
      const event = await tx.escalationEvent.create({
        data: { escalationId: row.id, type: 'sla_action', source: 'sla', data: { kind, dueAt, policy: index, ...actions } as object },
      });
      return { row: updated, event };
    });
    if (result) done.push(result);
  }
  return done;
}
