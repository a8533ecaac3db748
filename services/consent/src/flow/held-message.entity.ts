import type { SealPlace } from '@trustline/crypto';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A message that waits for its sender's decision on the opt-in prompt: not processed, sealed under the sender's
 * key (who they are and what they wrote), admitted in order on acceptance, deleted on decline or opt-out.
 */
@Entity('held_message')
@Index('IDX_held_message_subject', ['tenantId', 'subjectRef', 'sentAt'])
@Index('IDX_held_message_held_at', ['heldAt'])
export class HeldMessageEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_held_message' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'message_id', primaryKeyConstraintName: 'PK_held_message' })
  messageId!: string;

  @Column({ type: 'text', name: 'subject_ref' })
  subjectRef!: string;

  @Column({ type: 'text', name: 'phone_number_id' })
  phoneNumberId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz', name: 'sent_at' })
  sentAt!: Date;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;

  /** The button or list row id (the business's own ids, not personal data). */
  @Column({ type: 'jsonb', nullable: true })
  interaction!: { kind: string; id: string } | null;

  @Column({ type: 'text', name: 'in_reply_to', nullable: true })
  inReplyTo!: string | null;

  /** FieldCipher-sealed JSON {contact, content}, at `heldPayloadPlace`. */
  @Column({ type: 'text' })
  payload!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'held_at' })
  heldAt!: Date;
}

/** Where a held message's payload is sealed: the sender's key, bound to this message. */
export function heldPayloadPlace(tenantId: string, subjectRef: string, messageId: string): SealPlace {
  return { tenantId, subjectRef, field: 'held_message.payload', row: messageId };
}
