import { deriveBsuid } from '../users/user-id.rules';
import { FaultQueue, faultResponse, parseFault, type FaultSpec } from './fault.rules';

describe('parseFault', () => {
  it('reads a full fault and defaults the count to one', () => {
    expect(parseFault({ code: 131056, to: '+55 11 98765-4321', latencyMs: 10 })).toEqual({
      ok: true,
      value: { code: 131056, count: 1, to: '5511987654321', latencyMs: 10 },
    });
    expect(parseFault({ drop: true, count: 3 })).toEqual({ ok: true, value: { drop: true, count: 3 } });
    expect(parseFault({ httpStatus: 503, to: 'BR.1' })).toEqual({
      ok: true,
      value: { httpStatus: 503, count: 1, to: 'BR.1' },
    });
  });

  it.each([
    [{}, 'at least one'],
    [{ drop: false }, 'at least one'],
    [null, 'JSON object'],
    [[], 'JSON object'],
    [{ code: 1.5 }, 'code'],
    [{ code: -1 }, 'code'],
    [{ httpStatus: 200 }, 'httpStatus'],
    [{ httpStatus: 600 }, 'httpStatus'],
    [{ code: 4, count: 0 }, 'count'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: 120_001 }, 'latencyMs'],
    [{ drop: 'yes' }, 'drop'],
    [{ code: 4, to: 'nobody' }, 'to'],
    [{ code: 4, to: 5 }, 'to'],
  ])('rejects %p', (body, mentions) => {
    const result = parseFault(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(mentions);
  });
});

describe('faultResponse', () => {
  it('answers the code with its catalog status unless one is given', () => {
    expect(faultResponse({ code: 130429, count: 1 })?.httpStatus).toBe(429);
    expect(faultResponse({ code: 131000, count: 1 })?.httpStatus).toBe(500);
    expect(faultResponse({ code: 131026, count: 1, httpStatus: 503 })?.httpStatus).toBe(503);
  });

  it('answers a bare 5xx with code 131000', () => {
    const response = faultResponse({ httpStatus: 502, count: 1 });
    expect(response?.httpStatus).toBe(502);
    expect(response?.body.error.code).toBe(131000);
  });

  it('has no answer for latency or drop alone', () => {
    expect(faultResponse({ latencyMs: 5, count: 1 })).toBeUndefined();
    expect(faultResponse({ drop: true, count: 1 })).toBeUndefined();
  });
});

describe('FaultQueue', () => {
  const ana = ['5511987654321', deriveBsuid('5511987654321')];
  const bob = ['5511900000000', deriveBsuid('5511900000000')];

  it('serves faults in order and uses each up to its count', () => {
    const queue = new FaultQueue();
    queue.add({ code: 4, count: 2 });
    queue.add({ code: 368, count: 1 });
    expect([queue.take(ana), queue.take(ana), queue.take(ana), queue.take(ana)].map((f) => f?.code)).toEqual([
      4,
      4,
      368,
      undefined,
    ]);
  });

  it('matches a targeted fault only to its user, by number or BSUID', () => {
    const queue = new FaultQueue();
    queue.add({ code: 131026, count: 1, to: '5511987654321' });
    queue.add({ code: 131050, count: 1, to: deriveBsuid('5511987654321') });
    expect(queue.take(bob)).toBeUndefined();
    expect(queue.take(ana)?.code).toBe(131026);
    expect(queue.take([deriveBsuid('5511987654321')])?.code).toBe(131050);
  });

  it('lists what is pending with remaining counts, and clears', () => {
    const queue = new FaultQueue();
    const fault: FaultSpec = { latencyMs: 5, count: 3 };
    queue.add(fault);
    queue.take(ana);
    expect(queue.list()).toEqual([{ latencyMs: 5, count: 2 }]);
    expect(fault.count).toBe(3);
    queue.clear();
    expect(queue.list()).toEqual([]);
  });
});
