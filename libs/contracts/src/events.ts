import { randomUUID } from 'node:crypto';
import type { ContractDefinition, ContractRegistry, PayloadOf, ResponseOf, SubjectOf } from './contract';
import { checkEnvelope, type EventEnvelope } from './envelope';
import type { ServiceName } from './service-name';
import { ContractViolationError, validateAs } from './validation';

export class UnknownSubjectError extends Error {
  override readonly name = 'UnknownSubjectError';
  constructor(readonly subject: string) {
    super(`no contract is registered for subject ${subject}`);
  }
}

export function contractOf<R extends ContractRegistry, S extends SubjectOf<R>>(registry: R, subject: S): R[S] {
  const contract = registry[subject];
  if (!contract) {
    throw new UnknownSubjectError(subject);
  }
  return contract;
}

export function createEnvelope<T>(fields: {
  producer: ServiceName;
  tenantId: string;
  data: T;
  id?: string;
  occurredAt?: Date | string;
}): EventEnvelope<T> {
  const occurredAt = fields.occurredAt ?? new Date();
  return {
    id: fields.id ?? randomUUID(),
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    producer: fields.producer,
    tenantId: fields.tenantId,
    data: fields.data,
  };
}

/**
 * The consumer edge: checks the envelope, then the payload against the subject's class. Unknown payload fields
 * are tolerated (a producer may add optional fields within a version); anything else throws
 * ContractViolationError, which the messaging layer dead-letters instead of handling half-parsed.
 */
export function validateEvent<R extends ContractRegistry, S extends SubjectOf<R>>(
  registry: R,
  subject: S,
  raw: unknown,
): EventEnvelope<PayloadOf<R, S>> {
  const contract: ContractDefinition = contractOf(registry, subject);
  const envelope = checkEnvelope(raw, `${subject} envelope`);
  const data = validateAs(contract.payload, envelope.data, { contract: subject, allowUnknown: true });
  return { ...envelope, data: data as PayloadOf<R, S> };
}

/** The reply edge of a request/reply contract. */
export function validateResponse<R extends ContractRegistry, S extends SubjectOf<R>>(
  registry: R,
  subject: S,
  raw: unknown,
): ResponseOf<R, S> {
  const contract = contractOf(registry, subject);
  if (!contract.response) {
    throw new ContractViolationError(subject, [{ path: '', constraints: ['hasResponse'] }]);
  }
  return validateAs(contract.response, raw, { contract: `${subject} response`, allowUnknown: true }) as ResponseOf<
    R,
    S
  >;
}
