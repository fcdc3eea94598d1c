import type { Server } from 'node:http';

export interface ForegroundOptions {
  /** Requests in flight from which the API counts as busy. */
  busyAt: number;
  /** Longest a delivery waits for the API to calm down; then it goes on regardless. */
  maxWaitMs: number;
}

export const DEFAULT_FOREGROUND: ForegroundOptions = { busyAt: 4, maxWaitMs: 2000 };

/**
 * With the API and the workers in one process (ROLE=all), requests come first. While the API has
 * `busyAt` or more requests in flight, a delivery that would run beside others waits for it to
 * calm down (at most `maxWaitMs`): a burst of POSTs is answered at the speed of the accept path, and
 * the queued deliveries catch up after it. One delivery always goes on, so a steady overload slows
 * deliveries but never stops them. With the API in its own process nothing here is used.
 */
export class Foreground {
  private inFlight = 0;
  /** Deliveries past the gate, running. */
  private active = 0;
  /** Deliveries waiting at the gate, oldest first. */
  private readonly waiting: (() => void)[] = [];
  private readonly options: ForegroundOptions;

  constructor(options: Partial<ForegroundOptions> = {}) {
    this.options = { ...DEFAULT_FOREGROUND, ...options };
  }

  /** Counts the server's requests from arrival until their response is sent or the client left. */
  track(server: Server): void {
    server.on('request', (_req, res) => {
      this.inFlight++;
      res.once('close', () => this.left());
    });
  }

  get busy(): boolean {
    return this.inFlight >= this.options.busyAt;
  }

  /** Runs a delivery: at once if none is running or the API is not busy, else when one of those holds. */
  async run<T>(delivery: () => Promise<T>): Promise<T> {
    if (this.active > 0 && this.busy) await this.wait();
    this.active++;
    try {
      return await delivery();
    } finally {
      this.active--;
      // The floor: with nothing running, the oldest waiting delivery goes.
      if (this.active === 0) this.waiting[0]?.();
    }
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, this.options.maxWaitMs);
      this.waiting.push(done);
    });
  }

  private left(): void {
    this.inFlight--;
    if (!this.busy) for (const done of [...this.waiting]) done();
  }
}
