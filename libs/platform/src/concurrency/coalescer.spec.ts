import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('handles the first item at once and groups those that arrive meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const coalescer = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.map((item) => item * 10);
      },
      { maxBatch: 100, maxConcurrent: 1 },
    );
    const first = coalescer.submit(1);
    const rest = [2, 3, 4].map((item) => coalescer.submit(item));
    release();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('respects the batch size and rejects every item of a failed batch', async () => {
    const sizes: number[] = [];
    const coalescer = new Coalescer<number, number>(
      async (items) => {
        sizes.push(items.length);
        if (items.includes(13)) throw new Error('unlucky');
        return items;
      },
      { maxBatch: 2, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3, 13, 5].map((item) => coalescer.submit(item)));
    // Batches: [1] at once, then [2, 3] and [13, 5]: the batch holding 13 fails as a whole.
    expect(sizes).toEqual([1, 2, 2]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    await coalescer.idle();
  });

  it('with gatherTurn, sends a burst submitted in one turn of the event loop as one batch, even when idle', async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        return items.map((item) => -item);
      },
      { maxBatch: 3, maxConcurrent: 4, gatherTurn: true },
    );
    const burst = [1, 2, 3, 4].map((item) => coalescer.submit(item));
    expect(batches).toEqual([]);
    expect(await Promise.all(burst)).toEqual([-1, -2, -3, -4]);
    expect(await coalescer.submit(5)).toBe(-5);
    expect(batches).toEqual([[1, 2, 3], [4], [5]]);
    await coalescer.idle();
  });

  it('with gatherTurn, idle() waits for items still gathering', async () => {
    const handled: number[] = [];
    const coalescer = new Coalescer<number, void>(
      async (items) => {
        handled.push(...items);
        return items.map(() => undefined);
      },
      { maxBatch: 10, maxConcurrent: 1, gatherTurn: true },
    );
    void coalescer.submit(7);
    await coalescer.idle();
    expect(handled).toEqual([7]);
  });
});
