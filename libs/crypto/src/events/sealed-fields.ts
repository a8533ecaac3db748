import type { Sealed } from '@trustline/contracts';
import type { TextSealer } from './text-sealer';

/** Whose data the fields are and in which event: `context` is usually the event subject, e.g. `gateway.message.received.v1`. */
export interface EventSealScope {
  readonly tenantId: string;
  readonly subjectRef: string;
  readonly context: string;
}

export type SealedFields<T, K extends keyof T> = Omit<T, K> & { [P in K]: Sealed };
export type OpenedFields<T, K extends keyof T> = Omit<T, K> & { [P in K]: unknown };

/**
 * Returns a copy of `payload` whose listed fields are sealed (JSON of the value, AAD = tenant + subject +
 * `<context>/<field>`), for producers: NATS, dead-letter queues and logs then never hold them in clear. Events
 * read by other services use a TransitCipher; a FieldCipher's subject keys live in the producer's own schema.
 */
export async function sealFields<T extends object, K extends keyof T & string>(
  cipher: TextSealer,
  payload: T,
  fields: readonly K[],
  scope: EventSealScope,
): Promise<SealedFields<T, K>> {
  const sealed = { ...payload } as Record<string, unknown>;
  for (const field of fields) {
    const json = JSON.stringify(payload[field]);
    // JSON.stringify(undefined) is undefined: an absent field stays absent rather than becoming a sealed "null".
    if (json === undefined) {
      continue;
    }
    sealed[field] = await cipher.sealText(json, placeOf(scope, field));
  }
  return sealed as SealedFields<T, K>;
}

/**
 * Opens the listed fields of a received payload (the inverse of sealFields). Fails with the cipher's typed errors,
 * e.g. TransitExpiredError (TransitCipher) when the event is older than the transit window, or SubjectErasedError
 * (FieldCipher) when the subject was erased since the event was produced. The caller validates the
 * opened values' shapes.
 */
export async function openFields<T extends object, K extends keyof T & string>(
  cipher: TextSealer,
  payload: T,
  fields: readonly K[],
  scope: EventSealScope,
): Promise<OpenedFields<T, K>> {
  const opened = { ...payload } as Record<string, unknown>;
  for (const field of fields) {
    const value = payload[field];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string') {
      throw new TypeError(`${field} must be a sealed value`);
    }
    opened[field] = JSON.parse(await cipher.openText(value, placeOf(scope, field))) as unknown;
  }
  return opened as OpenedFields<T, K>;
}

function placeOf(scope: EventSealScope, field: string): { tenantId: string; subjectRef: string; field: string } {
  return { tenantId: scope.tenantId, subjectRef: scope.subjectRef, field: `${scope.context}/${field}` };
}
