import { cryptoEntities } from '@trustline/crypto';
import { InboxEventEntity, OutboxEventEntity } from '@trustline/messaging';
import { ConsentSubjectEntity } from '../flow/consent-subject.entity';
import { HeldMessageEntity } from '../flow/held-message.entity';
import { ConsentRecordEntity } from '../ledger/consent-record.entity';
import { PurposeStateEntity } from '../ledger/purpose-state.entity';
import { NoticeEntity } from '../notices/notice.entity';
import { SuppressionTombstoneEntity } from '../personal-data/suppression-tombstone.entity';

/** Every entity of the consent schema (listed explicitly: no globs). */
export const consentEntities = [
  OutboxEventEntity,
  InboxEventEntity,
  ...cryptoEntities,
  ConsentSubjectEntity,
  HeldMessageEntity,
  ConsentRecordEntity,
  PurposeStateEntity,
  NoticeEntity,
  SuppressionTombstoneEntity,
];
