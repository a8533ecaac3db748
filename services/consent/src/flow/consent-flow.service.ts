import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { contactRegion, detectLanguage, resolveRegime, type ContactRegion } from '@trustline/compliance';
import type {
  ConsentEvidenceV1,
  ConsentPurpose,
  Contracts,
  EventEnvelope,
  GatewayMessageReceivedV1,
  GatewayPreferenceChangedV1,
  OutboundPurpose,
  PrivacyRegime,
  Sealed,
} from '@trustline/contracts';
import { BlindIndex, FieldCipher, TransitCipher } from '@trustline/crypto';
import { claimInboxEntry, EventPublisher, Outbox, RetryLaterError, type StageFn } from '@trustline/messaging';
import { ServiceMetrics } from '@trustline/observability';
import { tablePath } from '@trustline/persistence';
import { InjectServiceConfig } from '@trustline/service-kit';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { ConsentLedgerService, type LedgerEntry } from '../ledger/consent-ledger.service';
import type { NoticeLanguage } from '../notices/consent-policy';
import { NoticeCatalog, type ConsentConfig, type TenantNotices } from '../notices/notice-catalog';
import { NoticeRegistry } from '../notices/notice-registry.service';
import { renderOptInConfirmation, renderOptOutConfirmation, renderPrompt } from '../notices/notice-text.rules';
import { decideOnMessage, statusAfter, type FlowDecision, type InboundSignal } from './consent-flow.rules';
import type { ConsentSubjectEntity } from './consent-subject.entity';
import { ConsentSubjectsService, snapshotOf } from './consent-subjects.service';
import { HeldMessageEntity, heldPayloadPlace } from './held-message.entity';
import { readSignal } from './inbound-signal.rules';

const RECEIVED = 'gateway.message.received.v1';
const ADMITTED = 'consent.message.admitted.v1';
const FLOW_CONSUMER = 'consent.flow';
const PREFERENCE_CONSUMER = 'consent.preferences';
const ATTEMPTS = 3;

interface OpenedMessage {
  readonly envelope: EventEnvelope<GatewayMessageReceivedV1>;
  readonly contact: string;
  readonly content: string;
  readonly signal: InboundSignal;
  readonly region: ContactRegion;
  readonly regime: PrivacyRegime;
  readonly language: string | undefined;
  readonly waId: string | undefined;
  readonly userId: string | undefined;
}

/** What was sealed ahead of the transaction (encryption needs keys, and keys are never fetched inside it). */
interface Prepared {
  indexes?: { waIdIndex?: string; userIdIndex?: string };
  heldPayload?: Sealed;
  admitted?: { contact: Sealed; content: Sealed };
  heldAdmissions?: Map<string, { contact: Sealed; content: Sealed }>;
  outbound: Partial<Record<OutboundPurpose, { outboundId: string; message: Sealed; language: NoticeLanguage }>>;
}

/** The transaction found the contact moved on since the preparation: prepare again. */
class StalePreparation extends Error {
  override readonly name = 'StalePreparation';
}

/**
 * consent's conversation with each contact: every inbound message goes through the state machine in
 * consent-flow.rules.ts, and what it decides — prompt, hold, admit, record a decision, withdraw, restore — is
 * written with its ledger records, its outbound commands and its events in one transaction, once per message
 * however often it is delivered (inbox).
 */
@Injectable()
export class ConsentFlowService {
  private readonly logger = new Logger(ConsentFlowService.name);
  private readonly outcomes: Counter<'action' | 'reason'>;

  constructor(
    private readonly catalog: NoticeCatalog,
    private readonly notices: NoticeRegistry,
    private readonly subjects: ConsentSubjectsService,
    private readonly ledger: ConsentLedgerService,
    private readonly transit: TransitCipher,
    private readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox<Contracts>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectServiceConfig() private readonly config: ConsentConfig,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter({
      name: 'trustline_consent_flow_total',
      help: 'What consent did with inbound messages: prompt, hold, admit, decide, withdraw, restore, ignore (by reason)',
      labelNames: ['action', 'reason'],
    });
  }

