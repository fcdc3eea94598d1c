/**
 * Group commit: items submitted while a statement is running go together into the next one, and
 * each caller gets its own result once that statement has committed. Under load one round trip and
 * one commit serve many requests; alone, an item is sent at once. A batch the database refuses for
 * its data (one item's bad value or constraint) is tried again item by item, so only that item fails;
 * any other failure (connection, timeout) fails the batch.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 256,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
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
        const batch = this.queue.splice(0, this.maxBatch);
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
