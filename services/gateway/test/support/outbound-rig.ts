import { startCloudApiSimulator, type RunningSimulator } from '@trustline/cloud-api-simulator';
import {
  createEnvelope,
  type EventEnvelope,
  type GatewayDeliveryUpdatedV1,
  type GatewayMessageReceivedV1,
  type GatewayOutboundAcceptedV1,
  type GatewayOutboundFailedV1,
  type GatewayOutboundRequestedV1,
  type GatewayPreferenceChangedV1,
  type GatewaySendingHaltedV1,
  type OutboundPurpose,
  type SendDenialReason,
} from '@trustline/contracts';
import type { Subscription } from '@trustline/messaging';
import { randomUUID } from 'node:crypto';
import { freePort, GatewayHarness, type GatewayOptions } from './gateway-harness';
import { APP_A, NUMBER_A1, TENANT_A, writeTenantsFile } from './tenants';
import { uniqueName, waitFor } from './wait';

export interface SimMessage extends Record<string, unknown> {
  readonly id: string;
  readonly receivedAt: string;
  readonly type: string;
  readonly to?: string;
}

/**
 * The gateway between the Cloud API simulator (as Meta: it receives sends and posts signed webhooks back) and a
 * stand-in for consent answering `consent.rpc.send-permission.v1` on the bus — allow, deny, or not answering at all.
 */
export class OutboundRig {
  readonly decisions = new Map<string, 'allow' | SendDenialReason>();
  received!: EventEnvelope<GatewayMessageReceivedV1>[];
  accepted!: EventEnvelope<GatewayOutboundAcceptedV1>[];
  failed!: EventEnvelope<GatewayOutboundFailedV1>[];
  updates!: EventEnvelope<GatewayDeliveryUpdatedV1>[];
  preferences!: EventEnvelope<GatewayPreferenceChangedV1>[];
  halts!: EventEnvelope<GatewaySendingHaltedV1>[];
  consentCalls = 0;
  private consent: Subscription | undefined;

  private constructor(
    readonly gateway: GatewayHarness,
    readonly simulator: RunningSimulator,
  ) {}

  static async start(
    options: {
      throughputMps?: number;
      env?: Record<string, string>;
      /** The simulator's own limit per number (Meta's: 80 by default). */
      simulatorThroughputMps?: number;
      /** Standalone mode's adapters instead of real PostgreSQL and JetStream. */
      bus?: GatewayOptions['bus'];
      database?: GatewayOptions['database'];
    } = {},
  ): Promise<OutboundRig> {
    const gatewayPort = await freePort();
    const simulator = await startCloudApiSimulator({
      port: 0,
      accessToken: APP_A.accessToken,
      statusDelayMs: 20,
      ...(options.simulatorThroughputMps === undefined ? {} : { throughputMps: options.simulatorThroughputMps }),
      apps: [
        {
          appSecret: APP_A.secret,
          webhookUrl: `http://127.0.0.1:${gatewayPort}/webhooks/whatsapp`,
          phoneNumbers: [{ phoneNumberId: NUMBER_A1, displayPhoneNumber: '15551230000', wabaId: '880012345678901' }],
        },
      ],
    });
    const gateway = await GatewayHarness.start({
      apiBaseUrl: simulator.url,
      ...(options.bus === undefined ? {} : { bus: options.bus }),
      ...(options.database === undefined ? {} : { database: options.database }),
      env: {
        GATEWAY_PORT: String(gatewayPort),
        WHATSAPP_TENANTS_FILE: writeTenantsFile(uniqueName('outbound'), options.throughputMps ?? 80),
        WHATSAPP_AMBIGUOUS_SEND_GRACE_MS: '1500',
        WHATSAPP_SEND_TIMEOUT_MS: '1000',
        ...options.env,
      },
    });
    const rig = new OutboundRig(gateway, simulator);
    rig.received = await gateway.observe('gateway.message.received.v1');
    rig.accepted = await gateway.observe('gateway.outbound.accepted.v1');
    rig.failed = await gateway.observe('gateway.outbound.failed.v1');
    rig.updates = await gateway.observe('gateway.delivery.updated.v1');
    rig.preferences = await gateway.observe('gateway.preference.changed.v1');
    rig.halts = await gateway.observe('gateway.sending.halted.v1');
    await rig.answerConsent();
    return rig;
  }

