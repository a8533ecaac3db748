import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { startTelemetry } from './telemetry';
import { startTelemetryFromEnv } from './telemetry.env';

describe('startTelemetry without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('starts no SDK but still propagates W3C trace context through async code', async () => {
    const telemetry = startTelemetry('consent', { OTEL_SERVICE_NAMESPACE: 'trustline' });
    try {
      expect(telemetry.exporting).toBe(false);
      expect(trace.getTracer('test').startSpan('no-op').isRecording()).toBe(false);

      const incoming = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
      const extracted = propagation.extract(context.active(), incoming);
      const outgoing: Record<string, string> = {};
      await context.with(extracted, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5)); // survives an await: AsyncLocalStorage context
        propagation.inject(context.active(), outgoing);
      });
      expect(outgoing).toEqual(incoming);
      expect(trace.getSpanContext(extracted)).toMatchObject({ traceFlags: TraceFlags.SAMPLED });
    } finally {
      await telemetry.shutdown();
    }
  });
});

describe('startTelemetryFromEnv', () => {
  it('names an invalid variable without quoting its value', () => {
    expect(() => startTelemetryFromEnv('consent', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /^consent: invalid telemetry configuration: OTEL_EXPORTER_OTLP_ENDPOINT$/,
    );
  });

  it('starts without an exporter when the endpoint is unset', async () => {
    const telemetry = startTelemetryFromEnv('consent', {});
    expect(telemetry.exporting).toBe(false);
    await telemetry.shutdown();
  });
});
