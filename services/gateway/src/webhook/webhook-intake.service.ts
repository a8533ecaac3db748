import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Contracts, EventEnvelope, GatewayWebhookReceivedV1 } from '@trustline/contracts';
import { TransitCipher } from '@trustline/crypto';
import { EventPublisher, MESSAGE_BUS, Outbox, type MessageBus } from '@trustline/messaging';
import { ServiceMetrics } from '@trustline/observability';
import { createHash, randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { TenantDirectory } from '../tenants/tenant-directory';
import { UnroutedWebhookEntity } from './unrouted-webhook.entity';
import type { WebhookAcceptance } from './webhook-acceptance';
import { webhookEventId } from './webhook-event-id.rules';
import { routeWebhook } from './webhook-routing.rules';
import { WebhookShapeError } from './webhook-shape.error';

const SUBJECT = 'gateway.webhook.received.v1';

type Unrouted = Omit<UnroutedWebhookEntity, 'id'>;

/**
 * The webhook edge: signature over the raw bytes first (nothing is parsed before it passes), then JSON and the
 * envelope shape, then one sealed `gateway.webhook.received.v1` per business number. The caller answers 200 only
 * after `accept` resolves, i.e. once every event is durably accepted — JetStream's ack, or the outbox commit on a
 * memory-only bus — so Meta retries anything not safely kept.
 */
@Injectable()
export class WebhookIntakeService {
  private readonly logger = new Logger(WebhookIntakeService.name);
  private readonly outcomes: Counter<'outcome'>;
  private readonly unroutedChanges: Counter<'reason'>;

  constructor(
    private readonly directory: TenantDirectory,
    private readonly transit: TransitCipher,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox<Contracts>,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus<Contracts>,
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter({
      name: 'trustline_gateway_webhooks_total',
      help: 'Webhook POSTs by outcome (accepted, unsigned, forged, malformed)',
      labelNames: ['outcome'],
    });
    this.unroutedChanges = metrics.counter({
      name: 'trustline_gateway_webhook_unrouted_total',
      help: 'Signed webhook changes not processed: unknown number, another app’s number, or no number',
      labelNames: ['reason'],
    });
  }

  async accept(body: Buffer, signature: string | undefined, receivedAt = new Date()): Promise<WebhookAcceptance> {
    const result = await this.evaluate(body, signature, receivedAt);
    this.outcomes.inc({ outcome: result.outcome });
    return result;
  }

  private async evaluate(body: Buffer, signature: string | undefined, receivedAt: Date): Promise<WebhookAcceptance> {
    if (signature === undefined) {
      return { outcome: 'unsigned' };
    }
    const app = this.directory.appForSignature(body, signature);
    if (app === undefined) {
      return { outcome: 'forged' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { outcome: 'malformed', problems: ['body is not JSON'] };
    }
    let routed;
    try {
      routed = routeWebhook(parsed);
    } catch (error) {
      if (error instanceof WebhookShapeError) {
        return { outcome: 'malformed', problems: error.problems };
      }
      throw error;
    }

    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const occurredAt = receivedAt.toISOString();
    const events: EventEnvelope<GatewayWebhookReceivedV1>[] = [];
    const unrouted: Unrouted[] = routed.unroutable.map(({ wabaId, field }) => ({
      appName: app.name,
      phoneNumberId: null,
      wabaId,
      reason: `no-number:${field}`.slice(0, 64),
      changeCount: 1,
      bodySha256,
      receivedAt,
    }));
    for (const group of routed.byNumber) {
      const number = this.directory.number(group.phoneNumberId);
      if (number === undefined || number.app !== app) {
        unrouted.push({
          appName: app.name,
          phoneNumberId: group.phoneNumberId,
          wabaId: group.wabaId,
          reason: number === undefined ? 'unknown-number' : 'other-app',
          changeCount: group.changes.length,
          bodySha256,
          receivedAt,
        });
        continue;
      }
      const id = webhookEventId(bodySha256, group.phoneNumberId);
      const changes = await this.transit.sealText(JSON.stringify(group.changes), {
        tenantId: number.tenantId,
        subjectRef: group.phoneNumberId,
        field: `${SUBJECT}/changes`,
        row: id,
      });
      events.push(
        this.publisher.envelope(
          {
            phoneNumberId: group.phoneNumberId,
            wabaId: group.wabaId,
            receivedAt: occurredAt,
            bodySha256,
            itemCount: group.itemCount,
            changes,
          },
          { tenantId: number.tenantId, id, occurredAt },
        ),
      );
    }
    await this.keep(events, unrouted);
    for (const change of unrouted) {
      this.unroutedChanges.inc({ reason: change.reason.startsWith('no-number') ? 'no-number' : change.reason });
      this.logger.warn(
        { phoneNumberId: change.phoneNumberId, wabaId: change.wabaId, reason: change.reason, app: app.name },
        'webhook change not routed to a tenant: acknowledged, recorded, not processed',
      );
    }
    return { outcome: 'accepted', routed: events.length, unrouted: unrouted.length };
  }

  /** Durable acceptance: resolves only when every event and record is safe; rejects otherwise (→ 5xx, Meta retries). */
  private async keep(events: EventEnvelope<GatewayWebhookReceivedV1>[], unrouted: Unrouted[]): Promise<void> {
    if (this.bus.persistent) {
      await Promise.all([
        ...events.map((envelope) => this.bus.publish(SUBJECT, envelope)),
        unrouted.length > 0 ? this.record(this.dataSource.manager, unrouted) : Promise.resolve(),
      ]);
      return;
    }
    await this.outbox.transaction(this.dataSource, async (manager, stage) => {
      for (const envelope of events) {
        await stage(SUBJECT, envelope);
      }
      await this.record(manager, unrouted);
    });
  }

  private async record(manager: EntityManager, unrouted: Unrouted[]): Promise<void> {
    if (unrouted.length > 0) {
      await manager.insert(
        UnroutedWebhookEntity,
        unrouted.map((change) => ({ id: randomUUID(), ...change })),
      );
    }
  }
}
