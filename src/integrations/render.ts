import type { Message } from '../detection/index.ts';
import { head } from '../text/code-points.ts';
import type { DeliveryContext } from './types.ts';

export const INTENT_LABELS: Record<string, string> = {
  refund_return: 'Refund / return',
  delivery: 'Delivery',
  damaged_item: 'Damaged item',
  billing: 'Billing',
  cancellation: 'Cancellation',
  account: 'Account',
  legal: 'Legal threat',
  other: 'Other',
};

export const PRIORITY_EMOJI: Record<string, string> = { URGENT: '🔴', HIGH: '🟠', MEDIUM: '🟡', LOW: '🟢' };

export const ROLE_LABELS: Record<string, string> = { customer: 'Customer', assistant: 'AI', agent: 'Agent', system: 'System' };

/**
 * Bounds `text` to `max` UTF-16 units (what String.length and the Block Kit limits count, so an emoji
 * counts 2), without cutting an emoji's surrogate pair in half.
 */
export function truncate(text: string, max: number, marker = '… [truncated]'): string {
  if (text.length <= max) return text;
  return head(text, max - marker.length) + marker;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/**
 * `items.map(fn)`, built by push. Array.prototype.map gives a packed array while its caller runs
 * unoptimised and a holey one once V8 has optimised the caller: the code reading the result, compiled
 * for the one kind, was thrown away at the other, and a fresh worker recompiled its renderers
 * (ticketText three times, each adapter's create) during its first deliveries.
 */
export function mapped<T, R>(items: readonly T[], fn: (item: T) => R): R[] {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) out.push(fn(items[i]!));
  return out;
}

export function triggerLines(ctx: DeliveryContext): string[] {
  return mapped(ctx.decision.triggers, (t) => {
    const threshold = t.threshold === null || t.threshold === undefined ? '' : ` (threshold ${formatValue(t.threshold)})`;
    return `${t.type}: ${formatValue(t.value)}${threshold} — ${t.reason}`;
  });
}

export function customerLine(ctx: DeliveryContext): string {
  const c = ctx.context.customer as Record<string, string | undefined>;
  const parts = [c.name, c.email, c.phone, c.tier ? `tier ${c.tier}` : undefined].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Unknown customer';
}

export function orderLine(ctx: DeliveryContext): string {
  const o = ctx.context.order as Record<string, string | number | undefined>;
  if (!o || Object.keys(o).length === 0) return 'No order';
  const total = o.total !== undefined ? `${formatValue(o.total)} ${o.currency ?? ''}`.trim() : undefined;
  return [o.number ? `#${o.number}` : undefined, total, o.status].filter(Boolean).join(' · ');
}

export function transcriptLines(messages: Message[]): string[] {
  return mapped(messages, (m) => `${ROLE_LABELS[m.role] ?? m.role}${m.sentAt ? ` (${m.sentAt})` : ''}: ${m.text}`);
}

/** The ticket subject: priority, intent and the start of the summary. */
export function ticketSubject(ctx: DeliveryContext): string {
  const e = ctx.escalation;
  const who = (ctx.context.customer as { name?: string }).name;
  return truncate(`[${e.priority}] ${INTENT_LABELS[e.intent] ?? e.intent}${who ? ` — ${who}` : ''}: ${e.summary}`, 150, '…');
}

/** Plain-text ticket body: details first, then the whole conversation (bounded), then the link. */
export function ticketText(ctx: DeliveryContext, maxChars: number): string {
  const e = ctx.escalation;
  const head = [
    `Escalated by Reva (case ${e.id})`,
    `Priority: ${e.priority} · Intent: ${INTENT_LABELS[e.intent] ?? e.intent} · Channel: ${e.channel}`,
    `Customer: ${customerLine(ctx)}`,
    `Order: ${orderLine(ctx)}`,
    '',
    `Summary: ${e.summary}`,
    '',
    'Why it was escalated:',
    ...mapped(triggerLines(ctx), (l) => `• ${l}`),
    `Sentiment ${formatValue(e.sentiment)}${e.aiConfidence !== null ? ` · AI confidence ${formatValue(e.aiConfidence)}` : ''}`,
    '',
    `Full context: ${ctx.caseUrl}`,
    '',
    `Conversation (${ctx.context.messages.length} messages):`,
  ].join('\n');
  const budget = maxChars - head.length - 200;
  const lines = transcriptLines(ctx.context.messages);
  const kept: string[] = [];
  let used = 0;
  // Keep the latest messages when the conversation is too long: they are what the agent acts on.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = truncate(lines[i]!, 5000);
    if (used + line.length + 1 > budget) {
      kept.unshift(`… ${i + 1} earlier messages are in the full context: ${ctx.caseUrl}`);
      break;
    }
    kept.unshift(line);
    used += line.length + 1;
  }
  return `${head}\n${kept.join('\n')}`;
}

