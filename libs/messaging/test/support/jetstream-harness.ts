import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  createJetStreamBus,
  deadLetterStreamName,
  parseDeadLetter,
  type DeadLetter,
  type JetStreamBusOptions,
  type MessageBus,
} from '@trustline/messaging';
import type { BusHarness } from '../message-bus.contract';
import { testContracts, type TestContracts } from '../test-contracts';
import { uniqueName } from './wait';

export const natsUrl = (): string => process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

interface Deployment {
  readonly streamPrefix: string;
  readonly subjectPrefix: string;
}

/** Admin side of the tests: reads dead letters and deletes the streams the tests created. */
export class JetStreamAdmin {
  private connection: Promise<{ nc: NatsConnection; jsm: JetStreamManager }> | undefined;
  private readonly prefixes = new Set<string>();

  newDeployment(): Deployment {
    const streamPrefix = uniqueName('MT').toUpperCase();
    this.prefixes.add(streamPrefix);
    return { streamPrefix, subjectPrefix: streamPrefix.toLowerCase() };
  }

  async manager(): Promise<JetStreamManager> {
    this.connection ??= (async () => {
      const nc = await connect({ servers: natsUrl(), name: 'messaging-test-admin' });
      return { nc, jsm: await jetstreamManager(nc) };
    })();
    return (await this.connection).jsm;
  }

  async deadLetters(streamPrefix: string): Promise<DeadLetter[]> {
    const jsm = await this.manager();
    const stream = deadLetterStreamName(streamPrefix);
    const info = await jsm.streams.info(stream);
    const letters: DeadLetter[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
      const stored = await jsm.streams.getMessage(stream, { seq });
      if (stored) {
        const headers: Record<string, string> = {};
        for (const [key, values] of stored.header) {
          headers[key] = values[0] ?? '';
        }
        letters.push(parseDeadLetter(headers, new TextDecoder().decode(stored.data), stored.time.toISOString()));
      }
    }
    return letters;
  }

  async cleanup(): Promise<void> {
    if (this.prefixes.size === 0 && !this.connection) {
      return;
    }
    const jsm = await this.manager();
    for await (const info of jsm.streams.list()) {
      if ([...this.prefixes].some((prefix) => info.config.name.startsWith(`${prefix}_`))) {
        await jsm.streams.delete(info.config.name);
      }
    }
    const { nc } = (await this.connection) ?? {};
    await nc?.close();
  }
}

export function jetStreamHarness(options: Partial<JetStreamBusOptions> = {}): BusHarness {
  const admin = new JetStreamAdmin();
  const deployments = new Map<MessageBus<TestContracts>, Deployment>();

  async function busFor(deployment: Deployment): Promise<MessageBus<TestContracts>> {
    const bus = createJetStreamBus(testContracts, {
      name: 'messaging-test',
      servers: natsUrl(),
      ...deployment,
      ...options,
    });
    await bus.start();
    deployments.set(bus, deployment);
    return bus;
  }

  function deploymentOf(bus: MessageBus<TestContracts>): Deployment {
    const deployment = deployments.get(bus);
    if (!deployment) {
      throw new Error('bus not created by this harness');
    }
    return deployment;
  }

  return {
    createBus: () => busFor(admin.newDeployment()),
    createReplica: (bus) => busFor(deploymentOf(bus)),
    deadLetters: (bus) => admin.deadLetters(deploymentOf(bus).streamPrefix),
    cleanup: () => admin.cleanup(),
  };
}
