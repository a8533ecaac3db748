import { ContractViolationError, createEnvelope, type EventEnvelope } from '@trustline/contracts';
import type { ProbeRecordedV1 } from '../../test/contracts/probe-recorded.v1';
import { ECHO, FACT, testContracts } from '../../test/test-contracts';
import { BusUnavailableError } from '../errors/bus-unavailable.error';
import { NoResponderError } from '../errors/no-responder.error';
import type { Subscription } from '../message-bus';
import { InProcessBus } from './in-process.bus';

function probe(label: string, sequence = 0): EventEnvelope<ProbeRecordedV1> {
  return createEnvelope({ producer: 'consent', tenantId: 'tenant-a', data: { label, sequence } });
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe(InProcessBus.name, () => {
  let sut: InProcessBus<typeof testContracts>;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    sut = new InProcessBus(testContracts, { duplicateWindowMs: 200 });
    await sut.start();
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    await sut.close();
  });

  it('delivers to a service that subscribes after the events were published, like a durable consumer', async () => {
    const early = probe('early');
    await sut.publish(FACT, early);
    const seen: string[] = [];
    subscriptions.push(
      await sut.consume({
        subject: FACT,
        consumer: 'audit',
        handler: (envelope) => Promise.resolve(void seen.push(envelope.id)),
      }),
    );
    await until(() => seen.length === 1);
    expect(seen).toEqual([early.id]);
  });

  it('gives every consuming service each event, and each event to one subscription of a service', async () => {
    const byService: Record<string, string[]> = { audit: [], dsar: [] };
    for (const consumer of ['audit', 'audit', 'dsar'] as const) {
      subscriptions.push(
        await sut.consume({
          subject: FACT,
          consumer,
          handler: (envelope) => Promise.resolve(void byService[consumer]?.push(envelope.id)),
        }),
      );
    }
    await Promise.all(Array.from({ length: 20 }, (_, i) => sut.publish(FACT, probe('fan-out', i))));
    await until(() => byService.audit?.length === 20 && byService.dsar?.length === 20);
    expect(new Set(byService.audit).size).toBe(20);
  });

  it('never lets a consumer share objects with the publisher or another consumer', async () => {
    const event = probe('shared');
    const labels: string[] = [];
    for (const consumer of ['audit', 'dsar'] as const) {
      subscriptions.push(
        await sut.consume({
          subject: FACT,
          consumer,
          handler: (envelope) => {
            labels.push(envelope.data.label);
            (envelope.data as { label: string }).label = `changed by ${consumer}`;
            return Promise.resolve();
          },
        }),
      );
    }
    await sut.publish(FACT, event);
    await until(() => labels.length === 2);
    expect(labels).toEqual(['shared', 'shared']);
    expect(event.data.label).toBe('shared');
  });

  it('waits the backoff before a redelivery', async () => {
    const at: number[] = [];
    subscriptions.push(
      await sut.consume({
        subject: FACT,
        consumer: 'audit',
        backoffMs: [150],
        handler: () => {
          at.push(Date.now());
          return at.length === 1 ? Promise.reject(new Error('once')) : Promise.resolve();
        },
      }),
    );
    await sut.publish(FACT, probe('backoff'));
    await until(() => at.length === 2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it('accepts an id again once the duplicate window has passed', async () => {
    const event = probe('again');
    const seen: string[] = [];
    subscriptions.push(
      await sut.consume({
        subject: FACT,
        consumer: 'audit',
        handler: (envelope) => Promise.resolve(void seen.push(envelope.id)),
      }),
    );
    await sut.publish(FACT, event);
    await sut.publish(FACT, event);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await sut.publish(FACT, event);
    await until(() => seen.length === 2);
    expect(seen).toEqual([event.id, event.id]);
  });

  it('checks the response of a request against its contract at the requester', async () => {
    subscriptions.push(
      await sut.serve(ECHO, 'audit', () => Promise.resolve({ text: 42 } as unknown as { text: string })),
    );
    const request = createEnvelope({ producer: 'gateway', tenantId: 'tenant-a', data: { text: 'x' } });
    await expect(sut.request(ECHO, request)).rejects.toBeInstanceOf(ContractViolationError);
  });

  it('has no responder once the serving subscription stopped', async () => {
    const serving = await sut.serve(ECHO, 'audit', (envelope) => Promise.resolve({ text: envelope.data.text }));
    await serving.stop();
    const request = createEnvelope({ producer: 'gateway', tenantId: 'tenant-a', data: { text: 'x' } });
    await expect(sut.request(ECHO, request)).rejects.toBeInstanceOf(NoResponderError);
  });

  it('refuses work once closed', async () => {
    await sut.close();
    await expect(sut.publish(FACT, probe('late'))).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(sut.ping()).rejects.toBeInstanceOf(BusUnavailableError);
  });
});
