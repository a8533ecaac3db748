import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  HttpCode,
  Logger,
  Post,
  Query,
  Req,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Public } from '@trustline/observability';
import { TenantDirectory } from '../tenants/tenant-directory';
import { WebhookIntakeService } from './webhook-intake.service';
import { MAX_CHALLENGE_LENGTH } from './webhook.constants';

/**
 * Meta's callback URL. Public by nature — authenticity comes from the verify token (GET) and from the
 * X-Hub-Signature-256 HMAC of the raw body (POST), checked before anything else.
 */
@Controller('webhooks/whatsapp')
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(
    private readonly intake: WebhookIntakeService,
    private readonly directory: TenantDirectory,
  ) {}

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

  /** 200 only once the notifications are durably accepted; 401/403/400 change nothing; 503 asks Meta to retry. */
  @Public()
  @Post()
  @HttpCode(200)
  async receiveNotification(
    @Req() request: { body?: unknown },
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<void> {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let result;
    try {
      result = await this.intake.accept(body, signature);
    } catch (error) {
      this.logger.error(
        { error: error instanceof Error ? error.name : 'unknown', cause: error instanceof Error ? error.message : '' },
        'webhook not durably accepted: answering 503 so Meta retries',
      );
      throw new ServiceUnavailableException('notification not accepted; retry later');
    }
    switch (result.outcome) {
      case 'unsigned':
        throw new UnauthorizedException('missing X-Hub-Signature-256');
      case 'forged':
        throw new ForbiddenException('X-Hub-Signature-256 does not match');
      case 'malformed':
        throw new BadRequestException({ message: 'not a WhatsApp webhook notification', problems: result.problems });
      case 'accepted':
        return;
    }
  }
}
