import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFault } from '../faults/fault.rules';
import { BodyTooLargeError } from '../http/body-too-large.error';
import { INVALID_JSON, parseJson, readBody, sendJson } from '../http/http.io';
import { newWamid } from '../ids.rules';
import type { SimulatorApp, SimulatorPhoneNumber } from '../simulator.options';
import type { SentMessage, SimulatorState } from '../state/simulator.state';
import { inboundSightings } from '../users/service-window.rules';
import { deriveBsuid } from '../users/user-id.rules';
import { toMetaJson } from '../webhooks/meta-json.rules';
import { inboundMessageWebhook, payloadPhoneNumberId, userPreferencesWebhook } from '../webhooks/webhook-payload.rules';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import {
  parseInboundRequest,
  parseMessagesQuery,
  parseUserPreferencesRequest,
  parseWebhookRequest,
  type Parsed,
} from './scripting-request.rules';

// Meta's webhook payloads reach 3 MB; a raw test body may be bigger still.
const MAX_SCRIPT_BYTES = 8 * 1024 * 1024;
// A user's message waits for the platform's answer at most this long (status 0 after).
const SCRIPT_POST_TIMEOUT_MS = 10_000;
const DEFAULT_PROFILE_NAME = 'WhatsApp User';

type Owner = { number: SimulatorPhoneNumber; app: SimulatorApp };

/** The `/_sim/*` endpoints: act as a user or as Meta, inspect what the platform sent, inject faults, reset. */
export class ScriptingHandler {
  constructor(
    private readonly state: SimulatorState,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, method: string, action: string): Promise<void> {
    const route = `${method} ${action}`;
    switch (route) {
      case 'GET health':
        return this.answer(request, response, 200, { ok: true });
      case 'GET stats':
        return this.answer(request, response, 200, { ...this.state.stats });
      case 'GET messages':
        return this.messages(request, response);
      case 'GET faults':
        return this.answer(request, response, 200, this.state.faults.list());
      case 'DELETE faults':
        this.state.faults.clear();
        return this.answer(request, response, 200, { ok: true });
      case 'POST reset':
        this.state.reset();
        this.webhooks.reset();
        this.state.options.log('reset');
        return this.answer(request, response, 200, { ok: true });
      case 'POST faults':
        return this.withBody(request, response, parseFault, (fault) => {
          this.state.faults.add(fault);
          sendJson(response, 200, { ok: true, pending: this.state.faults.list().length });
          return Promise.resolve();
        });
      case 'POST inbound':
        return this.withBody(request, response, parseInboundRequest, async (inbound) => {
          const owner = this.owner(response, inbound.phoneNumberId);
          if (owner === undefined) {
            return;
          }
          const userId = deriveBsuid(inbound.from);
          const phoneNumberId = owner.number.phoneNumberId;
          let context = inbound.context;
          if (inbound.content.kind === 'button_reply') {
            context ??= this.state.lastInteractiveTo(phoneNumberId, userId);
            if (context === undefined) {
              sendJson(response, 400, { error: 'No interactive message was sent to this user: give context' });
              return;
            }
          }
          const wamid = newWamid();
          const now = Date.now();
          this.state.rememberPhone(userId, inbound.from);
          // The window opens when Meta receives the message, before the platform has even seen it.
          this.state.recordInbound(phoneNumberId, [inbound.from, userId], now);
          const payload = inboundMessageWebhook(
            owner.number,
            { waId: inbound.from, userId, name: inbound.name ?? DEFAULT_PROFILE_NAME },
            inbound.content,
            wamid,
            now,
            context,
          );
          const outcome = await this.webhooks.postOnce(owner.app, toMetaJson(payload), {
            timeoutMs: SCRIPT_POST_TIMEOUT_MS,
          });
          this.state.options.log(`inbound ${inbound.content.kind}: platform answered ${outcome.status}`);
          sendJson(response, 200, { wamid, status: outcome.status });
        });
      case 'POST webhook':
        return this.withBody(request, response, parseWebhookRequest, async (script) => {
          let payload = script.payload;
          if (payload === undefined && script.raw !== undefined) {
            const parsed = parseJson(Buffer.from(script.raw, 'utf8'));
            payload = parsed === INVALID_JSON ? undefined : parsed;
          }
          const phoneNumberId = payloadPhoneNumberId(payload);
          const owner =
            (phoneNumberId === undefined ? undefined : this.state.numberById(phoneNumberId)) ??
            this.state.defaultNumber();
          for (const sighting of inboundSightings(payload, Date.now())) {
            this.state.recordInbound(sighting.phoneNumberId, sighting.identities, sighting.atMs);
          }
          const body = script.raw ?? toMetaJson(payload);
          const outcome = await this.webhooks.postOnce(owner.app, body, {
            signature: script.signature,
            timeoutMs: SCRIPT_POST_TIMEOUT_MS,
            ...(script.appSecret === undefined ? {} : { appSecret: script.appSecret }),
          });
          sendJson(response, 200, outcome);
        });
      case 'POST user-preferences':
        return this.withBody(request, response, parseUserPreferencesRequest, async (preference) => {
          const owner = this.owner(response, preference.phoneNumberId);
          if (owner === undefined) {
            return;
          }
          const user = { waId: preference.from, userId: deriveBsuid(preference.from) };
          const payload = userPreferencesWebhook(owner.number, user, preference.value, Date.now());
          const outcome = await this.webhooks.postOnce(owner.app, toMetaJson(payload), {
            timeoutMs: SCRIPT_POST_TIMEOUT_MS,
          });
          sendJson(response, 200, { status: outcome.status });
        });
      default:
        return this.answer(request, response, 404, { error: 'Unknown simulator endpoint' });
    }
  }

  private messages(request: IncomingMessage, response: ServerResponse): void {
    const query = parseMessagesQuery(new URL(request.url ?? '/', 'http://simulator.invalid').searchParams);
    if (!query.ok) {
      return this.answer(request, response, 400, { error: query.error });
    }
    const view = (message: SentMessage) => ({ ...message.body, id: message.id, receivedAt: message.receivedAt });
    this.answer(request, response, 200, this.state.messagesTo(query.value.to).map(view));
  }

  private owner(response: ServerResponse, phoneNumberId: string | undefined): Owner | undefined {
    const owner = phoneNumberId === undefined ? this.state.defaultNumber() : this.state.numberById(phoneNumberId);
    if (owner === undefined) {
      sendJson(response, 400, { error: 'No configured phone number has this phoneNumberId' });
    }
    return owner;
  }

  private answer(request: IncomingMessage, response: ServerResponse, status: number, body: unknown): void {
    request.resume();
    sendJson(response, status, body);
  }

  private async withBody<T>(
    request: IncomingMessage,
    response: ServerResponse,
    parse: (body: unknown) => Parsed<T>,
    run: (value: T) => Promise<void>,
  ): Promise<void> {
    let body: unknown;
    try {
      body = parseJson(await readBody(request, MAX_SCRIPT_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return sendJson(response, 413, { error: `The body must be at most ${MAX_SCRIPT_BYTES} bytes` });
      }
      throw error;
    }
    if (body === INVALID_JSON) {
      return sendJson(response, 400, { error: 'The body must be JSON' });
    }
    const parsed = parse(body);
    if (!parsed.ok) {
      return sendJson(response, 400, { error: parsed.error });
    }
    await run(parsed.value);
  }
}
