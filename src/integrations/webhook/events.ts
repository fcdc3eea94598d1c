/** Timeline event types → the outbound event types the chat backend subscribes to. */
export const OUTBOUND_EVENT_TYPES: Record<string, string> = {
  created: 'escalation.created',
  assigned: 'escalation.assigned',
  status_changed: 'escalation.status_changed',
  agent_reply: 'escalation.agent_reply',
  resolved: 'escalation.resolved',
  reopened: 'escalation.status_changed',
  messages_appended: 'escalation.updated',
  sla_warning: 'escalation.sla_warning',
  sla_breached: 'escalation.sla_breached',
  sla_action: 'escalation.sla_action',
};
