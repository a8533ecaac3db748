import fc from 'fast-check';
import { advisoryLockParts, intentLockArgs, sendFenceKey, sortedFenceKeys } from './send-fence-key.rules';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('sendFenceKey', () => {
  it('is a stable signed 64-bit integer per (tenant, contact)', () => {
    const key = sendFenceKey({ tenantId: 'clinic-a', contactRef: 'c1' });
    expect(typeof key).toBe('bigint');
    expect(key >= INT64_MIN && key <= INT64_MAX).toBe(true);
    expect(sendFenceKey({ tenantId: 'clinic-a', contactRef: 'c1' })).toBe(key);
  });

  it('differs between tenants for the same contact reference, and between contacts', () => {
    const a = sendFenceKey({ tenantId: 'clinic-a', contactRef: 'c1' });
    expect(sendFenceKey({ tenantId: 'shop-b', contactRef: 'c1' })).not.toBe(a);
    expect(sendFenceKey({ tenantId: 'clinic-a', contactRef: 'c2' })).not.toBe(a);
  });

  it('cannot be made to collide by moving characters between the tenant and the contact', () => {
    expect(sendFenceKey({ tenantId: 'ab', contactRef: 'c' })).not.toBe(
      sendFenceKey({ tenantId: 'a', contactRef: 'bc' }),
    );
    expect(sendFenceKey({ tenantId: 'a\u0000', contactRef: 'b' })).not.toBe(
      sendFenceKey({ tenantId: 'a', contactRef: '\u0000b' }),
    );
  });

  it('spreads 10,000 contacts over distinct keys, both signs', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => sendFenceKey({ tenantId: 't', contactRef: `contact-${i}` }));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.some((k) => k < 0n)).toBe(true);
    expect(keys.some((k) => k > 0n)).toBe(true);
  });

  it('maps distinct pairs to distinct keys (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (t1, c1, t2, c2) => {
        fc.pre(t1 !== t2 || c1 !== c2);
        expect(sendFenceKey({ tenantId: t1, contactRef: c1 })).not.toBe(sendFenceKey({ tenantId: t2, contactRef: c2 }));
      }),
    );
  });
});

describe('advisoryLockParts', () => {
  it.each([
    [0n, 0, 0],
    [1n, 0, 1],
    [-1n, 0xffff_ffff, 0xffff_ffff],
    [2n ** 32n, 1, 0],
    [INT64_MIN, 0x8000_0000, 0],
    [INT64_MAX, 0x7fff_ffff, 0xffff_ffff],
  ])('splits %p into classid %p and objid %p as pg_locks shows them', (key, classId, objId) => {
    expect(advisoryLockParts(key)).toEqual({ classId, objId });
  });

  it('loses nothing: the parts give the key back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (key) => {
        const { classId, objId } = advisoryLockParts(key);
        expect(BigInt.asIntN(64, (BigInt(classId) << 32n) | BigInt(objId))).toBe(key);
      }),
    );
  });
});

describe('intentLockArgs', () => {
  it('gives the key’s two halves as the signed int4 pair PostgreSQL takes', () => {
    expect(intentLockArgs(0n)).toEqual([0, 0]);
    expect(intentLockArgs(-1n)).toEqual([-1, -1]);
    expect(intentLockArgs(INT64_MIN)).toEqual([-(2 ** 31), 0]);
    expect(intentLockArgs(INT64_MAX)).toEqual([2 ** 31 - 1, -1]);
  });

  it('stays in int4 range and tells keys apart (property)', () => {
    const int4 = (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;
    fc.assert(
      fc.property(
        fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
        fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
        (a, b) => {
          const [hi, lo] = intentLockArgs(a);
          expect(int4(hi) && int4(lo)).toBe(true);
          expect(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0))).toBe(a);
          if (a !== b) {
            expect(intentLockArgs(b)).not.toEqual([hi, lo]);
          }
        },
      ),
    );
  });
});

describe('sortedFenceKeys', () => {
  it('gives each contact once, in ascending numeric order', () => {
    const contacts = Array.from({ length: 50 }, (_, i) => ({ tenantId: 't', contactRef: `c${i % 20}` }));
    const keys = sortedFenceKeys(contacts);
    expect(keys).toHaveLength(20);
    for (let i = 1; i < keys.length; i += 1) {
      expect(keys[i - 1] < keys[i]).toBe(true);
    }
  });

  it('orders the same set the same way whatever order it came in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 30 }), (refs) => {
        const contacts = refs.map((contactRef) => ({ tenantId: 't', contactRef }));
        expect(sortedFenceKeys([...contacts].reverse())).toEqual(sortedFenceKeys(contacts));
      }),
    );
  });
});
