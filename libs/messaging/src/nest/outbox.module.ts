import {
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { ContractRegistry } from '@trustline/contracts';
import type { DataSource } from 'typeorm';
import { Inbox } from '../inbox/inbox';
import type { MessageBus } from '../message-bus';
import { Outbox } from '../outbox/outbox';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox.relay';
import { MESSAGE_BUS } from './messaging.constants';

export interface OutboxModuleOptions {
  /** Name of the TypeORM DataSource (TypeOrmModule.forRoot({ name })); the default one when absent. */
  readonly dataSourceName?: string;
  readonly relay?: OutboxRelayOptions;
}

/** Runs the relay for the application's lifetime: after bootstrap until just before shutdown. */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly relay: OutboxRelay<ContractRegistry>) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * Outbox, Inbox and the relay over the application's TypeORM DataSource (@nestjs/typeorm) and the bus of
 * MessagingModule. The service's migrations must include CreateMessagingTables1700000000000.
 */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions = {}): DynamicModule {
    const dataSource = getDataSourceToken(options.dataSourceName);
    return {
      module: OutboxModule,
      global: true,
      providers: [
        {
          provide: OutboxRelay,
          useFactory: (source: DataSource, bus: MessageBus<ContractRegistry>) =>
            new OutboxRelay(source, bus, options.relay),
          inject: [dataSource, MESSAGE_BUS],
        },
        {
          provide: Outbox,
          useFactory: (bus: MessageBus<ContractRegistry>, relay: OutboxRelay<ContractRegistry>) =>
            new Outbox(bus.registry, relay),
          inject: [MESSAGE_BUS, OutboxRelay],
        },
        { provide: Inbox, useFactory: (source: DataSource) => new Inbox(source), inject: [dataSource] },
        OutboxRelayLifecycle,
      ],
      exports: [Outbox, Inbox, OutboxRelay],
    };
  }
}
