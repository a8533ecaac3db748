import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { ConsentHoldHandler } from './consent-hold.handler';
import { IntakeHandler } from './intake.handler';
import { IntakeService } from './intake.service';

/** From accepted webhooks to message, status and preference facts, each exactly once; the opt-out hold kept in step. */
@Module({
  imports: [ContactsModule, OutboundModule],
  providers: [IntakeService, IntakeHandler, ConsentHoldHandler],
})
export class IntakeModule {}
