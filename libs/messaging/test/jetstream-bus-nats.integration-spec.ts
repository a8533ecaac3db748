import { AckPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { createEnvelope, fact, type EventEnvelope } from '@trustline/contracts';
import {
  BusUnavailableError,
  createJetStreamBus,
  DEAD_LETTER_HEADERS,
  deadLetterStreamName,
  durableName,
  streamName,
  type JetStreamBus,
  type Subscription,
} from '@trustline/messaging';
import type { ProbeRecordedV1 } from './contracts/probe-recorded.v1';
import { JetStreamAdmin, natsUrl } from './support/jetstream-harness';
import { deferred, sleep, waitFor } from './support/wait';
import { ECHO, FACT, testContracts, type TestContracts } from './test-contracts';

function probe(label: string): EventEnvelope<ProbeRecordedV1> {
  return createEnvelope({ producer: 'consent', tenantId: 'tenant-a', data: { label, sequence: 1 } });
}

/** What only JetStream has: streams and consumers on the server, crashes of a replica, the connection. */
describe('JetStream bus on NATS', () => {
  const admin = new JetStreamAdmin();
  const buses: JetStreamBus<TestContracts>[] = [];
  const subscriptions: Subscription[] = [];
  const connections: NatsConnection[] = [];

  function bus(
    deployment: { streamPrefix: string; subjectPrefix: string },
    options: Partial<Parameters<typeof createJetStreamBus>[1]> = {},
  ): JetStreamBus<TestContracts> {
    const created = createJetStreamBus(testContracts, {
      name: 'messaging-nats-test',
      servers: natsUrl(),
      ...deployment,
      ...options,
    });
    buses.push(created);
    return created;
  }

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    await Promise.all(buses.splice(0).map((created) => created.close()));
    await Promise.all(connections.splice(0).map((nc) => (nc.isClosed() ? Promise.resolve() : nc.close())));
  });

  afterAll(() => admin.cleanup());

  it('creates one stream per owner with exactly its facts and commands, and the dead-letter stream', async () => {
    const deployment = admin.newDeployment();
    await bus(deployment, { streamMaxAgeMs: 3_600_000, duplicateWindowMs: 60_000 }).start();
    const jsm = await admin.manager();

    const consent = await jsm.streams.info(streamName(deployment.streamPrefix, 'consent'));
    expect(consent.config.subjects).toEqual([`${deployment.subjectPrefix}.${FACT}`]);
    expect(consent.config.storage).toBe(StorageType.File);
    expect(consent.config.retention).toBe(RetentionPolicy.Limits);
    expect(consent.config.max_age).toBe(nanos(3_600_000));
    expect(consent.config.duplicate_window).toBe(nanos(60_000));
    const retention = await jsm.streams.info(streamName(deployment.streamPrefix, 'retention'));
    expect(retention.config.subjects).toEqual([`${deployment.subjectPrefix}.retention.probe.requested.v1`]);
    // `audit` owns only an rpc subject: no stream may capture it, or requests would be answered with PubAcks.
    await expect(jsm.streams.info(streamName(deployment.streamPrefix, 'audit'))).rejects.toThrow('stream not found');
    await expect(jsm.streams.find(`${deployment.subjectPrefix}.${ECHO}`)).rejects.toThrow();
    const deadLetter = await jsm.streams.info(deadLetterStreamName(deployment.streamPrefix));
    expect(deadLetter.config.subjects).toEqual([`${deployment.subjectPrefix}.deadletter.>`]);
  });

  it('starts safely when several processes start at once, and never drops a newer process’s subjects', async () => {
    const deployment = admin.newDeployment();
    await Promise.all(Array.from({ length: 5 }, () => bus(deployment).start()));
    const jsm = await admin.manager();
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${deployment.streamPrefix}_`)) {
        names.push(name);
      }
    }
    expect(names.sort()).toEqual(
      ['CONSENT', 'DEADLETTER', 'RETENTION'].map((owner) => `${deployment.streamPrefix}_${owner}`),
    );

    const newer = { ...testContracts, 'consent.probe.erased.v1': fact('consent', testContracts[FACT].payload, 'new') };
    const newerBus = createJetStreamBus(newer, { name: 'newer', servers: natsUrl(), ...deployment });
    await newerBus.start();
    await newerBus.close();
    await bus(deployment).start(); // an older replica, still running the old registry
    const consent = await jsm.streams.info(streamName(deployment.streamPrefix, 'consent'));
    expect(consent.config.subjects).toEqual(
      [`${deployment.subjectPrefix}.consent.probe.erased.v1`, `${deployment.subjectPrefix}.${FACT}`].sort(),
    );
  });

  it('creates one durable pull consumer per consuming service and subject, shared by its replicas', async () => {
    const deployment = admin.newDeployment();
    const first = bus(deployment);
    const second = bus(deployment);
    await Promise.all([first.start(), second.start()]);
    const handler = () => Promise.resolve();
    subscriptions.push(await first.consume({ subject: FACT, consumer: 'audit', handler }));
    subscriptions.push(await second.consume({ subject: FACT, consumer: 'audit', handler }));

    const jsm = await admin.manager();
    const stream = streamName(deployment.streamPrefix, 'consent');
    const consumers = await jsm.consumers.list(stream).next();
    expect(consumers.map((info) => info.name)).toEqual([durableName('audit', FACT)]);
    expect(consumers[0]?.name).toBe('audit--consent_probe_recorded_v1');
    expect(consumers[0]?.config).toMatchObject({
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${deployment.subjectPrefix}.${FACT}`,
      max_deliver: -1,
    });
  });

  it('writes dead letters with the original body and headers and what happened, deduplicated', async () => {
    const deployment = admin.newDeployment();
    const sut = bus(deployment);
    await sut.start();
    subscriptions.push(
      await sut.consume({
        subject: FACT,
        consumer: 'gateway',
        maxDeliver: 2,
        backoffMs: [10],
        handler: () => Promise.reject(new TypeError('bad +34 600 000 000')),
      }),
    );
    const event = probe('dead');
    await sut.publish(FACT, event, { headers: { 'x-request': 'r-1' } });

    await waitFor('the dead letter', async () => (await admin.deadLetters(deployment.streamPrefix)).length === 1);
    const jsm = await admin.manager();
    const stored = await jsm.streams.getMessage(deadLetterStreamName(deployment.streamPrefix), { seq: 1 });
    expect(stored?.subject).toBe(`${deployment.subjectPrefix}.deadletter.gateway.${FACT}`);
    expect(stored?.header.get(DEAD_LETTER_HEADERS.subject)).toBe(FACT);
    expect(stored?.header.get(DEAD_LETTER_HEADERS.consumer)).toBe('gateway');
    expect(stored?.header.get(DEAD_LETTER_HEADERS.attempts)).toBe('2');
    expect(stored?.header.get(DEAD_LETTER_HEADERS.error)).toBe('TypeError');
    expect(stored?.header.get('x-request')).toBe('r-1');
    expect(stored?.header.get('Nats-Msg-Id')).toMatch(/^gateway:/);
    expect(stored?.json()).toEqual(JSON.parse(JSON.stringify(event)));
    expect(JSON.stringify([...(stored?.header ?? [])])).not.toContain('600');
  });

  it('redelivers to another replica what a replica that died was handling, and never loses it', async () => {
    const deployment = admin.newDeployment();
    const doomedConnection = await connect({ servers: natsUrl(), name: 'doomed' });
    connections.push(doomedConnection);
    const doomed = createJetStreamBus(testContracts, {
      name: 'doomed',
      connection: doomedConnection,
      ackWaitMs: 1000,
      ...deployment,
    });
    await doomed.start();
    const survivor = bus(deployment, { ackWaitMs: 1000 });
    await survivor.start();
    const taken = deferred();
    await doomed.consume({
      subject: FACT,
      consumer: 'audit',
      handler: () => {
        taken.resolve();
        return new Promise<void>(() => undefined); // the process dies before it finishes
      },
    });
    const event = probe('orphan');
    await survivor.publish(FACT, event);
    await taken.promise;
    await doomedConnection.close();

    const attempts: number[] = [];
    subscriptions.push(
      await survivor.consume({
        subject: FACT,
        consumer: 'audit',
        handler: (envelope, delivery) => {
          if (envelope.id === event.id) {
            attempts.push(delivery.attempt);
          }
          return Promise.resolve();
        },
      }),
    );
    await waitFor('the redelivery to the survivor', () => attempts.length === 1, 10_000);
    expect(attempts).toEqual([2]);
  });

  it('dead-letters without running the handler a message redelivered after its last attempt never reported back', async () => {
    const deployment = admin.newDeployment();
    const doomedConnection = await connect({ servers: natsUrl(), name: 'doomed' });
    connections.push(doomedConnection);
    const doomed = createJetStreamBus(testContracts, {
      name: 'doomed',
      connection: doomedConnection,
      ackWaitMs: 1000,
      ...deployment,
    });
    await doomed.start();
    const taken = deferred();
    await doomed.consume({
      subject: FACT,
      consumer: 'audit',
      maxDeliver: 1,
      handler: () => {
        taken.resolve();
        return new Promise<void>(() => undefined);
      },
    });
    const survivor = bus(deployment, { ackWaitMs: 1000 });
    await survivor.start();
    await survivor.publish(FACT, probe('last-try'));
    await taken.promise;
    await doomedConnection.close();
    let calls = 0;
    subscriptions.push(
      await survivor.consume({
        subject: FACT,
        consumer: 'audit',
        maxDeliver: 1,
        handler: () => {
          calls += 1;
          return Promise.resolve();
        },
      }),
    );

    await waitFor('the dead letter', async () => (await admin.deadLetters(deployment.streamPrefix)).length === 1);
    const [letter] = await admin.deadLetters(deployment.streamPrefix);
    expect(letter).toMatchObject({ error: 'DeliveryAttemptsExhausted', attempts: 2, consumer: 'audit' });
    expect(calls).toBe(0);
  });

  it('keeps a long handler’s message claimed past the ack deadline instead of redelivering it', async () => {
    const deployment = admin.newDeployment();
    const sut = bus(deployment, { ackWaitMs: 1000 });
    await sut.start();
    const attempts: number[] = [];
    subscriptions.push(
      await sut.consume({
        subject: FACT,
        consumer: 'audit',
        concurrency: 4,
        handler: async (_envelope, delivery) => {
          attempts.push(delivery.attempt);
          await sleep(2500);
        },
      }),
    );
    await sut.publish(FACT, probe('slow'));
    await waitFor('the delivery', () => attempts.length === 1);
    await sleep(3000);
    expect(attempts).toEqual([1]);
  });

  it('reports readiness with ping, and refuses work before start and after close', async () => {
    const sut = bus(admin.newDeployment());
    await expect(sut.ping()).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(sut.publish(FACT, probe('early'))).rejects.toThrow('not started');
    await sut.start();
    await sut.start(); // idempotent
    await expect(sut.ping()).resolves.toBeUndefined();
    await sut.close();
    await expect(sut.ping()).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(sut.publish(FACT, probe('late'))).rejects.toThrow('closed');
  });

  it('leaves a connection it was given open on close', async () => {
    const nc = await connect({ servers: natsUrl() });
    connections.push(nc);
    const sut = createJetStreamBus(testContracts, { name: 'shared', connection: nc, ...admin.newDeployment() });
    await sut.start();
    await sut.close();
    expect(nc.isClosed()).toBe(false);
  });
});
