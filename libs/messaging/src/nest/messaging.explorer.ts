import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ContractRegistry, EventSubjectOf, RpcSubjectOf, ServiceName } from '@trustline/contracts';
import type { DeliveryContext, MessageBus, Subscription } from '../message-bus';
import { MESSAGE_BUS, MESSAGING_SERVICE, ON_EVENT_METADATA, ON_REQUEST_METADATA } from './messaging.constants';
import type { OnEventMetadata, OnRequestMetadata } from './messaging.decorators';

type Handler = (...args: unknown[]) => Promise<unknown>;

/**
 * Starts the bus, subscribes every @OnEvent / @OnRequest method of this application's providers and controllers at
 * bootstrap, and stops them (in-flight handlers finish) before shutdown. Closing the bus is left to whoever
 * created it: in standalone mode one bus serves all six applications.
 */
@Injectable()
export class MessagingExplorer implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus<ContractRegistry>,
    @Inject(MESSAGING_SERVICE) private readonly service: ServiceName,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) {
        continue;
      }
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') {
          continue;
        }
        const handler: Handler = (method as Handler).bind(instance);
        const onEvent = this.reflector.get<OnEventMetadata | undefined>(ON_EVENT_METADATA, method);
        if (onEvent) {
          this.subscriptions.push(
            await this.bus.consume({
              ...onEvent.options,
              subject: onEvent.subject as EventSubjectOf<ContractRegistry>,
              consumer: this.service,
              handler: (envelope, context: DeliveryContext) => handler(envelope, context).then(() => undefined),
            }),
          );
        }
        const onRequest = this.reflector.get<OnRequestMetadata | undefined>(ON_REQUEST_METADATA, method);
        if (onRequest) {
          this.subscriptions.push(
            await this.bus.serve(onRequest.subject as RpcSubjectOf<ContractRegistry>, this.service, (envelope) =>
              handler(envelope),
            ),
          );
        }
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  }
}
