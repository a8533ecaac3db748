import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  Contracts,
  EventEnvelope,
  GatewayOutboundRequestedV1,
  OutboundFailureReasonName,
  SendDenialReason,
} from '@trustline/contracts';
import { TransitCipher } from '@trustline/crypto';
import { EventPublisher, Outbox, RetryLaterError, type DeliveryContext, type StageFn } from '@trustline/messaging';
import { ServiceMetrics } from '@trustline/observability';
import { InjectServiceConfig } from '@trustline/service-kit';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { holdRefusal } from '../contacts/contact-hold.rules';
import type { ContactRecipient } from '../contacts/contact-identity';
import { ContactsService } from '../contacts/contacts.service';
import { SendFence, type SendLease } from '../contacts/send-fence';
import type { ContactKey } from '../contacts/send-fence-key.rules';
import { SendFenceUnavailableError } from '../contacts/send-fence-unavailable.error';
import { ServiceWindowService } from '../contacts/service-window.service';
import { TenantDirectory, type BusinessNumber, type GatewayConfig } from '../tenants/tenant-directory';
import { CloudApiClient, type SendResult } from './cloud-api.client';
import { OutboundMessageEntity } from './outbound-message.entity';
import { checkOutboundMessage, toCloudApiBody, type OutboundMessage } from './outbound-message.rules';
import { decideAfterFailure, retryDelayMs } from './send-failure.rules';
import { SendingHaltService } from './sending-halt.service';
import { mayDeliver } from './service-window.rules';
import { ThroughputLimiter } from './throughput-limiter';

type Command = EventEnvelope<GatewayOutboundRequestedV1>;

/** Deliveries of one command before it fails for good (its last attempt publishes the failure itself). */
export const MAX_SEND_ATTEMPTS = 30;

const CONSENT_TIMEOUT_MS = 2_000;
const CONSENT_RETRY = { baseMs: 1_000, capMs: 30_000 };

/** States after which a command is settled: it is never sent again. */
const SETTLED = new Set(['accepted', 'sent', 'delivered', 'read', 'failed']);

/** How the part of a send that runs inside the contact's fence ended. */
type FencedOutcome =
  | { readonly kind: 'refused'; readonly reason: OutboundFailureReasonName }
  | { readonly kind: 'consent-unavailable' }
  | { readonly kind: 'throttled'; readonly waitMs: number }
  | { readonly kind: 'lost-claim' }
  | { readonly kind: 'called'; readonly attempts: number; readonly result: SendResult };

/**
 * The outbound sender: the one choke point every message to WhatsApp passes. For each command, at send time, in
 * this order: already settled? (idempotency) → tenant halted? → expired? → message valid? → contact known? →
 * held? → 24-hour window → then, holding the contact's send fence (shared): the contact's holds read again (opt-out
 * hold: nothing but the opt-out confirmation; marketing stop: no marketing) → consent → the number's throughput slot
 * → claim → the Cloud API call; the fence is let go when that call returns → outcome recorded with its event
 * in one transaction. A hold change (the user's STOP, START, marketing stop) takes the fence exclusively, so it waits
 * for the sends in flight to that contact and every later send sees it: no send decided before an opt-out reaches
 * WhatsApp after it (DESIGN.md §5, invariant 1), whenever consent records it.
 * Everything that can get better later is retried by redelivery after the delay the error code calls for.
 */
@Injectable()
export class OutboundService {
  private readonly logger = new Logger(OutboundService.name);
  private readonly outcomes: Counter<'outcome' | 'reason'>;

  constructor(
    private readonly directory: TenantDirectory,
    private readonly contacts: ContactsService,
    private readonly windows: ServiceWindowService,
    private readonly limiter: ThroughputLimiter,
    private readonly client: CloudApiClient,
    private readonly transit: TransitCipher,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox<Contracts>,
    private readonly halts: SendingHaltService,
    private readonly fence: SendFence,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectServiceConfig() private readonly config: GatewayConfig,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter({
      name: 'trustline_gateway_outbound_total',
      help: 'Outbound command outcomes: accepted, failed (by reason), retried (by reason)',
      labelNames: ['outcome', 'reason'],
    });
  }

