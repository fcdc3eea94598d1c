import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/delivery/semaphore.ts';

const tick = () => new Promise((r) => setImmediate(r));

/** A promise with its resolve, to hold a task where the test wants it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('Semaphore', () => {
  it('is full while every slot runs a task, not while a task lends its slot for a wait', async () => {
    const s = new Semaphore(1);
    expect(s.full()).toBe(false);
    const work = gate();
    const wait = gate();
    const running = s.run(async () => {
      await work.opened;
      await s.aside(() => wait.opened);
    });
    await tick();
    expect(s.full()).toBe(true);
    work.open();
    await tick();
    expect(s.full()).toBe(false);
    wait.open();
    await running;
    expect(s.full()).toBe(false);
  });

  it('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const s = new Semaphore(2);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      s.run(async () => {
        started.push(i);
        await g.opened;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('aside(): the slot goes to a waiting task during the wait, and comes back before tasks not yet started', async () => {
    const s = new Semaphore(1);
    const log: string[] = [];
    const wait = gate();
    const b = gate();
    const a = s.run(async () => {
      log.push('a starts');
      await s.aside(() => wait.opened);
      log.push('a goes on');
    });
    await tick();
    const bRun = s.run(async () => {
      log.push('b runs');
      await b.opened;
    });
    const cRun = s.run(async () => void log.push('c runs'));
    await tick();
    // a waits aside: b has its slot; c still waits.
    expect(log).toEqual(['a starts', 'b runs']);
    wait.open();
    await tick();
    expect(log).toEqual(['a starts', 'b runs']);
    b.open();
    await Promise.all([a, bRun, cRun]);
    // a, back from its wait, goes before c, which had not started.
    expect(log).toEqual(['a starts', 'b runs', 'a goes on', 'c runs']);
  });

  it('aside() takes a slot back even when the wait throws, and the error reaches the task', async () => {
    const s = new Semaphore(1);
    await expect(s.run(() => s.aside(() => Promise.reject(new Error('gave up'))))).rejects.toThrow('gave up');
    // Exactly one slot again: a second task waits while the first holds it.
    const started: number[] = [];
    const hold = gate();
    const first = s.run(async () => {
      started.push(1);
      await hold.opened;
    });
    const second = s.run(async () => void started.push(2));
    await tick();
    expect(started).toEqual([1]);
    hold.open();
    await Promise.all([first, second]);
    expect(started).toEqual([1, 2]);
  });
});
