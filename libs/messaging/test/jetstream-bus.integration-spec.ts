import { describeMessageBusContract } from './message-bus.contract';
import { jetStreamHarness } from './support/jetstream-harness';

describeMessageBusContract('NATS JetStream', () => jetStreamHarness());
