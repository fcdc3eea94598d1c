import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SqlPool } from '../db/sql.ts';
import { createAsyncCommitPool, createDeliveryPool } from './pool.ts';
import type { StoredContext } from '../cases/context.ts';
import type { FullDecision } from '../cases/decision.ts';
import { caseUrl } from '../cases/serialize.ts';
import { recordDelivery } from '../metrics.ts';
import { echoSourceOf, INTEGRATION_TYPES, integrations } from '../integrations/registry.ts';
import { ConcurrentAttempt, DeliveryError, SettleWait, type AdapterRegistry, type DeliveryContext } from '../integrations/types.ts';
import type { IntegrationType } from '../generated/prisma/enums.ts';
import type { StoreDirectory, StoreRecord } from '../stores/store-directory.ts';
import type { PublicConfig, StoreSecrets } from '../stores/escalation-config.ts';
import { decryptSecret } from '../stores/secret-box.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { addReconcileJob, CASE_QUEUE, DEFAULT_QUEUE_OPTIONS, queueName, type CaseJob, type DeliveryJob } from './queues.ts';
import {
  bookReconcile,
  claimForCreate,
  type DeliveredWrite,
  giveBackAttempt,
  type MetadataWrite,
  recordDeliveredBatch,
  recordFailure,
  saveMetadataBatch,
  type DeliveryRow,
} from './rows.ts';
import { WriteBatcher } from './write-batch.ts';
import { DEFAULT_OUTCOME_WINDOW_MS, DEFAULT_WRITE_WINDOW_MS } from './statement-batch.ts';
import { ClaimBatcher } from './claim-batch.ts';
import { OutboxRelay } from './relay.ts';
import { warmUpDeliveries } from './warm-up.ts';
import { Semaphore } from './semaphore.ts';
import { head } from '../text/code-points.ts';

export interface WorkerOptions {
  /** Deliveries of each helpdesk this process runs at once (first attempts and retries together). */
  concurrency: Record<IntegrationType, number>;
  /** New cases whose first attempts this process runs at once (the fan-out queue). */
  caseConcurrency: number;
  backoff: BackoffOptions;
  registry: AdapterRegistry;
  /** How long a job stays locked to a worker that stopped renewing it (crashed) before another takes it over. */
  lockDurationMs: number;
  /** How often workers look for such stalled jobs. */
  stalledIntervalMs: number;
  /** Default: HELPDESK_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs: number;
  /** Default: HELPDESK_LATE_COMMIT_MS. */
  lateCommitMs: number;
  /** The worker's plain pg pool (default: its own, on DATABASE_URL). */
  sql?: SqlPool;
  /** Its pool for claims and DELIVERED records, whose commits need not wait for the WAL flush (src/delivery/pool.ts). Default: its own; `sql` when that is given. */
  asyncCommitSql?: SqlPool;
  /** How long a progress mark waits for others to share its statement (see statement-batch.ts). */
  writeWindowMs: number;
  /** How long a DELIVERED record waits for others to share its statement. */
  outcomeWindowMs: number;
  /** Tries of a delivery before it is FAILED (the producers' setting: DeliveryQueues.attempts). */
  attempts: number;
  /** Whether new cases' first attempts start from their Postgres announcement (src/delivery/relay.ts). */
  relay: boolean;
  /** A lane per helpdesk in the relay (config-shape.ts deliveryRelayLanes). */
  relayLanes: boolean;
}

function mapTypes<T>(f: (type: IntegrationType) => T): Record<IntegrationType, T> {
  return Object.fromEntries(INTEGRATION_TYPES.map((t) => [t, f(t)])) as Record<IntegrationType, T>;
}

/**
 * Sized like the per-helpdesk defaults (src/integrations/{name}/definition.ts): a fan-out job lasts as
 * long as its slowest delivery, about 2 calls × 200 ms = 0.4 s; at 50 new cases/s that is 20 jobs in
 * flight, doubled for bursts and slow answers.
 */
export const DEFAULT_CASE_CONCURRENCY = 48;

