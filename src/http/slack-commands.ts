import type { AppContext } from './context.ts';
import { DomainError } from '../cases/errors.ts';
import type { Escalation } from '../generated/prisma/client.ts';
import { caseUrl } from '../cases/serialize.ts';
import { INTENT_LABELS, PRIORITY_EMOJI, truncate } from '../integrations/render.ts';
import { escapeMrkdwn } from '../integrations/slack/format.ts';
import { UUID, isSamePerson, slackPerson, type SlackPerson } from './slack-interactions.ts';

/**
 * `/escalation …` slash commands. Every command acts only on cases of the store(s) linked to the
 * channel it is typed in: the stores whose Slack messages were posted there, or whose config names it.
 */

export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
}

export interface CommandRequest {
  command: string;
  text: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'take'; id: string }
  | { kind: 'resolve'; id: string; summary: string }
  | { kind: 'reply'; id: string; message: string }
  | { kind: 'invalid'; message: string };

export const MAX_SUMMARY = 5000;
export const MAX_REPLY = 4000;
export const LIST_LIMIT = 20;
export const MIN_SHORT_ID = 6;

/** Slack escapes &, < and > in command text. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Parses the text after the command name. Pure; never throws. */
export function parseCommand(text: string, command = '/escalation'): Command {
  const trimmed = unescapeSlack(text).trim();
  if (trimmed === '') return { kind: 'help' };
  const match = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(trimmed)!;
  const verb = match[1]!.toLowerCase();
  const id = match[2];
  const rest = (match[3] ?? '').trim();
  switch (verb) {
    case 'help':
      return { kind: 'help' };
    case 'list':
    case 'ls':
      return id ? { kind: 'invalid', message: `\`${command} list\` takes no arguments.` } : { kind: 'list' };
    case 'take':
      if (!id || rest) return { kind: 'invalid', message: `Usage: \`${command} take <case id>\`` };
      return { kind: 'take', id };
    case 'resolve':
      if (!id || !rest) return { kind: 'invalid', message: `Usage: \`${command} resolve <case id> <resolution summary>\`` };
      if (rest.length > MAX_SUMMARY) return { kind: 'invalid', message: `The summary is too long (at most ${MAX_SUMMARY} characters).` };
      return { kind: 'resolve', id, summary: rest };
    case 'reply':
      if (!id || !rest) return { kind: 'invalid', message: `Usage: \`${command} reply <case id> <message to the customer>\`` };
      if (rest.length > MAX_REPLY) return { kind: 'invalid', message: `The message is too long (at most ${MAX_REPLY} characters).` };
      return { kind: 'reply', id, message: rest };
    default:
      return { kind: 'invalid', message: `Unknown subcommand \`${truncate(verb, 40, '…')}\`. Try \`${command} help\`.` };
  }
}

export function helpText(command = '/escalation'): string {
  return [
    `*${command}*: work on escalated support cases from Slack`,
    `• \`${command} list\`: open and in-progress cases of this channel's store`,
    `• \`${command} take <id>\`: take a case (it is assigned to you)`,
    `• \`${command} resolve <id> <summary>\`: resolve a case with a resolution summary`,
    `• \`${command} reply <id> <message>\`: send a message to the customer through the chat`,
    `• \`${command} help\`: this help`,
    `A case id is the full id or its first ${MIN_SHORT_ID}+ characters, as \`list\` shows them.`,
  ].join('\n');
}

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });
const short = (id: string) => id.slice(0, 8);

/**
 * The stores whose case messages were posted in this channel, or whose config names it by its ID.
 * Channel *names* are not used: they are unique only within one Slack workspace, and one Slack app
 * may serve stores in several workspaces.
 */
