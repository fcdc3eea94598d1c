import type { FastifyBaseLogger } from 'fastify';

export type Dependency = 'database' | 'redis';
export const DEPENDENCIES: readonly Dependency[] = ['database', 'redis'];

/** What a check found: answered, answered nothing in time (stalled), or refused/failed (down). */
export type CheckResult = 'ok' | 'timeout' | 'down';
export type Checks = Record<Dependency, CheckResult>;

export interface MonitorOptions {
  /** A probe that has not answered within this counts as 'timeout' (/ready must answer within a second). */
  probeTimeoutMs: number;
  /** How often the dependencies are probed in the background; 0 turns it off. */
  intervalMs: number;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = { probeTimeoutMs: 600, intervalMs: 1000 };

/**
 * Resolves `value` after `ms`, then one more turn of the event loop: when the loop itself was blocked
 * (a large body parsed), an answer already waiting on the socket is read first and wins the race, so
 * a busy process is not mistaken for a stalled dependency.
 */
const afterPendingIo = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => setImmediate(() => resolve(value)), ms).unref());

/** Slow answers in a row before a dependency counts as stalled (one may be a busy moment). */
const TIMEOUTS_TO_STALL = 2;

/**
 * Knows whether Postgres and Redis answer, from a probe every second (and on demand). Requests that
 * need an unavailable dependency are answered 503 at once instead of waiting for its timeouts; the
 * log gets one line when a dependency goes away and one when it is back, not a stack per request.
 * A refusal counts at once; a probe without an answer counts once it happens twice in a row.
 */
export class DependencyMonitor {
  private readonly available: Record<Dependency, boolean> = { database: true, redis: true };
  private readonly timeoutsInARow: Record<Dependency, number> = { database: 0, redis: 0 };
  private readonly running = new Map<Dependency, Promise<CheckResult>>();
  private timer?: NodeJS.Timeout;
  private readonly options: MonitorOptions;

  constructor(
    private readonly probes: Record<Dependency, () => Promise<unknown>>,
    private readonly log: FastifyBaseLogger,
    options: Partial<MonitorOptions> = {},
  ) {
    this.options = { ...DEFAULT_MONITOR_OPTIONS, ...options };
  }

  start() {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** What the probes have established, without probing. */
  isAvailable(dependency: Dependency): boolean {
    return this.available[dependency];
  }

  /** Probes (joining a probe already running) and answers within the probe timeout. */
  check(dependency: Dependency): Promise<CheckResult> {
    let probe = this.running.get(dependency);
    if (!probe) {
      probe = Promise.race([
        this.probes[dependency]().then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        afterPendingIo(this.options.probeTimeoutMs, 'timeout' as const),
      ]).then((result) => {
        this.running.delete(dependency);
        this.record(dependency, result);
        return result;
      });
      this.running.set(dependency, probe);
    }
    return probe;
  }

  async checkAll(): Promise<Checks> {
    const [database, redis] = await Promise.all(DEPENDENCIES.map((d) => this.check(d)));
    return { database: database!, redis: redis! };
  }

  /** After an unexpected error: the dependency that is unavailable right now, if any (probed afresh). */
  async unavailable(): Promise<Dependency | undefined> {
    const checks = await this.checkAll();
    return DEPENDENCIES.find((d) => checks[d] !== 'ok');
  }

  private record(dependency: Dependency, result: CheckResult) {
    this.timeoutsInARow[dependency] = result === 'timeout' ? this.timeoutsInARow[dependency] + 1 : 0;
    const before = this.available[dependency];
    const now = result === 'ok' || (result === 'timeout' && this.timeoutsInARow[dependency] < TIMEOUTS_TO_STALL && before);
    this.available[dependency] = now;
    if (before && !now) this.log.error({ dependency, check: result }, `${dependency} unavailable (${result}): answering 503`);
    else if (!before && now) this.log.info({ dependency }, `${dependency} available again`);
  }
}