  /** consent's stand-in: the decision set for the contact, default-deny. */
  async answerConsent(): Promise<void> {
    this.consent ??= await this.gateway.bus.serve('consent.rpc.send-permission.v1', 'consent', (request) => {
      this.consentCalls += 1;
      const decision = this.decisions.get(request.data.contactRef) ?? 'no-consent';
      return Promise.resolve(
        decision === 'allow' ? { decision: 'allow', basis: 'opt-in' } : { decision: 'deny', reason: decision },
      );
    });
  }

  async silenceConsent(): Promise<void> {
    await this.consent?.stop();
    this.consent = undefined;
  }

  /** A user writes in through the simulator; resolves with their contactRef once the gateway published it. */
  async userWrites(from: string, text = 'Olá, quero marcar um horário'): Promise<string> {
    const answer = await this.sim<{ wamid: string; status: number }>('POST', '/_sim/inbound', {
      from,
      name: 'Ana Souza',
      text,
    });
    if (answer.status !== 200) {
      throw new Error(`gateway answered ${answer.status} to an inbound message`);
    }
    await waitFor('the inbound message event', () => this.received.some((e) => e.data.messageId === answer.wamid));
    return this.received.find((e) => e.data.messageId === answer.wamid)!.data.contactRef;
  }

  /** Publishes an outbound command as conversation-ai would, the message sealed for the gateway. */
  async requestSend(
    contactRef: string,
    message: unknown,
    options: { purpose?: OutboundPurpose; outboundId?: string; notAfter?: string } = {},
  ): Promise<string> {
    const outboundId = options.outboundId ?? randomUUID();
    const sealed = await this.gateway.transit.sealText(JSON.stringify(message), {
      tenantId: TENANT_A,
      subjectRef: contactRef,
      field: 'gateway.outbound.requested.v1/message',
    });
    const data: GatewayOutboundRequestedV1 = {
      outboundId,
      contactRef,
      purpose: options.purpose ?? 'conversation',
      message: sealed,
      ...(options.notAfter ? { notAfter: options.notAfter } : {}),
    };
    await this.gateway.bus.publish(
      'gateway.outbound.requested.v1',
      createEnvelope({ producer: 'conversation-ai', tenantId: TENANT_A, data }),
    );
    return outboundId;
  }

  /** 'accepted', or the failure reason. */
  async settled(outboundId: string, timeoutMs = 20_000): Promise<string> {
    await waitFor(
      `outbound ${outboundId} settled`,
      () =>
        this.accepted.some((e) => e.data.outboundId === outboundId) ||
        this.failed.some((e) => e.data.outboundId === outboundId),
      timeoutMs,
    );
    return this.accepted.some((e) => e.data.outboundId === outboundId)
      ? 'accepted'
      : this.failed.find((e) => e.data.outboundId === outboundId)!.data.reason;
  }

  async messagesTo(waId: string): Promise<SimMessage[]> {
    return this.sim<SimMessage[]>('GET', `/_sim/messages?to=${waId}`);
  }

  async fault(fault: Record<string, unknown>): Promise<void> {
    await this.sim('POST', '/_sim/faults', fault);
  }

  async sim<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.simulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`simulator ${method} ${path}: ${response.status}`);
    }
    return (await response.json()) as T;
  }

  /** The outbound log row; `state` is `absent` until the gateway has taken the command. */
  async outboundRow(
    outboundId: string,
  ): Promise<{ state: string; attempts: number; wamid: string | null; error_code: number | null }> {
    const rows: { state: string; attempts: number; wamid: string | null; error_code: number | null }[] =
      await this.gateway.db.query(`SELECT * FROM "gateway"."outbound_message" WHERE "outbound_id" = $1`, [outboundId]);
    return rows[0] ?? { state: 'absent', attempts: 0, wamid: null, error_code: null };
  }

  async stop(): Promise<void> {
    await this.silenceConsent();
    await this.gateway.destroy();
    await this.simulator.stop();
  }
}
