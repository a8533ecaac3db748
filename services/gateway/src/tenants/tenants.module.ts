import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@trustline/service-kit';
import { TenantDirectory, type GatewayConfig } from './tenant-directory';

/** The configured apps, numbers and tenants (from the environment or WHATSAPP_TENANTS_FILE), validated at start. */
@Module({
  providers: [
    {
      provide: TenantDirectory,
      useFactory: (config: GatewayConfig) => TenantDirectory.fromConfig(config),
      inject: [SERVICE_CONFIG],
    },
  ],
  exports: [TenantDirectory],
})
export class TenantsModule {}
