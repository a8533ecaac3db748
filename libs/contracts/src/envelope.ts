import { IsIn, IsISO8601, IsObject, IsUUID, Matches } from 'class-validator';
import { SERVICE_NAMES, type ServiceName } from './service-name';

/** Tenant ids are opaque slugs chosen by the platform admin; no personal data. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * What every event and request on the bus carries. `id` is also the JetStream `msgID`, so the server and every
 * consumer's inbox deduplicate on it. Trace context travels in transport headers, not here.
 */
export interface EventEnvelope<T = unknown> {
  readonly id: string;
  readonly occurredAt: string;
  readonly producer: ServiceName;
  readonly tenantId: string;
  readonly data: T;
}

/** Validation class for the envelope's own fields; `data` is validated against the subject's payload class. */
export class EventEnvelopeV1 implements EventEnvelope<object> {
  @IsUUID()
  id!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsIn(SERVICE_NAMES)
  producer!: ServiceName;

  @Matches(TENANT_ID_PATTERN)
  tenantId!: string;

  @IsObject()
  data!: object;
}
