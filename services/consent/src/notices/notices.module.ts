import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@trustline/service-kit';
import { NoticeCatalog, type ConsentConfig } from './notice-catalog';
import { NoticeRegistry } from './notice-registry.service';

/** Each tenant's consent policy and notices (validated at start), and the record of every notice text shown. */
@Module({
  providers: [
    {
      provide: NoticeCatalog,
      useFactory: (config: ConsentConfig) => NoticeCatalog.fromConfig(config),
      inject: [SERVICE_CONFIG],
    },
    NoticeRegistry,
  ],
  exports: [NoticeCatalog, NoticeRegistry],
})
export class NoticesModule {}
