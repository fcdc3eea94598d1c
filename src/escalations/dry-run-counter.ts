/** One flush: how many dry runs a store made on a channel within one second. */
export interface DryRunCount {
  storeId: string;
  channel: string;
  /** The start of that second. */
  at: Date;
  n: number;
}

/** Past this many distinct (store, channel, second) counts waiting for a database that is away, new ones are dropped. */
const MAX_PENDING = 100_000;

/**
 * Dry runs (POST /escalations/evaluate) are counted in memory and written once a second in one
 * statement, not per request: they feed only the evaluated count of the analytics. The price is
 * that a crash loses at most the last second's dry-run counts (a count, never a case); a clean
 * shutdown writes them (close), and a failed write is tried again at the next tick.
 */
export class DryRunCounter {
  private pending = new Map<string, DryRunCount>();
  private writing: Promise<void> | undefined;
  /** Failed writes in a row: an outage is reported once, not every second. */
  private failures = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly write: (counts: DryRunCount[]) => Promise<unknown>,
    private readonly onError: (err: unknown, dropped: number) => void,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  count(storeId: string, channel: string, now = Date.now()) {
    const second = now - (now % 1000);
    const key = `${storeId} ${channel} ${second}`;
    const hit = this.pending.get(key);
    if (hit) hit.n++;
    else if (this.pending.size < MAX_PENDING) this.pending.set(key, { storeId, channel, at: new Date(second), n: 1 });
    else this.onError(new Error('too many dry-run counts waiting for the database'), 1);
  }

  /** Writes what was counted so far; resolves once written (or put back after a failure). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.write([...batch.values()]).then(
      () => {
        this.failures = 0;
      },
      (err) => {
        this.failures++;
        let dropped = 0;
        for (const [key, count] of batch) {
          const hit = this.pending.get(key);
          if (hit) hit.n += count.n;
          else if (this.pending.size < MAX_PENDING) this.pending.set(key, count);
          else dropped += count.n;
        }
        if (this.failures === 1 || dropped > 0) this.onError(err, dropped);
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Stops the timer and writes the rest (a clean shutdown loses no count). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
