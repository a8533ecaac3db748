/**
 * The data-holder contract (DESIGN.md §3): every service that holds personal data answers for it through these
 * four operations, so that access, portability, correction, erasure and retention reach every copy. Each
 * operation is idempotent: at-least-once delivery means any of them may run twice for the same request.
 */
export interface DataSubject {
  readonly tenantId: string;
  /** Opaque reference (blind index or owner-generated id); never a phone number or a name. */
  readonly subjectRef: string;
}

/** One category of the subject's data, in clear, for the export package; never logged, never sent unsealed. */
export interface ExportSection {
  readonly category: string;
  readonly records: readonly Readonly<Record<string, unknown>>[];
}

export interface SweepRequest {
  readonly tenantId: string;
  readonly category: string;
  /** Records created strictly before this instant are expired. */
  readonly cutoff: Date;
  /** Rows per delete statement: small batches keep ingest from waiting on the sweep. */
  readonly batchSize: number;
}

export interface OperationResult {
  /** Records removed or changed; 0 when the operation had already been done. */
  readonly affected: number;
}

export interface DataHolder {
  /** The data categories this holder stores (data map, retention policies, sweeps). */
  readonly categories: readonly string[];

  /** Everything held on the subject, grouped by category; an empty array when nothing is held. */
  export(subject: DataSubject): Promise<ExportSection[]>;

  /** Makes the subject's data unreadable at once (crypto-shred) and removes it; nothing readable remains. */
  erase(subject: DataSubject): Promise<OperationResult>;

  /** Replaces the named fields wherever this holder stores them; unknown field names are ignored. */
  rectify(subject: DataSubject, fields: Readonly<Record<string, string>>): Promise<OperationResult>;

  /** Purges one category's records older than the cutoff, in batches, for one tenant. */
  sweep(request: SweepRequest): Promise<OperationResult>;
}
