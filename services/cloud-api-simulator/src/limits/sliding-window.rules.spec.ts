import fc from 'fast-check';
import { SlidingWindowLimiter } from './sliding-window.rules';

describe('SlidingWindowLimiter', () => {
  it('lets exactly `limit` hits through in a window and refuses the next', () => {
    const limiter = new SlidingWindowLimiter(3, 1000);
    expect([0, 1, 2, 3].map((t) => limiter.tryAcquire('a', t))).toEqual([true, true, true, false]);
  });

  it('slides: a hit leaves the window windowMs after it was taken', () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    expect(limiter.tryAcquire('a', 0)).toBe(true);
    expect(limiter.tryAcquire('a', 500)).toBe(true);
    expect(limiter.tryAcquire('a', 999)).toBe(false);
    expect(limiter.tryAcquire('a', 1000)).toBe(true);
    expect(limiter.tryAcquire('a', 1001)).toBe(false);
    expect(limiter.tryAcquire('a', 1500)).toBe(true);
  });

  it('does not count refused hits', () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    limiter.tryAcquire('a', 0);
    for (let t = 1; t < 1000; t += 100) {
      expect(limiter.tryAcquire('a', t)).toBe(false);
    }
    expect(limiter.tryAcquire('a', 1000)).toBe(true);
  });

  it('keeps keys apart and forgets everything on clear', () => {
    const limiter = new SlidingWindowLimiter(1, 1000);
    expect(limiter.tryAcquire('a', 0)).toBe(true);
    expect(limiter.tryAcquire('b', 0)).toBe(true);
    expect(limiter.tryAcquire('a', 1)).toBe(false);
    limiter.clear();
    expect(limiter.tryAcquire('a', 2)).toBe(true);
  });

  it('never lets more than `limit` hits into any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        (limit, windowMs, gaps) => {
          const limiter = new SlidingWindowLimiter(limit, windowMs);
          const granted: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            if (limiter.tryAcquire('k', t)) {
              granted.push(t);
            }
          }
          return granted.every((start) => granted.filter((g) => g >= start && g < start + windowMs).length <= limit);
        },
      ),
    );
  });
});
