import { consentService } from '@trustline/consent-service';
import {
  createEnvelope,
  type ConsentDecisionRecordedV1,
  type ConsentMessageAdmittedV1,
  type EventEnvelope,
  type GatewayOutboundRequestedV1,
  type InboundInteraction,
  type OutboundPurpose,
} from '@trustline/contracts';
import {
  freePort,
  ServiceHarness,
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

  static async start(
    options: ServiceHarnessOptions & { notices?: readonly (readonly string[])[] } = {},
  ): Promise<ConsentRig> {
    const harness = await ServiceHarness.start(consentService, {
      ...options,
      env: {
        CONSENT_TENANTS_FILE: writeConsentTenantsFile(options.notices ?? [['assistant', 'marketing?']]),
        CONSENT_GRPC_PORT: String(await freePort()),
        ...options.env,
      },
    });
    const rig = new ConsentRig(harness);
    rig.outbound = await harness.observe('gateway.outbound.requested.v1', 'gateway');
    rig.admitted = await harness.observe('consent.message.admitted.v1', 'conversation-ai');
    rig.decisions = await harness.observe('consent.decision.recorded.v1', 'audit');
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

  /** The gateway's `gateway.message.received.v1` for a message from the contact; resolves to its wamid. */
  async inbound(contact: ContactHandle, options: InboundOptions): Promise<string> {
    const messageId = `wamid.${randomBytes(12).toString('hex')}`;
    const type = options.type ?? (options.interaction ? 'interactive' : 'text');
    const place = { tenantId: TENANT, subjectRef: contact.contactRef };
    const sentAt = options.sentAt ?? new Date();
    await this.harness.peers.publish(
      'gateway.message.received.v1',
      createEnvelope({
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
      }),
    );
    this.inboundCount += 1;
    return messageId;
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

  /** Waits until every inbound message published so far has been applied (each leaves its id in the inbox). */
  async settle(): Promise<void> {
    await waitFor(
      'consent to apply every inbound message',
      async () => (await this.applied()) >= this.inboundCount,
      20_000,
    );
  }

  private inboundCount = 0;

  private async applied(): Promise<number> {
    return this.harness.count('inbox_event', `"consumer" = 'consent.flow'`);
  }

  async destroy(): Promise<void> {
    await this.harness.destroy();
  }
}