  async handle(command: Command, delivery: DeliveryContext): Promise<void> {
    const { tenantId, data } = command;
    const log = await this.claim(command);
    if (SETTLED.has(log.state)) {
      return;
    }
    if (log.state === 'sending' && log.sendingSince) {
      // The last send's outcome is unknown (timeout, connection lost after the request went out). Meta echoes the
      // command id (biz_opaque_callback_data) in its status webhooks: give one the grace period to arrive and settle
      // the command, and only then conclude Meta never took it.
      const grace = this.config.WHATSAPP_AMBIGUOUS_SEND_GRACE_MS;
      const waited = Date.now() - log.sendingSince.getTime();
      if (waited < grace) {
        return this.retryOrFail(command, delivery, grace - waited, 'retries-exhausted', 'unknown-outcome');
      }
      this.logger.warn(
        { outboundId: data.outboundId },
        'no trace of the earlier send after the grace period: resending',
      );
    }
    if (await this.halts.isHalted(tenantId)) {
      return this.fail(command, 'account-restricted', log.attempts);
    }
    if (data.notAfter !== undefined && Date.parse(data.notAfter) < Date.now()) {
      return this.fail(command, 'expired', log.attempts);
    }
    const message = await this.openMessage(command);
    if (message === undefined) {
      return this.fail(command, 'invalid-message', log.attempts);
    }
    const numbers = this.directory.numbersOf(tenantId);
    if (data.phoneNumberId !== undefined && !numbers.some((n) => n.phoneNumberId === data.phoneNumberId)) {
      return this.fail(command, 'invalid-message', log.attempts);
    }
    const recipient = await this.contacts.recipient(tenantId, data.contactRef);
    if (recipient === undefined || numbers.length === 0) {
      return this.fail(command, 'unknown-contact', log.attempts);
    }
    // Early and cheap (no throughput slot spent on a refusal); the fenced check below is the one that counts.
    const held = holdRefusal(recipient, data.purpose);
    if (held !== undefined) {
      return this.fail(command, held, log.attempts);
    }
    const candidates = data.phoneNumberId === undefined ? numbers.map((n) => n.phoneNumberId) : [data.phoneNumberId];
    const lastInbound = await this.windows.lastInbound(data.contactRef, candidates);
    const number = this.directory.number(data.phoneNumberId ?? lastInbound?.phoneNumberId ?? candidates[0])!;
    if (!mayDeliver(message, lastInbound?.at, new Date()).allowed) {
      return this.fail(command, 'window-closed', log.attempts, undefined, number);
    }
    let outcome: FencedOutcome;
    try {
      outcome = await this.fence.whileSending({ tenantId, contactRef: data.contactRef }, (lease) =>
        this.checkAndCall(command, message, recipient, number, lease),
      );
    } catch (error) {
      if (error instanceof SendFenceUnavailableError) {
        return this.retryOrFail(command, delivery, error.retryInMs, 'retries-exhausted', 'send-fence');
      }
      throw error;
    }
    switch (outcome.kind) {
      case 'refused':
        return this.fail(command, outcome.reason, log.attempts, undefined, number);
      case 'consent-unavailable':
        return this.retryOrFail(
          command,
          delivery,
          retryDelayMs(delivery.attempt, CONSENT_RETRY),
          'consent-unavailable',
          'consent-unavailable',
        );
      case 'throttled':
        return this.retryOrFail(command, delivery, outcome.waitMs, 'retries-exhausted', 'throughput');
      case 'lost-claim':
        return; // another delivery is sending it, or it was settled meanwhile (e.g. by a status webhook)
      case 'called':
        return this.recordOutcome(command, delivery, message, number, outcome.attempts, outcome.result);
    }
  }

  /**
   * Inside the contact's fence: the holds as they stand now (a STOP committed a moment ago is seen here), consent,
   * then the claim and the Cloud API call. Nothing here records a refusal: that happens after the fence is let go.
   */
  private async checkAndCall(
    command: Command,
    message: OutboundMessage,
    recipient: ContactRecipient,
    number: BusinessNumber,
    lease: SendLease,
  ): Promise<FencedOutcome> {
    const { tenantId, data } = command;
    const holds = await this.contacts.holds(tenantId, data.contactRef);
    const refusal = holds === undefined ? 'unknown-contact' : holdRefusal(holds, data.purpose);
    if (refusal !== undefined) {
      return { kind: 'refused', reason: refusal };
    }
    const permission = await this.askConsent(command);
    if (permission === 'unavailable') {
      return { kind: 'consent-unavailable' };
    }
    if (permission !== 'allow') {
      return { kind: 'refused', reason: permission };
    }
    // The number's throughput slot, last before the call: the slot paces what reaches the Cloud API, so the time
    // between taking it and sending (fence, consent) must not vary with load.
    const wait = await this.limiter.acquire(number);
    if (wait > 0) {
      return { kind: 'throttled', waitMs: wait };
    }
    lease.confirm(); // the fence's connection broke meanwhile: do not call, try again later
    // The right to call Meta, taken atomically: from `pending`, or from a `sending` whose outcome stayed unknown past
    // the grace period. Two deliveries of one command racing here cannot both win.
    const started = await this.dataSource
      .getRepository(OutboundMessageEntity)
      .createQueryBuilder()
      .update()
      .set({
        state: 'sending',
        attempts: () => '"attempts" + 1',
        sendingSince: () => 'now()',
        phoneNumberId: number.phoneNumberId,
        kind: message.type,
      })
      .where('"outbound_id" = :id', { id: data.outboundId })
      .andWhere(
        `("state" = 'pending' OR ("state" = 'sending' AND "sending_since" < now() - CAST(:grace AS interval)))`,
        { grace: `${this.config.WHATSAPP_AMBIGUOUS_SEND_GRACE_MS} milliseconds` },
      )
      .returning(['attempts'])
      .execute();
    if (started.affected === 0) {
      return { kind: 'lost-claim' };
    }
    const attempts = (started.raw as { attempts: number }[])[0]?.attempts ?? 1;
    const body = toCloudApiBody(
      message,
      {
        ...(recipient.waId === undefined ? {} : { waId: recipient.waId }),
        ...(recipient.userId === undefined ? {} : { userId: recipient.userId }),
      },
      { callbackData: data.outboundId, ...(data.replyTo === undefined ? {} : { replyTo: data.replyTo }) },
    );
    return { kind: 'called', attempts, result: await this.client.send(number, body) };
  }

