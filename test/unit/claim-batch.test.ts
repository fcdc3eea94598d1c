import { describe, expect, it } from 'vitest';
import { ClaimBatcher } from '../../src/delivery/claim-batch.ts';

/** A claim that records its batches, claims every id but those named in `taken`, and refuses a batch holding 'bad'. */
function recorder(taken: string[] = []) {
  const batches: string[][] = [];
  const claim = async (ids: string[]) => {
    batches.push(ids);
    await new Promise((r) => setTimeout(r, 5));
    if (ids.includes('bad')) throw new Error('refused');
    return ids.filter((id) => !taken.includes(id)).map((id) => ({ id }));
  };
  return { batches, claim };
}

describe('ClaimBatcher', () => {
  it('sends the claims made in one turn as one statement, and gives each caller its own claimed rows', async () => {
    const { batches, claim } = recorder(['b2']);
    const batcher = new ClaimBatcher(claim);
    const results = await Promise.all([batcher.submit(['a1', 'a2']), batcher.submit(['b1', 'b2']), batcher.submit(['c1'])]);
    expect(results).toEqual([[{ id: 'a1' }, { id: 'a2' }], [{ id: 'b1' }], [{ id: 'c1' }]]);
    expect(batches).toEqual([['a1', 'a2', 'b1', 'b2', 'c1']]);
  });

  it('puts a second claim of the same delivery in a later statement (two runs never share a row)', async () => {
    const { batches, claim } = recorder();
    const batcher = new ClaimBatcher(claim);
    const [first, second] = await Promise.all([batcher.submit(['a']), batcher.submit(['a']), batcher.submit(['b'])]);
    expect(first).not.toBe(second);
    expect(batches).toEqual([['a', 'b'], ['a']]);
  });

  it('holds claims while the statements in flight are at the limit, and keeps a statement under its size', async () => {
    const { batches, claim } = recorder();
    const batcher = new ClaimBatcher(claim, 1, 3);
    const first = batcher.submit(['a']);
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, batcher.submit(['b1', 'b2']), batcher.submit(['c']), batcher.submit(['d1', 'd2'])]);
    expect(batches).toEqual([['a'], ['b1', 'b2', 'c'], ['d1', 'd2']]);
  });

  it('fails only the caller of a bad claim: a refused statement is tried again claim by claim', async () => {
    const { batches, claim } = recorder();
    const batcher = new ClaimBatcher(claim);
    const results = await Promise.allSettled([batcher.submit(['a']), batcher.submit(['bad']), batcher.submit(['c'])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
