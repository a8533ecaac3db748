import { GrpcClientsError, MIN_TOKEN_LENGTH, parseGrpcClients } from './grpc-clients.rules';

const token = (seed: string) => seed.padEnd(MIN_TOKEN_LENGTH, 'x');

describe(parseGrpcClients.name, () => {
  it('reads caller=token pairs, trimming spaces around entries', () => {
    expect(parseGrpcClients(` gateway=${token('g')} , dsar = ${token('d')}`)).toEqual([
      { caller: 'gateway', token: token('g') },
      { caller: 'dsar', token: token('d') },
    ]);
  });

  it('keeps = signs inside a token (base64 padding)', () => {
    expect(parseGrpcClients(`audit=${token('abc')}==`)).toEqual([{ caller: 'audit', token: `${token('abc')}==` }]);
  });

  it.each([
    ['an empty list', '', /entry 1: expected caller=token/],
    ['an entry without =', `gateway${token('g')}`, /entry 1: expected caller=token/],
    ['a trailing comma', `gateway=${token('g')},`, /entry 2: expected caller=token/],
    ['a caller that is not a service', `billing=${token('b')}`, /entry 1: the caller is not a service name/],
    ['a short token', 'gateway=short', /entry 1 \(gateway\): the token must be at least 16/],
    ['a token with a space', `gateway=${token('with space')}`, /entry 1 \(gateway\): the token must be/],
    ['a caller listed twice', `dsar=${token('a')},dsar=${token('b')}`, /entry 2: dsar is listed twice/],
    ['a token shared by two callers', `dsar=${token('a')},audit=${token('a')}`, /entry 2 \(audit\): its token is/],
  ])('refuses %s, without quoting any token', (_case, input, message) => {
    expect(() => parseGrpcClients(input)).toThrow(GrpcClientsError);
    expect(() => parseGrpcClients(input)).toThrow(message);
    try {
      parseGrpcClients(input);
    } catch (error) {
      expect((error as Error).message).not.toMatch(/xxx|short/);
    }
  });
});
