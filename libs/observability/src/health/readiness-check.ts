/** Something the service needs before it may take traffic (database, bus, …). `check()` throws when not ready. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export type CheckStatus = { readonly status: 'up' } | { readonly status: 'down'; readonly error: string };

export interface ReadinessReport {
  readonly ready: boolean;
  readonly shuttingDown: boolean;
  readonly checks: Readonly<Record<string, CheckStatus>>;
}
