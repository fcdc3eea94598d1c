import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { DomainError } from '../cases/errors.ts';
import { slackClient, slackToken } from '../integrations/slack/client.ts';
import { TAKE_CASE_ACTION, VIEW_CONTEXT_ACTION, escapeMrkdwn } from '../integrations/slack/format.ts';

/**
 * Slack → us: interactivity (block_actions of the case message) and the shared plumbing of answers
 * that arrive after the HTTP acknowledgement (response_url follow-ups). Slack wants every request
 * acknowledged within 3 seconds; answers are ephemeral, visible only to the person who clicked.
 */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Slack gives up after 3 s: the HTTP answer leaves by then, whatever is still running continues. */
export const ACK_BUDGET_MS = 2500;

export interface SlackPerson {
  id: string;
  /** What a human reads: the Slack name (or username), else the id. */
  name: string;
  /** Stored as assignee and actor: name plus user id, so two people with one name stay apart. */
  actor: string;
}

export function slackPerson(id: string, name?: string | null): SlackPerson {
  const display = (name ?? '').trim() || id;
  return { id, name: display, actor: display === id ? id : `${display} (${id})` };
}

/** Whether an assignee string is this Slack user (as written by slackPerson). */
export function isSamePerson(assignedTo: string | null, person: SlackPerson): boolean {
  if (!assignedTo) return false;
  return assignedTo === person.actor || assignedTo === person.id || assignedTo.endsWith(`(${person.id})`);
}

export interface EphemeralTarget {
  responseUrl?: string;
  channelId?: string;
  userId?: string;
  /** For chat.postEphemeral when there is no response_url: the token of this store (or the default). */
  storeId?: string;
}

/**
 * Messages sent after the acknowledgement: POSTs to the request's response_url (no token needed, works
 * for every workspace), else chat.postEphemeral. Tracked, so a graceful shutdown waits for them.
 */
export class SlackFollowUps {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
    private readonly timeoutMs = 5000,
  ) {}

  /** Keeps a promise alive past the response; failures are logged, never thrown. */
  track(work: Promise<unknown>, what: string) {
    const p = work.catch((err: unknown) => this.log.warn({ err: (err as Error).message }, `slack follow-up failed: ${what}`));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  ephemeral(target: EphemeralTarget, text: string) {
    this.track(this.sendEphemeral(target, text), 'ephemeral message');
  }

  /** A full reply body (e.g. a slash command's answer that was not ready within 3 s). */
  respond(responseUrl: string | undefined, body: Record<string, unknown>) {
    if (!responseUrl) return;
    this.track(this.post(responseUrl, body), 'response_url reply');
  }

  async drain(timeoutMs = 10_000) {
    if (this.pending.size === 0) return;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private async sendEphemeral(target: EphemeralTarget, text: string) {
    if (target.responseUrl) {
      await this.post(target.responseUrl, { response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    if (!target.channelId || !target.userId) return;
    const store = target.storeId ? await this.ctx.stores.get(target.storeId) : null;
    const token = store ? slackToken(this.ctx.config, store) : this.ctx.config.slack.botToken;
    if (!token) return;
    await slackClient(this.ctx.config, store, token).chat.postEphemeral({ channel: target.channelId, user: target.userId, text });
  }

  private async post(responseUrl: string, body: Record<string, unknown>) {
    const url = new URL(responseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('response_url is not an http(s) URL');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
  }
}

/**
 * Runs `work`, but answers by the ack budget whatever happens: `done` with its value if it finished in
 * time, else `late` (the work goes on and is tracked by the follow-ups).
 */
export async function withinAckBudget<T>(
  work: Promise<T>,
  followUps: SlackFollowUps,
  budgetMs = ACK_BUDGET_MS,
): Promise<{ done: true; value: T } | { done: false; work: Promise<T> }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), late]);
    if (first !== 'late') return { done: true, value: first.value };
    followUps.track(work, 'slow slack request');
    return { done: false, work };
  } finally {
    clearTimeout(timer);
  }
}

const interactionPayload = z.object({
  type: z.string().max(100),
  user: z.object({ id: z.string().min(1).max(64), name: z.string().max(200).optional(), username: z.string().max(200).optional() }).optional(),
  channel: z.object({ id: z.string().max(64) }).nullish(),
  container: z.object({ channel_id: z.string().max(64).optional() }).nullish(),
  response_url: z.string().max(2000).optional(),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .max(25)
    .optional(),
});

