import { Module } from '@nestjs/common';
import { FlowModule } from '../flow/flow.module';
import { LedgerModule } from '../ledger/ledger.module';
import { NoticesModule } from '../notices/notices.module';
import { PermissionModule } from '../permission/permission.module';
import { ConsentApi } from './consent-api';
import { ConsentApiHandler } from './consent-api.handler';
import { ConsentApiService } from './consent-api.service';

/** The internal API (check, history, record): one implementation, served on NATS here and on gRPC by the grpc module. */
@Module({
  imports: [NoticesModule, LedgerModule, FlowModule, PermissionModule],
  providers: [{ provide: ConsentApi, useClass: ConsentApiService }, ConsentApiHandler],
  exports: [ConsentApi],
})
export class ConsentApiModule {}
