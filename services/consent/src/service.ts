import { DataHolderModule } from '@trustline/data-holder';
import { OutboxModule } from '@trustline/messaging';
import { defineService } from '@trustline/service-kit';
import { ConsentApiModule } from './api/consent-api.module';
import { consentEnv } from './config';
import { consentEntities } from './database/entities';
import { consentMigrations } from './database/migrations';
import { FlowModule } from './flow/flow.module';
import { ConsentGrpcModule } from './grpc/consent-grpc.module';
import { LedgerModule } from './ledger/ledger.module';
import { PermissionModule } from './permission/permission.module';
import { ConsentDataHolder } from './personal-data/consent-data-holder';

/** consent: opt-in, the consent ledger, opt-out and suppression. */
export const consentService = defineService({
  name: 'consent',
  env: consentEnv,
  portVariable: 'CONSENT_PORT',
  entities: consentEntities,
  migrations: consentMigrations,
  imports: [
    OutboxModule.forRoot(),
    FlowModule,
    PermissionModule,
    ConsentApiModule,
    ConsentGrpcModule.forApi(ConsentApiModule),
    DataHolderModule.forHolder({ service: 'consent', holder: ConsentDataHolder, imports: [LedgerModule] }),
  ],
});
