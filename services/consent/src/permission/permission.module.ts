import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { ConsentStateReader } from './consent-state.reader';
import { SendPermissionHandler } from './send-permission.handler';

/** The gateway's send-time check (suppression and consent per purpose). */
@Module({
  imports: [NoticesModule],
  providers: [ConsentStateReader, SendPermissionHandler],
  exports: [ConsentStateReader],
})
export class PermissionModule {}