/**
 * Ticket bodies already rendered, by case object and size: the deliveries of a case claimed together
 * share it (src/delivery/rows.ts), so Zendesk and Freshdesk render it once. A case read anew (a retry,
 * an update) is another object and is rendered anew.
 */
const renderedHtml = new WeakMap<object, Map<number, string>>();

export function ticketHtml(ctx: DeliveryContext, maxChars: number): string {
  let byMax = renderedHtml.get(ctx.escalation);
  if (!byMax) renderedHtml.set(ctx.escalation, (byMax = new Map()));
  let html = byMax.get(maxChars);
  if (html === undefined) {
    html = escapeHtml(ticketText(ctx, maxChars)).replaceAll('\n', '<br>\n');
    byMax.set(maxChars, html);
  }
  return html;
}

export function tags(ctx: DeliveryContext): string[] {
  const e = ctx.escalation;
  return mapped(
    ['reva_escalation', `priority_${e.priority}`, `intent_${e.intent}`, `channel_${e.channel}`, ...mapped(e.triggers, (t) => `trigger_${t}`), caseTag(e.id)],
    normaliseTag,
  );
}

/** Zendesk tags are single tokens; lower_snake is the form Zendesk itself shows. */
export function normaliseTag(tag: string): string {
  return tag
    .toLowerCase()
    .replace(/[^a-z0-9_:-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
}

/** A short tag that finds the ticket of a case again (Freshdesk tags are short; the id is verified after). */
export function caseTag(id: string): string {
  return `reva_${id.replace(/-/g, '').slice(0, 20)}`;
}

/** A one-line text for a timeline event, posted in threads and as internal notes. */
export function eventText(type: string, actor: string | null, data: Record<string, unknown>): string {
  const by = actor ? ` by ${actor}` : '';
  switch (type) {
    case 'assigned':
      return `👤 Assigned to ${String(data.assignedTo ?? actor)}`;
    case 'status_changed':
      return `🔄 Status ${String(data.from)} → ${String(data.to)}${by}`;
    case 'resolved':
      return `✅ Resolved${by}${data.summary ? `: ${String(data.summary)}` : ''}`;
    case 'reopened':
      return `↩️ Reopened${by}${data.reason ? `: ${String(data.reason)}` : ''}`;
    case 'agent_reply':
      return `💬 Reply to the customer${by}: ${String(data.message ?? '')}`;
    case 'messages_appended': {
      const messages = (data.messages as Message[] | undefined) ?? [];
      const lines = mapped(transcriptLines(messages), (l) => truncate(l, 500));
      return `🆕 ${messages.length} new message${messages.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
    }
    case 'sla_warning':
      return `⏰ SLA warning: ${String(data.kind)} target at 80% (due ${String(data.dueAt)})`;
    case 'sla_breached':
      return `🚨 SLA breached: ${String(data.kind)} target missed (due ${String(data.dueAt)})`;
    case 'sla_action':
      return slaActionText(data);
    default:
      return `${type}${by}`;
  }
}

/** "⚡ SLA breach action (firstResponse): priority HIGH → URGENT · re-routed to #support-urgent for @oncall". */
export function slaActionText(data: Record<string, unknown>): string {
  const raised = data.raisedPriority as { from: string; to: string } | undefined;
  const assigned = data.assignedTo as { to: string } | undefined;
  const parts = [
    raised ? `priority ${raised.from} → ${raised.to}` : undefined,
    data.slackChannel
      ? `re-routed to ${String(data.slackChannel)}${data.mention ? ` for ${String(data.mention)}` : ''}`
      : data.mention
        ? `paging ${String(data.mention)}`
        : undefined,
    assigned ? `assigned to ${assigned.to}` : undefined,
  ].filter(Boolean);
  return `⚡ SLA breach action (${String(data.kind)}): ${parts.join(' · ')}`;
}

/**
 * The reference a helpdesk note or comment carries so a retry can tell whether it is already there
 * (helpdesks have no idempotency key for notes). Short and readable: agents see it.
 */
export function eventRef(eventId: string): string {
  return `Reva event #${eventId}`;
}

/** Whether a note's text carries this event's reference ("#12" is not in "#123"). */
export function hasEventRef(text: string, eventId: string): boolean {
  const ref = eventRef(eventId);
  for (let at = text.indexOf(ref); at >= 0; at = text.indexOf(ref, at + 1)) {
    const next = text.charCodeAt(at + ref.length);
    if (!(next >= 48 && next <= 57)) return true;
  }
  return false;
}
