import { Injectable } from '@nestjs/common';
import {
  contracts,
  type ConsentCheckRequestV1,
  type ConsentCheckResponseV1,
  type ConsentHistoryRequestV1,
  type ConsentHistoryResponseV1,
  type ConsentRecordRequestV1,
  type ConsentRecordResponseV1,
  type EventEnvelope,
  type RpcSubject,
} from '@trustline/contracts';
import { OnRequest } from '@trustline/messaging';
import { ConsentApi, ConsentApiRejection } from './consent-api';

/**
 * The internal API over NATS request/reply. The bus has already validated the request against its contract and
 * checked on the requester's side that the producer is one of the subject's publishers; the check is repeated here
 * (default-deny) because an envelope's producer is a claim: in production NATS accounts bind each service's
 * credentials to the subjects it may use.
 */
@Injectable()
export class ConsentApiHandler {
  constructor(private readonly api: ConsentApi) {}

  @OnRequest('consent.rpc.check.v1')
  async onCheck(envelope: EventEnvelope<ConsentCheckRequestV1>): Promise<ConsentCheckResponseV1> {
    allowed('consent.rpc.check.v1', envelope.producer);
    return this.api.check(envelope.tenantId, envelope.data);
  }

  @OnRequest('consent.rpc.history.v1')
  async onHistory(envelope: EventEnvelope<ConsentHistoryRequestV1>): Promise<ConsentHistoryResponseV1> {
    allowed('consent.rpc.history.v1', envelope.producer);
    return this.api.history(envelope.tenantId, envelope.data);
  }

  @OnRequest('consent.rpc.record.v1')
  async onRecord(envelope: EventEnvelope<ConsentRecordRequestV1>): Promise<ConsentRecordResponseV1> {
    allowed('consent.rpc.record.v1', envelope.producer);
    return this.api.record(envelope.tenantId, envelope.producer, envelope.data);
  }
}

function allowed(subject: RpcSubject, producer: string): void {
  if (!(contracts[subject].publishers as readonly string[]).includes(producer)) {
    throw new ConsentApiRejection('invalid', `${producer} may not call ${subject}`);
  }
}
