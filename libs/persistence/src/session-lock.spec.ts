import { setTimeout as sleep } from 'node:timers/promises';
import { SessionLock } from './session-lock';
import { SessionWaitTimeoutError } from './session-wait-timeout.error';

describe(SessionLock.name, () => {
  it('grants the session to one holder at a time, in arrival order', async () => {
    const sut = new SessionLock();
    const order: string[] = [];
    const work = (name: string) =>
      sut.runExclusive(async () => {
        order.push(`${name}:start`);
        await sleep(5);
        order.push(`${name}:end`);
      });
    await Promise.all([work('a'), work('b'), work('c')]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(sut.isHeld).toBe(false);
  });

  it('ignores a second release of the same grant', async () => {
    const sut = new SessionLock();
    const release = await sut.acquire();
    const next = sut.acquire();
    release();
    release();
    const releaseNext = await next;
    expect(sut.isHeld).toBe(true); // the double release did not hand the session on a second time
    const third = sut.acquire();
    expect(sut.waiting).toBe(1);
    releaseNext();
    (await third)();
    expect(sut.isHeld).toBe(false);
  });

  it('fails a waiter after the timeout and leaves the queue intact', async () => {
    const sut = new SessionLock();
    const release = await sut.acquire();
    await expect(sut.acquire(20)).rejects.toBeInstanceOf(SessionWaitTimeoutError);
    expect(sut.waiting).toBe(0);
    const patient = sut.acquire(1_000);
    release();
    (await patient)();
    expect(sut.isHeld).toBe(false);
  });

  it('releases the session when the work throws', async () => {
    const sut = new SessionLock();
    await expect(sut.runExclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(sut.isHeld).toBe(false);
  });
});
