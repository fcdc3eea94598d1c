// The contract of one emulated helpdesk in the sandbox. Each module owns its in-memory records:
// the sandbox keeps them at `state[service]` and gives the module a fresh set on reset().
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

/** A sandbox module's name (`SandboxModule.service`): the URL prefix and the failure-rule `service`. */
export type Service = string;

/** What a failure rule's `method` is matched against. */
export interface RuleTarget {
  verb: string;
  /** Slack: the method name; others: the service-relative path without query. */
  path: string;
}

export interface SandboxAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Counters shared by every module; they keep counting across reset() (a running service may hold old ids). */
export interface SandboxCounters {
  nextId(kind: string): number;
  /** Slack-style `1712345678.123456`, strictly increasing. */
  nextTs(): string;
}

export interface SandboxContext<S> extends SandboxCounters {
  /** This module's records (read it per request: reset() replaces them). */
  state(): S;
  /** Origin the client used (http://host:port), for URLs the emulated service hands back. */
  origin(req: FastifyRequest): string;
}

/** One emulated service: its routes plus how it rejects and fails, in its own words. */
export interface SandboxModule<S extends object = object> {
  /** URL prefix (`/gorgias/...`), failure-rule and latency `service` name, key of its state. */
  readonly service: string;
  /** Fresh, empty records. */
  emptyState(): S;
  /** Routes relative to `/{service}`, as the real API has them after its origin (e.g. `/api/tickets`). */
  routes(app: FastifyInstance, ctx: SandboxContext<S>): void;
  /** What FailureRule.method is matched against. */
  target(req: FastifyRequest, path: string): RuleTarget;
  /**
   * The service's own rate limits, checked when a request arrives (before injected latency and
   * failures): an answer refuses it (e.g. 429), undefined lets it through.
   */
  admit?(req: FastifyRequest, path: string, state: S): SandboxAnswer | undefined;
  /** An answer when the request's credentials are missing or malformed (the sandbox accepts any well-formed ones). */
  authenticate(req: FastifyRequest): SandboxAnswer | undefined;
  /** Body of an injected failure, or of a request Fastify could not parse. */
  failure(status: number, error?: FastifyError): SandboxAnswer;
  /** This service's section of the sandbox page, as HTML (the module escapes what it shows). */
  page?(state: S): string;
}

/** Keeps the record type of a module's state when it is defined (`defineSandboxModule({...})`). */
export function defineSandboxModule<S extends object>(module: SandboxModule<S>): SandboxModule<S> {
  return module;
}
