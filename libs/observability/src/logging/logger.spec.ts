import { context, trace, TraceFlags } from '@opentelemetry/api';
import { registerTracePropagation } from '../telemetry/telemetry';
import { captureLogs } from './log-capture';
import { createLogger } from './logger';

describe(createLogger.name, () => {
  beforeAll(() => registerTracePropagation());

  it('writes JSON lines with the service, level label and ISO time', () => {
    const capture = captureLogs();
    createLogger('consent', { level: 'info', destination: capture }).info({ count: 2 }, 'granted');
    expect(capture.entries()).toEqual([
      { level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'consent', count: 2, msg: 'granted' },
    ]);
  });

  it('adds trace_id and span_id of the active span, and nothing outside a span', () => {
    const capture = captureLogs();
    const sut = createLogger('gateway', { level: 'info', destination: capture });
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    context.with(trace.setSpanContext(context.active(), spanContext), () => sut.info('inside'));
    sut.info('outside');
    const [inside, outside] = capture.entries();
    expect(inside).toMatchObject({ trace_id: spanContext.traceId, span_id: spanContext.spanId, msg: 'inside' });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('keeps trace ids across awaits inside the span (AsyncLocalStorage context)', async () => {
    const capture = captureLogs();
    const sut = createLogger('gateway', { level: 'info', destination: capture });
    const spanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED };
    await context.with(trace.setSpanContext(context.active(), spanContext), async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sut.info('later');
    });
    expect(capture.entries()[0]).toMatchObject({ trace_id: 'a'.repeat(32) });
  });

  it('drops entries below the level and writes nothing when silent', () => {
    const capture = captureLogs();
    createLogger('dsar', { level: 'warn', destination: capture }).info('dropped');
    createLogger('dsar', { level: 'silent', destination: capture }).error('dropped too');
    expect(capture.lines).toEqual([]);
  });

  it('redacts child and grandchild bindings and interpolated arguments', () => {
    const capture = captureLogs();
    const sut = createLogger('audit', { level: 'info', destination: capture });
    sut
      .child({ tenant: 't1', contact: { phone: '+15551234567' } })
      .child({ email: 'ana@example.com' })
      .info('saw %o and %s', { wa_id: '15551234567', kind: 'text' }, 'ana@example.com');
    const [entry] = capture.entries();
    expect(entry).toMatchObject({
      tenant: 't1',
      contact: { phone: '[redacted]' },
      email: '[redacted]',
      msg: 'saw {"wa_id":"[redacted]","kind":"text"} and [email]',
    });
    expect(capture.lines[0]).not.toContain('5551234567');
  });

  it('serializes errors with their type, scrubbed message and stack, and redacted properties', () => {
    const capture = captureLogs();
    const sut = createLogger('retention', { level: 'info', destination: capture });
    class QueryFailedError extends Error {
      constructor(readonly parameters: unknown[]) {
        super('duplicate key for +1 555 123 4567');
      }
    }
    sut.error(new QueryFailedError(['+15551234567', 'Ana']));
    const [entry] = capture.entries() as [{ msg: string; err: Record<string, unknown> }];
    expect(entry.msg).toBe('duplicate key for [phone]');
    expect(entry.err).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key for [phone]',
      parameters: '[redacted]',
    });
    expect(entry.err.stack).toEqual(expect.stringContaining('Error: duplicate key for [phone]\n    at '));
  });
});
