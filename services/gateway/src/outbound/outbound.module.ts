import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { TenantsModule } from '../tenants/tenants.module';
import { CloudApiClient } from './cloud-api.client';
import { OutboundHandler } from './outbound.handler';
import { OutboundService } from './outbound.service';
import { SendingHaltService } from './sending-halt.service';
import { ThroughputLimiter } from './throughput-limiter';

/** The outbound sender and the send-side state it keeps (outbound log, halts). */
@Module({
  imports: [TenantsModule, ContactsModule],
  providers: [OutboundService, OutboundHandler, CloudApiClient, ThroughputLimiter, SendingHaltService],
  exports: [SendingHaltService],
})
export class OutboundModule {}
