import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { pullThreshold } from '../delivery/delivery.rules';
import { InFlight } from '../delivery/in-flight';
import type { MessagingLogger } from '../messaging-logger';

const RETRY_FLOOR_MS = 200;
const RETRY_CEILING_MS = 5000;

/**
 * Pulls from one durable consumer and runs at most `concurrency` handlers at once. It asks the server only for
 * as many messages as it has free slots, so replicas of a service share the work fairly and no message waits in
 * a client buffer while its ack deadline runs out.
 */
export class PullWorker {
  private readonly inFlight = new InFlight();
  private stopping = false;
  private batch: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private signalStop: () => void = () => undefined;
  private readonly stopSignal = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });

  constructor(
    private readonly consumer: Consumer,
    private readonly options: {
      readonly concurrency: number;
      readonly expiresMs: number;
      readonly isClosed: () => boolean;
      readonly logger: MessagingLogger;
      readonly labels: Readonly<Record<string, string>>;
    },
    private readonly handle: (msg: JsMsg) => Promise<void>,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops pulling, hands back what was pulled but not started (nak), and waits for the handlers in flight. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.signalStop();
      this.batch?.stop();
      await this.loop;
      await this.inFlight.idle();
    })();
    return this.stopped;
  }

  /** Pulled but not started: back to the server for another replica at once. */
  private handBack(msg: JsMsg): void {
    try {
      msg.nak();
    } catch {
      // Connection gone: the server redelivers after the ack deadline anyway.
    }
  }

  private async run(): Promise<void> {
    const { concurrency, expiresMs, isClosed, logger, labels } = this.options;
    let failures = 0;
    while (!this.stopping && !isClosed()) {
      await Promise.race([this.inFlight.atMost(pullThreshold(concurrency)), this.stopSignal]);
      if (this.stopping) {
        break;
      }
      try {
        this.batch = await this.consumer.fetch({ max_messages: concurrency - this.inFlight.size, expires: expiresMs });
        for await (const msg of this.batch) {
          if (this.stopping) {
            this.handBack(msg);
            continue;
          }
          this.inFlight.track(this.handle(msg));
        }
        failures = 0;
      } catch (error) {
        if (this.stopping || isClosed()) {
          break;
        }
        failures += 1;
        const delayMs = Math.min(RETRY_FLOOR_MS * 2 ** failures, RETRY_CEILING_MS);
        logger.warn({ ...labels, error: error instanceof Error ? error.name : 'Error', delayMs }, 'pull failed');
        await Promise.race([new Promise((resolve) => setTimeout(resolve, delayMs)), this.stopSignal]);
      } finally {
        this.batch = undefined;
      }
    }
  }
}
