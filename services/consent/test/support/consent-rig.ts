import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { consentService } from '@trustline/consent-service';
import {
  createEnvelope,
  type ConsentDecisionRecordedV1,
  type ConsentMessageAdmittedV1,
  type EventEnvelope,
  type EventSubject,
  type GatewayMessageReceivedV1,
  type GatewayOutboundRequestedV1,
  type InboundInteraction,
  type OutboundPurpose,
} from '@trustline/contracts';
import { durableName, streamName } from '@trustline/messaging';
import {
  freePort,
  ServiceHarness,
  testNatsUrl,
  uniqueTestName,
  waitFor,
  type ServiceHarnessOptions,
} from '@trustline/service-kit/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TENANT = 'acme-dental';
export const NUMBER = '100000000000001';

export interface ContactHandle {
  readonly waId: string;
  readonly contactRef: string;
}

/** What the rig observes, as (owning stream, subject, consumer). */
const OBSERVED = [
  ['gateway', 'gateway.outbound.requested.v1', 'gateway'],
  ['consent', 'consent.message.admitted.v1', 'conversation-ai'],
  ['consent', 'consent.decision.recorded.v1', 'audit'],
] as const;

export interface PromptMessage {
  readonly type: string;
  readonly body: string;
  readonly footer: string;
  readonly buttons: readonly { readonly id: string; readonly title: string }[];
}

export interface LedgerRow {
  readonly purpose: string;
  readonly action: string;
  readonly channel: string;
  readonly noticeVersion: number | null;
  readonly regime: string;
  readonly language: string | null;
  readonly evidence: Record<string, string>;
}

export interface ConsentRigOptions extends ServiceHarnessOptions {
  /** Notice versions, oldest first, purposes as `assistant` / `marketing?` for optional. */
  readonly notices?: readonly (readonly string[])[];
  /** Fields of the tenant's policy other than its notices (e.g. another businessName). */
  readonly tenantOverrides?: Record<string, unknown>;
}

export interface InboundOptions {
  readonly type?: 'text' | 'interactive' | 'button' | 'image' | 'system';
  readonly text?: string;
  readonly interaction?: InboundInteraction;
  readonly inReplyTo?: string;
  readonly sentAt?: Date;
}

