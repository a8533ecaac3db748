export { createBusFromEnv, natsConnectionOptions } from './config/bus-from-env';
export { natsEnv, type NatsEnv } from './config/nats.env';
export { DEAD_LETTER_HEADERS, parseDeadLetter, type DeadLetter } from './delivery/dead-letter.rules';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_DELIVER,
  deadLetterSubject,
  durableName,
} from './delivery/delivery.rules';
export { MicroBatcher, type MicroBatcherOptions } from './delivery/micro-batcher';
export { DEFAULT_REQUEST_TIMEOUT_MS, RPC_ERROR_HEADERS } from './delivery/rpc.rules';
export { BusUnavailableError } from './errors/bus-unavailable.error';
export { ContractKindError } from './errors/contract-kind.error';
export { NoResponderError } from './errors/no-responder.error';
export { NotOwnerError } from './errors/not-owner.error';
export { PublishFailedError } from './errors/publish-failed.error';
export { PublisherNotAllowedError } from './errors/publisher-not-allowed.error';
export { RequestFailedError } from './errors/request-failed.error';
export { RequestTimeoutError } from './errors/request-timeout.error';
export { RetryLaterError } from './errors/retry-later.error';
export { InProcessBus, createInProcessBus, type InProcessBusOptions } from './in-process/in-process.bus';
export { Inbox, claimInboxEntry } from './inbox/inbox';
export { InboxEventEntity } from './inbox/inbox-event.entity';
export { JetStreamBus, createJetStreamBus, type JetStreamBusOptions } from './jetstream/jetstream.bus';
export { deadLetterStreamName, streamName } from './jetstream/stream-topology.rules';
export type {
  ConsumeOptions,
  DeliveryContext,
  DeliveryOptions,
  EventHandler,
  MessageBus,
  PublishOptions,
  RequestOptions,
  RpcHandler,
  Subscription,
} from './message-bus';
export { messagingEntities } from './messaging-entities';
export { noopLogger, type MessagingLogger } from './messaging-logger';
export { CreateMessagingTables1700000000000 } from './migrations/1700000000000-CreateMessagingTables';
export { createMessagingTables, dropMessagingTables } from './migrations/messaging-tables';
export { EventPublisher, type EnvelopeFields } from './nest/event-publisher';
export { MESSAGE_BUS, MESSAGING_SERVICE } from './nest/messaging.constants';
export { InjectMessageBus, OnEvent, OnRequest } from './nest/messaging.decorators';
export { MessagingModule, type MessagingModuleOptions } from './nest/messaging.module';
export { OutboxModule, type OutboxModuleOptions } from './nest/outbox.module';
export { Outbox, type OutboxItem, type StageFn } from './outbox/outbox';
export { OutboxEventEntity } from './outbox/outbox-event.entity';
export { OutboxRelay, type OutboxClaimMode, type OutboxRelayOptions, type RelayPass } from './outbox/outbox.relay';
export { captureTraceHeaders } from './tracing/trace-context';
