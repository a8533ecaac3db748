import { Inject, SetMetadata } from '@nestjs/common';
import type {
  ContractRegistry,
  Contracts,
  EventSubjectOf,
  PayloadOf,
  ResponseOf,
  RpcSubjectOf,
} from '@trustline/contracts';
import type { DeliveryOptions, EventHandler, RpcHandler } from '../message-bus';
import { MESSAGE_BUS, ON_EVENT_METADATA, ON_REQUEST_METADATA } from './messaging.constants';

export interface OnEventMetadata {
  readonly subject: string;
  readonly options: DeliveryOptions;
}

export interface OnRequestMetadata {
  readonly subject: string;
}

type MethodDecorator<T> = (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void;

/**
 * Marks a provider method as this service's handler for an event subject; it is subscribed at application
 * bootstrap (durable consumer `<service>--<subject>`) and drained at shutdown. The method's signature is checked
 * against the subject's payload. For a registry other than the platform's, pass it: `@OnEvent<MyRegistry, 's'>('s')`.
 */
export function OnEvent<R extends ContractRegistry = Contracts, S extends EventSubjectOf<R> = EventSubjectOf<R>>(
  subject: S,
  options: DeliveryOptions = {},
): MethodDecorator<EventHandler<PayloadOf<R, S>>> {
  const metadata: OnEventMetadata = { subject, options };
  return (target, key, descriptor) => {
    SetMetadata(ON_EVENT_METADATA, metadata)(target, key, descriptor);
  };
}

/** Marks a provider method as the responder for an rpc subject this service owns (queue group = the service). */
export function OnRequest<R extends ContractRegistry = Contracts, S extends RpcSubjectOf<R> = RpcSubjectOf<R>>(
  subject: S,
): MethodDecorator<RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>> {
  const metadata: OnRequestMetadata = { subject };
  return (target, key, descriptor) => {
    SetMetadata(ON_REQUEST_METADATA, metadata)(target, key, descriptor);
  };
}

/** Injects the MessageBus given to MessagingModule.forRoot. */
export function InjectMessageBus(): ParameterDecorator & PropertyDecorator {
  return Inject(MESSAGE_BUS);
}
