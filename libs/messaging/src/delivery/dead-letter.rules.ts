import { ContractViolationError } from '@trustline/contracts';

/** Headers a dead-lettered message carries besides the original ones. */
export const DEAD_LETTER_HEADERS = {
  subject: 'Trustline-Original-Subject',
  consumer: 'Trustline-Consumer',
  attempts: 'Trustline-Attempts',
  error: 'Trustline-Error',
  detail: 'Trustline-Error-Detail',
} as const;

/** A message a consumer gave up on, as kept by the in-process bus or read back from the dead-letter stream. */
export interface DeadLetter {
  readonly subject: string;
  readonly consumer: string;
  readonly attempts: number;
  /** Class name of the last error, e.g. `ContractViolationError`. Never an error message (it may hold data). */
  readonly error: string;
  /** For a contract violation only: which fields broke which constraint (names, no values). */
  readonly detail?: string;
  /** The original body, byte for byte (sealed payloads stay sealed). */
  readonly body: string;
  /** The original headers (trace context, caller headers). */
  readonly headers: Readonly<Record<string, string>>;
  readonly deadLetteredAt: string;
}

export interface FailureDescription {
  readonly error: string;
  readonly detail?: string;
}

const HEADER_SAFE = /[^A-Za-z0-9_.:-]/g;

/**
 * What may be told about a failure: the error's class name, and for a ContractViolationError its message, which
 * by construction names fields and constraints only. Any other message could quote personal data.
 */
export function describeFailure(error: unknown): FailureDescription {
  const name = error instanceof Error ? error.name : typeof error;
  const safeName = (name || 'Error').replace(HEADER_SAFE, '_').slice(0, 100);
  if (error instanceof ContractViolationError) {
    return { error: safeName, detail: error.message.replace(/[\r\n]/g, ' ').slice(0, 1000) };
  }
  return { error: safeName };
}

/** The original headers (minus NATS bookkeeping) plus the dead-letter facts. */
export function deadLetterHeaders(
  original: Readonly<Record<string, string>>,
  facts: { subject: string; consumer: string; attempts: number; failure: FailureDescription },
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(original)) {
    if (!key.toLowerCase().startsWith('nats-')) {
      headers[key] = value;
    }
  }
  headers[DEAD_LETTER_HEADERS.subject] = facts.subject;
  headers[DEAD_LETTER_HEADERS.consumer] = facts.consumer;
  headers[DEAD_LETTER_HEADERS.attempts] = String(facts.attempts);
  headers[DEAD_LETTER_HEADERS.error] = facts.failure.error;
  if (facts.failure.detail) {
    headers[DEAD_LETTER_HEADERS.detail] = facts.failure.detail;
  }
  return headers;
}

/** Reads a dead letter back from its headers and body (the inverse of deadLetterHeaders). */
export function parseDeadLetter(
  headers: Readonly<Record<string, string>>,
  body: string,
  deadLetteredAt: string,
): DeadLetter {
  const original: Record<string, string> = {};
  const ours = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
  for (const [key, value] of Object.entries(headers)) {
    if (!ours.has(key) && !key.toLowerCase().startsWith('nats-')) {
      original[key] = value;
    }
  }
  const detail = headers[DEAD_LETTER_HEADERS.detail];
  return {
    subject: headers[DEAD_LETTER_HEADERS.subject] ?? '',
    consumer: headers[DEAD_LETTER_HEADERS.consumer] ?? '',
    attempts: Number(headers[DEAD_LETTER_HEADERS.attempts] ?? 0),
    error: headers[DEAD_LETTER_HEADERS.error] ?? '',
    ...(detail ? { detail } : {}),
    body,
    headers: original,
    deadLetteredAt,
  };
}
