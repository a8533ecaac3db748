import { type PubAck } from '@nats-io/jetstream';
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from '@nats-io/transport-node';
import { PublishFailedError } from '../errors/publish-failed.error';

interface Waiting {
  readonly subject: string;
  readonly deadline: number;
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (error: Error) => void;
}

interface PubAckReply {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: { readonly code?: number; readonly err_code?: number; readonly description?: string };
}

/**
 * Publishes to JetStream with every PubAck coming back on one wildcard inbox subscription, matched by a token in
 * the reply subject, and one sweep for timeouts. `js.publish` is a full request each time (a timer, a mux entry
 * and an Error allocated per message); this keeps concurrent publishing cheap, which is what the outbox relay
 * does with a whole batch at once. Each publish still resolves only on its own PubAck.
 */
export class PubAckTracker {
  private readonly prefix: string;
  private readonly waiting = new Map<string, Waiting>();
  private readonly subscription: NatsSubscription;
  private readonly sweeper: NodeJS.Timeout;
  private sequence = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
    inboxPrefix?: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.subscription = nc.subscribe(`${this.prefix}*`, {
      callback: (error, msg) => {
        if (!error) {
          this.settle(msg);
        }
      },
    });
    this.sweeper = setInterval(() => this.expire(), Math.max(50, Math.min(1000, Math.floor(timeoutMs / 4))));
    this.sweeper.unref();
  }

  publish(subject: string, payload: string | Uint8Array, headers: MsgHdrs): Promise<PubAck> {
    const token = (this.sequence += 1).toString(36);
    return new Promise<PubAck>((resolve, reject) => {
      this.waiting.set(token, { subject, deadline: performance.now() + this.timeoutMs, resolve, reject });
      try {
        this.nc.publish(subject, payload, { reply: `${this.prefix}${token}`, headers });
      } catch (error) {
        this.waiting.delete(token);
        reject(error instanceof Error ? error : new PublishFailedError(subject, 'not sent'));
      }
    });
  }

  /** Fails what is still waiting and stops listening. */
  close(): void {
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    for (const [token, waiting] of this.waiting) {
      this.waiting.delete(token);
      waiting.reject(new PublishFailedError(waiting.subject, 'bus closed before the PubAck arrived'));
    }
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (!waiting) {
      return; // timed out already
    }
    this.waiting.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      waiting.reject(new PublishFailedError(waiting.subject, 'no stream captures the subject'));
      return;
    }
    let reply: PubAckReply;
    try {
      reply = msg.json<PubAckReply>();
    } catch {
      waiting.reject(new PublishFailedError(waiting.subject, 'unreadable PubAck'));
      return;
    }
    if (reply.error || typeof reply.stream !== 'string' || typeof reply.seq !== 'number') {
      const description = reply.error?.description ?? 'invalid PubAck';
      waiting.reject(new PublishFailedError(waiting.subject, `${description} (${reply.error?.err_code ?? 0})`));
      return;
    }
    waiting.resolve({ stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true });
  }

  /** Deadlines grow with insertion order (one timeout for all), so the oldest entries are the only candidates. */
  private expire(): void {
    const now = performance.now();
    for (const [token, waiting] of this.waiting) {
      if (waiting.deadline > now) {
        return;
      }
      this.waiting.delete(token);
      waiting.reject(new PublishFailedError(waiting.subject, `no PubAck within ${this.timeoutMs} ms`));
    }
  }
}
