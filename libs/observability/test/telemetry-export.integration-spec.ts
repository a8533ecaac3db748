import { context, propagation, trace } from '@opentelemetry/api';
import { startTelemetry } from '@trustline/observability';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

/** A stand-in OTLP/HTTP collector that records what it is sent. */
async function startCollector(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, received };
}

describe('startTelemetry with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('starts the SDK once per process and exports spans to <endpoint>/v1/traces', async () => {
    const collector = await startCollector();
    try {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_SERVICE_NAMESPACE: 'trustline' };
      const first = startTelemetry('gateway', env);
      const second = startTelemetry('consent', env); // standalone: the next services share the first SDK
      expect(first.exporting).toBe(true);
      expect(second.exporting).toBe(true);

      const headers: Record<string, string> = {};
      trace.getTracer('test').startActiveSpan('webhook.receive', (span) => {
        expect(span.isRecording()).toBe(true);
        propagation.inject(context.active(), headers); // what libs/messaging puts into NATS headers
        span.end();
      });
      expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

      await second.shutdown();
      expect(collector.received).toEqual([]); // still in use by the first service: nothing flushed yet
      await first.shutdown(); // the last user: flush and stop

      expect(collector.received).toHaveLength(1);
      const [request] = collector.received;
      expect(request).toMatchObject({ method: 'POST', path: '/v1/traces', contentType: 'application/json' });
      expect(request.body).toContain('webhook.receive');
      expect(request.body).toContain('"stringValue":"gateway"');
      expect(request.body).toContain('"key":"service.namespace","value":{"stringValue":"trustline"}');
    } finally {
      await new Promise((resolve) => collector.server.close(resolve));
    }
  });
});
