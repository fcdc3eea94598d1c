import type { SandboxModule, Service } from './module.ts';

export type { Service };

export interface RecordedRequest {
  service: Service;
  method: string;
  /** As the real service would see it, e.g. `/api/chat.postMessage`, `/api/v2/tickets.json`. */
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: unknown;
  at: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  postedAt: string;
  updatedAt?: string;
  /** `metadata` as posted (event_type + event_payload); returned by history/replies with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface SlackEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  postedAt: string;
}

export interface ZendeskComment {
  id: number;
  author_id: number;
  body: string;
  html_body: string;
  public: boolean;
  created_at: string;
}

export interface ZendeskTicket {
  id: number;
  url: string;
  external_id: string | null;
  subject: string;
  description: string;
  status: string;
  priority: string | null;
  type: string | null;
  tags: string[];
  custom_fields: { id: number; value: unknown }[];
  requester_id: number;
  submitter_id: number;
  assignee_email: string | null;
  created_at: string;
  updated_at: string;
  comments: ZendeskComment[];
  statusHistory: { status: string; at: string }[];
}

export interface ZendeskUser {
  id: number;
  name: string;
  email: string;
}

export interface IdempotencyEntry {
  fingerprint: string;
  ticketId: number;
  at: string;
  /** The original 201 body, replayed as-is. */
  response: unknown;
}

export interface FreshdeskContact {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
}

export interface FreshdeskNote {
  id: number;
  ticket_id: number;
  body: string;
  body_text: string;
  private: boolean;
  incoming: boolean;
  created_at: string;
  updated_at: string;
}

export interface FreshdeskTicket {
  id: number;
  subject: string;
  description: string;
  description_text: string;
  priority: number;
  status: number;
  source: number;
  type: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  requester_id: number;
  responder_id: number | null;
  group_id: number | null;
  created_at: string;
  updated_at: string;
  notes: FreshdeskNote[];
  statusHistory: { status: number; at: string }[];
}

export interface SlackState {
  /** channel name (without '#') → channel ID */
  channels: Record<string, string>;
  messages: SlackMessage[];
  /** Removed by chat.delete: no longer in `messages`, listed here for the page and tests. */
  deleted: (SlackMessage & { deletedAt: string })[];
  ephemeral: SlackEphemeral[];
  /** chat.postMessage calls refused with 429 for going over a channel's limit (each one a violation by the client). */
  rateLimited: { channel: string; at: string; retryAfter: number }[];
  /** The chat.postMessage limit per channel the sandbox enforces, like Slack; null turns it off (e.g. a test about paging). */
  channelLimit: { perSecond: number; burst: number } | null;
}

export interface ZendeskState {
  tickets: ZendeskTicket[];
  users: ZendeskUser[];
  /** Idempotency-Key → original request */
  idempotency: Record<string, IdempotencyEntry>;
}

export interface FreshdeskState {
  tickets: FreshdeskTicket[];
  contacts: FreshdeskContact[];
}

/** Every request received, and each module's records under its service name. */
export interface SandboxState {
  requests: RecordedRequest[];
  slack: SlackState;
  zendesk: ZendeskState;
  freshdesk: FreshdeskState;
  [service: string]: unknown;
}

function emptyState(modules: readonly SandboxModule[]): SandboxState {
  const state: Record<string, unknown> = { requests: [] };
  for (const mod of modules) state[mod.service] = mod.emptyState();
  return state as SandboxState;
}

export interface Store {
  state: SandboxState;
  nextId(kind: string): number;
  /** Slack-style `1712345678.123456`, strictly increasing. */
  nextTs(): string;
  reset(): void;
}

export function createStore(modules: readonly SandboxModule[]): Store {
  const state = emptyState(modules);
  // Ids and timestamps keep counting across reset(): a running service may still hold old ids.
  const counters = new Map<string, number>();
  let lastMicros = 0;
  return {
    state,
    nextId(kind) {
      const id = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, id);
      return id;
    },
    nextTs() {
      lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
      return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
    },
    reset() {
      // Mutate in place so callers holding `sandbox.state` keep a live reference.
      Object.assign(state, emptyState(modules));
    },
  };
}

export const now = (): string => new Date().toISOString();