export type InteractionPayload = z.infer<typeof interactionPayload>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The form body of an interaction: one field `payload`, JSON. */
export function parseInteraction(rawBody: string): Parsed<InteractionPayload> {
  const payload = new URLSearchParams(rawBody).get('payload');
  if (!payload) return { ok: false, message: 'body.payload: required (a form field with the interaction JSON)' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, message: 'body.payload: is not valid JSON' };
  }
  const parsed = interactionPayload.safeParse(json);
  if (!parsed.success) return { ok: false, message: `body.payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, value: parsed.data };
}

export const NOT_FOUND_TEXT = "I couldn't find that case in this channel. It may belong to another channel, or have been removed.";

/** Handles a verified interaction. Only `block_actions` do anything; everything else is just acknowledged. */
export async function handleInteraction(ctx: AppContext, payload: InteractionPayload, followUps: SlackFollowUps): Promise<void> {
  if (payload.type !== 'block_actions' || !payload.user) return;
  const person = slackPerson(payload.user.id, payload.user.name ?? payload.user.username);
  const channelId = payload.channel?.id ?? payload.container?.channel_id;
  const target: EphemeralTarget = { responseUrl: payload.response_url, channelId, userId: person.id };
  for (const action of payload.actions ?? []) {
    const [name, id] = splitActionId(action.action_id);
    if (name === TAKE_CASE_ACTION) await takeCase(ctx, id, channelId, person, target, followUps);
    // VIEW_CONTEXT_ACTION is a URL button: Slack opens the link itself, the click only needs its 200.
    else if (name !== VIEW_CONTEXT_ACTION) ctx.log.debug({ actionId: action.action_id }, 'unknown slack action');
  }
}

function splitActionId(actionId: string): [string, string] {
  const colon = actionId.indexOf(':');
  return colon < 0 ? [actionId, ''] : [actionId.slice(0, colon), actionId.slice(colon + 1)];
}

/**
 * Take Case: the first click wins (a conditional update), a later one is told politely who has it.
 * The case is looked up by id across stores, but acted on only when the click comes from the channel
 * its Slack message was posted in: a forged action id cannot touch another store's case.
 */
async function takeCase(ctx: AppContext, id: string, channelId: string | undefined, person: SlackPerson, target: EphemeralTarget, followUps: SlackFollowUps) {
  const row = UUID.test(id)
    ? await ctx.db.escalation.findUnique({
        where: { id },
        include: { deliveries: { where: { type: 'SLACK' }, select: { metadata: true } } },
      })
    : null;
  const inChannel = !!row && !!channelId && row.deliveries.some((d) => (d.metadata as { channel?: unknown } | null)?.channel === channelId);
  if (!row || !inChannel) return followUps.ephemeral(target, NOT_FOUND_TEXT);
  const replyTo = { ...target, storeId: row.storeId };
  if (row.status === 'RESOLVED' || row.status === 'CLOSED') {
    return followUps.ephemeral(
      replyTo,
      `This case is already ${row.status === 'RESOLVED' ? 'resolved' : 'closed'}, so there is nothing to take. ${caseHint(row.id)}`,
    );
  }
  let outcome: Awaited<ReturnType<typeof ctx.lifecycle.assign>>;
  try {
    outcome = await ctx.lifecycle.assign(row.storeId, row.id, person.actor, { source: 'slack', actor: person.actor }, true);
  } catch (err) {
    if (err instanceof DomainError) return followUps.ephemeral(replyTo, err.message);
    throw err;
  }
  if (outcome.kind === 'assigned') {
    return followUps.ephemeral(replyTo, `✅ The case is yours, ${escapeMrkdwn(person.name)}. ${caseHint(row.id)}`);
  }
  if (isSamePerson(outcome.by, person)) return followUps.ephemeral(replyTo, `You already have this case. ${caseHint(row.id)}`);
  const holder = outcome.by ? `*${escapeMrkdwn(outcome.by)}*` : 'someone else';
  return followUps.ephemeral(
    replyTo,
    `Thanks for jumping in, ${escapeMrkdwn(person.name)}! This case was already taken by ${holder}, so I've left it with them.`,
  );
}

const caseHint = (id: string) => `(case \`${id.slice(0, 8)}\`)`;
