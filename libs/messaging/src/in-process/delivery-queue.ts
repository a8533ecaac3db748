import { type InFlight } from '../delivery/in-flight';

export interface QueuedMessage {
  readonly seq: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Deliveries so far, counted when a worker takes the message. */
  attempts: number;
}

export interface QueueWorker {
  readonly concurrency: number;
  readonly inFlight: InFlight;
  readonly process: (message: QueuedMessage) => Promise<void>;
}

/**
 * The in-process counterpart of a durable consumer: one queue per (subject, consuming service), shared by all
 * subscriptions of that service (queue-group semantics: each message goes to one of them). It outlives its
 * subscriptions, so messages published while nobody listens wait for the next subscription.
 */
export class DeliveryQueue {
  private ready: (QueuedMessage | undefined)[] = [];
  private head = 0;
  private readonly workers: QueueWorker[] = [];
  private nextWorker = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private scheduled = false;
  private closed = false;

  /** `schedule` runs a task later, outside the publisher's call stack and async context. */
  constructor(private readonly schedule: (task: () => void) => void) {}

  get depth(): number {
    return this.ready.length - this.head + this.timers.size;
  }

  enqueue(message: QueuedMessage): void {
    if (this.closed) {
      return;
    }
    this.ready.push(message);
    this.kick();
  }

  redeliverLater(message: QueuedMessage, delayMs: number): void {
    if (this.closed) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(message);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  addWorker(worker: QueueWorker): void {
    this.workers.push(worker);
    this.kick();
  }

  removeWorker(worker: QueueWorker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) {
      this.workers.splice(index, 1);
    }
  }

  /** Drops pending redeliveries; nothing is delivered afterwards. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.ready = [];
    this.head = 0;
  }

  private kick(): void {
    if (this.scheduled || this.closed) {
      return;
    }
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.head < this.ready.length && !this.closed) {
      const worker = this.freeWorker();
      if (!worker) {
        return;
      }
      const message = this.ready[this.head];
      this.ready[this.head] = undefined;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.head);
        this.head = 0;
      }
      if (message) {
        message.attempts += 1;
        worker.inFlight.track(worker.process(message).finally(() => this.kick()));
      }
    }
  }

  /** Round robin over the workers that have a free handler slot. */
  private freeWorker(): QueueWorker | undefined {
    for (let tried = 0; tried < this.workers.length; tried += 1) {
      const worker = this.workers[(this.nextWorker + tried) % this.workers.length];
      if (worker && worker.inFlight.size < worker.concurrency) {
        this.nextWorker = (this.nextWorker + tried + 1) % this.workers.length;
        return worker;
      }
    }
    return undefined;
  }
}