/**
 * Jobs of an integration's queue a process holds at once, per delivery its slot lets run: the slot
 * (Semaphore) bounds the work at the helpdesk, and a job waiting in the process for a rate limit's
 * turn (up to a couple of seconds, src/integrations/rate-limits.ts) lends its slot but still holds
 * the BullMQ worker's concurrency. With the two equal, 64 Slack jobs each waiting about a second for
 * their channel were all a process took in: ~50 jobs a second across every channel, and the
 * head of another channel's queue, a delayed job back for its turn, not picked up until its place
 * there lapsed (15 s). Measured on a burst over 200 busy channels (DELIVERY_CONCURRENCY_CASES=800,
 * so that most Slack deliveries wait as jobs): 354 of 4,201 messages 25 s after the load, in steps of
 * ~15 s; with this room, all 4,340 in 35 s, ~200 a second (the channels' own limit) after the first 10.
 */
export const QUEUED_JOBS_PER_SLOT = 8;

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'requestTimeoutMs' | 'lateCommitMs'> = {
  concurrency: mapTypes((t) => integrations[t].concurrency),
  caseConcurrency: DEFAULT_CASE_CONCURRENCY,
  backoff: DEFAULT_BACKOFF,
  registry: mapTypes((t) => integrations[t].adapter),
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  writeWindowMs: DEFAULT_WRITE_WINDOW_MS,
  outcomeWindowMs: DEFAULT_OUTCOME_WINDOW_MS,
  attempts: DEFAULT_QUEUE_OPTIONS.attempts,
  relay: true,
  relayLanes: false,
};

/** What one try of a delivery's create came to. */
type Attempt =
  | { kind: 'delivered' }
  /** Another run of the same delivery recorded it first. */
  | { kind: 'already' }
  /** A failure: `final` when it was the last attempt (or cannot be fixed by retrying), then FAILED. */
  | { kind: 'failed'; error: DeliveryError; final: boolean }
  /** Not a try at the helpdesk (the attempt was given back): come back at `untilMs`. */
  | { kind: 'wait'; untilMs: number; concurrent: boolean; message: string };

