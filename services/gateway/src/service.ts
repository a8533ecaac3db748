import { defineService } from '@trustline/service-kit';
import { gatewayEnv } from './config';
import { gatewayEntities } from './database/entities';
import { gatewayMigrations } from './database/migrations';

/** gateway: the only door to WhatsApp: Cloud API webhooks, the outbound sender and the operator API edge. */
export const gatewayService = defineService({
  name: 'gateway',
  env: gatewayEnv,
  portVariable: 'GATEWAY_PORT',
  entities: gatewayEntities,
  migrations: gatewayMigrations,
  imports: [],
  rawBody: true,
});
