import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { IntakeHandler } from './intake.handler';
import { IntakeService } from './intake.service';

/** From accepted webhooks to message, status and preference facts, each exactly once. */
@Module({
  imports: [ContactsModule, OutboundModule],
  providers: [IntakeService, IntakeHandler],
})
export class IntakeModule {}