/** Timeline events that are pushed to the helpdesks (thread posts, ticket notes, outbound events). */
export const PUSHED_EVENT_TYPES = [
  'assigned',
  'status_changed',
  'resolved',
  'reopened',
  'agent_reply',
  'messages_appended',
  'sla_warning',
  'sla_breached',
  'sla_action',
];
const UPDATES_PER_JOB = 5;
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Consumes the delivery queues: the fan-out queue (a new case's first attempts, all at once) and one
 * BullMQ worker per integration (retries, updates, reconciles), each with its own concurrency.
 */
export class DeliveryWorkers {
  readonly connection: Redis;
  private readonly workers: Worker[] = [];
  private readonly options: WorkerOptions;
  private readonly sql: SqlPool;
  private readonly ownsSql: boolean;
  private readonly asyncSql: SqlPool;
  private readonly ownsAsyncSql: boolean;
  /** Per helpdesk: how many of its deliveries run at once in this process, whichever queue they came from. */
  private readonly slots: Record<IntegrationType, Semaphore>;
  /** Producers for the reconcile jobs this worker schedules (on the worker's connection). */
  private readonly queues = new Map<string, Queue<DeliveryJob>>();
  /** Progress marks and DELIVERED records of the deliveries in flight, a statement for those made together. */
  private readonly saves: WriteBatcher<MetadataWrite>;
  private readonly delivered: WriteBatcher<DeliveredWrite>;
  /** Claims of the cases and retries starting together, one statement for those of one turn. */
  private readonly claims: ClaimBatcher<DeliveryRow>;
  /** Stores' secrets by their sealed text: decrypted once, not per delivery. */
  private readonly openedSecrets = new Map<string, StoreSecrets>();
  /** New cases' first attempts, from their announcement (undefined with the relay off). */
  private relay: OutboxRelay | undefined;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly stores: StoreDirectory,
    private readonly log: FastifyBaseLogger,
    options: Partial<WorkerOptions> = {},
  ) {
    const { CASES, ...byType } = config.deliveryConcurrency ?? {};
    this.options = {
      ...DEFAULT_WORKER_OPTIONS,
      requestTimeoutMs: config.helpdeskRequestTimeoutMs,
      lateCommitMs: config.helpdeskLateCommitMs,
      caseConcurrency: CASES ?? DEFAULT_CASE_CONCURRENCY,
      writeWindowMs: config.deliveryWriteWindowMs ?? DEFAULT_WRITE_WINDOW_MS,
      outcomeWindowMs: config.deliveryOutcomeWindowMs ?? DEFAULT_OUTCOME_WINDOW_MS,
      relay: config.deliveryRelay ?? true,
      relayLanes: config.deliveryRelayLanes ?? false,
      ...options,
      concurrency: { ...DEFAULT_WORKER_OPTIONS.concurrency, ...byType, ...options.concurrency },
    };
    this.ownsSql = !this.options.sql;
    this.sql = this.options.sql ?? createDeliveryPool(config.databaseUrl, config.db);
    this.ownsAsyncSql = !this.options.asyncCommitSql && this.ownsSql;
    this.asyncSql = this.options.asyncCommitSql ?? (this.ownsSql ? createAsyncCommitPool(config.databaseUrl, config.db) : this.sql);
    // Marker saves stay durable: each must be on disk before the request it announces.
    this.saves = new WriteBatcher((writes) => saveMetadataBatch(this.sql, writes), undefined, undefined, this.options.writeWindowMs);
    this.delivered = new WriteBatcher((writes) => recordDeliveredBatch(this.asyncSql, writes), undefined, undefined, this.options.outcomeWindowMs);
    this.claims = new ClaimBatcher((ids) => claimForCreate(this.asyncSql, ids));
    this.slots = mapTypes((t) => new Semaphore(this.options.concurrency[t]));
    // Workers block on Redis and must survive its restarts: no per-command retry limit.
    this.connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (err) => this.log.warn({ err: err.message }, 'worker redis connection error'));
  }

  /** Before start(): opens the Postgres sessions, prepares the hot statements, loads the limiter's scripts and sets up ICU (src/delivery/warm-up.ts). */
  warmUp(): Promise<void> {
    return warmUpDeliveries(this.sql, this.asyncSql, this.config.redisUrl);
  }

  start() {
    const common = {
      connection: this.connection,
      lockDuration: this.options.lockDurationMs,
      stalledInterval: this.options.stalledIntervalMs,
      settings: {
        // A retry job goes on from the attempts made before it (the fan-out's first one).
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: { data?: { priorAttempts?: number } }) =>
          backoffDelay(attemptsMade + (job?.data?.priorAttempts ?? 0), err, this.options.backoff),
      },
    };
    const cases = new Worker<CaseJob>(CASE_QUEUE, (job) => this.fanOut(job), { ...common, concurrency: this.options.caseConcurrency });
    this.workers.push(cases);
    for (const type of INTEGRATION_TYPES) {
      this.workers.push(
        new Worker<DeliveryJob>(queueName(type), (job, token) => this.process(job, token), {
          ...common,
          concurrency: this.options.concurrency[type] * QUEUED_JOBS_PER_SLOT,
        }),
      );
    }
    for (const worker of this.workers) worker.on('error', (err) => this.log.warn({ err: err.message, queue: worker.name }, 'worker error'));
    if (this.options.relay) {
      this.relay = new OutboxRelay(
        this.config.databaseUrl,
        this.asyncSql,
        async (rows) => {
          await this.firstAttempts(rows, this.options.attempts);
        },
        this.log,
        { leaseMs: this.options.lockDurationMs, maxCases: this.options.caseConcurrency, maxBacklog: 10_000, lanes: this.options.relayLanes },
      );
      this.relay.start();
    }
  }

  /** The queues this process consumes, with each worker's concurrency. */
  consumed(): { queue: string; concurrency: number }[] {
    return this.workers.map((w) => ({ queue: w.name, concurrency: w.concurrency }));
  }

  /** Resolves once every worker is connected to Redis and the relay listens. */
  async waitUntilReady() {
    await Promise.all([...this.workers.map((w) => w.waitUntilReady()), this.relay?.ready]);
  }

  async close() {
    await this.relay?.close();
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (this.ownsSql) await this.sql.end().catch(() => {});
    if (this.ownsAsyncSql) await this.asyncSql.end().catch(() => {});
  }

  private queue(type: DeliveryRow['type']): Queue<DeliveryJob> {
    let queue = this.queues.get(type);
    if (!queue) {
      queue = new Queue<DeliveryJob>(queueName(type), {
        connection: this.connection,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'custom' },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      queue.on('error', () => {});
      this.queues.set(type, queue);
    }
    return queue;
  }

  /** Close after everything that shares the connection (the SLA worker) is closed. */
  disconnect() {
    this.connection.disconnect();
  }

  private async process(job: Job<DeliveryJob>, token?: string) {
    if (job.data.action === 'create') return this.createJob(job, token);
    const delivery = await this.db.escalationIntegration.findUnique({
      where: { id: job.data.deliveryId },
      include: { escalation: true },
    });
    if (!delivery) return 'gone';
    if (job.data.action === 'reconcile') return this.reconcile(job, delivery);
    return this.update(job, delivery, token);
  }

  /** The store read with the claim (secrets opened once per sealed value), or else through the directory. */
  private async storeOf(delivery: DeliveryRow): Promise<StoreRecord | null> {
    const row = delivery.storeRow;
    if (!row) return this.stores.get(delivery.storeId);
    let secrets = row.secrets ? this.openedSecrets.get(row.secrets) : {};
    if (!secrets) {
      secrets = JSON.parse(decryptSecret(row.secrets!, this.config.encryptionKey)) as StoreSecrets;
      if (this.openedSecrets.size >= 1000) this.openedSecrets.clear();
      this.openedSecrets.set(row.secrets!, secrets);
    }
    return { id: row.id, name: row.name, sandbox: row.sandbox, updatedAt: row.updatedAt, config: { ...(row.config as PublicConfig), secrets } };
  }

  /** `slot`: the helpdesk slot (see attempt()) the delivery runs under, lent out while it waits for a rate limit. */
  private async context(delivery: DeliveryRow, slot?: Semaphore): Promise<DeliveryContext> {
    const store = await this.storeOf(delivery);
    if (!store) throw new UnrecoverableError(`store ${delivery.storeId} no longer exists`);
    return {
      config: this.config,
      store,
      escalation: delivery.escalation,
      context: delivery.escalation.context as unknown as StoredContext,
      decision: delivery.escalation.decision as unknown as FullDecision,
      delivery,
      caseUrl: caseUrl(this.config.publicUrl, delivery.escalationId),
      requestTimeoutMs: this.options.requestTimeoutMs,
      lateCommitMs: this.options.lateCommitMs,
      ...(slot ? { idle: <T>(wait: () => Promise<T>) => slot.aside(wait) } : {}),
      saveProgress: async (metadata) => {
        // Compare-and-set: two runs of one delivery (a lapsed lock) must not both think they go first.
        if (!(await this.saves.submit({ id: delivery.id, expected: delivery.metadata, metadata }))) throw new ConcurrentAttempt();
        delivery.metadata = metadata as never;
      },
      reconcileLater: async () => {
        // Covers every request sent up to now (and the one about to go): each lands within lateCommitMs of its start.
        const at = new Date(Date.now() + this.options.lateCommitMs + 1000);
        await bookReconcile(this.sql, delivery.id, at);
        // The row is the promise; the job is the fast path (the sweeper re-enqueues a lost one), so the
        // helpdesk call does not wait on Redis.
        void addReconcileJob(this.queue(delivery.type), delivery.id, at).catch((err) =>
          this.log.warn({ deliveryId: delivery.id, err: (err as Error).message }, 'reconcile enqueue failed; the sweeper will do it'),
        );
      },
    };
  }

  /**
   * Removes late duplicates once every request that could make one has landed. The row's
   * reconcileAfter is cleared only if no newer request moved it meanwhile (that one has its own job).
   */
  private async reconcile(job: Job<DeliveryJob>, delivery: DeliveryRow) {
    const at = new Date(job.data.at ?? 0);
    const clear = () => this.db.escalationIntegration.updateMany({ where: { id: delivery.id, reconcileAfter: at }, data: { reconcileAfter: null } });
    const adapter = this.options.registry[delivery.type];
    if (!adapter.reconcile || delivery.status === 'SKIPPED') {
      await clear();
      return 'nothing to reconcile';
    }
    try {
      const slot = this.slots[delivery.type];
      const outcome = await slot.run(async () => adapter.reconcile!(await this.context(delivery, slot)));
      if (outcome === 'not-yet') {
        if (delivery.status === 'FAILED') {
          // Nothing recorded to keep: a manual retry adopts what landed (it looks first).
          await clear();
          return 'failed delivery: left as is';
        }
        // The create is still on its way: look again later, when it has recorded what to keep.
        const later = new Date(Date.now() + this.options.lateCommitMs);
        const moved = await this.db.escalationIntegration.updateMany({ where: { id: delivery.id, reconcileAfter: at }, data: { reconcileAfter: later } });
        if (moved.count) await addReconcileJob(this.queue(delivery.type), delivery.id, later);
        return 'not yet';
      }
      await clear();
      return 'reconciled';
    } catch (err) {
      if (err instanceof DeliveryError && err.permanent) {
        this.log.warn({ deliveryId: delivery.id, err: err.message }, 'reconcile failed for good; duplicates may remain');
        await clear();
        return 'reconcile failed';
      }
      this.log.warn({ deliveryId: delivery.id, err: (err as Error).message }, 'reconcile failed; will retry');
      throw err;
    }
  }

  /**
   * A new case's first attempts, every delivery at once. The job itself fails only when it cannot
   * read its deliveries (then BullMQ retries it, or the sweeper sends them); a delivery that fails, or
   * must wait, gets a job of its own on its helpdesk's queue with the attempts it has left.
   */
  private async fanOut(job: Job<CaseJob>) {
    const deliveries = await this.claims.submit(job.data.deliveries.map((d) => d.id));
    return this.firstAttempts(deliveries, job.opts.attempts ?? 1);
  }

  /**
   * A case's first attempts (from the fan-out job or the relay), each helpdesk in parallel; what fails
   * or waits gets a retry job. A helpdesk whose slots are all taken (slow or hanging: every slot waits
   * on a request) gets its delivery as a job on its own queue instead, the claimed attempt given back:
   * a case holds its place among the relay's (DELIVERY_CONCURRENCY_CASES) only while its deliveries
   * run. Otherwise one slow helpdesk filled every place with cases waiting for it, and the other
   * helpdesks' tickets of every new case waited too (measured, Slack answering in 20 s at 50 cases/s:
   * Zendesk tickets made 17 a second instead of 50, for the whole slowdown).
   */
  private async firstAttempts(deliveries: DeliveryRow[], total: number) {
    const outcomes = await Promise.all(
      deliveries.map(async (d) => {
        if (this.slots[d.type].full()) return this.handOver(d, total);
        const outcome = await this.attempt(d, (permanent) => permanent || d.attempts >= total);
        try {
          if (outcome.kind === 'failed' && !outcome.final) {
            await this.enqueueCreate(d, total, d.attempts, backoffDelay(d.attempts, outcome.error, this.options.backoff));
          } else if (outcome.kind === 'wait') {
            await this.enqueueCreate(d, total, d.attempts - 1, Math.max(0, outcome.untilMs - Date.now()));
          }
        } catch (err) {
          // The row stays PENDING: the outbox sweeper sends it once it is old enough.
          this.log.warn({ deliveryId: d.id, err: (err as Error).message }, 'retry enqueue failed; the sweeper will send it');
        }
        return `${d.type.toLowerCase()} ${outcome.kind}`;
      }),
    );
    return outcomes.join(', ') || 'nothing pending';
  }

  /** A claimed first attempt not made (its helpdesk's slots are all taken): the attempt given back, a job on its queue at once. */
  private async handOver(d: DeliveryRow, total: number): Promise<string> {
    try {
      await giveBackAttempt(this.sql, d.id);
      await this.enqueueCreate(d, total, d.attempts - 1, 0);
      return `${d.type.toLowerCase()} queued`;
    } catch (err) {
      // Either missing: the row stays PENDING with its lease, and the sweeper sends it once the lease is over.
      this.log.warn({ deliveryId: d.id, err: (err as Error).message }, 'could not hand a first attempt to its queue; the sweeper will send it');
      return `${d.type.toLowerCase()} left to the sweeper`;
    }
  }

  /** A delivery's own create job, with the attempts it has left after `prior` tries (BullMQ ignores an id that exists). */
  private async enqueueCreate(d: DeliveryRow, total: number, prior: number, delayMs: number) {
    await this.queue(d.type).add(
      'create',
      { deliveryId: d.id, action: 'create', priorAttempts: prior },
      { jobId: d.id, attempts: Math.max(1, total - prior), delay: Math.max(0, Math.round(delayMs)) },
    );
  }

  /** A retry (or a swept or manually retried delivery): one attempt; BullMQ's backoff and attempts around it. */
  private async createJob(job: Job<DeliveryJob>, token?: string) {
    const [delivery] = await this.claims.submit([job.data.deliveryId]);
    if (!delivery) return 'not pending';
    const outcome = await this.attempt(delivery, (permanent) => permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    if (outcome.kind === 'delivered') return 'delivered';
    if (outcome.kind === 'already') return 'delivered by another attempt';
    if (outcome.kind === 'failed') throw outcome.error.permanent ? new UnrecoverableError(outcome.error.message) : outcome.error;
    if (!outcome.concurrent) {
      // Come back without using up the job's attempts.
      await job.moveToDelayed(outcome.untilMs, token);
      throw new DelayedError();
    }
    // The other run records the outcome. The job waits (rather than completes, which would let the
    // sweeper send the row again meanwhile) and then finds it DELIVERED, or adopts what the other
    // run sent if that one died. With a lapsed lock the job may be the other run's: then leave it.
    this.log.warn({ deliveryId: delivery.id }, outcome.message);
    try {
      await job.moveToDelayed(outcome.untilMs, token);
    } catch {
      return 'left to the other attempt';
    }
    throw new DelayedError();
  }

  /** One try of a delivery's create, recorded; never throws. `isFinal` says whether a failure is the last try. */
  private async attempt(delivery: DeliveryRow, isFinal: (permanent: boolean) => boolean): Promise<Attempt> {
    const adapter = this.options.registry[delivery.type];
    try {
      const slot = this.slots[delivery.type];
      const result = await slot.run(async () => adapter.create(await this.context(delivery, slot)));
      const recorded = await this.delivered.submit({
        id: delivery.id,
        externalId: result.externalId,
        externalUrl: result.externalUrl,
        metadata: result.metadata ?? delivery.metadata,
      });
      if (!recorded) return { kind: 'already' };
      recordDelivery(delivery.type, 'delivered', { caseCreatedAt: delivery.escalation.createdAt });
      return { kind: 'delivered' };
    } catch (err) {
      if (err instanceof SettleWait || err instanceof ConcurrentAttempt) {
        // Not a try at the helpdesk: give the attempt back.
        await giveBackAttempt(this.sql, delivery.id).catch(() => {});
        const concurrent = err instanceof ConcurrentAttempt;
        const untilMs = concurrent ? Date.now() + this.options.requestTimeoutMs + 1000 : (err as SettleWait).untilMs;
        return { kind: 'wait', untilMs, concurrent, message: err.message };
      }
      const error = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message ?? String(err), err instanceof UnrecoverableError);
      const final = isFinal(error.permanent);
      try {
        await recordFailure(this.sql, delivery, error.message, final);
      } catch (dbErr) {
        // Not recorded (Postgres away): the row stays PENDING, so this is not the end of it either way.
        this.log.warn({ deliveryId: delivery.id, err: (dbErr as Error).message }, 'could not record a failed attempt');
        return { kind: 'failed', error: new DeliveryError(error.message, false, error.retryAfterMs, error.status), final: false };
      }
      recordDelivery(delivery.type, final ? 'failed' : 'retry', { err: error });
      this.log.warn(
        { deliveryId: delivery.id, integration: delivery.type, attempt: delivery.attempts, final, err: head(error.message, 2000) },
        'delivery attempt failed',
      );
      return { kind: 'failed', error, final };
    }
  }

  /**
   * Pushes the case's timeline to one helpdesk in order. A job names the newest event it was made for;
   * it sends every event after the delivery's cursor up to that one, under a per-delivery lock, so two
   * jobs never interleave and an event missed during a Redis outage goes out with the next one.
   */
  private async update(job: Job<DeliveryJob>, delivery: DeliveryRow, token?: string) {
    if (delivery.status === 'FAILED' || delivery.status === 'SKIPPED') return 'skipped';
    // The create is still on its way (retrying, or waiting for Redis), or another job holds the
    // delivery: wait without using up this update's attempts.
    const later = async (ms: number) => {
      await job.moveToDelayed(Date.now() + ms, token);
      return new DelayedError();
    };
    if (delivery.status !== 'DELIVERED') throw await later(this.options.backoff.baseDelayMs);
    const lock = `reva:delivery-sync:${delivery.id}`;
    const owner = `${process.pid}:${job.id}`;
    const lockMs = UPDATES_PER_JOB * 2 * this.options.requestTimeoutMs + 5_000;
    if ((await this.connection.set(lock, owner, 'PX', lockMs, 'NX')) !== 'OK') throw await later(100 + Math.random() * 200);
    try {
      const { syncedEventId, metadata } = await this.db.escalationIntegration.findUniqueOrThrow({
        where: { id: delivery.id },
        select: { syncedEventId: true, metadata: true },
      });
      // What the previous holder of the lock saved (a Slack reply marker, …), not what was read before it.
      delivery.metadata = metadata;
      const echo = echoSourceOf(delivery.type);
      const pending = await this.db.escalationEvent.findMany({
        where: {
          escalationId: delivery.escalationId,
          id: { gt: syncedEventId, lte: BigInt(job.data.eventId!) },
          type: { in: PUSHED_EVENT_TYPES },
          ...(echo ? { source: { not: echo } } : {}),
        },
        orderBy: { id: 'asc' },
        take: UPDATES_PER_JOB,
      });
      // In the helpdesk's slot like a create: a wait for its rate limit lends the slot (see QUEUED_JOBS_PER_SLOT).
      const slot = this.slots[delivery.type];
      await slot.run(async () => {
        const ctx = await this.context(delivery, slot);
        for (const event of pending) {
          try {
            await this.options.registry[delivery.type].update(ctx, event);
          } catch (err) {
            if (err instanceof SettleWait) throw await later(Math.max(0, err.untilMs - Date.now()));
            if (err instanceof ConcurrentAttempt) throw await later(100 + Math.random() * 200);
            if (!(err instanceof DeliveryError && err.permanent)) throw err;
            // Retrying cannot fix it: note it on the timeline and go on with the next event.
            await this.db.escalationEvent.create({
              data: {
                escalationId: delivery.escalationId,
                type: 'update_failed',
                source: delivery.type.toLowerCase(),
                data: { eventId: event.id.toString(), error: head(err.message, 2000) },
              },
            });
          }
          await this.db.escalationIntegration.update({ where: { id: delivery.id }, data: { syncedEventId: event.id } });
        }
      });
      if (pending.length === UPDATES_PER_JOB) throw await later(0);
      return pending.length ? 'updated' : 'up to date';
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      this.log.warn({ deliveryId: delivery.id, eventId: job.data.eventId, err: (err as Error).message }, 'update delivery failed');
      throw err;
    } finally {
      await this.connection.eval(RELEASE_LOCK, 1, lock, owner);
    }
  }
}
