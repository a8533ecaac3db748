import type {
  ConsentCheckRequestV1,
  ConsentCheckResponseV1,
  ConsentHistoryRequestV1,
  ConsentHistoryResponseV1,
  ConsentRecordRequestV1,
  ConsentRecordResponseV1,
  ServiceName,
} from '@trustline/contracts';

/**
 * consent's internal API, one implementation behind both transports (NATS request/reply and gRPC). Requests arrive
 * validated against their contract classes; `caller` is the authenticated calling service.
 */
export abstract class ConsentApi {
  abstract check(tenantId: string, request: ConsentCheckRequestV1): Promise<ConsentCheckResponseV1>;
  abstract history(tenantId: string, request: ConsentHistoryRequestV1): Promise<ConsentHistoryResponseV1>;
  abstract record(
    tenantId: string,
    caller: ServiceName,
    request: ConsentRecordRequestV1,
  ): Promise<ConsentRecordResponseV1>;
}

/** A request the API refuses as a whole (unknown subject for a record, a notice version that does not exist…). */
export class ConsentApiRejection extends Error {
  override readonly name = 'ConsentApiRejection';
  constructor(
    readonly code: 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
