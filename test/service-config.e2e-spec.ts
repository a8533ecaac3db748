import { PlatformProcess } from './support/platform-process';

// A bad or missing variable stops start-up with a message naming it — and never echoing its value.
describe('configuration is validated at boot', () => {
  it.each([
    ['consent', 'dist/services/consent/src/main.js', { CONSENT_PORT: 'not-a-port-secret-1234' }, 'CONSENT_PORT'],
    ['gateway', 'dist/services/gateway/src/main.js', { DB_SSL_MODE: 'sometimes' }, 'DB_SSL_MODE'],
    ['standalone', 'dist/services/standalone/src/main.js', { LOG_LEVEL: 'secret-5678' }, 'LOG_LEVEL'],
    [
      'audit',
      'dist/services/audit/src/main.js',
      { NATS_URL: 'http://secret-9012' },
      'NATS_URL: must be a valid NATS server list',
    ],
  ])('%s refuses to start and names the variable', async (_name, script, env, variable) => {
    const process = new PlatformProcess(script, { DATA_DIR: 'tmp/never-created', ...env });
    const { code } = await process.exited;
    expect(code).toBe(1);
    expect(process.text).toContain(variable);
    expect(process.text).not.toMatch(/secret-\d+|sometimes/);
  });
});
