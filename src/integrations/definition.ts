// What one helpdesk is, in one place. Each src/integrations/<name>/ folder exports one definition;
// src/integrations/registry.ts lists them in an exhaustive record, and everything that varies by
// helpdesk (queues, store config and masking, routing, echo rules, inbound routes, sandbox, docs) is
// derived from it. A helpdesk folder imports nothing from another helpdesk's folder.
import type { z } from 'zod';
import type { Config } from '../config-shape.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import type { SandboxModule } from '../sandbox/module.ts';
import type { StoreRecord } from '../stores/store-directory.ts';
import type { IntegrationAdapter } from './types.ts';

export type { IntegrationType } from '../generated/prisma/enums.ts';
export type { SandboxModule } from '../sandbox/module.ts';

/** What a helpdesk says about one of its tickets, in the service's terms (the result of inbound parse). */
export interface TicketUpdate {
  ticketId: string;
  /** The helpdesk status as sent (for messages and the timeline). */
  rawStatus: string;
  /** solved/closed end the case; open and pending keep it (re)opened; null = a status we do not map. */
  state: 'open' | 'pending' | 'solved' | 'closed' | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
}

/** A verification outcome; a refusal carries the sentence the 401 answer gives. */
export type Verdict = { ok: true } | { ok: false; reason: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The parts of an inbound request a verifier may look at. */
export interface InboundRequest {
  /** The body exactly as received (signatures are computed over these bytes). */
  rawBody: string;
  /** Lower-case names; a repeated header is absent (it cannot be verified unambiguously). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** A helpdesk that calls back: `POST /webhooks/{key}/:storeId` → verify → parse → apply (src/escalations/sync.ts). */
export interface InboundDefinition<Secret extends string = string> {
  /** The store secret the request is verified with (a field of the section's `secretFields`). */
  secretField: Secret;
  /** Pure: secret and clock in, verdict out. `secret` is undefined when the store has none. */
  verify(request: InboundRequest, secret: string | undefined, nowMs: number): Verdict;
  /** Pure: the (verified, JSON-decoded) body → a neutral ticket update, or a sentence naming what is wrong (400). */
  parse(body: unknown): Parsed<TicketUpdate>;
  /** The helpdesk's own id of this delivery, kept across its retries (dedupe); without one a fingerprint is used. */
  deliveryId?(request: InboundRequest): string | undefined;
  /** The resolution summary of a case solved in the helpdesk, e.g. "Solved in Zendesk". */
  solvedSummary: string;
  /** One line for the OpenAPI document. */
  summary: string;
}

/**
 * Where a store's calls to this helpdesk go (src/integrations/base-urls.ts applies the one rule):
 * the operator override if set, else the sandbox for a sandbox store, else `realOrigin`.
 */
export interface BaseUrlSpec<Section = unknown> {
  /** The operator override variable (DESIGN §4), e.g. 'GORGIAS_API_URL': an origin that replaces the real one. */
  overrideEnv: string;
  /**
   * The real origin from the store's section (`https://${account}.gorgias.com`); throws a permanent
   * DeliveryError when the section lacks the account. Never a URL taken from the config as is.
   */
  realOrigin(section: Section | undefined): string;
}

/** `POST /stores/:storeId/integrations/:type/test`: a sentence either way. */
export type CheckResult = { ok: true; detail: string } | { ok: false; error: string };

export interface CheckContext {
  config: Config;
  store: StoreRecord;
  requestTimeoutMs: number;
}

type PublicSection<S extends z.ZodType, Secret extends string> = Omit<z.output<S>, Secret>;

/** One field of the integration's form on the dashboard's settings page (a field of its config section). */
export interface SettingsField {
  name: string;
  label: string;
  secret?: boolean;
  hint?: string;
  type?: 'email' | 'url';
}

export interface IntegrationDefinition<
  Key extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Secret extends string = string,
  Type extends IntegrationType = IntegrationType,
> {
  /** The IntegrationType enum value (prisma/schema.prisma); also the registry key. */
  type: Type;
  /**
   * Lower-case name: the store-config section, the timeline `source` of changes that come from its
   * webhooks (never pushed back to it), the inbound path segment, the rule `route` target.
   */
  key: Key;
  /** Human name, e.g. "Gorgias". */
  label: string;
  /** One line for the README's table of integrations. */
  docs: string;
  config: {
    /** The section a PUT accepts, secrets included (optional, a masked value keeps the stored one): `.strict()`. */
    schema: Schema;
    /** Fields stored encrypted apart from the config and shown masked on read. */
    secretFields: readonly Secret[];
    /** Secrets an enabled section cannot do without (a 400 names the missing ones). */
    requiredSecrets: readonly Secret[];
  };
  isEnabled(section: PublicSection<Schema, Secret> | undefined): boolean;
  adapter: IntegrationAdapter;
  /**
   * Deliveries of this helpdesk one worker process runs at once (default; DELIVERY_CONCURRENCY_{TYPE}
   * overrides it). Sized as rate × calls per delivery × latency (Little's law): the calls in flight
   * needed to keep up, e.g. 50 cases/s × 2 calls × 200 ms = 20, with room for bursts.
   */
  concurrency: number;
  baseUrl?: BaseUrlSpec<PublicSection<Schema, Secret>>;
  inbound?: InboundDefinition<Secret>;
  /**
   * The section of the zero-configuration demo store (a sandbox store: its calls go to this sandbox
   * module), secrets included; absent = the demo store does not use this integration.
   */
  demo?: z.input<Schema>;
  /** The credential test (`POST /stores/:storeId/integrations/{key}/test`); absent = none. */
  check?(ctx: CheckContext): Promise<CheckResult>;
  /** The dashboard settings form (label, fields); absent = not editable there. */
  settings?: { label: string; fields: SettingsField[] };
  // biome-ignore lint/suspicious/noExplicitAny: each module has its own record type
  sandbox: SandboxModule<any>;
}

/** Keeps the literal key, schema and secret names of a definition (so the registry's types derive from them). */
export function defineIntegration<
  const Key extends string,
  Schema extends z.ZodType,
  const Secret extends string = never,
  const Type extends IntegrationType = IntegrationType,
>(definition: IntegrationDefinition<Key, Schema, Secret, Type>): IntegrationDefinition<Key, Schema, Secret, Type> {
  return definition;
}
