import type {
  ContractRegistry,
  EventEnvelope,
  EventSubjectOf,
  PayloadOf,
  ResponseOf,
  RpcSubjectOf,
  ServiceName,
} from '@trustline/contracts';

/** What a consumer learns about one delivery besides the envelope. */
export interface DeliveryContext {
  /** The contract subject (without any wire prefix). */
  readonly subject: string;
  /** The consuming service (its durable consumer and queue group). */
  readonly consumer: ServiceName;
  /** 1 on the first delivery, 2 on the first redelivery, and so on. */
  readonly attempt: number;
  readonly redelivered: boolean;
  /** Transport headers as published (trace context, caller-supplied headers). */
  readonly headers: Readonly<Record<string, string>>;
}

export type EventHandler<T> = (envelope: EventEnvelope<T>, context: DeliveryContext) => Promise<void>;

export type RpcHandler<P, Q> = (envelope: EventEnvelope<P>) => Promise<Q>;

/** How one subscription is delivered to; all optional fields have platform defaults (see delivery.rules.ts). */
export interface DeliveryOptions {
  /** Handler attempts before the message is dead-lettered. Default 5. */
  readonly maxDeliver?: number;
  /** Delay before redelivery after the n-th failed attempt (last entry repeats). Default [100, 500, 2000, 5000]. */
  readonly backoffMs?: readonly number[];
  /** Handlers in flight at once for this subscription. Default 16. */
  readonly concurrency?: number;
}

export interface ConsumeOptions<R extends ContractRegistry, S extends EventSubjectOf<R>> extends DeliveryOptions {
  readonly subject: S;
  /** The consuming service: its durable consumer `<consumer>--<subject>` is shared by all its replicas. */
  readonly consumer: ServiceName;
  readonly handler: EventHandler<PayloadOf<R, S>>;
}

export interface PublishOptions {
  /** Extra transport headers. A `traceparent` here (e.g. captured by the outbox) wins over the active context. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestOptions {
  /** How long to wait for the reply. Default 5000 ms. */
  readonly timeoutMs?: number;
}

export interface Subscription {
  /** Stops taking new messages and resolves once the handlers in flight have finished. */
  stop(): Promise<void>;
}

/**
 * One typed API over both transports (NATS JetStream, in-process). Delivery contract, identical for both:
 * at-least-once; duplicates of one envelope id are dropped within the duplicate window; a handler that throws
 * gets the message again after a backoff; after `maxDeliver` failed attempts, or at once when the payload breaks
 * its contract, the message goes to dead letter; replicas of one consumer service share the work.
 */
export interface MessageBus<R extends ContractRegistry> {
  readonly registry: R;
  /**
   * Whether an accepted publish survives this process crashing (JetStream: yes; in-process: no). A producer that
   * must not lose an event on a memory-only bus stages it in its outbox instead.
   */
  readonly persistent: boolean;
  /** Connects and ensures streams (idempotent, safe when several processes start at once). */
  start(): Promise<void>;
  /** Resolves once the event is durably accepted. Refuses when `envelope.producer` may not publish `subject`. */
  publish<S extends EventSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options?: PublishOptions,
  ): Promise<void>;
  consume<S extends EventSubjectOf<R>>(options: ConsumeOptions<R, S>): Promise<Subscription>;
  request<S extends RpcSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options?: RequestOptions,
  ): Promise<ResponseOf<R, S>>;
  /** Answers requests on `subject`; `service` must own it and is the queue group, so replicas share requests. */
  serve<S extends RpcSubjectOf<R>>(
    subject: S,
    service: ServiceName,
    handler: RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>,
  ): Promise<Subscription>;
  /** For readiness probes: throws when the transport is not usable. */
  ping(): Promise<void>;
  /** Stops consuming and serving, waits for the handlers in flight, then closes the transport. */
  close(): Promise<void>;
}

/**
 * Internal (not exported from the lib): publishing an envelope that is already JSON, as the outbox keeps it, so
 * the relay does not parse and re-serialise every row. Same checks and delivery as `publish`.
 */
export interface SerializedPublisher {
  publishSerialized(
    subject: string,
    envelope: { readonly id: string; readonly producer: string },
    body: string,
    options?: PublishOptions,
  ): Promise<void>;
}

export function canPublishSerialized(bus: object): bus is SerializedPublisher {
  return typeof (bus as Partial<SerializedPublisher>).publishSerialized === 'function';
}
