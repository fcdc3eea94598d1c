import type { KnownBlock } from '@slack/web-api';
import type { DeliveryContext } from '../types.ts';
import {
  INTENT_LABELS,
  PRIORITY_EMOJI,
  ROLE_LABELS,
  customerLine,
  formatValue,
  mapped,
  orderLine,
  transcriptLines,
  triggerLines,
  truncate,
} from '../render.ts';

// Block Kit limits (see shared/notes/helpdesk-apis.md). The whole message is kept well under the
// undocumented ~13k-character cap; the rest of the history goes to the thread.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const RECENT_MESSAGES = 6;
const RECENT_MESSAGE_MAX = 400;
const THREAD_REPLY_MAX = 3500;
const THREAD_REPLIES_MAX = 8;

type Block = KnownBlock;

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max, '…'), emoji: true });
const mrkdwn = (text: string, max: number) => ({ type: 'mrkdwn' as const, text: truncate(text, max) });

export const TAKE_CASE_ACTION = 'take_case';
export const VIEW_CONTEXT_ACTION = 'view_context';

/** Who has the case and whether it is still open, for the message as first posted and as updated later. */
function statusLine(e: DeliveryContext['escalation']): string | undefined {
  const by = e.assignedTo ? ` by *${escapeMrkdwn(e.assignedTo)}*` : '';
  if (e.status === 'CLOSED') return `🔒 Closed${by}`;
  if (e.status === 'RESOLVED') return `✅ Resolved${by}${e.resolutionSummary ? `: ${escapeMrkdwn(e.resolutionSummary)}` : ''}`;
  if (e.assignedTo) return `👤 Taken${by}`;
  return undefined;
}

const dueFormats = new Map<string, Intl.DateTimeFormat>();

/** "Mon 7 Dec, 10:00 Europe/Paris": a due time in the store's business-hours zone (UTC without one). */
export function formatDue(at: Date, timeZone: string | null): string {
  const zone = timeZone ?? 'UTC';
  let f = dueFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dueFormats.set(zone, f);
  }
  return `${f.format(at)} ${zone}`;
}

/** The SLA due times as message fields, counted in business hours when the store has them. */
function slaFields(e: DeliveryContext['escalation']) {
  const hours = e.slaTimeZone ? ' (business hours)' : '';
  return [
    mrkdwn(`*First response due*${hours}\n${formatDue(e.firstResponseDueAt, e.slaTimeZone)}`, FIELD_MAX),
    mrkdwn(`*Resolution due*${hours}\n${formatDue(e.resolutionDueAt, e.slaTimeZone)}`, FIELD_MAX),
  ];
}

