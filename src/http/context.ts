import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { DeliveryQueues } from '../delivery/queues.ts';
import type { Lifecycle } from '../escalations/lifecycle.ts';
import type { EscalationService } from '../escalations/service.ts';
import type { TicketSync } from '../escalations/sync.ts';
import type { StoreDirectory } from '../stores/store-directory.ts';
import type { DependencyMonitor } from './dependencies.ts';
import type { Drain } from './drain.ts';

/** What routes need, built once by buildApp and handed to each route module. */
export interface AppContext {
  config: Config;
  db: Db;
  queues: DeliveryQueues;
  stores: StoreDirectory;
  escalations: EscalationService;
  lifecycle: Lifecycle;
  /** Applies helpdesk ticket updates to cases (inbound webhooks). */
  sync: TicketSync;
  log: FastifyBaseLogger;
  /** Whether Postgres and Redis answer (for /ready and the 503 answers). */
  dependencies: DependencyMonitor;
  drain: Drain;
}
