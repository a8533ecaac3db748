import { ExpiringLru } from './expiring-lru';

describe(ExpiringLru.name, () => {
  it('evicts the least recently used entry beyond its bound', () => {
    let now = 0;
    const cache = new ExpiringLru<number>(2, 1_000, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    now = 100;
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('refreshes recency at most once per 100 ms (approximate LRU, cheap hits)', () => {
    let now = 0;
    const cache = new ExpiringLru<number>(2, 1_000, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    now = 50;
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
  });

  it('forgets entries once they expire', () => {
    let now = 0;
    const cache = new ExpiringLru<number>(10, 100, () => now);
    cache.set('a', 1);
    now = 99;
    expect(cache.get('a')).toBe(1);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('deletes by prefix and clears', () => {
    const cache = new ExpiringLru<number>(10, 100, () => 0);
    cache.set('t1\0a', 1);
    cache.set('t1\0b', 2);
    cache.set('t2\0a', 3);
    cache.deletePrefix('t1\0');
    expect(cache.get('t2\0a')).toBe(3);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
