import { ReadinessRegistry } from './readiness-registry';

class BusDownError extends Error {}

describe(ReadinessRegistry.name, () => {
  it('is ready when every check passes, and reports each check', async () => {
    const sut = new ReadinessRegistry({ service: 'consent', checks: [{ name: 'database', check: async () => {} }] });
    sut.add({ name: 'bus', check: async () => {} });
    await expect(sut.evaluate()).resolves.toEqual({
      ready: true,
      shuttingDown: false,
      checks: { database: { status: 'up' }, bus: { status: 'up' } },
    });
  });

  it('reports a failing or hanging check by error class only', async () => {
    const sut = new ReadinessRegistry({ service: 'consent', checkTimeoutMs: 50 });
    sut.add({ name: 'bus', check: () => Promise.reject(new BusDownError('nats://user:secret@host refused')) });
    sut.add({ name: 'database', check: () => new Promise(() => {}) });
    sut.add({ name: 'cache', check: async () => {} });
    const report = await sut.evaluate();
    expect(report).toEqual({
      ready: false,
      shuttingDown: false,
      checks: {
        bus: { status: 'down', error: 'BusDownError' },
        database: { status: 'down', error: 'ReadinessTimeoutError' },
        cache: { status: 'up' },
      },
    });
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('refuses two checks with the same name', () => {
    const sut = new ReadinessRegistry({ service: 'consent', checks: [{ name: 'database', check: async () => {} }] });
    expect(() => sut.add({ name: 'database', check: async () => {} })).toThrow('already registered');
  });

  it('is not ready once shutdown has begun, without running checks', async () => {
    const check = jest.fn(async () => {});
    const sut = new ReadinessRegistry({ service: 'consent', checks: [{ name: 'database', check }] });
    sut.beforeApplicationShutdown();
    await expect(sut.evaluate()).resolves.toEqual({ ready: false, shuttingDown: true, checks: {} });
    expect(check).not.toHaveBeenCalled();
  });
});
