import { ShredRecordEntity } from './shred-record.entity';
import { SubjectKeyEntity } from './subject-key.entity';
import { TenantKeyEntity } from './tenant-key.entity';

/** The key tables' entities, for a service's DataSource `entities` list. */
export const cryptoEntities = [TenantKeyEntity, SubjectKeyEntity, ShredRecordEntity] as const;
