import { num, port, str, url } from 'envalid';
import { ConfigError, loadConfig } from './config-loader';

describe(loadConfig.name, () => {
  const spec = {
    CONSENT_PORT: port({ default: 3001 }),
    NATS_URL: url({ default: undefined }),
    APP_SECRET: str(),
    BATCH: num({ default: 10 }),
  };

  it('returns typed values with defaults applied', () => {
    const config = loadConfig('consent', spec, { APP_SECRET: 's', BATCH: '20' });
    expect(config.CONSENT_PORT).toBe(3001);
    expect(config.BATCH).toBe(20);
  });

  it('names every bad or missing variable and never echoes a value', () => {
    const attempt = () => loadConfig('consent', spec, { CONSENT_PORT: 'hunter2-not-a-port', NATS_URL: 'secret-token' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('CONSENT_PORT');
      expect(message).toContain('NATS_URL');
      expect(message).toContain('APP_SECRET: is required but not set');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('secret-token');
    }
  });
});