/** A tenants file with the given notice versions (purposes as `assistant` / `marketing?` for optional). */
export function writeConsentTenantsFile(
  notices: readonly (readonly string[])[],
  overrides: Record<string, unknown> = {},
): string {
  const path = join(tmpdir(), `${uniqueTestName('consent-tenants')}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      tenants: [
        {
          tenantId: TENANT,
          businessName: 'Acme Dental',
          privacyPolicyUrl: 'https://acme-dental.example/privacy',
          languages: ['en', 'es', 'pt'],
          notices: notices.map((purposes, i) => ({
            version: i + 1,
            purposes: purposes.map((p) => ({ purpose: p.replace('?', ''), required: !p.endsWith('?') })),
          })),
          ...overrides,
        },
      ],
    }),
  );
  return path;
}

/**
 * The consent service on real PostgreSQL and JetStream, with the gateway played by the test: it publishes inbound
 * messages (sealed as the gateway seals them), records the outbound commands consent issues, and asks the
 * send-time question as the gateway does.
 */
export class ConsentRig {
  outbound!: EventEnvelope<GatewayOutboundRequestedV1>[];
  admitted!: EventEnvelope<ConsentMessageAdmittedV1>[];
  decisions!: EventEnvelope<ConsentDecisionRecordedV1>[];

  private constructor(readonly harness: ServiceHarness) {}

  static async start(options: ConsentRigOptions = {}): Promise<ConsentRig> {
    const harness = await ServiceHarness.start(consentService, {
      ...options,
      env: {
        CONSENT_TENANTS_FILE: writeConsentTenantsFile(
          options.notices ?? [['assistant', 'marketing?']],
          options.tenantOverrides,
        ),
        CONSENT_GRPC_PORT: String(await freePort()),
        ...options.env,
      },
    });
    const rig = new ConsentRig(harness);
    rig.outbound = await harness.observe('gateway.outbound.requested.v1', 'gateway');
    rig.admitted = await harness.observe('consent.message.admitted.v1', 'conversation-ai');
    rig.decisions = await harness.observe('consent.decision.recorded.v1', 'audit');
    // quiet() reads these consumers' positions: keep OBSERVED in step with the observers above.
    return rig;
  }

  /**
   * A new WhatsApp user whose wa_id starts with `prefix` and has `length` digits in all, e.g. ('1415', 11) for
   * California, ('346', 11) for a Spanish mobile, ('55119', 13) for a São Paulo mobile.
   */
  contact(prefix = '346', length = 11): ContactHandle {
    let digits = prefix;
    while (digits.length < length) {
      digits += String(Math.floor(Math.random() * 10));
    }
    return { waId: digits, contactRef: randomBytes(16).toString('base64url') };
  }

  /**
   * Once everything published so far has been applied and observed, stops this service (keeping its database and
   * streams) and starts it again with other options, e.g. another tenants file: what a deployment of a new consent
   * policy does. The new rig observes only what is published from then on.
   */
  async restart(options: ConsentRigOptions = {}): Promise<ConsentRig> {
    await this.quiet();
    await this.nats?.close();
    await this.harness.stop();
    return ConsentRig.start({ ...options, restartOf: this.harness });
  }

  /** The gateway's `gateway.message.received.v1` for a message from the contact; resolves to its wamid. */
  async inbound(contact: ContactHandle, options: InboundOptions): Promise<string> {
    const envelope = await this.inboundEnvelope(contact, options);
    await this.publishInbound(envelope);
    return envelope.data.messageId;
  }

  /** The envelope `inbound` publishes, without publishing it (to publish it more than once). */
  async inboundEnvelope(
    contact: ContactHandle,
    options: InboundOptions,
  ): Promise<EventEnvelope<GatewayMessageReceivedV1>> {
    const messageId = `wamid.${randomBytes(12).toString('hex')}`;
    const type = options.type ?? (options.interaction ? 'interactive' : 'text');
    const place = { tenantId: TENANT, subjectRef: contact.contactRef };
    const sentAt = options.sentAt ?? new Date();
    return createEnvelope({
      producer: 'gateway',
      tenantId: TENANT,
      data: {
        messageId,
        phoneNumberId: NUMBER,
        contactRef: contact.contactRef,
        type,
        sentAt: new Date(Math.floor(sentAt.getTime() / 1000) * 1000).toISOString(),
        receivedAt: new Date().toISOString(),
        ...(options.interaction ? { interaction: options.interaction } : {}),
        ...(options.inReplyTo ? { inReplyTo: options.inReplyTo } : {}),
        contact: await this.harness.transit.sealText(JSON.stringify({ waId: contact.waId, name: 'Ana' }), {
          ...place,
          field: 'gateway.message.received.v1/contact',
        }),
        content: await this.harness.transit.sealText(
          JSON.stringify(options.text === undefined ? {} : { text: options.text }),
          { ...place, field: 'gateway.message.received.v1/content' },
        ),
      },
    });
  }

  /** Publishes an inbound envelope as the gateway does (JetStream drops a repeat of its id within the window). */
  async publishInbound(envelope: EventEnvelope<GatewayMessageReceivedV1>): Promise<void> {
    await this.harness.peers.publish('gateway.message.received.v1', envelope);
    this.published.add(envelope.id);
  }

  /**
   * Publishes an envelope again under another JetStream message id, so the stream does not drop it: what a
   * redelivery after the duplicate window, or a second publish by a retrying producer, looks like to a consumer.
   */
  async republish<S extends EventSubject>(subject: S, envelope: EventEnvelope<unknown>): Promise<void> {
    const nc = await connect({ servers: testNatsUrl() });
    try {
      await jetstream(nc).publish(`${this.harness.env.NATS_SUBJECT_PREFIX}.${subject}`, JSON.stringify(envelope), {
        msgID: randomUUID(),
      });
    } finally {
      await nc.close();
    }
  }

  /** Whether consent's consumer `consumer` has applied the event (its id is in the inbox). */
  async applied(eventId: string, consumer = 'consent.flow'): Promise<boolean> {
    return (await this.harness.count('inbox_event', `"consumer" = $1 AND "event_id" = $2`, [consumer, eventId])) > 0;
  }

  /**
   * Waits until every inbound message published so far has been applied, the outbox has published what they
   * staged, and the test's observers have received all of it: after `quiet()`, a command (or admission, or
   * decision) that is not observed was not issued.
   */
  async quiet(): Promise<void> {
    await this.settle();
    await waitFor('the outbox to drain', async () => (await this.harness.count('outbox_event')) === 0);
    await waitFor('the observers to receive everything published', async () => {
      for (const [owner, subject, consumer] of OBSERVED) {
        const info = await (
          await this.jetStreamManager()
        ).consumers.info(streamName(this.harness.env.NATS_STREAM_PREFIX, owner), durableName(consumer, subject));
        if (info.num_pending > 0 || info.num_ack_pending > 0) {
          return false;
        }
      }
      return true;
    });
  }

  private nats: NatsConnection | undefined;
  private jsm: JetStreamManager | undefined;

  private async jetStreamManager(): Promise<JetStreamManager> {
    this.nats ??= await connect({ servers: testNatsUrl() });
    this.jsm ??= await jetstreamManager(this.nats);
    return this.jsm;
  }

  /** Taps a reply button of the given message (button id as consent rendered it). */
  tap(contact: ContactHandle, buttonId: string, promptWamid = 'wamid.PROMPT0001'): Promise<string> {
    return this.inbound(contact, {
      type: 'interactive',
      interaction: { kind: 'button_reply', id: buttonId },
      inReplyTo: promptWamid,
    });
  }

  /** The commands consent issued to the contact so far. */
  commandsTo(contact: ContactHandle, purpose?: OutboundPurpose): EventEnvelope<GatewayOutboundRequestedV1>[] {
    return this.outbound.filter(
      (command) =>
        command.data.contactRef === contact.contactRef && (purpose === undefined || command.data.purpose === purpose),
    );
  }

  async waitForCommands(contact: ContactHandle, purpose: OutboundPurpose, count = 1): Promise<void> {
    await waitFor(`${count} ${purpose} command(s)`, () => this.commandsTo(contact, purpose).length >= count);
  }

  /** The message of a command, opened as the gateway opens it. */
  async messageOf(command: EventEnvelope<GatewayOutboundRequestedV1>): Promise<Record<string, unknown>> {
    return JSON.parse(
      await this.harness.transit.openText(command.data.message, {
        tenantId: TENANT,
        subjectRef: command.data.contactRef,
        field: 'gateway.outbound.requested.v1/message',
      }),
    ) as Record<string, unknown>;
  }

  async waitForAdmitted(contact: ContactHandle, count: number): Promise<void> {
    await waitFor(
      `${count} admitted message(s)`,
      () => this.admitted.filter((event) => event.data.contactRef === contact.contactRef).length >= count,
    );
  }

  /** The opt-in prompt a command carries, opened. */
  async promptOf(command: EventEnvelope<GatewayOutboundRequestedV1>): Promise<PromptMessage> {
    expect(command.data.purpose).toBe('opt-in-prompt');
    return (await this.messageOf(command)) as unknown as PromptMessage;
  }

  /** The text of a confirmation command, opened. */
  async textOf(command: EventEnvelope<GatewayOutboundRequestedV1>): Promise<string> {
    const message = await this.messageOf(command);
    expect(message.type).toBe('text');
    return message.text as string;
  }

  /**
   * A contact who wrote, was prompted and tapped `choice` on the prompt (accept-all by default, or accept when
   * the notice has no optional purposes). Resolves once the tap has been applied.
   */
  async decidedContact(
    options: { prefix?: string; length?: number; text?: string; choice?: 'accept' | 'accept-all' | 'decline' } = {},
  ): Promise<ContactHandle> {
    const contact = this.contact(options.prefix, options.length);
    await this.inbound(contact, { text: options.text ?? 'Hello, I would like to book a cleaning' });
    await this.waitForCommands(contact, 'opt-in-prompt');
    const prompt = await this.promptOf(this.commandsTo(contact, 'opt-in-prompt')[0]);
    const wanted = options.choice ?? 'accept-all';
    const button =
      prompt.buttons.find((b) => b.id.startsWith(`consent:${wanted}:`)) ??
      prompt.buttons.find((b) => b.id.startsWith('consent:accept:'))!;
    await this.tap(contact, button.id);
    await this.settle();
    return contact;
  }

  /** The contact's ledger as stored, oldest first. */
  async ledgerOf(contact: ContactHandle): Promise<LedgerRow[]> {
    return this.harness.db.query(
      `SELECT "purpose", "action", "channel", "notice_version" AS "noticeVersion", "regime", "language", "evidence"
         FROM "consent"."consent_record" WHERE "tenant_id" = $1 AND "subject_ref" = $2 ORDER BY "seq"`,
      [TENANT, contact.contactRef],
    );
  }

  /** The contact's row in consent's subject table (undefined when there is none). */
  async subjectOf(contact: ContactHandle): Promise<Record<string, unknown> | undefined> {
    const rows: Record<string, unknown>[] = await this.harness.db.query(
      `SELECT * FROM "consent"."consent_subject" WHERE "tenant_id" = $1 AND "subject_ref" = $2`,
      [TENANT, contact.contactRef],
    );
    return rows[0];
  }

  async heldCount(contact: ContactHandle): Promise<number> {
    return this.harness.count('held_message', `"tenant_id" = $1 AND "subject_ref" = $2`, [TENANT, contact.contactRef]);
  }

  async admittedTo(contact: ContactHandle): Promise<{ held: boolean; text: string | undefined }[]> {
    const mine = this.admitted.filter((event) => event.data.contactRef === contact.contactRef);
    const opened = [];
    for (const event of mine) {
      const content = JSON.parse(
        await this.harness.transit.openText(event.data.content, {
          tenantId: TENANT,
          subjectRef: contact.contactRef,
          field: 'consent.message.admitted.v1/content',
        }),
      ) as { text?: string };
      opened.push({ held: event.data.held, text: content.text });
    }
    return opened;
  }

  /** Asks as the gateway does at send time. */
  permission(contact: ContactHandle, purpose: OutboundPurpose, outboundId: string = randomUUID()) {
    return this.harness.peers.request(
      'consent.rpc.send-permission.v1',
      createEnvelope({
        producer: 'gateway',
        tenantId: TENANT,
        data: { contactRef: contact.contactRef, purpose, outboundId },
      }),
    );
  }

  /**
   * Waits until every inbound message this rig published has been applied (each leaves its envelope id in the
   * inbox), after a restart too.
   */
  async settle(): Promise<void> {
    await waitFor(
      'consent to apply every inbound message',
      async () =>
        (await this.harness.count('inbox_event', `"consumer" = 'consent.flow' AND "event_id" = ANY($1::uuid[])`, [
          [...this.published],
        ])) >= this.published.size,
      20_000,
    );
  }

  private readonly published = new Set<string>();

  async destroy(): Promise<void> {
    await this.nats?.close();
    await this.harness.destroy();
  }
}
