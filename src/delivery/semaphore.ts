/** At most `limit` tasks at once; the others wait their turn, first come first served. */
export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Every slot taken: a task run now would wait for one. */
  full(): boolean {
    return this.running >= this.limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.take(false);
    try {
      return await task();
    } finally {
      this.give();
    }
  }

  /**
   * For a task inside run(): lends its slot to the others while `wait` runs (a wait that uses none of
   * the capacity the slot stands for, e.g. for a helpdesk's rate limit), then takes one back, ahead
   * of tasks that have not started yet (it may hold a turn that others wait behind).
   */
  async aside<T>(wait: () => Promise<T>): Promise<T> {
    this.give();
    try {
      return await wait();
    } finally {
      await this.take(true);
    }
  }

  private async take(first: boolean): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => (first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
  }

  /** The slot passes straight to the next in line (running stays the same), or is freed. */
  private give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
