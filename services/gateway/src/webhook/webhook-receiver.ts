import { Logger, type INestApplication } from '@nestjs/common';
import { raw, type Express, type Request, type Response } from 'express';
import type { WebhookAcceptance } from './webhook-acceptance';
import { WebhookIntakeService } from './webhook-intake.service';
import { WEBHOOK_MAX_BODY_BYTES, WEBHOOK_PATH } from './webhook.constants';

/** The HTTP answer to each outcome; bodies name the problem, never echo input. */
export function answerFor(result: WebhookAcceptance): { status: number; body?: object } {
  switch (result.outcome) {
    case 'accepted':
      return { status: 200 };
    case 'unsigned':
      return { status: 401, body: { statusCode: 401, message: 'missing X-Hub-Signature-256' } };
    case 'forged':
      return { status: 403, body: { statusCode: 403, message: 'X-Hub-Signature-256 does not match' } };
    case 'malformed':
      return {
        status: 400,
        body: { statusCode: 400, message: 'not a WhatsApp webhook notification', problems: result.problems },
      };
  }
}

/**
 * `POST /webhooks/whatsapp`, mounted on the HTTP server directly rather than through a Nest controller: it is the
 * platform's highest-volume request and needs none of Nest's per-request machinery — no guard (authenticity is the
 * signature, checked first), no pipes (the body stays bytes), no interceptors — and skipping it measurably raises
 * what one process accepts. The body is read raw with Meta's 3 MB limit (413 beyond, while reading).
 */
export function mountWebhookReceiver(app: INestApplication): void {
  const intake = app.get(WebhookIntakeService);
  const logger = new Logger('WebhookReceiver');
  const server = app.getHttpAdapter().getInstance() as Express;
  const receive = async (request: Request, response: Response): Promise<void> => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-hub-signature-256'];
    let result: WebhookAcceptance;
    try {
      result = await intake.accept(body, typeof signature === 'string' ? signature : undefined);
    } catch (error) {
      logger.error(
        { error: error instanceof Error ? error.name : 'unknown', cause: error instanceof Error ? error.message : '' },
        'webhook not durably accepted: answering 503 so Meta retries',
      );
      response.status(503).json({ statusCode: 503, message: 'notification not accepted; retry later' });
      return;
    }
    const answer = answerFor(result);
    if (answer.body) {
      response.status(answer.status).json(answer.body);
    } else {
      response.status(answer.status).end();
    }
  };
  server.post(WEBHOOK_PATH, raw({ type: () => true, limit: WEBHOOK_MAX_BODY_BYTES }), (request, response) => {
    void receive(request, response);
  });
}
