/**
 * Claims of cases (and of retried deliveries) that start at about the same time share one statement:
 * a claim is a round trip and a commit of its own, which cost Postgres and the worker more than the
 * rows it touches. Like WriteBatcher (src/delivery/write-batch.ts): a claim waits at most for the next
 * turn of the event loop while fewer than `maxInFlight` statements are out, so a quiet worker adds no
 * delay. A delivery is in one claim of a batch at most (two runs of one delivery must not share the row
 * object they mutate), and a batch that fails is tried claim by claim, so one bad claim fails alone.
 */
export class ClaimBatcher<R extends { id: string }> {
  private queue: { ids: string[]; resolve: (rows: R[]) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `claim` returns the rows it claimed among `ids` (those no longer claimable are left out). */
  constructor(
    private readonly claim: (ids: string[]) => Promise<R[]>,
    private readonly maxInFlight = 2,
    private readonly maxIds = 192,
  ) {}

  /** The claimed rows among `ids`. */
  submit(ids: string[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ids, resolve, reject });
      this.schedule();
    });
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
      const taken = new Set<string>();
      const batch: typeof this.queue = [];
      const rest: typeof this.queue = [];
      for (const entry of this.queue) {
        const fits = batch.length === 0 || taken.size + entry.ids.length <= this.maxIds;
        if (fits && !entry.ids.some((id) => taken.has(id))) {
          for (const id of entry.ids) taken.add(id);
          batch.push(entry);
        } else rest.push(entry);
      }
      this.queue = rest;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async run(batch: typeof this.queue) {
    try {
      const rows = await this.claim(batch.flatMap((e) => e.ids));
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const e of batch) e.resolve(e.ids.flatMap((id) => byId.get(id) ?? []));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(batch.map((e) => this.run([e])));
    }
  }
}
