import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { WebhookIntakeService } from './webhook-intake.service';
import { WebhookController } from './webhook.controller';

/** The Cloud API webhook edge: handshake, signature, durable acceptance. */
@Module({
  imports: [TenantsModule],
  controllers: [WebhookController],
  providers: [WebhookIntakeService],
})
export class WebhookModule {}
