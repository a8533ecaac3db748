import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ContractRegistry, ServiceName } from '@trustline/contracts';
import type { MessageBus } from '../message-bus';
import { EventPublisher } from './event-publisher';
import { MESSAGE_BUS, MESSAGING_SERVICE } from './messaging.constants';
import { MessagingExplorer } from './messaging.explorer';

export interface MessagingModuleOptions<R extends ContractRegistry> {
  /** Created by the application from its config (createBusFromEnv); closed by it after app.close(). */
  readonly bus: MessageBus<R>;
  /** The service this application is: producer of what it publishes, consumer name of what it handles. */
  readonly service: ServiceName;
}

/** Global: provides the bus (MESSAGE_BUS), the EventPublisher, and wires @OnEvent / @OnRequest handlers. */
@Module({})
export class MessagingModule {
  static forRoot<R extends ContractRegistry>(options: MessagingModuleOptions<R>): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGE_BUS, useValue: options.bus },
        { provide: MESSAGING_SERVICE, useValue: options.service },
        EventPublisher,
        MessagingExplorer,
      ],
      exports: [MESSAGE_BUS, MESSAGING_SERVICE, EventPublisher],
    };
  }
}
