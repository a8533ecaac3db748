import { createMetrics, ServiceMetrics } from './service-metrics';

describe(ServiceMetrics.name, () => {
  it('lets services in one process register the same metric names without clashing', async () => {
    const consent = createMetrics('consent');
    const gateway = createMetrics('gateway');
    const consentCounter = consent.counter({ name: 'trustline_events_total', help: 'events', labelNames: ['kind'] });
    const gatewayCounter = gateway.counter({ name: 'trustline_events_total', help: 'events', labelNames: ['kind'] });
    consentCounter.inc({ kind: 'granted' }, 2);
    gatewayCounter.inc({ kind: 'received' });
    gateway.histogram({ name: 'trustline_send_seconds', help: 'send time', buckets: [0.1, 1] }).observe(0.3);

    const consentText = await consent.exposition();
    const gatewayText = await gateway.exposition();
    expect(consentText).toContain('trustline_events_total{kind="granted",service="consent"} 2');
    expect(consentText).not.toContain('service="gateway"');
    expect(gatewayText).toContain('trustline_events_total{kind="received",service="gateway"} 1');
    expect(gatewayText).toContain('trustline_send_seconds_bucket{le="1",service="gateway"} 1');
  });

  it('exposes the process metrics once per process, alongside every service', async () => {
    const first = await createMetrics('dsar').exposition();
    const second = await createMetrics('audit').exposition();
    for (const text of [first, second]) {
      expect(text.match(/^# TYPE process_cpu_user_seconds_total counter$/gm)).toHaveLength(1);
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    }
  });
});
