import { InFlight } from './in-flight';

function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(InFlight.name, () => {
  it('counts tracked work until it settles, rejected or not', async () => {
    const sut = new InFlight();
    const first = gate();
    sut.track(first.promise);
    sut.track(Promise.reject(new Error('handled elsewhere')));
    expect(sut.size).toBe(2);
    await tick();
    expect(sut.size).toBe(1);
    first.open();
    await sut.idle();
    expect(sut.size).toBe(0);
  });

  it('resolves atMost once the count has dropped to the limit', async () => {
    const sut = new InFlight();
    const gates = [gate(), gate(), gate()];
    gates.forEach((g) => sut.track(g.promise));
    let released = false;
    const waiting = sut.atMost(1).then(() => {
      released = true;
      return released;
    });
    gates[0]?.open();
    await tick();
    expect(released).toBe(false);
    gates[1]?.open();
    await waiting;
    expect(released).toBe(true);
    gates[2]?.open();
    await sut.idle();
  });

  it('resolves at once when already below the limit', async () => {
    await expect(new InFlight().idle()).resolves.toBeUndefined();
  });
});