  /** Outside the fence: what the Cloud API answered, recorded with its event; retries and failures as it calls for. */
  private async recordOutcome(
    command: Command,
    delivery: DeliveryContext,
    message: OutboundMessage,
    number: BusinessNumber,
    attempts: number,
    result: SendResult,
  ): Promise<void> {
    const { data } = command;
    if (result.ok) {
      await this.outbox.transaction(this.dataSource, async (manager, stage) => {
        await manager
          .getRepository(OutboundMessageEntity)
          .createQueryBuilder()
          .update()
          .set({
            wamid: result.wamid,
            sendingSince: null,
            state: () => `CASE WHEN "state" = 'sending' THEN 'accepted' ELSE "state" END`,
          })
          .where('outboundId = :id', { id: data.outboundId })
          .execute();
        await stage(
          'gateway.outbound.accepted.v1',
          this.publisher.envelope(
            {
              outboundId: data.outboundId,
              contactRef: data.contactRef,
              purpose: data.purpose,
              kind: message.type,
              messageId: result.wamid,
              phoneNumberId: number.phoneNumberId,
              attempts,
              acceptedAt: new Date().toISOString(),
            },
            { tenantId: command.tenantId },
          ),
        );
      });
      this.outcomes.inc({ outcome: 'accepted', reason: '' });
      return;
    }
    const action = decideAfterFailure(result.failure, delivery.attempt);
    switch (action.action) {
      case 'throttle-number':
        this.limiter.pause(number, action.delayMs);
        await this.setPending(data.outboundId, result.errorCode);
        return this.retryOrFail(command, delivery, action.delayMs, 'retries-exhausted', 'throttled', result.errorCode);
      case 'retry':
        await this.setPending(data.outboundId, result.errorCode);
        return this.retryOrFail(command, delivery, action.delayMs, 'retries-exhausted', 'retryable', result.errorCode);
      case 'ambiguous':
        // Stays `sending`: the next delivery waits for a status webhook before it dares to resend.
        return this.retryOrFail(
          command,
          delivery,
          this.config.WHATSAPP_AMBIGUOUS_SEND_GRACE_MS,
          'retries-exhausted',
          'unknown-outcome',
        );
      case 'fail':
        return this.fail(command, action.reason, attempts, result.errorCode, number);
      case 'halt-tenant':
        return this.fail(command, 'account-restricted', attempts, result.errorCode, number, true);
    }
  }

  /** The command's row in the outbound log, created on its first delivery. */
  private async claim(command: Command): Promise<OutboundMessageEntity> {
    const repository = this.dataSource.getRepository(OutboundMessageEntity);
    await repository
      .createQueryBuilder()
      .insert()
      .values({
        outboundId: command.data.outboundId,
        tenantId: command.tenantId,
        contactRef: command.data.contactRef,
        purpose: command.data.purpose,
        state: 'pending',
        attempts: 0,
      })
      .orIgnore()
      .execute();
    return repository.findOneByOrFail({ outboundId: command.data.outboundId });
  }

  private async openMessage(command: Command): Promise<OutboundMessage | undefined> {
    try {
      const text = await this.transit.openText(command.data.message, {
        tenantId: command.tenantId,
        subjectRef: command.data.contactRef,
        field: 'gateway.outbound.requested.v1/message',
      });
      return checkOutboundMessage(JSON.parse(text));
    } catch (error) {
      this.logger.warn(
        { outboundId: command.data.outboundId, error: error instanceof Error ? error.name : 'unknown' },
        'outbound message cannot be opened or is not valid',
      );
      return undefined;
    }
  }

