import { SERVICE_NAMES, isServiceName, type ServiceName } from './service-name';
import { ContractViolationError } from './validation';

/** Tenant ids are opaque slugs chosen by the platform admin; no personal data. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

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

/**
 * Checks the envelope's own fields; `data` is then validated against the subject's payload class.
 *
 * Hand-written rather than a class-validator class: the envelope is the transport's fixed frame, checked on every
 * message on the hot path, and class-validator's UUID and ISO-8601 validators cost about 5 µs per message here
 * (two thirds of the whole consumer-edge check) against well under 1 µs for these tests. Same error type, same
 * rule: field names in the message, never values.
 */
export function checkEnvelope(raw: unknown, contract: string): EventEnvelope<object> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ContractViolationError(contract, [{ path: '', constraints: ['isObject'] }]);
  }
  const { id, occurredAt, producer, tenantId, data } = raw as Record<string, unknown>;
  const violations: { path: string; constraints: string[] }[] = [];
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) {
    violations.push({ path: 'id', constraints: ['isUuid'] });
  }
  if (typeof occurredAt !== 'string' || !ISO_INSTANT_PATTERN.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    violations.push({ path: 'occurredAt', constraints: ['isIso8601'] });
  }
  if (!isServiceName(producer)) {
    violations.push({ path: 'producer', constraints: [`isIn(${SERVICE_NAMES.join('|')})`] });
  }
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    violations.push({ path: 'tenantId', constraints: ['matches'] });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    violations.push({ path: 'data', constraints: ['isObject'] });
  }
  if (violations.length > 0) {
    throw new ContractViolationError(contract, violations);
  }
  return raw as EventEnvelope<object>;
}
