import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultResponse } from '../faults/fault.rules';
import { hasBearer, metaError, type MetaErrorResponse } from '../graph/meta-error.rules';
import { BodyTooLargeError } from '../http/body-too-large.error';
import { INVALID_JSON, parseJson, readBody, sendJson } from '../http/http.io';
import { newWamid } from '../ids.rules';
import type { SimulatorState } from '../state/simulator.state';
import { deriveBsuid } from '../users/user-id.rules';
import { toMetaJson } from '../webhooks/meta-json.rules';
import { statusWebhook, type OutboundMessageRef, type StatusKind } from '../webhooks/webhook-payload.rules';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import { validateSendBody, type MessageSend } from './send-request.rules';

const MAX_SEND_BYTES = 1024 * 1024;

/**
 * `POST /{version}/{phone-number-id}/messages`: checks as Meta does (token, number, body, queued faults, throughput,
 * pair limit), answers, then posts the message's status webhooks (or a 131047 failure outside the 24-hour window).
 */
export class SendHandler {
  constructor(
    private readonly state: SimulatorState,
    private readonly webhooks: WebhookDispatcher,
    private readonly lifetime: AbortSignal,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, phoneNumberId: string): Promise<void> {
    const { options } = this.state;
    let parsed: unknown;
    try {
      parsed = parseJson(await readBody(request, MAX_SEND_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        parsed = INVALID_JSON;
      } else {
        throw error;
      }
    }
    // Mark-as-read shares the endpoint but is not a message: it is not counted as a send.
    const counted = !(typeof parsed === 'object' && parsed !== null && 'status' in parsed);
    const stats = this.state.stats;
    if (counted) {
      stats.sends += 1;
    }
    const reject = (error: MetaErrorResponse, reason: string): void => {
      if (counted) {
        stats.rejected += 1;
      }
      options.log(`send rejected: ${reason} (${error.body.error.code})`);
      sendJson(response, error.httpStatus, error.body);
    };

    if (!hasBearer(request.headers.authorization, options.accessToken)) {
      return reject(metaError(190), 'access token');
    }
    const owner = this.state.numberById(phoneNumberId);
    if (owner === undefined) {
      return reject(
        metaError(100, { details: 'Unsupported post request: no phone number with this ID on this account' }),
        'unknown phone number ID',
      );
    }
    if (parsed === INVALID_JSON) {
      return reject(metaError(100, { details: 'The request body must be JSON (at most 1 MB)' }), 'body not JSON');
    }
    const validation = validateSendBody(parsed, (id) => this.state.media.has(id));
    if (!validation.ok) {
      return reject(metaError(validation.violation.code, { details: validation.violation.details }), 'invalid');
    }
    if (validation.request.kind === 'read') {
      sendJson(response, 200, { success: true });
      return;
    }
    const send = validation.request;
    const recipient = this.resolveRecipient(send);
    const identities = recipient.waId === undefined ? [recipient.userId] : [recipient.waId, recipient.userId];

    const fault = this.state.faults.take(identities);
    if (fault !== undefined) {
      if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
        await sleep(fault.latencyMs, undefined, { signal: this.lifetime });
      }
      if (fault.drop === true) {
        stats.rejected += 1;
        options.log('send dropped (fault)');
        request.socket.destroy();
        return;
      }
      const error = faultResponse(fault);
      if (error !== undefined) {
        return reject(error, 'fault');
      }
    }
    const now = Date.now();
    if (!this.state.throughput.tryAcquire(phoneNumberId, now)) {
      return reject(metaError(130429), 'throughput');
    }
    if (!this.state.pair.tryAcquire(`${phoneNumberId}|${recipient.userId}`, now)) {
      return reject(metaError(131056), 'pair rate limit');
    }

    const wamid = newWamid();
    const isTemplate = send.type === 'template';
    const windowOpen = isTemplate || this.state.windowOpen(phoneNumberId, identities, now);
    if (windowOpen) {
      this.state.recordMessage({
        id: wamid,
        receivedAt: new Date(now).toISOString(),
        phoneNumberId,
        userId: recipient.userId,
        ...(recipient.waId === undefined ? {} : { waId: recipient.waId }),
        body: parsed as Record<string, unknown>,
      });
    }
    stats.accepted += 1;
    options.log(`send accepted: ${send.type}${windowOpen ? '' : ' (outside the 24-hour window: will fail)'}`);
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [
        'waId' in send.recipient
          ? { input: send.recipient.input, wa_id: send.recipient.waId }
          : { input: send.recipient.input, user_id: send.recipient.userId },
      ],
      messages: [isTemplate ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
    });

    const ref: OutboundMessageRef = {
      wamid,
      userId: recipient.userId,
      isTemplate,
      category: send.category,
      ...(recipient.waId === undefined ? {} : { waId: recipient.waId }),
      ...(send.callbackData === undefined ? {} : { callbackData: send.callbackData }),
    };
    const statuses: StatusKind[] = windowOpen ? options.autoStatuses : ['failed'];
    this.webhooks.deliverInOrder(
      owner.app,
      statuses.map((status) => () => toMetaJson(statusWebhook(owner.number, ref, status, Date.now()))),
      options.statusDelayMs,
    );
  }

  /** Both identities of the user when the simulator knows them: a number's BSUID is derived, a BSUID's number remembered. */
  private resolveRecipient(send: MessageSend): { waId?: string; userId: string } {
    if ('waId' in send.recipient) {
      const userId = deriveBsuid(send.recipient.waId);
      this.state.rememberPhone(userId, send.recipient.waId);
      return { waId: send.recipient.waId, userId };
    }
    const waId = this.state.phoneOf(send.recipient.userId);
    return waId === undefined ? { userId: send.recipient.userId } : { waId, userId: send.recipient.userId };
  }
}
