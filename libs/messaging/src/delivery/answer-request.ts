import {
  validateEvent,
  type ContractRegistry,
  type PayloadOf,
  type RpcSubjectOf,
  type ServiceName,
} from '@trustline/contracts';
import type { RpcHandler } from '../message-bus';
import type { MessagingLogger } from '../messaging-logger';
import { runInExtractedContext, SpanKind } from '../tracing/trace-context';
import { describeFailure, type FailureDescription } from './dead-letter.rules';

/** One request as the transport received it, for the service that answers it. */
export interface IncomingRequest<R extends ContractRegistry, S extends RpcSubjectOf<R>> {
  readonly registry: R;
  readonly subject: S;
  readonly service: ServiceName;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Its response is serialized as it is; the caller validates it against the contract's response class. */
  readonly handler: RpcHandler<PayloadOf<R, S>, unknown>;
  /** `rpc.system` of the server span. */
  readonly system: 'nats' | 'in-process';
  readonly logger: MessagingLogger;
}

export type RequestAnswer = { readonly response: string } | { readonly failure: FailureDescription };

/**
 * The answering side both transports share: validate the request at the edge, run the handler in the caller's
 * trace context under a SERVER span, and return the serialized response — or the failure (class name and safe
 * detail only), which each transport hands back to the caller its own way.
 */
export async function answerRequest<R extends ContractRegistry, S extends RpcSubjectOf<R>>(
  incoming: IncomingRequest<R, S>,
): Promise<RequestAnswer> {
  const { subject, service } = incoming;
  try {
    const envelope = validateEvent(incoming.registry, subject, JSON.parse(incoming.body));
    const attributes = { 'rpc.system': incoming.system, 'rpc.method': subject, 'rpc.service': service };
    const response = await runInExtractedContext(
      `${subject} serve`,
      SpanKind.SERVER,
      incoming.headers,
      attributes,
      () => incoming.handler(envelope),
    );
    return { response: JSON.stringify(response ?? null) };
  } catch (error) {
    const failure = describeFailure(error);
    incoming.logger.warn({ subject, service, ...failure }, 'rpc handler failed');
    return { failure };
  }
}