/** The case message; it reflects the case's current status, so chat.update can re-render it after each change. */
export function caseBlocks(ctx: DeliveryContext): { text: string; blocks: Block[] } {
  const e = ctx.escalation;
  const intent = INTENT_LABELS[e.intent] ?? e.intent;
  const header = `🚨 ${PRIORITY_EMOJI[e.priority] ?? ''} ${e.priority} escalation: ${intent}`;
  const recent = ctx.context.messages.slice(-RECENT_MESSAGES);
  const recentText = mapped(
    recent,
    (m) => `*${ROLE_LABELS[m.role] ?? m.role}:* ${escapeMrkdwn(truncate(m.text.replace(/\s+/g, ' '), RECENT_MESSAGE_MAX))}`,
  ).join('\n');
  const earlier = ctx.context.messages.length - recent.length;
  const blocks: Block[] = [
    { type: 'header', text: plain(header, HEADER_MAX) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Customer*\n${escapeMrkdwn(customerLine(ctx))}`, FIELD_MAX),
        mrkdwn(`*Channel*\n${e.channel}`, FIELD_MAX),
        mrkdwn(`*Store*\n${escapeMrkdwn(ctx.store.name)}`, FIELD_MAX),
        mrkdwn(`*Order*\n${escapeMrkdwn(orderLine(ctx))}`, FIELD_MAX),
        mrkdwn(`*Priority*\n${e.priority}`, FIELD_MAX),
        mrkdwn(`*Scores*\nSentiment ${formatValue(e.sentiment)}${e.aiConfidence !== null ? ` · AI confidence ${formatValue(e.aiConfidence)}` : ''}`, FIELD_MAX),
        ...slaFields(e),
      ],
    },
    { type: 'section', text: mrkdwn(`*Issue summary*\n${escapeMrkdwn(e.summary)}`, SECTION_MAX) },
    {
      type: 'section',
      text: mrkdwn(`*Why it was escalated*\n${mapped(triggerLines(ctx), (l) => `• ${escapeMrkdwn(l)}`).join('\n')}`, SECTION_MAX),
    },
    {
      type: 'section',
      text: mrkdwn(
        `*Recent conversation*${earlier > 0 ? ` (last ${recent.length} of ${ctx.context.messages.length}; the rest is in the thread)` : ''}\n${recentText || '_no messages_'}`,
        SECTION_MAX,
      ),
    },
  ];
  const status = statusLine(e);
  if (status) blocks.push({ type: 'context', elements: [mrkdwn(status, 2000)] });
  const takeable = e.status === 'OPEN' && !e.assignedTo;
  blocks.push({
    type: 'actions',
    block_id: truncate(`case_actions:${e.id}`, 255, ''),
    elements: [
      ...(!takeable
        ? []
        : [
            {
              type: 'button' as const,
              action_id: truncate(`${TAKE_CASE_ACTION}:${e.id}`, 255, ''),
              text: plain('Take Case', 75),
              style: 'primary' as const,
              value: e.id,
            },
          ]),
      {
        type: 'button' as const,
        action_id: truncate(`${VIEW_CONTEXT_ACTION}:${e.id}`, 255, ''),
        text: plain('View Full Context', 75),
        url: truncate(ctx.caseUrl, 3000, ''),
        value: e.id,
      },
    ],
  });
  const text = truncate(`🚨 ${e.priority} escalation (${intent}): ${e.summary}`, 3000);
  return { text, blocks };
}

/** The conversation before the recent part, as thread replies of bounded size and number. */
export function historyReplies(ctx: DeliveryContext): string[] {
  const older = ctx.context.messages.slice(0, -RECENT_MESSAGES);
  if (older.length === 0) return [];
  const replies: string[] = [];
  let current = `*Earlier conversation (${older.length} messages)*`;
  const lines = mapped(transcriptLines(older), (l) => escapeMrkdwn(truncate(l.replace(/\s+/g, ' '), 1000)));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (current.length + line.length + 1 > THREAD_REPLY_MAX) {
      replies.push(current);
      if (replies.length === THREAD_REPLIES_MAX - 1) {
        replies.push(`… ${lines.length - i} more messages: <${ctx.caseUrl}|open the full context>`);
        return replies;
      }
      current = '';
    }
    current += (current ? '\n' : '') + line;
  }
  if (current) replies.push(current);
  return replies;
}

/**
 * The post in a breach action's channel: the mention first (validated on save to "@name" or Slack's
 * <!subteam^…>/<@…> syntax, so it is left as is to ping), then links to the case and its thread.
 */
export function slaReroutePost(ctx: DeliveryContext, data: { kind?: unknown; mention?: unknown }): string {
  const e = ctx.escalation;
  const mention = typeof data.mention === 'string' ? `${data.mention} ` : '';
  const thread = ctx.delivery.externalUrl ? ` · <${ctx.delivery.externalUrl}|Slack thread>` : '';
  return truncate(
    `${mention}🚨 SLA breached (${String(data.kind)}) on a ${e.priority} case: ${escapeMrkdwn(truncate(e.summary, 500))} — <${ctx.caseUrl}|open the case>${thread}`,
    3900,
  );
}
