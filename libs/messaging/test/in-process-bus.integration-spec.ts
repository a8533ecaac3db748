import { createInProcessBus, InProcessBus } from '@trustline/messaging';
import { describeMessageBusContract } from './message-bus.contract';
import { testContracts } from './test-contracts';

describeMessageBusContract('in-process', () => ({
  async createBus() {
    const bus = createInProcessBus(testContracts);
    await bus.start();
    return bus;
  },
  createReplica: (bus) => Promise.resolve(bus),
  deadLetters: (bus) => Promise.resolve(bus instanceof InProcessBus ? bus.deadLetters() : []),
  cleanup: () => Promise.resolve(),
}));
