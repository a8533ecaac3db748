import { Controller, ForbiddenException, Get, Header, Query } from '@nestjs/common';
import { Public } from '@trustline/observability';
import { TenantDirectory } from '../tenants/tenant-directory';
import { MAX_CHALLENGE_LENGTH } from './webhook.constants';

/**
 * Meta's callback URL, the subscription handshake. Public by nature: authenticity is the verify token. The POST of
 * notifications is mounted directly on the HTTP server (webhook-receiver.ts).
 */
@Controller('webhooks/whatsapp')
export class WebhookController {
  constructor(private readonly directory: TenantDirectory) {}

  /** The subscription handshake: echo hub.challenge when hub.verify_token is ours, 403 otherwise. */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  verifySubscription(
    @Query('hub.mode') mode: unknown,
    @Query('hub.verify_token') token: unknown,
    @Query('hub.challenge') challenge: unknown,
  ): string {
    if (
      mode !== 'subscribe' ||
      typeof token !== 'string' ||
      typeof challenge !== 'string' ||
      challenge.length > MAX_CHALLENGE_LENGTH ||
      !this.directory.verifyTokenMatches(token)
    ) {
      throw new ForbiddenException('webhook verification failed');
    }
    return challenge;
  }
}
