import { MicroBatcher } from './micro-batcher';

describe(MicroBatcher.name, () => {
  it('handles the items in flight together, and settles each when its batch is done', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number>({
      maxWaitMs: 10,
      handleBatch: (items) => {
        batches.push([...items]);
        return Promise.resolve();
      },
      handleOne: () => Promise.reject(new Error('not expected')),
    });
    await Promise.all([1, 2, 3].map((n) => sut.add(n)));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxSize without waiting', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number>({
      maxSize: 2,
      maxWaitMs: 10_000,
      handleBatch: (items) => {
        batches.push([...items]);
        return Promise.resolve();
      },
      handleOne: () => Promise.resolve(),
    });
    await Promise.all([1, 2, 3, 4].map((n) => sut.add(n)));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const single: number[] = [];
    const sut = new MicroBatcher<number>({
      handleBatch: () => Promise.reject(new Error('batch failed')),
      handleOne: (n) => {
        single.push(n);
        return n === 2 ? Promise.reject(new Error('bad item')) : Promise.resolve();
      },
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => sut.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad item'));
    expect(single).toEqual([1, 2, 3]);
  });

  it('rejects a lone item with the batch error, without handling it twice', async () => {
    let calls = 0;
    const sut = new MicroBatcher<number>({
      handleBatch: () => {
        calls += 1;
        return Promise.reject(new Error('down'));
      },
      handleOne: () => {
        calls += 1;
        return Promise.resolve();
      },
    });
    await expect(sut.add(1)).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});
