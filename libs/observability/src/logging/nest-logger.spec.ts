import { captureLogs } from './log-capture';
import { createLogger } from './logger';
import { NestLogger } from './nest-logger';

describe(NestLogger.name, () => {
  it('maps Nest calls onto levels, with the context and a scrubbed stack', () => {
    const capture = captureLogs();
    const sut = new NestLogger(createLogger('consent', { level: 'trace', destination: capture }));
    sut.log('Nest application successfully started', 'NestApplication');
    sut.warn({ phone: '+15551234567', reason: 'late' }, 'ConsentService');
    sut.error('send failed', 'Error: to +15551234567\n    at send (x.js:1:1)', 'Outbound');
    sut.error(new Error('no route for ana@example.com'));
    sut.verbose('mapped', 'RoutesResolver');
    expect(capture.entries()).toEqual([
      expect.objectContaining({
        level: 'debug',
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
      expect.objectContaining({
        level: 'warn',
        context: 'ConsentService',
        data: { phone: '[redacted]', reason: 'late' },
      }),
      expect.objectContaining({
        level: 'error',
        context: 'Outbound',
        stack: 'Error: to [phone]\n    at send (x.js:1:1)',
        msg: 'send failed',
      }),
      expect.objectContaining({
        level: 'error',
        msg: 'no route for [email]',
        err: expect.objectContaining({ type: 'Error' }),
      }),
      expect.objectContaining({ level: 'trace', context: 'RoutesResolver', msg: 'mapped' }),
    ]);
  });

  it('takes structured calls in pino order: fields first, then the message (from a Logger with a context)', () => {
    const capture = captureLogs();
    const sut = new NestLogger(createLogger('gateway', { level: 'trace', destination: capture }));
    sut.warn({ code: 130429, phone: '+15551234567' }, 'Cloud API reported an error', 'IntakeService');
    sut.error({ error: 'PublishFailedError' }, 'not accepted for +15551234567', 'WebhookController');
    expect(capture.entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'IntakeService',
        msg: 'Cloud API reported an error',
        data: { code: 130429, phone: '[redacted]' },
      }),
      expect.objectContaining({
        level: 'error',
        context: 'WebhookController',
        msg: 'not accepted for [phone]',
        data: { error: 'PublishFailedError' },
      }),
    ]);
  });

  it('treats a lone multi-line string after an error message as its stack', () => {
    const capture = captureLogs();
    new NestLogger(createLogger('consent', { level: 'info', destination: capture })).error(
      'boom',
      'Error: boom\n    at f (a.js:1:1)',
    );
    expect(capture.entries()[0]).toMatchObject({ stack: 'Error: boom\n    at f (a.js:1:1)', msg: 'boom' });
    expect(capture.entries()[0]).not.toHaveProperty('context');
  });
});
