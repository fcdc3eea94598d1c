import { type Pending, StatementBatcher } from './statement-batch.ts';

type Claim<R> = Pending<R[]> & { ids: string[] };

/**
 * Claims of cases (and of retried deliveries) that start at about the same time share one statement:
 * a claim is a round trip and a commit of its own, which cost Postgres and the worker more than the
 * rows it touches. Scheduled like WriteBatcher (statement-batch.ts), so a quiet worker adds no delay.
 * A delivery is in one claim of a batch at most (two runs of one delivery must not share the row object
 * they mutate), and a batch that fails is tried claim by claim, so one bad claim fails alone.
 */
export class ClaimBatcher<R extends { id: string }> extends StatementBatcher<Claim<R>> {
  /** `claim` returns the rows it claimed among `ids` (those no longer claimable are left out). */
  constructor(
    private readonly claim: (ids: string[]) => Promise<R[]>,
    maxInFlight = 2,
    private readonly maxIds = 192,
  ) {
    super(maxInFlight);
  }

  /** The claimed rows among `ids`. */
  submit(ids: string[]): Promise<R[]> {
    return new Promise((resolve, reject) => this.enqueue({ ids, resolve, reject }));
  }

  protected take(queue: readonly Claim<R>[]) {
    const taken = new Set<string>();
    const batch: Claim<R>[] = [];
    const rest: Claim<R>[] = [];
    for (const entry of queue) {
      const fits = batch.length === 0 || taken.size + entry.ids.length <= this.maxIds;
      if (fits && !entry.ids.some((id) => taken.has(id))) {
        for (const id of entry.ids) taken.add(id);
        batch.push(entry);
      } else rest.push(entry);
    }
    return { batch, rest };
  }

  protected async execute(batch: Claim<R>[]) {
    const rows = await this.claim(batch.flatMap((e) => e.ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const e of batch) e.resolve(e.ids.flatMap((id) => byId.get(id) ?? []));
  }
}
