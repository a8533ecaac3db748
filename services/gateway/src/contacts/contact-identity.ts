/** Who a WhatsApp user is, as a webhook names them: wa_id and/or business-scoped user id, and a profile name. */
export interface ContactIdentity {
  readonly waId?: string | undefined;
  readonly userId?: string | undefined;
  readonly name?: string | undefined;
}

/** Where to send to a contact: its identifiers opened from storage. */
export interface ContactRecipient {
  readonly contactRef: string;
  readonly waId?: string;
  readonly userId?: string;
  /** The opt-out hold is set (see ContactEntity.suppressedAt). */
  readonly suppressed: boolean;
  readonly marketingStopped: boolean;
}
