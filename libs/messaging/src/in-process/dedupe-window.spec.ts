import { DedupeWindow } from './dedupe-window';

describe(DedupeWindow.name, () => {
  it('drops an id seen within the window and accepts it again after', () => {
    const sut = new DedupeWindow(1000);
    expect(sut.firstSeen('a', 0)).toBe(true);
    expect(sut.firstSeen('a', 999)).toBe(false);
    expect(sut.firstSeen('a', 1000)).toBe(true);
  });

  it('forgets expired ids so memory stays bounded by the window', () => {
    const sut = new DedupeWindow(100);
    for (let i = 0; i < 1000; i += 1) {
      sut.firstSeen(`id-${i}`, i);
    }
    expect(sut.size).toBeLessThanOrEqual(100);
  });
});
