import { Module } from '@nestjs/common';
import { ContactsService } from './contacts.service';
import { SendFence } from './send-fence';
import { sendFenceProvider } from './send-fence.provider';
import { ServiceWindowService } from './service-window.service';

/** Contacts (opaque references, blind-indexed identifiers sealed at rest), their holds and service windows. */
@Module({
  providers: [ContactsService, ServiceWindowService, sendFenceProvider],
  exports: [ContactsService, ServiceWindowService, SendFence],
})
export class ContactsModule {}
