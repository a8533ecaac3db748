import fc from 'fast-check';
import { KeyedReadWriteLock } from './keyed-read-write-lock';
import { LockWaitTimeoutError } from './lock-wait-timeout.error';

/** A promise with its resolver outside, to hold a lock open until the test lets go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedReadWriteLock', () => {
  it('lets readers of one key share it', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const held = gate();
    let inside = 0;
    const readers = [1, 2, 3].map(() =>
      lock.read('k', async () => {
        inside += 1;
        await held.promise;
      }),
    );
    await settle();
    expect(inside).toBe(3);
    held.open();
    await Promise.all(readers);
    expect(lock.activeKeys).toBe(0);
  });

  it('makes a writer wait for the readers in flight, and only those of its key', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const reader = gate();
    const events: string[] = [];
    const read = lock.read('k', async () => {
      events.push('read-start');
      await reader.promise;
      events.push('read-end');
    });
    const other = lock.write(['other'], () => {
      events.push('other-write');
      return Promise.resolve();
    });
    const write = lock.write(['k'], () => {
      events.push('write');
      return Promise.resolve();
    });
    await other;
    await settle();
    expect(events).toEqual(['read-start', 'other-write']);
    reader.open();
    await Promise.all([read, write]);
    expect(events).toEqual(['read-start', 'other-write', 'read-end', 'write']);
  });

  it('queues readers that arrive while a writer waits behind it (the writer is not starved)', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const first = gate();
    const events: string[] = [];
    const firstRead = lock.read('k', async () => {
      await first.promise;
      events.push('first-read');
    });
    const write = lock.write(['k'], () => {
      events.push('write');
      return Promise.resolve();
    });
    const lateRead = lock.read('k', () => {
      events.push('late-read');
      return Promise.resolve();
    });
    await settle();
    expect(events).toEqual([]); // the late reader did not slip in beside the first one
    first.open();
    await Promise.all([firstRead, write, lateRead]);
    expect(events).toEqual(['first-read', 'write', 'late-read']);
  });

  it('lets the readers queued behind a writer in together, before the next writer (readers are not starved)', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const w1 = gate();
    const r = gate();
    const events: string[] = [];
    const write1 = lock.write(['k'], async () => {
      await w1.promise;
      events.push('w1');
    });
    let readersInside = 0;
    const reads = [1, 2].map((i) =>
      lock.read('k', async () => {
        readersInside += 1;
        events.push(`r${i}`);
        await r.promise;
      }),
    );
    const write2 = lock.write(['k'], () => {
      events.push('w2');
      return Promise.resolve();
    });
    w1.open();
    await write1;
    await settle();
    expect(readersInside).toBe(2);
    expect(events).toEqual(['w1', 'r1', 'r2']);
    r.open();
    await Promise.all([...reads, write2]);
    expect(events).toEqual(['w1', 'r1', 'r2', 'w2']);
  });

  it('gives up on a wait after the time limit, and the queue moves on without the one that left', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const reader = gate();
    const read = lock.read('k', () => reader.promise);
    await expect(lock.write(['k'], () => Promise.resolve('never'), 20)).rejects.toBeInstanceOf(LockWaitTimeoutError);
    // The writer that left no longer holds back new readers.
    await expect(lock.read('k', () => Promise.resolve('second'), 20)).resolves.toBe('second');
    reader.open();
    await read;
    expect(lock.activeKeys).toBe(0);
  });

  it('queues a writer of several keys on all of them at once: no new reader of any gets in while it waits', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const onA = gate();
    const onB = gate();
    const events: string[] = [];
    const readA = lock.read('a', async () => {
      await onA.promise;
      events.push('read-a');
    });
    const readB = lock.read('b', async () => {
      await onB.promise;
      events.push('read-b');
    });
    const write = lock.write(['a', 'b'], () => {
      events.push('write');
      return Promise.resolve();
    });
    // While the writer still waits for 'a', a new reader of 'b' must not start (it would make the writer wait again).
    const lateB = lock.read('b', () => {
      events.push('late-b');
      return Promise.resolve();
    });
    onB.open();
    await readB;
    await settle();
    expect(events).toEqual(['read-b']);
    onA.open();
    await Promise.all([readA, write, lateB]);
    expect(events).toEqual(['read-b', 'read-a', 'write', 'late-b']);
  });

  it('gives back the keys it got when a writer of several keys times out', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const onB = gate();
    const readB = lock.read('b', () => onB.promise);
    await expect(lock.write(['a', 'b'], () => Promise.resolve(), 20)).rejects.toBeInstanceOf(LockWaitTimeoutError);
    await expect(lock.read('a', () => Promise.resolve('a is free'), 20)).resolves.toBe('a is free');
    onB.open();
    await readB;
    expect(lock.activeKeys).toBe(0);
  });

  it('lets crossing writers of several keys through without deadlock, and releases keys on failure', async () => {
    const lock = new KeyedReadWriteLock<string>();
    const results = await Promise.all([
      lock.write(['b', 'a', 'c'], () => Promise.resolve(1)),
      lock.write(['c', 'b', 'a'], () => Promise.resolve(2)),
      lock.write(['a', 'a'], () => Promise.resolve(3)),
    ]);
    expect(results).toEqual([1, 2, 3]);
    await expect(lock.write(['x', 'y'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lock.activeKeys).toBe(0);
  });

  it('never lets a writer in beside anyone, nor readers beside a writer, and lets everyone in (property)', async () => {
    const keys = fc.subarray(['a', 'b', 'c'], { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ write: fc.boolean(), keys, ticks: fc.nat(3) }), { minLength: 1, maxLength: 25 }),
        async (operations) => {
          const lock = new KeyedReadWriteLock<string>();
          const readers = new Map<string, number>();
          const writers = new Map<string, number>();
          const finished: number[] = [];
          await Promise.all(
            operations.map(async ({ write, keys: mine, ticks }, index) => {
              // A reader holds one key; a writer any number of them.
              const held = write ? mine : mine.slice(0, 1);
              const body = async () => {
                for (const key of held) {
                  expect(writers.get(key) ?? 0).toBe(0);
                  if (write) {
                    expect(readers.get(key) ?? 0).toBe(0);
                    writers.set(key, 1);
                  } else {
                    readers.set(key, (readers.get(key) ?? 0) + 1);
                  }
                }
                for (let i = 0; i < ticks; i += 1) {
                  await settle();
                }
                for (const key of held) {
                  if (write) {
                    writers.set(key, 0);
                  } else {
                    readers.set(key, readers.get(key)! - 1);
                  }
                }
                finished.push(index);
              };
              await (write ? lock.write(held, body) : lock.read(held[0], body));
            }),
          );
          expect(finished).toHaveLength(operations.length); // everyone got in: no deadlock, nobody starved
          expect(lock.activeKeys).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
