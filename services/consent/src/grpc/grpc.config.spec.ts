import { contracts } from '@trustline/contracts';
import { ConfigError, loadConfig } from '@trustline/service-kit';
import { NATS_TWIN } from './grpc-access.rules';
import { consentGrpcEnv } from './grpc.config';

const SECRET = 'gateway=secret-token-not-for-logs';

describe('consentGrpcEnv', () => {
  it('requires CONSENT_GRPC_CLIENTS in production', () => {
    expect(() => loadConfig('consent', consentGrpcEnv, { NODE_ENV: 'production' })).toThrow(
      'CONSENT_GRPC_CLIENTS: is required but not set',
    );
  });

  it('gives every caller of the three operations a development token, and listens on 50051', () => {
    const config = loadConfig('consent', consentGrpcEnv, { NODE_ENV: 'development' });
    const callers = config.CONSENT_GRPC_CLIENTS.map((client) => client.caller).sort();
    const publishers = Object.values(NATS_TWIN).flatMap((subject) => contracts[subject].publishers);
    expect(callers).toEqual([...new Set(publishers)].sort());
    expect(config.CONSENT_GRPC_PORT).toBe(50051);
    expect(config.CONSENT_GRPC_HOST).toBeUndefined();
    expect(config.CONSENT_GRPC_TLS_CERT_FILE).toBeUndefined();
  });

  it('parses the clients it is given', () => {
    const config = loadConfig('consent', consentGrpcEnv, {
      NODE_ENV: 'production',
      CONSENT_GRPC_CLIENTS: 'dsar=0123456789abcdef0123',
    });
    expect(config.CONSENT_GRPC_CLIENTS).toEqual([{ caller: 'dsar', token: '0123456789abcdef0123' }]);
  });

  it('reports a malformed list without quoting it', () => {
    const load = () =>
      loadConfig('consent', consentGrpcEnv, { NODE_ENV: 'production', CONSENT_GRPC_CLIENTS: `${SECRET},nobody=x` });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('CONSENT_GRPC_CLIENTS: must be a valid caller-token list');
    try {
      load();
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-token');
    }
  });
});