  private async askConsent(command: Command): Promise<'allow' | SendDenialReason | 'unavailable'> {
    try {
      const answer = await this.publisher.request(
        'consent.rpc.send-permission.v1',
        { contactRef: command.data.contactRef, purpose: command.data.purpose, outboundId: command.data.outboundId },
        { tenantId: command.tenantId, timeoutMs: CONSENT_TIMEOUT_MS },
      );
      // Default-deny: anything but an explicit allow stops the send.
      return answer.decision === 'allow' ? 'allow' : (answer.reason ?? 'no-consent');
    } catch (error) {
      this.logger.warn(
        { outboundId: command.data.outboundId, error: error instanceof Error ? error.name : 'unknown' },
        'consent did not answer: the message waits',
      );
      return 'unavailable';
    }
  }

  private async setPending(outboundId: string, errorCode: number | undefined): Promise<void> {
    await this.dataSource
      .getRepository(OutboundMessageEntity)
      .update({ outboundId, state: 'sending' }, { state: 'pending', sendingSince: null, errorCode: errorCode ?? null });
  }

  /** Retry after `delayMs`, unless this was the last attempt: then fail with `finalReason`. */
  private retryOrFail(
    command: Command,
    delivery: DeliveryContext,
    delayMs: number,
    finalReason: OutboundFailureReasonName,
    why: string,
    errorCode?: number,
  ): Promise<void> {
    if (delivery.attempt >= MAX_SEND_ATTEMPTS) {
      return this.fail(command, finalReason, delivery.attempt, errorCode);
    }
    this.outcomes.inc({ outcome: 'retried', reason: why });
    throw new RetryLaterError(delayMs, why);
  }

  private async fail(
    command: Command,
    reason: OutboundFailureReasonName,
    attempts: number,
    errorCode?: number,
    number?: BusinessNumber,
    haltTenant = false,
  ): Promise<void> {
    const { tenantId, data } = command;
    // Meta refused with 131050: the marketing stop it records is a hold change, fenced like the intake's.
    const stopsMarketing = reason === 'marketing-opt-out' && errorCode !== undefined;
    const fenced: ContactKey[] = stopsMarketing ? [{ tenantId, contactRef: data.contactRef }] : [];
    await this.fence.changingHolds(fenced, (lockInTransaction) =>
      this.outbox.transaction(this.dataSource, async (manager, stage) => {
        await lockInTransaction(manager);
        const updated = await manager
          .getRepository(OutboundMessageEntity)
          .createQueryBuilder()
          .update()
          .set({ state: 'failed', failureReason: reason, errorCode: errorCode ?? null, sendingSince: null })
          .where('outboundId = :id', { id: data.outboundId })
          .andWhere('state IN (:...states)', { states: ['pending', 'sending'] })
          .execute();
        if (updated.affected === 0) {
          return;
        }
        await stage(
          'gateway.outbound.failed.v1',
          this.publisher.envelope(
            {
              outboundId: data.outboundId,
              contactRef: data.contactRef,
              purpose: data.purpose,
              reason,
              attempts,
              failedAt: new Date().toISOString(),
              ...(errorCode === undefined ? {} : { errorCode }),
              ...(number === undefined ? {} : { phoneNumberId: number.phoneNumberId }),
            },
            { tenantId },
          ),
        );
        if (stopsMarketing) {
          await this.recordMarketingStop(manager, stage, command, number);
        }
        if (haltTenant) {
          await this.halts.halt(manager, stage, {
            tenantId,
            errorCode: errorCode ?? 368,
            phoneNumberId: number?.phoneNumberId,
          });
        }
      }),
    );
    this.outcomes.inc({ outcome: 'failed', reason });
  }

  /** Meta refused with 131050: the user stopped marketing messages on WhatsApp. Recorded and reported, never retried. */
  private async recordMarketingStop(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    command: Command,
    number: BusinessNumber | undefined,
  ): Promise<void> {
    await this.contacts.setMarketingStopped(manager, command.tenantId, command.data.contactRef, true);
    if (number !== undefined) {
      await stage(
        'gateway.preference.changed.v1',
        this.publisher.envelope(
          {
            contactRef: command.data.contactRef,
            phoneNumberId: number.phoneNumberId,
            category: 'marketing_messages',
            value: 'stop',
            source: 'send-error',
            at: new Date().toISOString(),
          },
          { tenantId: command.tenantId },
        ),
      );
    }
  }
}
