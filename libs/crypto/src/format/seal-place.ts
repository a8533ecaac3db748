/**
 * Where a ciphertext belongs. It is bound into the AES-GCM additional data, so a ciphertext copied to another
 * tenant, subject, field or row does not open there. `field` names the place, e.g. `conversation_turn.text` or
 * `gateway.message.received.v1/text`; `row` is the row's id when a subject has several rows of the same field.
 */
export interface SealPlace {
  readonly tenantId: string;
  readonly subjectRef: string;
  readonly field: string;
  readonly row?: string;
}
