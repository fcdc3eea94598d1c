import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/escalations/group-commit.ts';

/** A statement runner that records its batches and refuses the ones holding a "bad" item as Postgres would. */
function runner(failure: { code: string } | Error) {
  const batches: string[][] = [];
  let release: () => void = () => {};
  const firstRunning = new Promise<void>((resolve) => {
    release = resolve;
  });
  const run = async (items: string[]) => {
    batches.push(items);
    if (batches.length === 1) await firstRunning;
    if (items.includes('bad')) throw Object.assign(failure instanceof Error ? failure : new Error('refused'), failure);
    return items.map((i) => `${i}!`);
  };
  return { run, batches, release: () => release() };
}

/** Lets the statement of what was submitted so far leave (it does on process.nextTick). */
const sent = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends the items submitted together (by handlers one event let go on) in one statement', async () => {
    const r = runner({ code: '22P05' });
    r.release();
    const gc = new GroupCommit(r.run, 1);
    let letGo!: () => void;
    const event = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    // Each handler takes a different number of steps after the event before it submits.
    const handlers = ['x', 'y', 'z'].map(async (item, steps) => {
      await event;
      for (let i = 0; i < steps * 3; i++) await Promise.resolve();
      return gc.submit(item);
    });
    letGo();
    expect(await Promise.all(handlers)).toEqual(['x!', 'y!', 'z!']);
    expect(r.batches).toEqual([['x', 'y', 'z']]);
  });

  it('sends the items submitted while a statement runs together, each caller getting its own result', async () => {
    const r = runner({ code: '22P05' });
    const gc = new GroupCommit(r.run, 1);
    const first = gc.submit('a');
    await sent();
    const rest = ['b', 'c', 'd'].map((i) => gc.submit(i));
    r.release();
    expect(await Promise.all([first, ...rest])).toEqual(['a!', 'b!', 'c!', 'd!']);
    expect(r.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('tries a batch the database refused for its data again item by item: only the bad item fails', async () => {
    const r = runner({ code: '22P05' });
    const gc = new GroupCommit(r.run, 1);
    const first = gc.submit('a');
    await sent();
    const rest = ['b', 'bad', 'c'].map((i) => gc.submit(i).catch((err: { code: string }) => `failed ${err.code}`));
    r.release();
    expect(await Promise.all([first, ...rest])).toEqual(['a!', 'b!', 'failed 22P05', 'c!']);
    expect(r.batches.slice(1, 2)).toEqual([['b', 'bad', 'c']]);
    expect(r.batches.slice(2).sort()).toEqual([['b'], ['bad'], ['c']]);
  });

  it('fails the whole batch on any other error, without sending it again', async () => {
    const r = runner(new Error('Connection terminated unexpectedly'));
    const gc = new GroupCommit(r.run, 1);
    const first = gc.submit('a');
    await sent();
    const rest = ['b', 'bad'].map((i) => gc.submit(i).catch((err: Error) => err.message));
    r.release();
    expect(await Promise.all([first, ...rest])).toEqual(['a!', 'Connection terminated unexpectedly', 'Connection terminated unexpectedly']);
    expect(r.batches).toHaveLength(2);
  });

  it('caps a batch by weight as well as by count: a heavy batch is split, its first item always goes', async () => {
    const r = runner({ code: '22P05' });
    // Weights are the items' lengths; a batch holds up to 10 of them and 4 items.
    const gc = new GroupCommit(r.run, 1, 4, { of: (item: string) => item.length, max: 10 });
    const first = gc.submit('a');
    await sent();
    const rest = ['bbbb', 'cccc', 'dd', 'eeeeeeeeeeee', 'f', 'g', 'h', 'i', 'j'].map((i) => gc.submit(i));
    r.release();
    expect(await Promise.all([first, ...rest])).toEqual(['a!', 'bbbb!', 'cccc!', 'dd!', 'eeeeeeeeeeee!', 'f!', 'g!', 'h!', 'i!', 'j!']);
    // 4+4+2 = 10 fits; twelve alone is over the cap but goes (a batch is never empty); then the count caps at 4.
    expect(r.batches).toEqual([['a'], ['bbbb', 'cccc', 'dd'], ['eeeeeeeeeeee'], ['f', 'g', 'h', 'i'], ['j']]);
  });
});