export async function linkedStoreIds(ctx: AppContext, channelId: string, _channelName: string): Promise<string[]> {
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT "storeId"::text AS id FROM escalation_integrations
     WHERE type = 'SLACK' AND metadata->>'channel' = ${channelId}
    UNION
    SELECT id::text FROM stores s
     WHERE s.config->'slack'->>'channel' = ${channelId}
        OR (jsonb_typeof(s.config->'slack'->'channelsByPriority') = 'object'
            AND EXISTS (SELECT 1 FROM jsonb_each_text(s.config->'slack'->'channelsByPriority') e WHERE e.value = ${channelId}))`;
  return rows.map((r) => r.id);
}

type Lookup = { ok: true; row: Escalation } | { ok: false; text: string };

/** A full id or an unambiguous prefix of at least 6 hex characters, among the linked stores' cases. */
export async function findCase(ctx: AppContext, storeIds: string[], given: string): Promise<Lookup> {
  const token = given.replace(/^[`#]+|[`]+$/g, '').toLowerCase();
  const shown = `\`${truncate(escapeMrkdwn(given), 60, '…')}\``;
  if (UUID.test(token)) {
    const row = await ctx.db.escalation.findFirst({ where: { id: token, storeId: { in: storeIds } } });
    return row ? { ok: true, row } : { ok: false, text: `No case ${shown} in this channel's store.` };
  }
  const hexCount = token.replace(/-/g, '').length;
  if (!/^[0-9a-f][0-9a-f-]*$/.test(token) || token.length > 36 || hexCount < MIN_SHORT_ID) {
    return {
      ok: false,
      text: `${shown} is not a case id: use the full id or its first ${MIN_SHORT_ID} or more characters, as \`list\` shows them.`,
    };
  }
  const matches = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM escalations
     WHERE "storeId" = ANY(${storeIds}::uuid[]) AND id::text LIKE ${`${token}%`}
     ORDER BY "createdAt" DESC LIMIT 6`;
  if (matches.length === 0) return { ok: false, text: `No case ${shown} in this channel's store.` };
  if (matches.length > 1) {
    const some = matches
      .slice(0, 5)
      .map((m) => `\`${m.id.slice(0, 13)}\``)
      .join(', ');
    return { ok: false, text: `${shown} matches more than one case (${some}${matches.length > 5 ? ', …' : ''}): give more characters.` };
  }
  const row = await ctx.db.escalation.findUnique({ where: { id: matches[0]!.id } });
  return row ? { ok: true, row } : { ok: false, text: `No case ${shown} in this channel's store.` };
}

/** Runs a slash command and returns Slack's reply body. Expected failures are replies, not errors. */
export async function runCommand(ctx: AppContext, req: CommandRequest): Promise<SlackReply> {
  const command = req.command || '/escalation';
  const parsed = parseCommand(req.text, command);
  if (parsed.kind === 'help') return ephemeral(helpText(command));
  if (parsed.kind === 'invalid') return ephemeral(parsed.message);
  const storeIds = await linkedStoreIds(ctx, req.channelId, req.channelName);
  if (storeIds.length === 0) {
    return ephemeral(
      `This channel is not linked to a store: run \`${command}\` in the channel where the store's escalations are posted (its \`slack.channel\`).`,
    );
  }
  const person = slackPerson(req.userId, req.userName);
  try {
    if (parsed.kind === 'list') return await list(ctx, storeIds);
    const found = await findCase(ctx, storeIds, parsed.id);
    if (!found.ok) return ephemeral(found.text);
    switch (parsed.kind) {
      case 'take':
        return await take(ctx, found.row, person);
      case 'resolve':
        return await resolve(ctx, found.row, person, parsed.summary);
      case 'reply':
        return await reply(ctx, found.row, person, parsed.message);
    }
  } catch (err) {
    // Lifecycle refusals (a concurrent change made the move impossible) are answers too.
    if (err instanceof DomainError) return ephemeral(err.message);
    throw err;
  }
}

