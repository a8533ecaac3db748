import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

// Process metrics (CPU, memory, event loop, GC) exist once per process, however many services it runs (standalone
// runs six): one registry for them, created on first use and shared by every ServiceMetrics.
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

type WithoutRegisters<T> = Omit<T, 'registers'>;

/**
 * One service's Prometheus metrics: its own registry, every series labelled `service=<name>`, so that several
 * services in one process never clash over a metric name. Exposition adds the shared process metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    processMetrics();
  }

  counter<T extends string>(configuration: WithoutRegisters<CounterConfiguration<T>>): Counter<T> {
    return new Counter({ ...configuration, registers: [this.registry] });
  }

  gauge<T extends string>(configuration: WithoutRegisters<GaugeConfiguration<T>>): Gauge<T> {
    return new Gauge({ ...configuration, registers: [this.registry] });
  }

  histogram<T extends string>(configuration: WithoutRegisters<HistogramConfiguration<T>>): Histogram<T> {
    return new Histogram({ ...configuration, registers: [this.registry] });
  }

  /** Prometheus text exposition: the process metrics, then this service's. */
  async exposition(): Promise<string> {
    const [processText, serviceText] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${processText}\n${serviceText}`;
  }
}

export function createMetrics(service: string): ServiceMetrics {
  return new ServiceMetrics(service);
}
