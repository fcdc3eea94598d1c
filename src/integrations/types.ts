import type { Escalation, EscalationEvent, EscalationIntegration, IntegrationType } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import type { StoredContext } from '../escalations/context.ts';
import type { FullDecision } from '../escalations/decide.ts';
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
  /** Saves adapter state at once (e.g. a Slack ts) so a retry after a crash does not send twice. */
  saveProgress(metadata: Record<string, unknown>): Promise<void>;
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
