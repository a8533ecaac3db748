import {
  validateEvent,
  type ContractRegistry,
  type EventSubjectOf,
  type PayloadOf,
  type ServiceName,
} from '@trustline/contracts';
import { RetryLaterError } from '../errors/retry-later.error';
import type { DeliveryContext, EventHandler } from '../message-bus';
import type { MessagingLogger } from '../messaging-logger';
import { runInExtractedContext, SpanKind } from '../tracing/trace-context';
import { describeFailure, type FailureDescription } from './dead-letter.rules';
import { afterFailedAttempt, attemptsExhausted, type ResolvedDelivery } from './delivery.rules';

/** One delivery of one message to one consumer, as the transport received it. */
export interface IncomingDelivery<R extends ContractRegistry, S extends EventSubjectOf<R>> {
  readonly registry: R;
  readonly subject: S;
  readonly consumer: ServiceName;
  /** 1-based delivery count. */
  readonly attempt: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly delivery: ResolvedDelivery;
  readonly handler: EventHandler<PayloadOf<R, S>>;
  /** `messaging.system` of the consumer span. */
  readonly system: 'nats' | 'in-process';
  readonly logger: MessagingLogger;
}

/** How a transport settles a delivery; only the mechanics differ between JetStream and the in-process bus. */
export interface DeliverySettlement {
  ack(): void;
  retryAfter(delayMs: number): void;
  deadLetter(failure: FailureDescription): Promise<void> | void;
}

/**
 * The delivery contract both transports share: validate at the edge (a payload that breaks its contract never
 * gets better, so it is dead-lettered without retries), dead-letter a delivery that outlived its attempts (an
 * earlier attempt never reported back), run the handler in the publisher's trace context under a CONSUMER span,
 * then ack, retry with backoff, or dead-letter after the last attempt.
 */
export async function deliverEvent<R extends ContractRegistry, S extends EventSubjectOf<R>>(
  incoming: IncomingDelivery<R, S>,
  settle: DeliverySettlement,
): Promise<void> {
  const { subject, consumer, attempt, headers, delivery } = incoming;
  let envelope;
  try {
    envelope = validateEvent(incoming.registry, subject, JSON.parse(incoming.body));
  } catch (error) {
    await settle.deadLetter(describeFailure(error));
    return;
  }
  if (attemptsExhausted(attempt, delivery)) {
    await settle.deadLetter({ error: 'DeliveryAttemptsExhausted' });
    return;
  }
  const context: DeliveryContext = { subject, consumer, attempt, redelivered: attempt > 1, headers };
  const attributes = {
    'messaging.system': incoming.system,
    'messaging.destination.name': subject,
    'messaging.consumer.group.name': consumer,
    'messaging.message.id': envelope.id,
  };
  try {
    await runInExtractedContext(`${subject} process`, SpanKind.CONSUMER, headers, attributes, () =>
      incoming.handler(envelope, context),
    );
  } catch (error) {
    const outcome = afterFailedAttempt(attempt, delivery);
    const failure = describeFailure(error);
    if (outcome.action === 'retry') {
      incoming.logger.warn(
        { subject, consumer, eventId: envelope.id, attempt, ...failure },
        'handler failed, will retry',
      );
      settle.retryAfter(error instanceof RetryLaterError ? Math.max(0, error.delayMs) : outcome.delayMs);
    } else {
      await settle.deadLetter(failure);
    }
    return;
  }
  settle.ack();
}
