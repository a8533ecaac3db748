import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  PubHeaders,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import {
  connect,
  headers as createHeaders,
  errors,
  nanos,
  type Msg,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
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
import { assertMayPublish, assertMayServe, eventContract, rpcContract } from '../contract/contract-access.rules';
import { answerRequest } from '../delivery/answer-request';
import { deadLetterHeaders, describeFailure, type FailureDescription } from '../delivery/dead-letter.rules';
import { deliverEvent } from '../delivery/deliver-event';
import { deadLetterSubject, durableName, resolveDelivery, type ResolvedDelivery } from '../delivery/delivery.rules';
import { InFlight } from '../delivery/in-flight';
import { DEFAULT_REQUEST_TIMEOUT_MS, RPC_ERROR_HEADERS } from '../delivery/rpc.rules';
import { BusUnavailableError } from '../errors/bus-unavailable.error';
import { NoResponderError } from '../errors/no-responder.error';
import { RequestFailedError } from '../errors/request-failed.error';
import { RequestTimeoutError } from '../errors/request-timeout.error';
import type {
  ConsumeOptions,
  DeliveryContext,
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
import { AckBatcher } from './ack-batcher';
import { fromMsgHdrs, toMsgHdrs } from './nats-headers';
import { PubAckTracker } from './pub-ack-tracker';
import { PullWorker } from './pull-worker';
import {
  checkStreamPrefix,
  mergeSubjects,
  planStreams,
  streamName,
  wirePrefix,
  type StreamPlan,
} from './stream-topology.rules';

const HOUR_MS = 3_600_000;
const STREAM_NAME_IN_USE = 10058;

export interface JetStreamBusOptions {
  /** Connection name, shown by the server (e.g. the service name). */
  readonly name: string;
  /** Where to connect when no `connection` is given. */
  readonly servers?: string | readonly string[];
  /** An existing connection to reuse; the bus then never closes it. */
  readonly connection?: NatsConnection;
  /** TLS and credentials for a connection the bus opens itself. */
  readonly connectionOptions?: Omit<NodeConnectionOptions, 'servers' | 'name'>;
  /** Stream names are `<streamPrefix>_<OWNER>` and `<streamPrefix>_DEADLETTER`. Default `TRUSTLINE`. */
  readonly streamPrefix?: string;
  /** Prepended to every wire subject, so tests and shared clusters can isolate. Default ''. */
  readonly subjectPrefix?: string;
  /** How long streams keep events: as long as delivery needs, never longer than the erasure promise. Default 24 h. */
  readonly streamMaxAgeMs?: number;
  /** Server-side dedupe window for `msgID` (= envelope id). Default 2 min. */
  readonly duplicateWindowMs?: number;
  /** Stream replicas in a cluster. Default 1. */
  readonly replicas?: number;
  /** How long dead letters are kept for inspection. Default 7 days. */
  readonly deadLetterMaxAgeMs?: number;
  /** Time a handler has before the server redelivers; the bus extends it while a handler runs. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Default request timeout. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** How long a publish waits for its PubAck. Default 10 s. */
  readonly publishTimeoutMs?: number;
  readonly logger?: MessagingLogger;
}

interface Settings {
  readonly streamPrefix: string;
  readonly prefix: string;
  readonly streamMaxAgeMs: number;
  readonly duplicateWindowMs: number;
  readonly replicas: number;
  readonly deadLetterMaxAgeMs: number;
  readonly ackWaitMs: number;
  readonly requestTimeoutMs: number;
  readonly publishTimeoutMs: number;
}

interface Connected {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly pubAcks: PubAckTracker;
}

const encoder = new TextEncoder();

/** The distributed transport: NATS JetStream streams and durable pull consumers, core NATS for request/reply. */
export class JetStreamBus<R extends ContractRegistry> implements MessageBus<R>, SerializedPublisher {
  readonly persistent = true;
  private readonly settings: Settings;
  private readonly logger: MessagingLogger;
  private connected: Connected | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly subscriptions = new Set<Subscription>();
  private readonly acks = new AckBatcher();
  /** Messages whose handlers are running, with when they started: kept claimed by `working()` while they run. */
  private readonly running = new Map<JsMsg, number>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    readonly registry: R,
    private readonly options: JetStreamBusOptions,
  ) {
    if (!options.connection && !options.servers) {
      throw new RangeError('createJetStreamBus needs `servers` or `connection`');
    }
    this.logger = options.logger ?? noopLogger;
    this.settings = {
      streamPrefix: checkStreamPrefix(options.streamPrefix ?? 'TRUSTLINE'),
      prefix: wirePrefix(options.subjectPrefix ?? ''),
      streamMaxAgeMs: options.streamMaxAgeMs ?? 24 * HOUR_MS,
      duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      replicas: options.replicas ?? 1,
      deadLetterMaxAgeMs: options.deadLetterMaxAgeMs ?? 7 * 24 * HOUR_MS,
      ackWaitMs: options.ackWaitMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      publishTimeoutMs: options.publishTimeoutMs ?? 10_000,
    };
  }

  /** The wire subject for a contract subject (with the subject prefix). */
  wireSubject(subject: string): string {
    return `${this.settings.prefix}${subject}`;
  }

  start(): Promise<void> {
    if (this.closing) {
      return Promise.reject(new BusUnavailableError('closed'));
    }
    this.starting ??= this.connectAndEnsureStreams().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async publish<S extends EventSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options: PublishOptions = {},
  ): Promise<void> {
    await this.publishSerialized(subject, envelope, JSON.stringify(envelope), options);
  }

  async publishSerialized(
    subject: string,
    envelope: { readonly id: string; readonly producer: string },
    body: string,
    options: PublishOptions = {},
  ): Promise<void> {
    const { pubAcks } = this.ready();
    assertMayPublish(eventContract(this.registry, subject, 'publish'), subject, envelope.producer);
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject };
    await withOutgoingSpan(`${subject} publish`, SpanKind.PRODUCER, options.headers ?? {}, attributes, async (hdrs) => {
      const msgHdrs = toMsgHdrs(hdrs);
      msgHdrs.set(PubHeaders.MsgIdHdr, envelope.id);
      const ack = await pubAcks.publish(this.wireSubject(subject), body, msgHdrs);
      if (ack.duplicate) {
        this.logger.debug({ subject, eventId: envelope.id, seq: ack.seq }, 'duplicate publish dropped by the stream');
      }
    });
  }

  async consume<S extends EventSubjectOf<R>>(options: ConsumeOptions<R, S>): Promise<Subscription> {
    const { nc, js, jsm } = this.ready();
    const { subject, consumer } = options;
    const contract = eventContract(this.registry, subject, 'consume');
    const delivery = resolveDelivery(options);
    const stream = streamName(this.settings.streamPrefix, contract.owner);
    const durable = durableName(consumer, subject);
    await jsm.consumers.add(stream, {
      durable_name: durable,
      description: `${consumer} consuming ${subject}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.wireSubject(subject),
      ack_wait: nanos(this.settings.ackWaitMs),
      // The client counts attempts and dead-letters after maxDeliver; the server must never drop a message
      // silently, which it would do (advisory only) on reaching its own max_deliver.
      max_deliver: -1,
    });
    const worker = new PullWorker(
      await js.consumers.get(stream, durable),
      {
        concurrency: delivery.concurrency,
        expiresMs: 10_000,
        isClosed: () => nc.isClosed(),
        logger: this.logger,
        labels: { subject, consumer },
      },
      (msg) => this.deliver(msg, subject, consumer, delivery, options.handler),
    );
    worker.start();
    this.logger.info({ subject, consumer, stream, durable }, 'consuming');
    return this.track(() => worker.stop());
  }

  async request<S extends RpcSubjectOf<R>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<R, S>>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<R, S>> {
    const { nc } = this.ready();
    assertMayPublish(rpcContract(this.registry, subject, 'request'), subject, envelope.producer);
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs;
    const attributes = { 'rpc.system': 'nats', 'rpc.method': subject };
    const reply = await withOutgoingSpan(`${subject} request`, SpanKind.CLIENT, {}, attributes, async (hdrs) => {
      try {
        return await nc.request(this.wireSubject(subject), JSON.stringify(envelope), {
          timeout: timeoutMs,
          headers: toMsgHdrs(hdrs),
        });
      } catch (error) {
        if (error instanceof errors.TimeoutError) {
          throw new RequestTimeoutError(subject, timeoutMs);
        }
        if (error instanceof errors.RequestError && error.isNoResponders()) {
          throw new NoResponderError(subject);
        }
        throw error;
      }
    });
    const remoteError = reply.headers?.get(RPC_ERROR_HEADERS.error);
    if (remoteError) {
      throw new RequestFailedError(subject, remoteError, reply.headers?.get(RPC_ERROR_HEADERS.detail) || undefined);
    }
    return validateResponse(this.registry, subject, JSON.parse(reply.string()));
  }

  async serve<S extends RpcSubjectOf<R>>(
    subject: S,
    service: ServiceName,
    handler: RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>,
  ): Promise<Subscription> {
    const { nc } = this.ready();
    assertMayServe(rpcContract(this.registry, subject, 'serve'), subject, service);
    const inFlight = new InFlight();
    const sub = nc.subscribe(this.wireSubject(subject), {
      queue: service,
      callback: (error, msg) => {
        if (error) {
          this.logger.error({ subject, service, error: error.name }, 'rpc subscription failed');
          return;
        }
        inFlight.track(this.answer(msg, subject, service, handler));
      },
    });
    // The subscription is known to the server once a round trip has passed: requests made after serve()
    // resolves find their responder.
    await nc.flush();
    this.logger.info({ subject, service }, 'serving');
    return this.track(async () => {
      await sub.drain().catch(() => undefined);
      await inFlight.idle();
    });
  }

  async ping(): Promise<void> {
    const { nc, jsm } = this.ready();
    if (nc.isClosed() || nc.isDraining()) {
      throw new BusUnavailableError('connection closed');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new BusUnavailableError('JetStream did not answer within 3 s')), 3000);
    });
    try {
      await Promise.race([jsm.getAccountInfo(), timeout]);
    } catch (error) {
      throw error instanceof BusUnavailableError
        ? error
        : new BusUnavailableError('JetStream not usable', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => undefined);
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      clearInterval(this.keepAlive);
      this.connected?.pubAcks.close();
      const nc = this.connected?.nc;
      if (nc && !this.options.connection && !nc.isClosed()) {
        await nc.drain();
      }
      this.logger.info({ connection: this.options.name }, 'message bus closed');
    })();
    return this.closing;
  }

  private ready(): Connected {
    if (this.closing) {
      throw new BusUnavailableError('closed');
    }
    if (!this.connected) {
      throw new BusUnavailableError('not started: call start() first');
    }
    return this.connected;
  }

  /** The connection for work already under way, which may finish while the bus is closing. */
  private connection(): Connected {
    if (!this.connected) {
      throw new BusUnavailableError('not started: call start() first');
    }
    return this.connected;
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

  private async connectAndEnsureStreams(): Promise<void> {
    const nc =
      this.options.connection ??
      (await connect({
        maxReconnectAttempts: -1,
        // nats.js otherwise builds an Error (with stack) per request, i.e. per PubAck: a fifth of publish CPU.
        noAsyncTraces: true,
        ...this.options.connectionOptions,
        servers: typeof this.options.servers === 'string' ? this.options.servers : [...(this.options.servers ?? [])],
        name: this.options.name,
      }));
    const jsm = await jetstreamManager(nc);
    for (const plan of planStreams(this.registry, this.settings.streamPrefix, this.settings.prefix)) {
      await this.ensureStream(jsm, plan);
    }
    const inboxPrefix = this.options.connectionOptions?.inboxPrefix;
    this.connected = {
      nc,
      js: jetstream(nc),
      jsm,
      pubAcks: new PubAckTracker(nc, this.settings.publishTimeoutMs, inboxPrefix),
    };
    await nc.flush();
    this.startKeepAlive();
    this.logger.info({ connection: this.options.name, server: nc.getServer() }, 'message bus started');
  }

  /** Create-or-update, safe against other processes doing the same at the same moment. */
  private async ensureStream(jsm: JetStreamManager, plan: StreamPlan): Promise<void> {
    const isDeadLetter = plan.subjects.some((subject) => subject.endsWith('deadletter.>'));
    const maxAgeMs = isDeadLetter ? this.settings.deadLetterMaxAgeMs : this.settings.streamMaxAgeMs;
    const desired: Partial<StreamConfig> & { name: string } = {
      name: plan.name,
      subjects: [...plan.subjects],
      description: plan.description,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(maxAgeMs),
      duplicate_window: nanos(Math.min(this.settings.duplicateWindowMs, maxAgeMs)),
      num_replicas: this.settings.replicas,
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const existing = await this.streamInfo(jsm, plan.name);
      if (!existing) {
        try {
          await jsm.streams.add(desired);
          this.logger.info({ stream: plan.name }, 'stream created');
          return;
        } catch (error) {
          if (error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE) {
            continue; // another process created it first: go the update way
          }
          throw error;
        }
      }
      const subjects = mergeSubjects(existing.config.subjects ?? [], plan.subjects);
      const current = existing.config;
      if (
        subjects.length !== (current.subjects ?? []).length ||
        current.max_age !== desired.max_age ||
        current.duplicate_window !== desired.duplicate_window ||
        current.num_replicas !== desired.num_replicas
      ) {
        await jsm.streams.update(plan.name, {
          subjects,
          max_age: desired.max_age,
          duplicate_window: desired.duplicate_window,
          num_replicas: desired.num_replicas,
        });
        this.logger.info({ stream: plan.name }, 'stream updated');
      }
      return;
    }
    throw new BusUnavailableError(`could not create or update stream ${plan.name}`);
  }

  private async streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
    try {
      return await jsm.streams.info(name);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === 10059) {
        return undefined;
      }
      throw error;
    }
  }

  private async deliver<S extends EventSubjectOf<R>>(
    msg: JsMsg,
    subject: S,
    consumer: ServiceName,
    delivery: ResolvedDelivery,
    handler: EventHandler<PayloadOf<R, S>>,
  ): Promise<void> {
    const attempt = msg.info.deliveryCount;
    const headers = fromMsgHdrs(msg.headers);
    const incoming = {
      registry: this.registry,
      subject,
      consumer,
      attempt,
      body: msg.string(),
      headers,
      delivery,
      // While the handler runs, the keep-alive tells the server the message is still being worked on.
      handler: async (envelope: EventEnvelope<PayloadOf<R, S>>, context: DeliveryContext) => {
        this.running.set(msg, performance.now());
        try {
          await handler(envelope, context);
        } finally {
          this.running.delete(msg);
        }
      },
      system: 'nats' as const,
      logger: this.logger,
    };
    await deliverEvent(incoming, {
      ack: () => this.acks.defer(() => msg.ack()),
      retryAfter: (delayMs) => this.acks.defer(() => msg.nak(delayMs)),
      deadLetter: (failure) => this.deadLetter(msg, subject, consumer, attempt, headers, failure, delivery),
    });
  }

  /** Long handlers keep their claim on the message instead of having it redelivered to another replica. */
  private startKeepAlive(): void {
    const every = Math.max(100, Math.floor(this.settings.ackWaitMs / 3));
    this.keepAlive = setInterval(() => {
      if (this.connected?.nc.isClosed() !== false) {
        return;
      }
      const due = performance.now() - every;
      for (const [msg, startedAt] of this.running) {
        if (startedAt <= due) {
          this.acks.defer(() => msg.working());
        }
      }
    }, every);
    this.keepAlive.unref();
  }

  private async deadLetter(
    msg: JsMsg,
    subject: string,
    consumer: ServiceName,
    attempts: number,
    headers: Record<string, string>,
    failure: FailureDescription,
    delivery: ResolvedDelivery,
  ): Promise<void> {
    const { pubAcks } = this.connection();
    try {
      const msgHdrs = toMsgHdrs(deadLetterHeaders(headers, { subject, consumer, attempts, failure }));
      msgHdrs.set(PubHeaders.MsgIdHdr, `${consumer}:${msg.info.stream}:${msg.seq}`);
      await pubAcks.publish(this.wireSubject(deadLetterSubject(consumer, subject)), msg.data, msgHdrs);
      this.acks.defer(() => msg.term());
      this.logger.warn({ subject, consumer, seq: msg.seq, attempts, ...failure }, 'message dead-lettered');
    } catch (error) {
      // Not dead-lettered yet: leave it with the stream and try again on the next delivery.
      this.logger.error({ subject, consumer, seq: msg.seq, error: describeFailure(error).error }, 'dead-letter failed');
      this.acks.defer(() => msg.nak(delivery.backoffMs[delivery.backoffMs.length - 1]));
    }
  }

  private async answer<S extends RpcSubjectOf<R>>(
    msg: Msg,
    subject: S,
    service: ServiceName,
    handler: RpcHandler<PayloadOf<R, S>, ResponseOf<R, S>>,
  ): Promise<void> {
    const answered = await answerRequest({
      registry: this.registry,
      subject,
      service,
      body: msg.string(),
      headers: fromMsgHdrs(msg.headers),
      handler,
      system: 'nats',
      logger: this.logger,
    });
    if ('response' in answered) {
      msg.respond(encoder.encode(answered.response));
      return;
    }
    const reply = createHeaders();
    reply.set(RPC_ERROR_HEADERS.error, answered.failure.error);
    if (answered.failure.detail) {
      reply.set(RPC_ERROR_HEADERS.detail, answered.failure.detail);
    }
    msg.respond(new Uint8Array(0), { headers: reply });
  }
}

export function createJetStreamBus<R extends ContractRegistry>(
  registry: R,
  options: JetStreamBusOptions,
): JetStreamBus<R> {
  return new JetStreamBus(registry, options);
}
