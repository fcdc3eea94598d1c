/**
 * How big a batch may grow besides its count: `of` weighs an item (the characters it adds to the
 * statement), and a batch stops before the item that would take it past `max` (its first item always goes).
 */
export interface BatchWeight<T> {
  of: (item: T) => number;
  max: number;
}

interface Queued<T, R> {
  item: T;
  weight: number;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items submitted while a statement is running go together into the next one, and
 * each caller gets its own result once that statement has committed. Under load one round trip and
 * one commit serve many requests; alone, an item is sent at once. A batch the database refuses for
 * its data (one item's bad value or constraint) is tried again item by item, so only that item fails;
 * any other failure (connection, timeout) fails the batch.
 */
export class GroupCommit<T, R> {
  private queue: Queued<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 256,
    /**
     * Without it a batch is capped by count only, which suits small items. Items that can be
     * megabytes each (a whole conversation) need it: 256 of them in one statement would make a
     * parameter past what V8 can hold in one string (~512 M characters) or Postgres in one value (1 GB),
     * and every request of the batch would fail.
     */
    private readonly weight?: BatchWeight<T>,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, weight: this.weight ? this.weight.of(item) : 0, resolve, reject });
      this.schedule();
    });
  }

  /** The next batch: up to maxBatch items, and up to the weight limit if there is one. */
  private take(): Queued<T, R>[] {
    let n = Math.min(this.queue.length, this.maxBatch);
    if (this.weight) {
      let total = this.queue[0]!.weight;
      for (let i = 1; i < n; i++) {
        total += this.queue[i]!.weight;
        if (total > this.weight.max) {
          n = i;
          break;
        }
      }
    }
    return this.queue.splice(0, n);
  }

  /**
   * A free statement slot leaves on process.nextTick, once the microtasks queued with this item have
   * run: the requests one event let go on (a turn's batch of detections) submit theirs in one run of
   * microtasks, and they share the statement instead of the first going alone.
   */
  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    process.nextTick(() => {
      this.scheduled = false;
      if (this.inFlight < this.maxInFlight && this.queue.length > 0) void this.flush();
    });
  }

  private async flush() {
    this.inFlight++;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          const results = await this.run(batch.map((b) => b.item));
          for (const [i, b] of batch.entries()) b.resolve(results[i]!);
        } catch (err) {
          if (batch.length > 1 && isDataError(err)) await Promise.all(batch.map((b) => this.run([b.item]).then((r) => b.resolve(r[0]!), b.reject)));
          else for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.inFlight--;
    }
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the statement's input, not the database. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
