import { contracts } from '@trustline/contracts';
import { cleanEnv } from 'envalid';
import { InProcessBus } from '../in-process/in-process.bus';
import { JetStreamBus } from '../jetstream/jetstream.bus';
import { createBusFromEnv, natsConnectionOptions } from './bus-from-env';
import { natsEnv } from './nats.env';

describe(createBusFromEnv.name, () => {
  it('uses the in-process bus when NATS_URL is absent (standalone mode)', () => {
    const env = cleanEnv({}, natsEnv);
    expect(env.NATS_URL).toBeUndefined();
    expect(env.NATS_STREAM_PREFIX).toBe('TRUSTLINE');
    expect(env.NATS_STREAM_MAX_AGE_MS).toBe(86_400_000);
    expect(createBusFromEnv(contracts, env, { name: 'consent' })).toBeInstanceOf(InProcessBus);
  });

  it('uses JetStream when NATS_URL is set (distributed mode)', () => {
    const env = cleanEnv({ NATS_URL: 'nats://a:4222,nats://b:4222', NATS_SUBJECT_PREFIX: 'staging' }, natsEnv);
    const bus = createBusFromEnv(contracts, env, { name: 'consent' });
    expect(bus).toBeInstanceOf(JetStreamBus);
    expect((bus as JetStreamBus<typeof contracts>).wireSubject('dsar.erasure.requested.v1')).toBe(
      'staging.dsar.erasure.requested.v1',
    );
  });

  it('turns the TLS and credential variables into connection options', () => {
    const env = cleanEnv(
      {
        NATS_URL: 'tls://nats:4222',
        NATS_TLS_CA: '/etc/nats/ca.pem',
        NATS_TLS_CERT: '/etc/nats/tls.crt',
        NATS_TLS_KEY: '/etc/nats/tls.key',
        NATS_USER: 'consent',
        NATS_PASSWORD: 'secret',
      },
      natsEnv,
    );
    expect(natsConnectionOptions(env)).toEqual({
      tls: { caFile: '/etc/nats/ca.pem', certFile: '/etc/nats/tls.crt', keyFile: '/etc/nats/tls.key' },
      user: 'consent',
      pass: 'secret',
    });
    const withCreds = natsConnectionOptions(cleanEnv({ NATS_CREDS: '/etc/nats/user.creds' }, natsEnv));
    expect(withCreds.authenticator).toEqual(expect.any(Function));
    expect(withCreds.user).toBeUndefined();
  });
});
