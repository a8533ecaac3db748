import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Contracts, EventEnvelope, GatewayWebhookReceivedV1, Sealed } from '@trustline/contracts';
import { TransitCipher } from '@trustline/crypto';
import { EventPublisher, Outbox, type StageFn } from '@trustline/messaging';
import { ServiceMetrics } from '@trustline/observability';
import { tablePath } from '@trustline/persistence';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import {
  decisiveHoldChanges,
  keywordHoldChange,
  type DatedHoldChange,
  type HoldChange,
} from '../contacts/contact-hold.rules';
import { ContactsService } from '../contacts/contacts.service';
import { SendFence } from '../contacts/send-fence';
import type { ContactKey } from '../contacts/send-fence-key.rules';
import { ServiceWindowService } from '../contacts/service-window.service';
import { advanceOutboundState, type OutboundState } from '../outbound/delivery-status.rules';
import { OutboundMessageEntity } from '../outbound/outbound-message.entity';
import { SendingHaltService } from '../outbound/sending-halt.service';
import {
  normalizeChanges,
  type InboundMessage,
  type PreferenceUpdate,
  type StatusUpdate,
} from '../webhook/webhook-payload.rules';
import type { WebhookChange } from '../webhook/webhook-routing.rules';

const RECEIVED = 'gateway.message.received.v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STOPPED_MARKETING = 131050;
const ACCOUNT_RESTRICTED = 368;

interface PreparedMessage {
  readonly message: InboundMessage;
  readonly contactRef: string;
  readonly contact: Sealed;
  readonly content: Sealed;
  /** An opt-out or opt-in keyword message: what it does to the contact's hold (if it is new). */
  readonly holdChange?: HoldChange;
}

interface PreparedPreference {
  readonly update: PreferenceUpdate;
  readonly contactRef: string;
}

interface PreparedWebhook {
  readonly envelope: EventEnvelope<GatewayWebhookReceivedV1>;
  readonly messages: readonly PreparedMessage[];
  readonly statuses: readonly StatusUpdate[];
  readonly preferences: readonly PreparedPreference[];
  /** The contacts whose holds this webhook may change: their send fences are taken before its transaction. */
  readonly fenced: readonly ContactKey[];
}

