import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/delivery/write-batch.ts';

interface Write {
  id: string;
  bad?: boolean;
}

/** A write that records its batches, changes every row but those named in `unchanged`, and refuses a batch holding a bad row. */
function recorder(unchanged: string[] = []) {
  const batches: string[][] = [];
  const write = async (items: Write[]) => {
    batches.push(items.map((i) => i.id));
    await new Promise((r) => setTimeout(r, 5));
    if (items.some((i) => i.bad)) throw new Error('refused');
    return new Set(items.map((i) => i.id).filter((id) => !unchanged.includes(id)));
  };
  return { batches, write };
}

describe('WriteBatcher', () => {
  it('sends the writes made in one turn as one batch, and tells each caller whether its row changed', async () => {
    const { batches, write } = recorder(['b']);
    const batcher = new WriteBatcher<Write>(write);
    const results = await Promise.all([batcher.submit({ id: 'a' }), batcher.submit({ id: 'b' }), batcher.submit({ id: 'c' })]);
    expect(results).toEqual([true, false, true]);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('puts a second write of the same row in a later batch', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher<Write>(write);
    await Promise.all([batcher.submit({ id: 'a' }), batcher.submit({ id: 'a' }), batcher.submit({ id: 'b' })]);
    expect(batches).toEqual([['a', 'b'], ['a']]);
  });

  it('holds writes while the batches in flight are at the limit, then sends them together', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher<Write>(write, 1);
    const first = batcher.submit({ id: 'a' });
    await new Promise((r) => setImmediate(r));
    const later = [batcher.submit({ id: 'b' }), batcher.submit({ id: 'c' })];
    await Promise.all([first, ...later]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('with a window, a write waits that long for writes that come a little later (a Redis round trip)', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher<Write>(write, 2, 256, 20);
    const first = batcher.submit({ id: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    const second = batcher.submit({ id: 'b' });
    await Promise.all([first, second]);
    expect(batches).toEqual([['a', 'b']]);
    // Without one, the turn of the event loop is all it waits.
    const turn = recorder();
    const eager = new WriteBatcher<Write>(turn.write);
    const early = eager.submit({ id: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([early, eager.submit({ id: 'b' })]);
    expect(turn.batches).toEqual([['a'], ['b']]);
  });

  it('fails only the caller of a bad row: a refused batch is tried again one write at a time', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher<Write>(write);
    const results = await Promise.allSettled([batcher.submit({ id: 'a' }), batcher.submit({ id: 'b', bad: true }), batcher.submit({ id: 'c' })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(batches).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
  });
});
