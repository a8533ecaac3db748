import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Each user_preferences change applied once: (contact, category, value, Meta's timestamp). */
@Entity('preference_receipt')
export class PreferenceReceiptEntity {
  @PrimaryColumn({ type: 'text', name: 'contact_ref', primaryKeyConstraintName: 'PK_preference_receipt' })
  contactRef!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_preference_receipt' })
  category!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_preference_receipt' })
  value!: string;

  @PrimaryColumn({ type: 'timestamptz', name: 'changed_at', primaryKeyConstraintName: 'PK_preference_receipt' })
  changedAt!: Date;

  @Column({ type: 'text', name: 'tenant_id' })
  tenantId!: string;
}