/**
 * The intake worker: turns one accepted webhook (per business number) into facts, each exactly once however often
 * Meta delivered it — messages by wamid, statuses by (wamid, status), preferences by (contact, value, time) — with
 * the dedupe rows, the state changes and the staged events committed in one transaction. Encryption (contact keys,
 * sealed event fields) happens before that transaction opens.
 *
 * Holds: an opt-out keyword (STOP, BAJA, SAIR…) sets the contact's hold and an opt-in keyword lifts it, here, in the
 * transaction that records the message, before consent even sees it; a user_preferences webhook or a 131050 failure
 * sets or clears the marketing stop. Such a transaction holds the send fences of the contacts it changes (see
 * SendFence): it waits for the sends in flight to them, and every later send reads the new hold.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);
  private readonly items: Counter<'kind' | 'result'>;

  constructor(
    private readonly transit: TransitCipher,
    private readonly contacts: ContactsService,
    private readonly windows: ServiceWindowService,
    private readonly halts: SendingHaltService,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox<Contracts>,
    private readonly fence: SendFence,
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: ServiceMetrics,
  ) {
    this.items = metrics.counter({
      name: 'trustline_gateway_intake_items_total',
      help: 'Webhook items by kind and result (new, duplicate, skipped; holds: set, lifted, stale)',
      labelNames: ['kind', 'result'],
    });
  }

  /** One accepted webhook on its own (also the fallback for a batch that failed as a whole). */
  process(envelope: EventEnvelope<GatewayWebhookReceivedV1>): Promise<void> {
    return this.processBatch([envelope]);
  }

  /**
   * Several accepted webhooks in one transaction: the messages' dedupe rows and windows as multi-row statements and
   * all staged events as one outbox insert, so that intake keeps up with Meta's peaks without one commit per event.
   */
  async processBatch(envelopes: readonly EventEnvelope<GatewayWebhookReceivedV1>[]): Promise<void> {
    const batch: PreparedWebhook[] = [];
    for (const envelope of envelopes) {
      batch.push(await this.prepare(envelope));
    }
    const fenced = batch.flatMap((webhook) => webhook.fenced);
    await this.fence.changingHolds(fenced, (lockInTransaction) =>
      this.outbox.transaction(this.dataSource, async (manager, stage) => {
        // First, before any row: a hold change waits for the sends in flight holding none of its rows.
        await lockInTransaction(manager);
        await this.applyMessages(manager, stage, batch);
        for (const { envelope, statuses, preferences } of batch) {
          const { tenantId, data } = envelope;
          for (const status of statuses) {
            await this.applyStatus(manager, stage, tenantId, data.phoneNumberId, status, fenced);
          }
          for (const preference of preferences) {
            await this.applyPreference(manager, stage, tenantId, data.phoneNumberId, preference);
          }
        }
      }),
    );
  }

  /** Everything that needs keys or contacts, before the transaction opens. */
  private async prepare(envelope: EventEnvelope<GatewayWebhookReceivedV1>): Promise<PreparedWebhook> {
    const { tenantId, data } = envelope;
    const text = await this.transit.openText(data.changes, {
      tenantId,
      subjectRef: data.phoneNumberId,
      field: 'gateway.webhook.received.v1/changes',
      row: envelope.id,
    });
    const normalized = normalizeChanges(JSON.parse(text) as WebhookChange[]);
    for (const skipped of normalized.skipped) {
      this.items.inc({ kind: 'item', result: 'skipped' });
      this.logger.warn({ path: skipped.path, reason: skipped.reason }, 'webhook item skipped');
    }
    for (const error of normalized.errors) {
      this.logger.warn(
        { phoneNumberId: data.phoneNumberId, code: error.code, title: error.title },
        'Cloud API reported an error in a webhook',
      );
      this.items.inc({ kind: 'error', result: 'new' });
    }
    const messages = await this.prepareMessages(tenantId, normalized.messages);
    const preferences: PreparedPreference[] = [];
    for (const update of normalized.preferences) {
      preferences.push({ update, contactRef: await this.contacts.findOrCreate(tenantId, update) });
    }
    const fenced: ContactKey[] = [
      ...messages.filter((m) => m.holdChange !== undefined).map(({ contactRef }) => ({ tenantId, contactRef })),
      ...preferences
        .filter((p) => p.update.category === 'marketing_messages')
        .map(({ contactRef }) => ({ tenantId, contactRef })),
    ];
    for (const status of normalized.statuses) {
      if (stopsMarketing(status)) {
        const outbound = await this.findOutbound(this.dataSource.manager, tenantId, status);
        if (outbound) {
          fenced.push({ tenantId, contactRef: outbound.contactRef });
        }
      }
    }
    return { envelope, messages, statuses: normalized.statuses, preferences, fenced };
  }

  private async prepareMessages(tenantId: string, messages: readonly InboundMessage[]): Promise<PreparedMessage[]> {
    const prepared: PreparedMessage[] = [];
    for (const message of messages) {
      const contactRef = await this.contacts.findOrCreate(tenantId, {
        waId: message.from,
        userId: message.fromUserId,
        name: message.profileName,
      });
      const system = message.content.system;
      if (system?.type === 'user_changed_number' && system.newWaId) {
        await this.contacts.changeWaId(tenantId, contactRef, system.newWaId);
      }
      if (system?.type === 'user_changed_user_id' && system.newUserId) {
        await this.contacts.changeUserId(tenantId, contactRef, system.newUserId);
      }
      const place = { tenantId, subjectRef: contactRef };
      const contact = await this.transit.sealText(
        JSON.stringify({ waId: message.from, userId: message.fromUserId, name: message.profileName }),
        { ...place, field: `${RECEIVED}/contact` },
      );
      const content = await this.transit.sealText(JSON.stringify(message.content), {
        ...place,
        field: `${RECEIVED}/content`,
      });
      const holdChange = keywordHoldChange(message);
      prepared.push({ message, contactRef, contact, content, ...(holdChange ? { holdChange } : {}) });
    }
    return prepared;
  }

  private async applyMessages(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    batch: readonly PreparedWebhook[],
  ): Promise<void> {
    const all = batch.flatMap(({ envelope, messages }) => messages.map((prepared) => ({ envelope, prepared })));
    if (all.length === 0) {
      return;
    }
    // One statement for the whole batch; RETURNING names the wamids seen for the first time (a wamid twice in one
    // batch, or already known, comes back once or not at all).
    const values = all.map(
      (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
    );
    const inserted: { wamid: string }[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'inbound_message')} ("wamid", "tenant_id", "phone_number_id", "contact_ref", "sent_at", "received_at")
       VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING "wamid"`,
      all.flatMap(({ envelope, prepared }) => [
        prepared.message.wamid,
        envelope.tenantId,
        envelope.data.phoneNumberId,
        prepared.contactRef,
        prepared.message.sentAt,
        new Date(envelope.data.receivedAt),
      ]),
    );
    const fresh = new Set(inserted.map((row) => row.wamid));
    this.items.inc({ kind: 'message', result: 'duplicate' }, all.length - fresh.size);
    this.items.inc({ kind: 'message', result: 'new' }, fresh.size);
    const windows = new Map<string, { tenantId: string; phoneNumberId: string; contactRef: string; at: Date }>();
    const holdChanges: DatedHoldChange[] = [];
    for (const { envelope, prepared } of all) {
      if (!fresh.delete(prepared.message.wamid)) {
        continue;
      }
      const { tenantId, data } = envelope;
      const { message, contactRef, contact, content } = prepared;
      if (prepared.holdChange) {
        holdChanges.push({ tenantId, contactRef, change: prepared.holdChange, sentAt: message.sentAt });
      }
      // A system message is Meta's, not the user's: it opens no customer-service window.
      if (message.type !== 'system') {
        const key = `${data.phoneNumberId}/${contactRef}`;
        const current = windows.get(key);
        if (!current || current.at < message.sentAt) {
          windows.set(key, { tenantId, phoneNumberId: data.phoneNumberId, contactRef, at: message.sentAt });
        }
      }
      await stage(
        RECEIVED,
        this.publisher.envelope(
          {
            messageId: message.wamid,
            phoneNumberId: data.phoneNumberId,
            contactRef,
            type: message.type,
            sentAt: message.sentAt.toISOString(),
            receivedAt: data.receivedAt,
            contact,
            content,
            ...(message.interaction
              ? { interaction: { kind: message.interaction.kind, id: message.interaction.id } }
              : {}),
            ...(message.replyTo ? { inReplyTo: message.replyTo } : {}),
            ...(message.forwarded ? { forwarded: true } : {}),
            ...(message.errors?.length ? { errors: message.errors.map(({ code, title }) => ({ code, title })) } : {}),
          },
          { tenantId },
        ),
      );
    }
    await this.windows.recordInbound(manager, [...windows.values()]);
    for (const change of decisiveHoldChanges(holdChanges)) {
      const applied = await this.contacts.changeHold(manager, change);
      this.items.inc({ kind: 'hold', result: applied ? (change.change === 'hold' ? 'set' : 'lifted') : 'stale' });
    }
  }

  private async applyStatus(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    tenantId: string,
    phoneNumberId: string,
    status: StatusUpdate,
    fenced: readonly ContactKey[],
  ): Promise<void> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'status_receipt')} ("wamid", "status", "tenant_id", "received_at")
       VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING RETURNING "wamid"`,
      [status.wamid, status.status, tenantId],
    );
    if (inserted.length === 0) {
      this.items.inc({ kind: 'status', result: 'duplicate' });
      return;
    }
    this.items.inc({ kind: 'status', result: 'new' });
    const repository = manager.getRepository(OutboundMessageEntity);
    const outbound = await this.findOutbound(manager, tenantId, status);
    if (outbound) {
      const state = advanceOutboundState(outbound.state as OutboundState, status.status);
      const errorCode = status.errors[0]?.code ?? outbound.errorCode;
      await repository.update(
        { outboundId: outbound.outboundId },
        { state, wamid: status.wamid, sendingSince: null, errorCode: errorCode ?? null },
      );
    }
    const codes = status.errors.map((error) => error.code);
    if (stopsMarketing(status) && outbound) {
      if (!fenced.some((key) => key.tenantId === tenantId && key.contactRef === outbound.contactRef)) {
        // Found now but not before the transaction: its fence is not held. Try the webhook again.
        throw new Error('a marketing stop for a contact whose send fence is not held');
      }
      await this.contacts.setMarketingStopped(manager, tenantId, outbound.contactRef, true);
      await stage(
        'gateway.preference.changed.v1',
        this.publisher.envelope(
          {
            contactRef: outbound.contactRef,
            phoneNumberId,
            category: 'marketing_messages',
            value: 'stop',
            source: 'send-error',
            at: status.at.toISOString(),
          },
          { tenantId },
        ),
      );
    }
    if (status.status === 'failed' && codes.includes(ACCOUNT_RESTRICTED)) {
      await this.halts.halt(manager, stage, { tenantId, errorCode: ACCOUNT_RESTRICTED, phoneNumberId });
    }
    await stage(
      'gateway.delivery.updated.v1',
      this.publisher.envelope(
        {
          messageId: status.wamid,
          phoneNumberId,
          status: status.status,
          at: status.at.toISOString(),
          ...(outbound ? { outboundId: outbound.outboundId, contactRef: outbound.contactRef } : {}),
          ...(status.errors.length > 0
            ? { errors: status.errors.map(({ code, title }) => ({ code, title: title.slice(0, 256) })) }
            : {}),
          ...(status.pricing?.category ? { pricingCategory: status.pricing.category.slice(0, 64) } : {}),
        },
        { tenantId },
      ),
    );
  }

  /** The outbound command a status names: by wamid, or — when the send's own answer was lost — by the command id. */
  private async findOutbound(
    manager: EntityManager,
    tenantId: string,
    status: StatusUpdate,
  ): Promise<OutboundMessageEntity | null> {
    const repository = manager.getRepository(OutboundMessageEntity);
    const byWamid = await repository.findOneBy({ wamid: status.wamid });
    if (byWamid || !status.callbackData || !UUID.test(status.callbackData)) {
      return byWamid;
    }
    return repository.findOneBy({ outboundId: status.callbackData, tenantId });
  }

  private async applyPreference(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    tenantId: string,
    phoneNumberId: string,
    { update, contactRef }: PreparedPreference,
  ): Promise<void> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${tablePath(manager.connection, 'preference_receipt')} ("contact_ref", "category", "value", "changed_at", "tenant_id")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING "contact_ref"`,
      [contactRef, update.category, update.value, update.at, tenantId],
    );
    if (inserted.length === 0) {
      this.items.inc({ kind: 'preference', result: 'duplicate' });
      return;
    }
    this.items.inc({ kind: 'preference', result: 'new' });
    if (update.category === 'marketing_messages') {
      await this.contacts.setMarketingStopped(manager, tenantId, contactRef, update.value === 'stop');
    }
    await stage(
      'gateway.preference.changed.v1',
      this.publisher.envelope(
        {
          contactRef,
          phoneNumberId,
          category: update.category.slice(0, 64),
          value: update.value,
          source: 'user_preferences',
          at: update.at.toISOString(),
        },
        { tenantId },
      ),
    );
  }
}

/** A failed status with 131050: the user stopped marketing messages on WhatsApp. */
function stopsMarketing(status: StatusUpdate): boolean {
  return status.status === 'failed' && status.errors.some((error) => error.code === STOPPED_MARKETING);
}