  async onMessage(envelope: EventEnvelope<GatewayMessageReceivedV1>): Promise<void> {
    const tenant = this.catalog.forTenant(envelope.tenantId);
    if (tenant === undefined) {
      // Without the tenant's notice nobody can be asked: keep the message until the policy is configured.
      this.logger.warn({ tenantId: envelope.tenantId }, 'no consent policy for this tenant: the message waits');
      throw new RetryLaterError(60_000, 'no consent policy for the tenant');
    }
    const message = await this.open(envelope, tenant);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const before = await this.subjects.find(envelope.tenantId, envelope.data.contactRef);
      const decision = decideOnMessage(snapshotOf(before), message.signal, tenant, new Date(), this.flowPolicy());
      const prepared = await this.prepare(message, tenant, before, decision);
      try {
        const applied = await this.outbox.transaction(this.dataSource, (manager, stage) =>
          this.apply(manager, stage, message, tenant, prepared),
        );
        if (applied) {
          this.outcomes.inc({ action: applied.action, reason: applied.action === 'ignore' ? applied.reason : '' });
        }
        return;
      } catch (error) {
        if (!(error instanceof StalePreparation)) {
          throw error;
        }
      }
    }
    throw new RetryLaterError(50, 'the contact changed while consent prepared its answer');
  }

  /** WhatsApp's own stop/resume of a message category: recorded per purpose, enforced apart from consent. */
  async onPreferenceChanged(envelope: EventEnvelope<GatewayPreferenceChangedV1>): Promise<void> {
    const { tenantId, data } = envelope;
    if (data.category !== 'marketing_messages') {
      this.logger.warn({ category: data.category }, 'WhatsApp preference for an unknown category: not recorded');
      return;
    }
    const tenant = this.catalog.forTenant(tenantId);
    await this.outbox.transaction(this.dataSource, async (manager, stage) => {
      if (!(await claimInboxEntry(manager, PREFERENCE_CONSUMER, envelope.id))) {
        return;
      }
      const { row } = await this.subjects.lockOrCreate(manager, { tenantId, subjectRef: data.contactRef });
      const notice = tenant?.current;
      await this.ledger.append(manager, stage, tenantId, data.contactRef, [
        {
          purpose: 'marketing',
          action: data.value === 'stop' ? 'platform-stopped' : 'platform-resumed',
          noticeVersion: notice?.version,
          noticePurposes: notice?.purposes.map((p) => p.purpose) ?? [],
          lawfulBasis: 'consent',
          channel: 'whatsapp-settings',
          regime: (row.regime as PrivacyRegime | null) ?? tenant?.policy.establishment ?? 'baseline',
          language: row.language ?? undefined,
          evidence: { userActedAt: data.at },
        },
      ]);
    });
  }

  private flowPolicy() {
    return { promptIntervalMs: this.config.CONSENT_PROMPT_INTERVAL_HOURS * 3_600_000 };
  }

  private async open(envelope: EventEnvelope<GatewayMessageReceivedV1>, tenant: TenantNotices): Promise<OpenedMessage> {
    const { tenantId, data } = envelope;
    const place = { tenantId, subjectRef: data.contactRef };
    const contact = await this.transit.openText(data.contact, { ...place, field: `${RECEIVED}/contact` });
    const content = await this.transit.openText(data.content, { ...place, field: `${RECEIVED}/content` });
    const who = JSON.parse(contact) as { waId?: string; userId?: string };
    const what = JSON.parse(content) as { text?: string };
    const region = contactRegion({
      ...(who.waId ? { waId: who.waId } : {}),
      ...(who.userId ? { userId: who.userId } : {}),
    });
    const { regime } = resolveRegime(region, {
      ...(tenant.policy.establishment ? { establishment: tenant.policy.establishment } : {}),
      ...(tenant.policy.countryOverrides ? { countryOverrides: tenant.policy.countryOverrides } : {}),
    });
    const language =
      typeof what.text === 'string'
        ? detectLanguage(what.text, {
            candidates: tenant.policy.languages,
            ...(region.country ? { countryHint: region.country } : {}),
          })
        : undefined;
    return {
      envelope,
      contact,
      content,
      signal: readSignal(data, typeof what.text === 'string' ? what.text : undefined),
      region,
      regime,
      language,
      waId: who.waId,
      userId: who.userId,
    };
  }

  /** Seals what the expected decision needs, outside any transaction. */
  private async prepare(
    message: OpenedMessage,
    tenant: TenantNotices,
    before: ConsentSubjectEntity | null,
    decision: FlowDecision,
  ): Promise<Prepared> {
    const { tenantId, data } = message.envelope;
    const subjectRef = data.contactRef;
    const prepared: Prepared = { outbound: {} };
    if (before === null || (before.waIdIndex === null && before.userIdIndex === null)) {
      prepared.indexes = {
        ...(message.waId ? { waIdIndex: await this.index.compute(tenantId, 'wa-id', message.waId) } : {}),
        ...(message.userId ? { userIdIndex: await this.index.compute(tenantId, 'bsuid', message.userId) } : {}),
      };
    }
    const language = tenant.languageFor(before?.language ?? message.language);
    const seal = async (purpose: OutboundPurpose, json: unknown): Promise<void> => {
      const message = await this.transit.sealText(JSON.stringify(json), {
        tenantId,
        subjectRef,
        field: 'gateway.outbound.requested.v1/message',
      });
      prepared.outbound[purpose] = { outboundId: randomUUID(), message, language };
    };
    switch (decision.action) {
      case 'prompt':
        await seal('opt-in-prompt', renderPrompt(tenant.policy, tenant.current, language));
        if (decision.hold) {
          prepared.heldPayload = await this.sealHeld(message);
        }
        break;
      case 'hold':
        prepared.heldPayload = await this.sealHeld(message);
        break;
      case 'withdraw':
        await seal('opt-out-confirmation', { type: 'text', text: renderOptOutConfirmation(tenant.policy, language) });
        break;
      case 'restore':
        await seal('opt-in-confirmation', { type: 'text', text: renderOptInConfirmation(tenant.policy, language) });
        break;
      case 'admit':
        prepared.admitted = await this.sealAdmitted(tenantId, subjectRef, message.contact, message.content);
        break;
      case 'decide':
        prepared.heldAdmissions = decision.granted.includes('assistant')
          ? await this.sealHeldAdmissions(tenantId, subjectRef)
          : new Map();
        break;
      case 'ignore':
        break;
    }
    return prepared;
  }

  private async apply(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    message: OpenedMessage,
    tenant: TenantNotices,
    prepared: Prepared,
  ): Promise<FlowDecision | undefined> {
    const { envelope } = message;
    const { tenantId, data } = envelope;
    if (!(await claimInboxEntry(manager, FLOW_CONSUMER, envelope.id))) {
      return undefined;
    }
    const { row, created } = await this.subjects.lockOrCreate(manager, {
      tenantId,
      subjectRef: data.contactRef,
      language: message.language,
      region: regionCode(message.region),
      regime: message.regime,
      ...prepared.indexes,
    });
    // A contact first seen through a WhatsApp setting has no identifiers yet: attach them with its first message.
    let identified = created;
    if (row.waIdIndex === null && row.userIdIndex === null) {
      const indexes = this.need(prepared.indexes);
      await this.subjects.update(manager, row, {
        waIdIndex: indexes.waIdIndex ?? null,
        userIdIndex: indexes.userIdIndex ?? null,
      });
      identified = true;
    }
    const base = this.entryBase(message, tenant, row);
    if (identified && row.status === 'new' && (await this.tombstoned(manager, row))) {
      // Erased after opting out, and writing again: still opted out, and the ledger says why.
      await this.ledger.append(
        manager,
        stage,
        tenantId,
        row.subjectRef,
        tenant.current.purposes.map((p) => ({
          ...base,
          purpose: p.purpose,
          lawfulBasis: p.lawfulBasis,
          action: 'withdrawn' as const,
          channel: 'erasure-tombstone' as const,
          evidence: { messageId: data.messageId, userActedAt: data.sentAt },
        })),
      );
      await this.subjects.update(manager, row, { status: 'opted-out', decidedAt: new Date() });
    }
    const changes: Partial<ConsentSubjectEntity> = {};
    if (row.language === null && message.language !== undefined) {
      changes.language = message.language;
    }
    if (row.regime !== message.regime) {
      changes.regime = message.regime;
      changes.region = regionCode(message.region);
    }
    const decision = decideOnMessage(snapshotOf(row), message.signal, tenant, new Date(), this.flowPolicy());
    const evidence: ConsentEvidenceV1 = {
      messageId: data.messageId,
      userActedAt: data.sentAt,
      ...(data.inReplyTo ? { inReplyTo: data.inReplyTo } : {}),
    };
    switch (decision.action) {
      case 'withdraw': {
        const outbound = this.need(prepared.outbound['opt-out-confirmation']);
        const purposes = await this.knownPurposes(manager, row, tenant);
        await this.ledger.append(
          manager,
          stage,
          tenantId,
          row.subjectRef,
          purposes.map((purpose) => ({
            ...base,
            purpose,
            lawfulBasis: lawfulBasisOf(tenant, purpose),
            action: 'withdrawn',
            channel: 'whatsapp-keyword',
            evidence: { ...evidence, ...keywordOf(message.signal) },
          })),
        );
        await this.discardHeld(manager, row);
        await this.issue(manager, stage, row, data, 'opt-out-confirmation', outbound);
        Object.assign(changes, { status: 'opted-out', decidedAt: new Date() });
        break;
      }
      case 'restore': {
        const outbound = this.need(prepared.outbound['opt-in-confirmation']);
        const notice = tenant.version(decision.version)!;
        await this.ledger.append(
          manager,
          stage,
          tenantId,
          row.subjectRef,
          decision.purposes.map((purpose) => ({
            ...base,
            purpose,
            noticeVersion: notice.version,
            noticePurposes: notice.purposes.map((p) => p.purpose),
            lawfulBasis: lawfulBasisOf(tenant, purpose),
            action: 'granted',
            channel: 'whatsapp-keyword',
            evidence: { ...evidence, ...keywordOf(message.signal) },
          })),
        );
        await this.issue(manager, stage, row, data, 'opt-in-confirmation', outbound);
        Object.assign(changes, { status: 'granted', decidedAt: new Date() });
        break;
      }
      case 'prompt': {
        const outbound = this.need(prepared.outbound['opt-in-prompt']);
        const prompt = renderPrompt(tenant.policy, tenant.current, outbound.language);
        await this.notices.remember(manager, tenantId, tenant.current, outbound.language, prompt);
        await this.ledger.append(
          manager,
          stage,
          tenantId,
          row.subjectRef,
          tenant.current.purposes.map((p) => ({
            ...base,
            purpose: p.purpose,
            lawfulBasis: p.lawfulBasis,
            language: outbound.language,
            action: 'prompted',
            channel: 'whatsapp-prompt',
            evidence: { ...evidence, outboundId: outbound.outboundId },
          })),
        );
        if (decision.hold) {
          await this.hold(manager, message, this.need(prepared.heldPayload));
        }
        await this.issue(manager, stage, row, data, 'opt-in-prompt', outbound);
        Object.assign(changes, {
          status: statusAfter(snapshotOf(row), decision),
          lastPromptedAt: new Date(),
          promptedVersion: tenant.current.version,
        });
        break;
      }
      case 'hold':
        await this.hold(manager, message, this.need(prepared.heldPayload));
        break;
      case 'decide': {
        const notice = tenant.version(decision.version)!;
        const tap: ConsentEvidenceV1 = {
          ...evidence,
          ...(data.interaction ? { buttonId: data.interaction.id } : {}),
        };
        const entries: LedgerEntry[] = [
          ...decision.granted.map((purpose) => ({ purpose, action: 'granted' as const })),
          ...decision.declined.map((purpose) => ({ purpose, action: 'declined' as const })),
        ].map(({ purpose, action }) => ({
          ...base,
          purpose,
          action,
          noticeVersion: notice.version,
          noticePurposes: notice.purposes.map((p) => p.purpose),
          lawfulBasis: lawfulBasisOf(tenant, purpose),
          channel: 'whatsapp-button',
          evidence: tap,
        }));
        await this.ledger.append(manager, stage, tenantId, row.subjectRef, entries);
        const granted = decision.granted.includes('assistant');
        if (granted) {
          await this.admitHeld(manager, stage, row, this.need(prepared.heldAdmissions), message.language);
        } else {
          await this.discardHeld(manager, row);
        }
        Object.assign(changes, {
          status: statusAfter(snapshotOf(row), decision),
          decidedAt: new Date(),
          ...(granted ? { grantedVersion: notice.version, grantedPurposes: [...decision.granted] } : {}),
        });
        break;
      }
      case 'admit': {
        const sealed = this.need(prepared.admitted);
        await stage(
          ADMITTED,
          this.publisher.envelope(
            {
              ...admittedFields(data),
              held: false,
              ...(row.language ? { language: row.language } : {}),
              ...sealed,
            },
            { tenantId },
          ),
        );
        break;
      }
      case 'ignore':
        break;
    }
    await this.subjects.update(manager, row, changes);
    return decision;
  }

  private entryBase(message: OpenedMessage, tenant: TenantNotices, row: ConsentSubjectEntity) {
    return {
      noticeVersion: tenant.current.version,
      noticePurposes: tenant.current.purposes.map((p) => p.purpose),
      regime: message.regime,
      language: row.language ?? message.language,
    };
  }

  private need<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new StalePreparation();
    }
    return value;
  }

  private async tombstoned(manager: EntityManager, row: ConsentSubjectEntity): Promise<boolean> {
    if (row.waIdIndex === null && row.userIdIndex === null) {
      return false;
    }
    const found: unknown[] = await manager.query(
      `SELECT 1 FROM ${tablePath(manager.connection, 'suppression_tombstone')}
        WHERE "tenant_id" = $1 AND ("wa_id_index" = $2 OR "user_id_index" = $3) LIMIT 1`,
      [row.tenantId, row.waIdIndex, row.userIdIndex],
    );
    return found.length > 0;
  }

  /** Every purpose the contact has a state for, plus the current notice's: an opt-out covers them all. */
  private async knownPurposes(
    manager: EntityManager,
    row: ConsentSubjectEntity,
    tenant: TenantNotices,
  ): Promise<ConsentPurpose[]> {
    const states: { purpose: ConsentPurpose }[] = await manager.query(
      `SELECT "purpose" FROM ${tablePath(manager.connection, 'purpose_state')} WHERE "tenant_id" = $1 AND "subject_ref" = $2`,
      [row.tenantId, row.subjectRef],
    );
    return [...new Set([...tenant.current.purposes.map((p) => p.purpose), ...states.map((s) => s.purpose)])].sort();
  }

  private async issue(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    row: ConsentSubjectEntity,
    data: GatewayMessageReceivedV1,
    purpose: OutboundPurpose,
    outbound: { outboundId: string; message: Sealed },
  ): Promise<void> {
    await this.subjects.update(manager, row, { issuedOutboundId: outbound.outboundId, issuedPurpose: purpose });
    await stage(
      'gateway.outbound.requested.v1',
      this.publisher.envelope(
        {
          outboundId: outbound.outboundId,
          contactRef: row.subjectRef,
          purpose,
          phoneNumberId: data.phoneNumberId,
          replyTo: data.messageId,
          message: outbound.message,
        },
        { tenantId: row.tenantId },
      ),
    );
  }

  private async hold(manager: EntityManager, message: OpenedMessage, payload: Sealed): Promise<void> {
    const { tenantId, data } = message.envelope;
    const table = tablePath(manager.connection, 'held_message');
    const counted: { held: string }[] = await manager.query(
      `SELECT count(*) AS "held" FROM ${table} WHERE "tenant_id" = $1 AND "subject_ref" = $2`,
      [tenantId, data.contactRef],
    );
    if (Number(counted[0]?.held ?? 0) >= this.config.CONSENT_MAX_HELD_MESSAGES) {
      this.outcomes.inc({ action: 'hold', reason: 'limit-reached' });
      return;
    }
    await manager.query(
      `INSERT INTO ${table} ("tenant_id", "message_id", "subject_ref", "phone_number_id", "type", "sent_at", "received_at", "interaction", "in_reply_to", "payload")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        tenantId,
        data.messageId,
        data.contactRef,
        data.phoneNumberId,
        data.type,
        data.sentAt,
        data.receivedAt,
        data.interaction ? JSON.stringify(data.interaction) : null,
        data.inReplyTo ?? null,
        payload,
      ],
    );
  }

  private async admitHeld(
    manager: EntityManager,
    stage: StageFn<Contracts>,
    row: ConsentSubjectEntity,
    sealed: Map<string, { contact: Sealed; content: Sealed }>,
    detected: string | undefined,
  ): Promise<void> {
    const held = await manager
      .getRepository(HeldMessageEntity)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.tenantId = :tenantId AND h.subjectRef = :subjectRef', row)
      .orderBy('h.sentAt')
      .addOrderBy('h.messageId')
      .getMany();
    // A message held after the preparation has not been sealed for the bus yet: prepare again.
    if (held.some((message) => !sealed.has(message.messageId))) {
      throw new StalePreparation();
    }
    const language = row.language ?? detected;
    for (const message of held) {
      await stage(
        ADMITTED,
        this.publisher.envelope(
          {
            messageId: message.messageId,
            phoneNumberId: message.phoneNumberId,
            contactRef: message.subjectRef,
            type: message.type as GatewayMessageReceivedV1['type'],
            sentAt: message.sentAt.toISOString(),
            receivedAt: message.receivedAt.toISOString(),
            ...(message.interaction
              ? { interaction: message.interaction as GatewayMessageReceivedV1['interaction'] & object }
              : {}),
            ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
            held: true,
            ...(language ? { language } : {}),
            ...sealed.get(message.messageId)!,
          },
          { tenantId: row.tenantId },
        ),
      );
    }
    await this.discardHeld(manager, row);
  }

  private async discardHeld(manager: EntityManager, row: ConsentSubjectEntity): Promise<void> {
    await manager.query(
      `DELETE FROM ${tablePath(manager.connection, 'held_message')} WHERE "tenant_id" = $1 AND "subject_ref" = $2`,
      [row.tenantId, row.subjectRef],
    );
  }

  private sealHeld(message: OpenedMessage): Promise<Sealed> {
    const { tenantId, data } = message.envelope;
    return this.cipher.sealText(
      JSON.stringify({ contact: message.contact, content: message.content }),
      heldPayloadPlace(tenantId, data.contactRef, data.messageId),
    );
  }

  private async sealAdmitted(
    tenantId: string,
    subjectRef: string,
    contact: string,
    content: string,
  ): Promise<{ contact: Sealed; content: Sealed }> {
    const place = { tenantId, subjectRef };
    return {
      contact: await this.transit.sealText(contact, { ...place, field: `${ADMITTED}/contact` }),
      content: await this.transit.sealText(content, { ...place, field: `${ADMITTED}/content` }),
    };
  }

  private async sealHeldAdmissions(
    tenantId: string,
    subjectRef: string,
  ): Promise<Map<string, { contact: Sealed; content: Sealed }>> {
    const held = await this.dataSource.getRepository(HeldMessageEntity).findBy({ tenantId, subjectRef });
    const sealed = new Map<string, { contact: Sealed; content: Sealed }>();
    for (const message of held) {
      const payload = JSON.parse(
        await this.cipher.openText(message.payload, heldPayloadPlace(tenantId, subjectRef, message.messageId)),
      ) as { contact: string; content: string };
      sealed.set(message.messageId, await this.sealAdmitted(tenantId, subjectRef, payload.contact, payload.content));
    }
    return sealed;
  }
}

function admittedFields(data: GatewayMessageReceivedV1) {
  return {
    messageId: data.messageId,
    phoneNumberId: data.phoneNumberId,
    contactRef: data.contactRef,
    type: data.type,
    sentAt: data.sentAt,
    receivedAt: data.receivedAt,
    ...(data.interaction ? { interaction: data.interaction } : {}),
    ...(data.inReplyTo ? { inReplyTo: data.inReplyTo } : {}),
  };
}

function keywordOf(signal: InboundSignal): { keyword?: string } {
  return signal.kind === 'opt-out-keyword' || signal.kind === 'opt-in-keyword' ? { keyword: signal.keyword } : {};
}

function lawfulBasisOf(tenant: TenantNotices, purpose: ConsentPurpose) {
  return tenant.current.purposes.find((p) => p.purpose === purpose)?.lawfulBasis ?? 'consent';
}

function regionCode(region: ContactRegion): string | undefined {
  if (region.country === undefined) {
    return undefined;
  }
  return region.usState ? `${region.country}-${region.usState}` : region.country;
}
