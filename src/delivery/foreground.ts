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
 * `busyAt` or more requests in flight, a delivery that would run beside others waits (at most
 * `maxWaitMs`) for it to calm down: a burst of POSTs is answered at the speed of the accept path, and
 * the queued deliveries catch up after it. One delivery always goes on, so a steady overload slows
 * deliveries but never stops them. With the API in its own process nothing here is used.
 */
export class Foreground {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();
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

  /** Resolves at once unless the API is busy and `othersRunning`; then when it calms down or after maxWaitMs. */
  async turn(othersRunning: boolean): Promise<void> {
    if (!othersRunning || !this.busy) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.options.maxWaitMs);
      this.waiting.add(done);
    });
  }

  private left(): void {
    this.inFlight--;
    if (!this.busy) for (const done of [...this.waiting]) done();
  }
}
