import { contracts, SERVICE_NAMES, type ServiceName } from '@trustline/contracts';
import fc from 'fast-check';
import { GrpcAccessPolicy, NATS_TWIN, type ConsentGrpcOperation } from './grpc-access.rules';

const TOKENS: Record<ServiceName, string> = {
  gateway: 'gateway-token-0123456789',
  consent: 'consent-token-0123456789',
  'conversation-ai': 'conversation-ai-token-0123',
  retention: 'retention-token-0123456789',
  dsar: 'dsar-token-0123456789abcd',
  audit: 'audit-token-0123456789abc',
};
const sut = new GrpcAccessPolicy(SERVICE_NAMES.map((caller) => ({ caller, token: TOKENS[caller] })));
const operations: ConsentGrpcOperation[] = ['check', 'history', 'record'];

describe(GrpcAccessPolicy.name, () => {
  describe('authorization follows the publishers of the NATS twin, for every caller and operation', () => {
    const matrix = operations.flatMap((operation) => SERVICE_NAMES.map((caller) => [operation, caller] as const));
    it.each(matrix)('%s by %s', (operation, caller) => {
      const allowed = (contracts[NATS_TWIN[operation]].publishers as readonly string[]).includes(caller);
      expect(sut.decide([`Bearer ${TOKENS[caller]}`], operation)).toEqual(
        allowed ? { granted: true, caller } : { granted: false, reason: 'permission-denied', caller },
      );
    });
  });

  it('lets dsar record and denies it to conversation-ai, which may only check', () => {
    expect(sut.decide([`Bearer ${TOKENS.dsar}`], 'record')).toEqual({ granted: true, caller: 'dsar' });
    expect(sut.decide([`Bearer ${TOKENS['conversation-ai']}`], 'check').granted).toBe(true);
    expect(sut.decide([`Bearer ${TOKENS['conversation-ai']}`], 'record')).toEqual({
      granted: false,
      reason: 'permission-denied',
      caller: 'conversation-ai',
    });
  });

  it('accepts the scheme name in any case', () => {
    expect(sut.decide([`bearer ${TOKENS.gateway}`], 'check').granted).toBe(true);
    expect(sut.decide([`BEARER ${TOKENS.gateway}`], 'check').granted).toBe(true);
  });

  it.each([
    ['no authorization', []],
    ['two authorization values', [`Bearer ${TOKENS.gateway}`, `Bearer ${TOKENS.gateway}`]],
    ['another scheme', [`Basic ${TOKENS.gateway}`]],
    ['a bare token', [TOKENS.gateway]],
    ['an empty bearer', ['Bearer ']],
    ['a token with a trailing space', [`Bearer ${TOKENS.gateway} `]],
    ['a prefix of a token', [`Bearer ${TOKENS.gateway.slice(0, -1)}`]],
    ['a token with one more character', [`Bearer ${TOKENS.gateway}0`]],
  ])('treats %s as unauthenticated', (_case, authorization) => {
    expect(sut.decide(authorization, 'check')).toEqual({ granted: false, reason: 'unauthenticated' });
  });

  it('authenticates no token but the configured ones', () => {
    const known = new Set(Object.values(TOKENS));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (token) => {
        fc.pre(!known.has(token));
        expect(sut.decide([`Bearer ${token}`], 'check')).toEqual({ granted: false, reason: 'unauthenticated' });
      }),
    );
  });

  it('denies everything when no client is configured', () => {
    const empty = new GrpcAccessPolicy([]);
    for (const operation of operations) {
      expect(empty.decide([`Bearer ${TOKENS.gateway}`], operation).granted).toBe(false);
    }
  });
});
