import {
  validateResponse,
  type ContractRegistry,
  type EventEnvelope,
  type EventSubjectOf,
  type PayloadOf,
  type ResponseOf,
  type RpcSubjectOf,
  type ServiceName,
} from '@trustline/contracts';
import { AsyncResource } from 'node:async_hooks';
import { assertMayPublish, assertMayServe, eventContract, rpcContract } from '../contract/contract-access.rules';
import { answerRequest } from '../delivery/answer-request';
import type { DeadLetter, FailureDescription } from '../delivery/dead-letter.rules';
import { deliverEvent } from '../delivery/deliver-event';
import { resolveDelivery, type ResolvedDelivery } from '../delivery/delivery.rules';
import { InFlight } from '../delivery/in-flight';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../delivery/rpc.rules';
import { BusUnavailableError } from '../errors/bus-unavailable.error';
import { NoResponderError } from '../errors/no-responder.error';
import { RequestFailedError } from '../errors/request-failed.error';
import { RequestTimeoutError } from '../errors/request-timeout.error';
import type {
  ConsumeOptions,
  EventHandler,
  MessageBus,
  PublishOptions,
  RequestOptions,
  RpcHandler,
  SerializedPublisher,
  Subscription,
} from '../message-bus';
import { noopLogger, type MessagingLogger } from '../messaging-logger';
import { SpanKind, withOutgoingSpan } from '../tracing/trace-context';
import { DedupeWindow } from './dedupe-window';
import { DeliveryQueue, type QueuedMessage } from './delivery-queue';

export interface InProcessBusOptions {
  readonly logger?: MessagingLogger;
  /** Envelope ids seen within this window are dropped as duplicates. Default 2 min (as the JetStream streams). */
  readonly duplicateWindowMs?: number;
  /**
   * Events are kept this long for consumers that subscribe later (a stream's `deliver all`), e.g. when one
   * service's outbox relay starts before another service subscribes. Default 24 h.
   */
  readonly retentionMs?: number;
  /** Cap on events kept per subject for late subscribers. Default 10,000. */
  readonly maxRetainedPerSubject?: number;
  /** Default request timeout. Default 5 s. */
  readonly requestTimeoutMs?: number;
}

/** Runs `work` now; a synchronous throw becomes a rejected promise, as from the JetStream bus. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

interface RetainedMessage {
  readonly seq: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly publishedAt: number;
}

interface Responder {
  readonly service: ServiceName;
  readonly handler: RpcHandler<unknown, unknown>;
  readonly inFlight: InFlight;
}

/**
 * The standalone transport: no server, same delivery contract as JetStream (at-least-once, dedupe by envelope
 * id, redelivery with backoff, dead letter, one queue per consuming service). Envelopes cross it as JSON, so a
 * consumer never shares objects with the publisher. It lives in memory: what is queued when the process stops is
 * gone, which is why producers that must not lose events stage them in the outbox.
 */
