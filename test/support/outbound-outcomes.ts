import type { GatewayOutboundAcceptedV1, GatewayOutboundFailedV1 } from '@trustline/contracts';
import type { EventLog } from './bus-probe';

export type OutboundOutcome =
  | { readonly kind: 'accepted'; readonly data: GatewayOutboundAcceptedV1 }
  | { readonly kind: 'failed'; readonly data: GatewayOutboundFailedV1 };

/** What became of each outbound command, from the gateway's `accepted` and `failed` facts. */
export class OutboundOutcomes {
  private readonly byId = new Map<string, OutboundOutcome>();
  private readonly byWamid = new Map<string, GatewayOutboundAcceptedV1>();
  private readonly checks = new Set<() => void>();
  /** Commands the gateway settled more than once: a test expects none. */
  readonly duplicates: string[] = [];

  constructor(accepted: EventLog<'gateway.outbound.accepted.v1'>, failed: EventLog<'gateway.outbound.failed.v1'>) {
    accepted.listen(({ data }) => {
      this.byWamid.set(data.messageId, data);
      this.settle({ kind: 'accepted', data });
    });
    failed.listen(({ data }) => this.settle({ kind: 'failed', data }));
  }

  of(outboundId: string): OutboundOutcome | undefined {
    return this.byId.get(outboundId);
  }

  /** The accepted command that became this Cloud API message (by its wamid). */
  sentAs(wamid: string): GatewayOutboundAcceptedV1 | undefined {
    return this.byWamid.get(wamid);
  }

  /** The outcome of each command, once all are settled. */
  all(outboundIds: readonly string[], timeoutMs: number): Promise<OutboundOutcome[]> {
    const pending = (): number => outboundIds.filter((id) => !this.byId.has(id)).length;
    const outcomes = (): OutboundOutcome[] => outboundIds.map((id) => this.byId.get(id)!);
    if (pending() === 0) {
      return Promise.resolve(outcomes());
    }
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (pending() === 0) {
          clearTimeout(timer);
          this.checks.delete(check);
          resolve(outcomes());
        }
      };
      const timer = setTimeout(() => {
        this.checks.delete(check);
        reject(new Error(`${pending()} of ${outboundIds.length} outbound commands not settled in ${timeoutMs} ms`));
      }, timeoutMs);
      this.checks.add(check);
    });
  }

  async one(outboundId: string, timeoutMs = 30_000): Promise<OutboundOutcome> {
    const [outcome] = await this.all([outboundId], timeoutMs);
    return outcome;
  }

  private settle(outcome: OutboundOutcome): void {
    if (this.byId.has(outcome.data.outboundId)) {
      this.duplicates.push(outcome.data.outboundId);
      return;
    }
    this.byId.set(outcome.data.outboundId, outcome);
    for (const check of this.checks) {
      check();
    }
  }
}
