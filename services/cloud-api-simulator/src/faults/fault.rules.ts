import { metaError, type MetaErrorResponse } from '../graph/meta-error.rules';
import { isBsuid, phoneDigits } from '../users/user-id.rules';

/** A queued failure for the next matching send(s): a Meta error, a 5xx, latency, or a dropped connection. */
export interface FaultSpec {
  code?: number;
  httpStatus?: number;
  /** Sends still to fault. */
  count: number;
  /** Only sends to this user (wa_id digits or BSUID). */
  to?: string;
  latencyMs?: number;
  drop?: boolean;
}

export type FaultParse = { ok: true; value: FaultSpec } | { ok: false; error: string };

const MAX_LATENCY_MS = 120_000;
const MAX_COUNT = 100_000;

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Reads a `POST /_sim/faults` body. */
export function parseFault(body: unknown): FaultParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'The body must be a JSON object' };
  }
  const { code, httpStatus, count, to, latencyMs, drop } = body as Record<string, unknown>;
  if (code !== undefined && !isInteger(code, 0, 99_999_999)) {
    return { ok: false, error: 'code must be a non-negative integer' };
  }
  if (httpStatus !== undefined && !isInteger(httpStatus, 400, 599)) {
    return { ok: false, error: 'httpStatus must be an integer from 400 to 599' };
  }
  if (count !== undefined && !isInteger(count, 1, MAX_COUNT)) {
    return { ok: false, error: `count must be an integer from 1 to ${MAX_COUNT}` };
  }
  if (latencyMs !== undefined && !isInteger(latencyMs, 0, MAX_LATENCY_MS)) {
    return { ok: false, error: `latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}` };
  }
  if (drop !== undefined && typeof drop !== 'boolean') {
    return { ok: false, error: 'drop must be a boolean' };
  }
  let user: string | undefined;
  if (to !== undefined) {
    user = typeof to === 'string' ? (isBsuid(to) ? to : phoneDigits(to)) : undefined;
    if (user === undefined) {
      return { ok: false, error: 'to must be a phone number or a BSUID' };
    }
  }
  if (code === undefined && httpStatus === undefined && latencyMs === undefined && drop !== true) {
    return { ok: false, error: 'Give at least one of code, httpStatus, latencyMs or drop: true' };
  }
  const fault: FaultSpec = { count: count ?? 1 };
  if (code !== undefined) {
    fault.code = code;
  }
  if (httpStatus !== undefined) {
    fault.httpStatus = httpStatus;
  }
  if (user !== undefined) {
    fault.to = user;
  }
  if (latencyMs !== undefined) {
    fault.latencyMs = latencyMs;
  }
  if (drop === true) {
    fault.drop = true;
  }
  return { ok: true, value: fault };
}

/**
 * The error a fault answers with: its code (HTTP status from the catalog unless given), or 131000 for a bare 5xx;
 * undefined when the fault only adds latency (or drops the connection).
 */
export function faultResponse(fault: FaultSpec): MetaErrorResponse | undefined {
  if (fault.code !== undefined) {
    return metaError(fault.code, fault.httpStatus === undefined ? {} : { httpStatus: fault.httpStatus });
  }
  if (fault.httpStatus !== undefined) {
    return metaError(131000, { httpStatus: fault.httpStatus });
  }
  return undefined;
}

/** Pending faults, first queued first served; a fault with `to` only matches sends to that user. */
export class FaultQueue {
  private pending: FaultSpec[] = [];

  add(fault: FaultSpec): void {
    this.pending.push({ ...fault });
  }

  /** Consumes one use of the first fault matching a send to a user known by these identities. */
  take(identities: readonly string[]): FaultSpec | undefined {
    const index = this.pending.findIndex((fault) => fault.to === undefined || identities.includes(fault.to));
    if (index < 0) {
      return undefined;
    }
    const fault = this.pending[index];
    fault.count -= 1;
    if (fault.count <= 0) {
      this.pending.splice(index, 1);
    }
    return { ...fault, count: 1 };
  }

  list(): FaultSpec[] {
    return this.pending.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.pending = [];
  }
}
