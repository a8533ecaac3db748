/** A message the platform sent, as the simulator lists it: the Cloud API request body, its wamid and arrival time. */
export interface SimulatedMessage {
  readonly id: string;
  readonly receivedAt: string;
  readonly to?: string;
  readonly type: string;
  readonly text?: { readonly body: string };
  readonly interactive?: {
    readonly type: string;
    readonly body: { readonly text: string };
    readonly footer?: { readonly text: string };
    readonly action: { readonly buttons: readonly { readonly type: string; readonly reply: ReplyButton }[] };
  };
  readonly context?: { readonly message_id: string };
}

export interface ReplyButton {
  readonly id: string;
  readonly title: string;
}

export interface SimulatorFault {
  readonly code?: number;
  readonly httpStatus?: number;
  readonly count?: number;
  readonly to?: string;
  readonly latencyMs?: number;
  readonly drop?: boolean;
}

/** The Cloud API simulator's scripting surface (`/_sim/*`): what WhatsApp users do, and what they received. */
export class SimulatorClient {
  constructor(readonly baseUrl: string) {}

  /** A user's text message; resolves with its wamid once the platform answered the webhook 200. */
  async send(from: string, text: string): Promise<string> {
    return this.inbound({ from, text });
  }

  /** A user's tap on a reply button of the message `context` (a wamid). */
  async tap(from: string, button: ReplyButton, context: string): Promise<string> {
    return this.inbound({ from, button_reply: button, context });
  }

  /** Messages accepted for a user (wa_id digits, any format, or BSUID), oldest first. */
  async messages(to: string): Promise<SimulatedMessage[]> {
    const response = await fetch(`${this.baseUrl}/_sim/messages?to=${encodeURIComponent(to)}`);
    if (response.status !== 200) {
      throw new Error(`GET /_sim/messages answered ${response.status}`);
    }
    return (await response.json()) as SimulatedMessage[];
  }

  /** Polls until the user has received at least `count` messages. */
  async waitForMessages(to: string, count: number, timeoutMs = 30_000): Promise<SimulatedMessage[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const messages = await this.messages(to);
      if (messages.length >= count) {
        return messages;
      }
      if (performance.now() > deadline) {
        throw new Error(`the user received ${messages.length} of the ${count} messages awaited in ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async addFault(fault: SimulatorFault): Promise<void> {
    await this.post('/_sim/faults', fault);
  }

  async clearFaults(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/_sim/faults`, { method: 'DELETE' });
    if (!response.ok) {
      throw new Error(`DELETE /_sim/faults answered ${response.status}`);
    }
  }

  private async inbound(body: object): Promise<string> {
    const answer = (await this.post('/_sim/inbound', body)) as { wamid: string; status: number };
    // The simulator tries once: anything but 200 is the platform refusing (or failing) to take the message.
    if (answer.status !== 200) {
      throw new Error(`the platform answered the webhook with ${answer.status}`);
    }
    return answer.wamid;
  }

  private async post(path: string, body: object): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }
}
