import { Module } from '@nestjs/common';
import { ContactsService } from './contacts.service';
import { ServiceWindowService } from './service-window.service';

/** Contacts (opaque references, blind-indexed identifiers sealed at rest) and their service windows. */
@Module({
  providers: [ContactsService, ServiceWindowService],
  exports: [ContactsService, ServiceWindowService],
})
export class ContactsModule {}
