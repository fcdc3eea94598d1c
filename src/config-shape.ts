// The typed configuration (what src/config.ts makes of the environment). Apart from the loader, which
// derives the helpdesk URL overrides from the integration registry, so the integrations can name
// this type without importing the registry back.
import type { IntegrationType } from './generated/prisma/enums.ts';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  role: 'api' | 'worker' | 'all';
  adminApiKey: string;
  encryptionKey: Buffer;
  publicUrl: string;
  slack: { signingSecret?: string; botToken?: string; apiUrl?: string };
  /** Operator overrides of helpdesk base URLs, by integration (from API_URL_VARIABLES), without trailing slash except Slack's. */
  apiUrls: Partial<Record<IntegrationType, string>>;
  zendeskApiUrl?: string;
  freshdeskApiUrl?: string;
  webhookAllowPrivate: boolean;
  logLevel: string;
  /**
   * The local helpdesk emulator for sandbox stores. `url` is set when this process serves them
   * (SANDBOX=on, or auto on a zero-configuration start); unset, a sandbox store's deliveries fail.
   */
  sandbox: { mode: 'auto' | 'on' | 'off'; port: number; url?: string };
  db: DbOptions;
  /**
   * Whether API processes hear of store changes through LISTEN/NOTIFY (src/stores/change-feed.ts) and
   * keep keys and configs cached a minute; off (or behind a transaction-pooling PgBouncer), 0.5 s / 5 s.
   */
  storeChangeFeed?: boolean;
  redisCommandTimeoutMs: number;
  /** After SIGTERM: how long /ready says 503 while requests are still served, before the listener closes. */
  shutdownDrainMs: number;
  /** Budget of each HTTP request to a helpdesk; a request that hangs longer fails and is retried. */
  helpdeskRequestTimeoutMs: number;
  /**
   * How long a helpdesk may still carry out a request after we stopped waiting for its answer. A retry
   * looks for the earlier request's result (Freshdesk, Zendesk notes: for this long before sending
   * again), and a late duplicate is looked for and removed once this has passed.
   */
  helpdeskLateCommitMs: number;
  /**
   * Operator overrides of how many deliveries a worker process runs at once: per integration, and
   * CASES for the new cases whose first attempts run together (defaults: src/delivery/worker.ts).
   */
  deliveryConcurrency: Partial<Record<IntegrationType | 'CASES', number>>;
  /** How long a delivery's progress mark waits for those of other deliveries to share its statement. */
  deliveryWriteWindowMs?: number;
  /** The same for a delivery's DELIVERED record. */
  deliveryOutcomeWindowMs?: number;
  /**
   * Whether new cases reach the workers through Postgres LISTEN/NOTIFY (src/delivery/relay.ts; default
   * on) or through a fan-out job per case (off: behind a transaction-pooling PgBouncer).
   */
  deliveryRelay?: boolean;
  /**
   * Whether the relay starts each helpdesk's first attempts on its own (a lane per helpdesk), so a
   * case's tickets do not wait for its Slack message's channel; default on in a worker process. Where the
   * API runs in the same process (ROLE=all) it is off by default: there a case's first attempts start
   * together, at the pace of the slowest, which leaves the CPU to accepting during a flood (with lanes,
   * the bench's closed loop with Slack + Zendesk accepted 1,064 cases a second against 2,419).
   */
  deliveryRelayLanes?: boolean;
  http: HttpOptions;
}

export interface HttpOptions {
  /** Largest JSON body in bytes (POST /escalate has its own, larger limit). */
  bodyLimit: number;
  /** Node's limit on receiving a whole request; 0 = none. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Requests per minute per API key, shared by every API process (Redis); 0 = off. */
  rateLimitPerMinute: number;
  /** Dashboard sign-in attempts per minute per client address; 0 = off. */
  signInRateLimitPerMinute: number;
  /**
   * Behind a load balancer: whose X-Forwarded-For / -Proto to believe (Fastify's trustProxy), so the
   * client address (rate limits) and https (Secure cookies) are the client's, not the proxy's.
   */
  trustProxy: boolean | number | string[];
}

export interface DbOptions {
  /** Connections per pool (the API holds two: Prisma's and the plain pg one of the hot path). */
  poolSize: number;
  /** Bound on connecting and on waiting for a free pooled connection. */
  connectTimeoutMs: number;
  /** Postgres cancels a statement running longer (statement_timeout). */
  statementTimeoutMs: number;
  /** The client gives up on an answer that does not come (a stalled connection); the connection is dropped. */
  queryTimeoutMs: number;
}
