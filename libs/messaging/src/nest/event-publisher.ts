import { Inject, Injectable } from '@nestjs/common';
import {
  createEnvelope,
  type ContractRegistry,
  type Contracts,
  type EventEnvelope,
  type EventSubjectOf,
  type PayloadOf,
  type ResponseOf,
  type RpcSubjectOf,
  type ServiceName,
} from '@trustline/contracts';
import type { MessageBus } from '../message-bus';
import { MESSAGE_BUS, MESSAGING_SERVICE } from './messaging.constants';

export interface EnvelopeFields {
  readonly tenantId: string;
  readonly id?: string;
  readonly occurredAt?: Date | string;
}

/** Publishes and requests as this application's service: `producer` is always the service. */
@Injectable()
export class EventPublisher<R extends ContractRegistry = Contracts> {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus<R>,
    @Inject(MESSAGING_SERVICE) readonly service: ServiceName,
  ) {}

  /** An envelope produced by this service, e.g. to stage in the outbox. */
  envelope<T>(data: T, fields: EnvelopeFields): EventEnvelope<T> {
    return createEnvelope({ producer: this.service, data, ...fields });
  }

  /** Publishes directly (no outbox); resolves with the envelope once the bus has accepted it. */
  async publish<S extends EventSubjectOf<R>>(
    subject: S,
    data: PayloadOf<R, S>,
    fields: EnvelopeFields & { readonly headers?: Readonly<Record<string, string>> },
  ): Promise<EventEnvelope<PayloadOf<R, S>>> {
    const envelope = this.envelope(data, fields);
    await this.bus.publish(subject, envelope, fields.headers ? { headers: fields.headers } : {});
    return envelope;
  }

  request<S extends RpcSubjectOf<R>>(
    subject: S,
    data: PayloadOf<R, S>,
    fields: EnvelopeFields & { readonly timeoutMs?: number },
  ): Promise<ResponseOf<R, S>> {
    const envelope = this.envelope(data, fields);
    return this.bus.request(subject, envelope, fields.timeoutMs === undefined ? {} : { timeoutMs: fields.timeoutMs });
  }
}
