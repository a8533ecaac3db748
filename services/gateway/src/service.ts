import { DataHolderModule } from '@trustline/data-holder';
import { OutboxModule } from '@trustline/messaging';
import { defineService } from '@trustline/service-kit';
import { gatewayEnv } from './config';
import { gatewayEntities } from './database/entities';
import { gatewayMigrations } from './database/migrations';
import { IntakeModule } from './intake/intake.module';
import { OutboundModule } from './outbound/outbound.module';
import { GatewayDataHolder } from './personal-data/gateway-data-holder';
import { mountWebhookReceiver } from './webhook/webhook-receiver';
import { WebhookModule } from './webhook/webhook.module';

/** gateway: the only door to WhatsApp: Cloud API webhooks, the outbound sender and the operator API edge. */
export const gatewayService = defineService({
  name: 'gateway',
  env: gatewayEnv,
  portVariable: 'GATEWAY_PORT',
  entities: gatewayEntities,
  migrations: gatewayMigrations,
  // The webhook edge everywhere; the workers (intake, outbound sender) unless GATEWAY_WORKERS=false, so that the edge
  // can be deployed and scaled apart from the work behind it, which must never slow its answers to Meta.
  imports: (config) => [
    OutboxModule.forRoot(),
    WebhookModule,
    ...(config.GATEWAY_WORKERS
      ? [IntakeModule, OutboundModule, DataHolderModule.forHolder({ service: 'gateway', holder: GatewayDataHolder })]
      : []),
  ],
  // The webhook POST is mounted ahead of Nest's JSON parser and router: the signature is checked on the exact bytes
  // before anything parses them (see webhook-receiver.ts).
  configureApp: (app) => {
    mountWebhookReceiver(app);
  },
});
