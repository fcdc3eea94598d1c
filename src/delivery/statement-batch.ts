/**
 * The scheduling both batchers share (WriteBatcher, ClaimBatcher): entries submitted at about the same
 * time go out as one statement. An entry waits at most for the next turn of the event loop while fewer
 * than `maxInFlight` statements are out, so a quiet worker adds no delay and a busy one sends bigger
 * batches. If a batch fails, each of its entries is tried on its own, so one bad entry fails alone.
 */
export interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

export abstract class StatementBatcher<E extends Pending<never>> {
  private queue: E[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly maxInFlight: number) {}

  /** Splits the queue into the next batch and what waits for a later one. */
  protected abstract take(queue: readonly E[]): { batch: E[]; rest: E[] };
  /** Runs one batch as one statement and settles each of its entries. */
  protected abstract execute(batch: E[]): Promise<void>;

  protected enqueue(entry: E): void {
    this.queue.push(entry);
    this.schedule();
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const { batch, rest } = this.take(this.queue);
      this.queue = rest;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async run(batch: E[]) {
    try {
      await this.execute(batch);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(batch.map((e) => this.run([e])));
    }
  }
}
