import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  contracts,
  validateEvent,
  type Contracts,
  type EventEnvelope,
  type EventSubject,
  type Payload,
} from '@trustline/contracts';
import { createJetStreamBus, type JetStreamBus } from '@trustline/messaging';
import type { NatsPlace } from './distributed-platform';

interface Waiter<T> {
  readonly matches: (envelope: EventEnvelope<T>) => boolean;
  readonly resolve: (envelope: EventEnvelope<T>) => void;
}

/** Every event seen on one subject, in arrival order, each validated against its contract. */
export class EventLog<S extends EventSubject> {
  readonly envelopes: EventEnvelope<Payload<S>>[] = [];
  /** Envelopes seen again with an id seen before (outbox relays publish at least once). */
  republished = 0;
  private readonly ids = new Set<string>();
  /** Events that broke their contract: a test expects none. */
  readonly violations: string[] = [];
  private readonly waiters = new Set<Waiter<Payload<S>>>();
  private readonly changes = new Set<() => void>();
  private readonly listeners: ((envelope: EventEnvelope<Payload<S>>) => void)[] = [];

  constructor(readonly subject: S) {}

  receive(raw: unknown): void {
    let envelope: EventEnvelope<Payload<S>>;
    try {
      envelope = validateEvent(contracts, this.subject, raw);
    } catch (error) {
      this.violations.push(error instanceof Error ? error.message : 'invalid');
      return;
    }
    // A core subscription sees a re-published envelope again (JetStream drops it by id; services' inboxes too).
    if (this.ids.has(envelope.id)) {
      this.republished += 1;
      return;
    }
    this.ids.add(envelope.id);
    this.envelopes.push(envelope);
    for (const waiter of this.waiters) {
      if (waiter.matches(envelope)) {
        this.waiters.delete(waiter);
        waiter.resolve(envelope);
      }
    }
    for (const listener of this.listeners) {
      listener(envelope);
    }
    for (const change of this.changes) {
      change();
    }
  }

  /** Calls `listener` with every event, those seen already first. */
  listen(listener: (envelope: EventEnvelope<Payload<S>>) => void): void {
    this.envelopes.forEach(listener);
    this.listeners.push(listener);
  }

  filter(matches: (data: Payload<S>) => boolean): EventEnvelope<Payload<S>>[] {
    return this.envelopes.filter((envelope) => matches(envelope.data));
  }

  /** The first event (seen already or still to come) that matches. */
  next(matches: (data: Payload<S>) => boolean, timeoutMs: number, what: string): Promise<EventEnvelope<Payload<S>>> {
    const seen = this.envelopes.find((envelope) => matches(envelope.data));
    if (seen !== undefined) {
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter<Payload<S>> = {
        matches: (envelope) => matches(envelope.data),
        resolve: (envelope) => {
          clearTimeout(timer);
          resolve(envelope);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${this.subject} ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      // A wait that lost a race to another must not keep jest's worker alive.
      timer.unref();
      this.waiters.add(waiter);
    });
  }

  /** Resolves once `done()` holds (checked now and after every event); rejects with `progress()` on timeout. */
  until(done: () => boolean, timeoutMs: number, progress: () => string): Promise<void> {
    if (done()) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) {
          clearTimeout(timer);
          this.changes.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.changes.delete(check);
        reject(new Error(`${this.subject}: not done within ${timeoutMs} ms (${progress()})`));
      }, timeoutMs);
      this.changes.add(check);
    });
  }
}

/**
 * The test's seat on the platform's NATS: core subscriptions on wire subjects (they see what JetStream stores without
 * joining any service's consumer), and the messaging lib's bus to publish commands and make requests as a service
 * would, with envelopes from `createEnvelope`.
 */
export class BusProbe {
  private readonly subscriptions: Subscription[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    readonly bus: JetStreamBus<Contracts>,
  ) {}

  static async connect(place: NatsPlace): Promise<BusProbe> {
    const nc = await connect({ servers: place.url, name: 'system-test', noAsyncTraces: true });
    const bus = createJetStreamBus(contracts, {
      name: 'system-test',
      connection: nc,
      streamPrefix: place.streamPrefix,
      subjectPrefix: place.subjectPrefix,
    });
    await bus.start();
    return new BusProbe(nc, bus);
  }

  /** Records every event published on `subject` from now on. */
  async record<S extends EventSubject>(subject: S): Promise<EventLog<S>> {
    const log = new EventLog(subject);
    const decoder = new TextDecoder();
    this.subscriptions.push(
      this.nc.subscribe(this.bus.wireSubject(subject), {
        callback: (error, message) => {
          if (error === null) {
            log.receive(JSON.parse(decoder.decode(message.data)));
          }
        },
      }),
    );
    // The server knows the subscription before the test acts.
    await this.nc.flush();
    return log;
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions) {
      subscription.unsubscribe();
    }
    await this.bus.close();
    await this.nc.close();
  }
}
