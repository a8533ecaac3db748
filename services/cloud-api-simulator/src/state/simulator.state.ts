import { FaultQueue } from '../faults/fault.rules';
import { SlidingWindowLimiter } from '../limits/sliding-window.rules';
import type { ResolvedSimulatorOptions, SimulatorApp, SimulatorPhoneNumber } from '../simulator.options';
import { isWindowOpen } from '../users/service-window.rules';

/** A message the platform sent that Meta accepted (and did not fail for the window). */
export interface SentMessage {
  id: string;
  receivedAt: string;
  phoneNumberId: string;
  waId?: string;
  userId: string;
  body: Record<string, unknown>;
}

export interface StoredMedia {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  sha256: string;
  bytes: Buffer;
}

export interface SimulatorStats {
  /** Message sends received on /messages (mark-as-read excluded). */
  sends: number;
  /** Sends answered 200. */
  accepted: number;
  /** Sends answered with an error, or dropped. */
  rejected: number;
  /** Webhook POSTs the receiver answered 200. */
  webhooksPosted: number;
  /** Webhook POSTs that got another status or no answer (each retry counts). */
  webhookFailures: number;
}

function emptyStats(): SimulatorStats {
  return { sends: 0, accepted: 0, rejected: 0, webhooksPosted: 0, webhookFailures: 0 };
}

/** Everything the simulator remembers; all of it goes on `/_sim/reset`. */
export class SimulatorState {
  readonly faults = new FaultQueue();
  readonly media = new Map<string, StoredMedia>();
  stats: SimulatorStats = emptyStats();
  readonly throughput: SlidingWindowLimiter;
  readonly pair: SlidingWindowLimiter;
  private messages: SentMessage[] = [];
  /** `${phoneNumberId}|${wa_id or BSUID}` → last inbound time. */
  private readonly windows = new Map<string, number>();
  /** `${phoneNumberId}|${BSUID}` → wamid of the last interactive message sent to that user. */
  private readonly lastInteractive = new Map<string, string>();
  /** BSUID → phone digits, for users the simulator has seen by number. */
  private readonly phones = new Map<string, string>();
  private readonly numbers = new Map<string, { number: SimulatorPhoneNumber; app: SimulatorApp }>();

  constructor(readonly options: ResolvedSimulatorOptions) {
    for (const app of options.apps) {
      for (const number of app.phoneNumbers) {
        this.numbers.set(number.phoneNumberId, { number, app });
      }
    }
    this.throughput = new SlidingWindowLimiter(options.throughputMps, 1000);
    this.pair = new SlidingWindowLimiter(options.pairLimit.messages, options.pairLimit.windowMs);
  }

  numberById(phoneNumberId: string): { number: SimulatorPhoneNumber; app: SimulatorApp } | undefined {
    return this.numbers.get(phoneNumberId);
  }

  defaultNumber(): { number: SimulatorPhoneNumber; app: SimulatorApp } {
    const [first] = this.numbers.values();
    return first;
  }

  rememberPhone(userId: string, waId: string): void {
    this.phones.set(userId, waId);
  }

  phoneOf(userId: string): string | undefined {
    return this.phones.get(userId);
  }

  recordInbound(phoneNumberId: string, identities: readonly string[], atMs: number): void {
    for (const identity of identities) {
      const key = `${phoneNumberId}|${identity}`;
      this.windows.set(key, Math.max(atMs, this.windows.get(key) ?? atMs));
    }
  }

  windowOpen(phoneNumberId: string, identities: readonly string[], nowMs: number): boolean {
    return identities.some((identity) => isWindowOpen(this.windows.get(`${phoneNumberId}|${identity}`), nowMs));
  }

  recordMessage(message: SentMessage): void {
    this.messages.push(message);
    if (message.body.type === 'interactive') {
      this.lastInteractive.set(`${message.phoneNumberId}|${message.userId}`, message.id);
    }
  }

  lastInteractiveTo(phoneNumberId: string, userId: string): string | undefined {
    return this.lastInteractive.get(`${phoneNumberId}|${userId}`);
  }

  /** Accepted messages, oldest first; `to` = wa_id digits or BSUID. */
  messagesTo(to: string | undefined): SentMessage[] {
    return to === undefined
      ? [...this.messages]
      : this.messages.filter((message) => message.waId === to || message.userId === to);
  }

  reset(): void {
    this.messages = [];
    this.windows.clear();
    this.lastInteractive.clear();
    this.phones.clear();
    this.media.clear();
    this.faults.clear();
    this.throughput.clear();
    this.pair.clear();
    this.stats = emptyStats();
  }
}
