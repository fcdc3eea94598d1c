import type { Escalation, EscalationEvent, EscalationIntegration, IntegrationType } from '../generated/prisma/client.ts';
import type { Config } from '../config-shape.ts';
import type { StoredContext } from '../cases/context.ts';
import type { FullDecision } from '../cases/decision.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import { head } from '../text/code-points.ts';

/** Everything an adapter needs to render and send one case. */
export interface DeliveryContext {
  config: Config;
  store: StoreRecord;
  escalation: Escalation;
  context: StoredContext;
  decision: FullDecision;
  delivery: EscalationIntegration;
  caseUrl: string;
  /** Budget of each HTTP request to the helpdesk; a request that hangs longer fails and is retried. */
  requestTimeoutMs: number;
  /**
   * Saves adapter state at once (e.g. a Slack ts) so a retry after a crash does not send twice. Only
   * over the state this run last saw: else it throws ConcurrentAttempt.
   */
  saveProgress(metadata: Record<string, unknown>): Promise<void>;
  /** How long a helpdesk may still carry out a request whose answer we did not get (config). */
  lateCommitMs: number;
  /**
   * Records (in Postgres, before the request it covers) that a duplicate may still land, so that
   * reconcile() runs once `lateCommitMs` has passed — by a delayed job, or by the sweeper if Redis lost it.
   */
  reconcileLater(): Promise<void>;
  /**
   * Runs a wait that needs no helpdesk capacity (a rate-limit wait) without holding this process's
   * slot of the helpdesk, so other destinations' deliveries go on meanwhile. Absent: just waits.
   */
  idle?<T>(wait: () => Promise<T>): Promise<T>;
}

export interface CreateResult {
  externalId: string;
  externalUrl: string | null;
  metadata?: Record<string, unknown>;
}

/** The one contract every helpdesk implements. Adding a helpdesk = one folder + one registry entry. */
export interface IntegrationAdapter {
  readonly type: IntegrationType;
  /** Creates the message/ticket. Must be idempotent for the same delivery id. */
  create(ctx: DeliveryContext): Promise<CreateResult>;
  /** Pushes a timeline event (status change, assignment, reply, new messages) to what create made. */
  update(ctx: DeliveryContext, event: EscalationEvent): Promise<void>;
  /**
   * Removes what a request that answered too late made twice (a second message, ticket, reply or
   * note), keeping the one recorded. 'not-yet' when there is nothing recorded to keep yet.
   */
  reconcile?(ctx: DeliveryContext): Promise<'done' | 'not-yet'>;
}

/** Typed so that a missing adapter is a compile error. */
export type AdapterRegistry = { readonly [K in IntegrationType]: IntegrationAdapter };

/**
 * Adapters classify failures; the queue decides what to do. `retryAfterMs` comes from the helpdesk's
 * Retry-After; `permanent` failures (bad credentials, validation) are not retried.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Maps an HTTP status from a helpdesk to retry semantics: 408/429/5xx retry, other 4xx do not. */
/**
 * Not a failure: an earlier request may still be carried out by the helpdesk, so the adapter cannot
 * tell yet whether to send again. The job comes back at `untilMs` without using up an attempt.
 */
export class SettleWait extends Error {
  constructor(readonly untilMs: number) {
    super(`waiting until ${new Date(untilMs).toISOString()} for an earlier request to settle`);
    this.name = 'SettleWait';
  }
}

/**
 * Another run of the same delivery saved its progress first (BullMQ can hand a job whose lock
 * lapsed to a second worker while the first still runs it). The run that loses stops before its
 * next helpdesk call; the winner carries on, and a later retry sees what it saved.
 */
export class ConcurrentAttempt extends Error {
  constructor() {
    super('another attempt of this delivery is running');
    this.name = 'ConcurrentAttempt';
  }
}

/**
 * Waits for an earlier request that may still land, looking for its result meanwhile: found → use
 * it; window over and nothing found → send again; otherwise come back a little later.
 */
export async function settle<T>(startedAt: number, ctx: DeliveryContext, lookUp: () => Promise<T | undefined>): Promise<T | undefined> {
  const found = await lookUp();
  if (found !== undefined) return found;
  const until = startedAt + ctx.lateCommitMs;
  const now = Date.now();
  if (now >= until) return undefined;
  throw new SettleWait(Math.min(until, now + Math.min(5000, Math.max(250, ctx.lateCommitMs / 10))));
}

export function errorForStatus(service: string, status: number, detail: string, retryAfterSeconds?: number): DeliveryError {
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  const retryAfterMs = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : undefined;
  return new DeliveryError(head(`${service} answered ${status}: ${detail}`, 1000), !retryable, retryAfterMs, status);
}

export function parseRetryAfter(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
