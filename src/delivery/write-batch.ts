import { type Pending, StatementBatcher } from './statement-batch.ts';

type Write<I> = Pending<boolean> & { item: I };

/**
 * Groups writes of different rows made at about the same time into one statement (group commit):
 * the deliveries of a case, and of the cases in flight, mark their progress and record their outcome
 * within milliseconds of each other, and one statement with its one commit costs Postgres and the
 * worker a fraction of one per row. A write waits for the next turn of the event loop, or the window
 * it was built with (statement-batch.ts), while fewer than `maxInFlight` batches are out; a busy one sends bigger
 * batches. A batch holds a row once: a second write of the same row goes in a later batch (only two
 * runs of one delivery do that, and their writes are compare-and-set). If a batch fails, each of its
 * writes is tried on its own, so one bad row (say, text Postgres refuses) fails only its own caller.
 */
export class WriteBatcher<I extends { id: string }> extends StatementBatcher<Write<I>> {
  /** `write` returns the ids of the rows it changed (a row whose condition did not hold is left out). */
  constructor(
    private readonly write: (items: I[]) => Promise<Set<string>>,
    maxInFlight = 2,
    private readonly maxBatch = 256,
    windowMs = 0,
  ) {
    super(maxInFlight, windowMs);
  }

  /** Whether the row was changed. */
  submit(item: I): Promise<boolean> {
    return new Promise((resolve, reject) => this.enqueue({ item, resolve, reject }));
  }

  protected take(queue: readonly Write<I>[]) {
    const ids = new Set<string>();
    const batch: Write<I>[] = [];
    const rest: Write<I>[] = [];
    for (const entry of queue) {
      if (batch.length < this.maxBatch && !ids.has(entry.item.id)) {
        ids.add(entry.item.id);
        batch.push(entry);
      } else rest.push(entry);
    }
    return { batch, rest };
  }

  protected async execute(batch: Write<I>[]) {
    const changed = await this.write(batch.map((e) => e.item));
    for (const e of batch) e.resolve(changed.has(e.item.id));
  }
}