export class InProcessBus<R extends ContractRegistry> implements MessageBus<R>, SerializedPublisher {
  readonly persistent = false;
  private readonly logger: MessagingLogger;
  private readonly dedupe: DedupeWindow;
  private readonly retentionMs: number;
  private readonly maxRetained: number;
  private readonly requestTimeoutMs: number;
  private readonly retained = new Map<string, RetainedMessage[]>();
  private readonly queues = new Map<string, Map<ServiceName, DeliveryQueue>>();
  private readonly responders = new Map<string, Responder[]>();
  private readonly nextResponder = new Map<string, number>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly dead: DeadLetter[] = [];
  // Handlers run in the async context the bus was created in, never in a publisher's (its request, its
  // transaction's logger fields...): only the trace context travels, through headers, as over NATS.
  private readonly detach = AsyncResource.bind((task: () => void): void => {
    setImmediate(task);
  });
  private seq = 0;
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly registry: R,
    options: InProcessBusOptions = {},
  ) {
    this.logger = options.logger ?? noopLogger;
    this.dedupe = new DedupeWindow(options.duplicateWindowMs ?? 120_000);
    this.retentionMs = options.retentionMs ?? 24 * 3_600_000;
    this.maxRetained = options.maxRetainedPerSubject ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  start(): Promise<void> {
    if (this.closing) {
      return Promise.reject(new BusUnavailableError('closed'));
    }
    this.started = true;
    return Promise.resolve();
  }

  publish<S extends EventSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options: PublishOptions = {},
  ): Promise<void> {
    return settle(() => JSON.stringify(envelope)).then((body) =>
      this.publishSerialized(subject, envelope, body, options),
    );
  }

  async publishSerialized(
    subject: string,
    envelope: { readonly id: string; readonly producer: string },
    body: string,
    options: PublishOptions = {},
  ): Promise<void> {
    this.assertReady();
    assertMayPublish(eventContract(this.registry, subject, 'publish'), subject, envelope.producer);
    if (!this.dedupe.firstSeen(envelope.id)) {
      this.logger.debug({ subject, eventId: envelope.id }, 'duplicate publish dropped');
      return;
    }
    const attributes = { 'messaging.system': 'in-process', 'messaging.destination.name': subject };
    await withOutgoingSpan(`${subject} publish`, SpanKind.PRODUCER, options.headers ?? {}, attributes, (headers) => {
      const message: RetainedMessage = { seq: (this.seq += 1), body, headers, publishedAt: performance.now() };
      this.retain(subject, message);
      for (const queue of this.queues.get(subject)?.values() ?? []) {
        queue.enqueue({ seq: message.seq, body: message.body, headers: message.headers, attempts: 0 });
      }
      return Promise.resolve();
    });
  }

  consume<S extends EventSubjectOf<R>>(options: ConsumeOptions<R, S>): Promise<Subscription> {
    return settle(() => this.subscribe(options));
  }

  private subscribe<S extends EventSubjectOf<R>>(options: ConsumeOptions<R, S>): Subscription {
    this.assertReady();
    const { subject, consumer, handler } = options;
    eventContract(this.registry, subject, 'consume');
    const delivery = resolveDelivery(options);
    const queue = this.queueFor(subject, consumer);
    const worker = {
      concurrency: delivery.concurrency,
      inFlight: new InFlight(),
      process: (message: QueuedMessage) => this.deliver(message, queue, subject, consumer, delivery, handler),
    };
    queue.addWorker(worker);
    this.logger.info({ subject, consumer }, 'consuming');
    return this.track(async () => {
      queue.removeWorker(worker);
      await worker.inFlight.idle();
    });
  }

  async request<S extends RpcSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<R, S>> {
    this.assertReady();
    assertMayPublish(rpcContract(this.registry, subject, 'request'), subject, envelope.producer);
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const attributes = { 'rpc.system': 'in-process', 'rpc.method': subject };
    const raw = await withOutgoingSpan(`${subject} request`, SpanKind.CLIENT, {}, attributes, (headers) => {
      const responder = this.pickResponder(subject);
      if (!responder) {
        throw new NoResponderError(subject);
      }
      return this.dispatchRequest(subject, responder, JSON.stringify(envelope), headers, timeoutMs);
    });
    return validateResponse(this.registry, subject, JSON.parse(raw));
  }

  serve<S extends RpcSubjectOf<R>>(
    subject: S,
    service: ServiceName,
    handler: RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>,
  ): Promise<Subscription> {
    return settle(() => this.addResponder(subject, service, handler));
  }

  private addResponder<S extends RpcSubjectOf<R>>(
    subject: S,
    service: ServiceName,
    handler: RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>,
  ): Subscription {
    this.assertReady();
    assertMayServe(rpcContract(this.registry, subject, 'serve'), subject, service);
    const responder: Responder = {
      service,
      handler: handler as RpcHandler<unknown, unknown>,
      inFlight: new InFlight(),
    };
    const list = this.responders.get(subject) ?? [];
    list.push(responder);
    this.responders.set(subject, list);
    this.logger.info({ subject, service }, 'serving');
    return this.track(async () => {
      const current = this.responders.get(subject) ?? [];
      this.responders.set(
        subject,
        current.filter((candidate) => candidate !== responder),
      );
      await responder.inFlight.idle();
    });
  }

  ping(): Promise<void> {
    return settle(() => this.assertReady());
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      for (const byConsumer of this.queues.values()) {
        for (const queue of byConsumer.values()) {
          queue.close();
        }
      }
      this.retained.clear();
      this.logger.info({}, 'message bus closed');
    })();
    return this.closing;
  }

  /** Messages consumers gave up on, oldest first (for tests and operators; kept in memory only). */
  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  private assertReady(): void {
    if (this.closing) {
      throw new BusUnavailableError('closed');
    }
    if (!this.started) {
      throw new BusUnavailableError('not started: call start() first');
    }
  }

  private track(stop: () => Promise<void>): Subscription {
    let stopping: Promise<void> | undefined;
    const subscription: Subscription = {
      stop: () => {
        stopping ??= stop().finally(() => this.subscriptions.delete(subscription));
        return stopping;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  private retain(subject: string, message: RetainedMessage): void {
    const list = this.retained.get(subject) ?? [];
    list.push(message);
    const cutoff = message.publishedAt - this.retentionMs;
    let drop = 0;
    while (drop < list.length && (list.length - drop > this.maxRetained || (list[drop]?.publishedAt ?? 0) < cutoff)) {
      drop += 1;
    }
    this.retained.set(subject, drop > 0 ? list.slice(drop) : list);
  }

  /** The consuming service's queue; a new one starts with the retained events, like `deliver all`. */
  private queueFor(subject: string, consumer: ServiceName): DeliveryQueue {
    const byConsumer = this.queues.get(subject) ?? new Map<ServiceName, DeliveryQueue>();
    this.queues.set(subject, byConsumer);
    let queue = byConsumer.get(consumer);
    if (!queue) {
      queue = new DeliveryQueue(this.detach);
      byConsumer.set(consumer, queue);
      const cutoff = performance.now() - this.retentionMs;
      for (const message of this.retained.get(subject) ?? []) {
        if (message.publishedAt >= cutoff) {
          queue.enqueue({ seq: message.seq, body: message.body, headers: message.headers, attempts: 0 });
        }
      }
    }
    return queue;
  }

  private async deliver<S extends EventSubjectOf<R>>(
    message: QueuedMessage,
    queue: DeliveryQueue,
    subject: S,
    consumer: ServiceName,
    delivery: ResolvedDelivery,
    handler: EventHandler<PayloadOf<R, S>>,
  ): Promise<void> {
    const incoming = {
      registry: this.registry,
      subject,
      consumer,
      attempt: message.attempts,
      body: message.body,
      headers: message.headers,
      delivery,
      handler,
      system: 'in-process' as const,
      logger: this.logger,
    };
    await deliverEvent(incoming, {
      ack: () => undefined, // done: the queue drops a message whose delivery resolved without a retry
      retryAfter: (delayMs) => queue.redeliverLater(message, delayMs),
      deadLetter: (failure) => this.deadLetter(message, subject, consumer, failure),
    });
  }

  private deadLetter(
    message: QueuedMessage,
    subject: string,
    consumer: ServiceName,
    failure: FailureDescription,
  ): void {
    this.dead.push({
      subject,
      consumer,
      attempts: message.attempts,
      error: failure.error,
      ...(failure.detail ? { detail: failure.detail } : {}),
      body: message.body,
      headers: { ...message.headers },
      deadLetteredAt: new Date().toISOString(),
    });
    this.logger.warn(
      { subject, consumer, seq: message.seq, attempts: message.attempts, ...failure },
      'message dead-lettered',
    );
  }

  private pickResponder(subject: string): Responder | undefined {
    const list = this.responders.get(subject) ?? [];
    if (list.length === 0) {
      return undefined;
    }
    const index = (this.nextResponder.get(subject) ?? 0) % list.length;
    this.nextResponder.set(subject, index + 1);
    return list[index];
  }

  private dispatchRequest(
    subject: RpcSubjectOf<R>,
    responder: Responder,
    body: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
      const answer = async (): Promise<string> => {
        const answered = await answerRequest({
          registry: this.registry,
          subject,
          service: responder.service,
          body,
          headers,
          handler: responder.handler,
          system: 'in-process',
          logger: this.logger,
        });
        if ('failure' in answered) {
          throw new RequestFailedError(subject, answered.failure.error, answered.failure.detail);
        }
        return answered.response;
      };
      this.detach(() => {
        const work = answer();
        responder.inFlight.track(work);
        void work.then(resolve, reject).finally(() => clearTimeout(timer));
      });
    });
  }
}

export function createInProcessBus<R extends ContractRegistry>(
  registry: R,
  options: InProcessBusOptions = {},
): InProcessBus<R> {
  return new InProcessBus(registry, options);
}
