import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A WhatsApp user of one tenant, under an opaque reference that outlives phone-number and user-id changes. Found by
 * blind indexes of the wa_id and of the business-scoped user id (either may be absent since 2026); the identifiers
 * and the profile name are stored only sealed (FieldCipher, subject = contactRef).
 */
@Entity('contact')
@Index('UQ_contact_wa_id_index', ['tenantId', 'waIdIndex'], { unique: true, where: '"wa_id_index" IS NOT NULL' })
@Index('UQ_contact_user_id_index', ['tenantId', 'userIdIndex'], {
  unique: true,
  where: '"user_id_index" IS NOT NULL',
})
export class ContactEntity {
  @PrimaryColumn({ type: 'text', name: 'tenant_id', primaryKeyConstraintName: 'PK_contact' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', name: 'contact_ref', primaryKeyConstraintName: 'PK_contact' })
  contactRef!: string;

  @Column({ type: 'text', name: 'wa_id_index', nullable: true })
  waIdIndex!: string | null;

  @Column({ type: 'text', name: 'user_id_index', nullable: true })
  userIdIndex!: string | null;

  @Column({ type: 'text', name: 'wa_id', nullable: true })
  waId!: string | null;

  @Column({ type: 'text', name: 'user_id', nullable: true })
  userId!: string | null;

  @Column({ type: 'text', name: 'profile_name', nullable: true })
  profileName!: string | null;

  /** The user stopped marketing messages on WhatsApp (user_preferences stop, or a send refused with 131050). */
  @Column({ type: 'boolean', name: 'marketing_stopped', default: false })
  marketingStopped!: boolean;

  /**
   * The opt-out hold: set when the contact sent an opt-out keyword (STOP, BAJA, SAIR…), cleared by an opt-in keyword.
   * While set, the gateway sends this contact nothing but an `opt-out-confirmation`, whatever consent answers. Set
   * by the gateway's intake from the keyword message itself, before consent has even seen it, inside the transaction
   * that holds the contact's send fence: its value is a moment after every send in flight to the contact returned,
   * and before the commit.
   */
  @Column({ type: 'timestamptz', name: 'suppressed_at', nullable: true })
  suppressedAt!: Date | null;

  /**
   * When the user sent the keyword message that last set or cleared the hold (Meta's timestamp). A keyword message
   * older than this changes nothing, so a late or out-of-order delivery cannot undo a newer decision.
   */
  @Column({ type: 'timestamptz', name: 'suppression_changed_at', nullable: true })
  suppressionChangedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
