import { auditService } from '@trustline/audit-service';
import { consentService } from '@trustline/consent-service';
import { conversationAiService } from '@trustline/conversation-ai-service';
import { dsarService } from '@trustline/dsar-service';
import { gatewayService } from '@trustline/gateway-service';
import { retentionService } from '@trustline/retention-service';
import type { EnvSpec, ServiceDefinition } from '@trustline/service-kit';

/**
 * The six services, in start order: consumers before producers, the gateway (the intake) last, so the platform is
 * whole before it accepts a webhook. Shutdown runs in reverse: the gateway stops taking work first.
 */
export const ALL_SERVICES: readonly ServiceDefinition<EnvSpec>[] = [
  auditService,
  retentionService,
  dsarService,
  conversationAiService,
  consentService,
  gatewayService,
];