async function list(ctx: AppContext, storeIds: string[]): Promise<SlackReply> {
  const where = { storeId: { in: storeIds }, status: { in: ['OPEN' as const, 'IN_PROGRESS' as const] } };
  const [rows, counts, stores] = await Promise.all([
    ctx.db.escalation.findMany({ where, orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }], take: LIST_LIMIT }),
    ctx.db.escalation.groupBy({ by: ['status'], where, _count: { _all: true } }),
    storeIds.length > 1 ? ctx.db.store.findMany({ where: { id: { in: storeIds } }, select: { id: true, name: true } }) : [],
  ]);
  const count = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0;
  const open = count('OPEN');
  const inProgress = count('IN_PROGRESS');
  if (open + inProgress === 0) return ephemeral('No open escalations for this channel. 🎉');
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  const lines = rows.map((r) => {
    const who = r.assignedTo ? `taken by ${escapeMrkdwn(r.assignedTo)}` : 'unassigned';
    const store = storeName.size > 1 ? `${escapeMrkdwn(storeName.get(r.storeId) ?? '')} · ` : '';
    const summary = escapeMrkdwn(truncate(r.summary.replace(/\s+/g, ' '), 120, '…'));
    return `• \`${short(r.id)}\` ${PRIORITY_EMOJI[r.priority] ?? ''} *${r.priority}* · ${store}${INTENT_LABELS[r.intent] ?? r.intent} · ${who}: ${summary} <${caseUrl(ctx.config.publicUrl, r.id)}|open>`;
  });
  const total = open + inProgress;
  const more = total > rows.length ? `\n…and ${total - rows.length} more on the dashboard.` : '';
  return {
    response_type: 'in_channel',
    text: `*Open escalations*: ${open} open, ${inProgress} in progress\n${lines.join('\n')}${more}`,
  };
}

async function take(ctx: AppContext, row: Escalation, person: SlackPerson): Promise<SlackReply> {
  if (row.status === 'RESOLVED' || row.status === 'CLOSED')
    return ephemeral(`Case \`${short(row.id)}\` is already ${row.status === 'RESOLVED' ? 'resolved' : 'closed'}.`);
  const outcome = await ctx.lifecycle.assign(row.storeId, row.id, person.actor, { source: 'slack', actor: person.actor }, true);
  if (outcome.kind === 'assigned') return ephemeral(`✅ Case \`${short(row.id)}\` is yours, ${escapeMrkdwn(person.name)}.`);
  if (isSamePerson(outcome.by, person)) return ephemeral(`You already have case \`${short(row.id)}\`.`);
  return ephemeral(
    `Case \`${short(row.id)}\` was already taken by ${outcome.by ? `*${escapeMrkdwn(outcome.by)}*` : 'someone else'}, so I've left it with them.`,
  );
}

async function resolve(ctx: AppContext, row: Escalation, person: SlackPerson, summary: string): Promise<SlackReply> {
  if (row.status === 'RESOLVED') return ephemeral(`Case \`${short(row.id)}\` is already resolved.`);
  if (row.status === 'CLOSED') return ephemeral(`Case \`${short(row.id)}\` is closed (closed cases are final).`);
  await ctx.lifecycle.resolve(row.storeId, row.id, summary, { source: 'slack', actor: person.actor });
  return ephemeral(`✅ Resolved case \`${short(row.id)}\`: ${escapeMrkdwn(truncate(summary, 300, '…'))}`);
}

/** Records an agent_reply event; the chat backend's webhook gets it as `escalation.agent_reply`. */
async function reply(ctx: AppContext, row: Escalation, person: SlackPerson, message: string): Promise<SlackReply> {
  if (row.status === 'CLOSED') return ephemeral(`Case \`${short(row.id)}\` is closed: its conversation no longer takes replies.`);
  await ctx.lifecycle.record(row, 'agent_reply', { source: 'slack', actor: person.actor }, { message, agent: person.name });
  const webhook = await ctx.db.escalationIntegration.findFirst({
    where: { escalationId: row.id, type: 'WEBHOOK', status: { in: ['PENDING', 'DELIVERED'] } },
    select: { id: true },
  });
  if (!webhook) {
    return ephemeral(`📝 Noted on case \`${short(row.id)}\`, but this store has no chat-backend webhook, so the customer will not receive it automatically.`);
  }
  return ephemeral(`💬 Your reply is on its way to the customer of case \`${short(row.id)}\`.`);
}
