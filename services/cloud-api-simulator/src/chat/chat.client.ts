import type { ChatButton } from './chat-render.rules';

/** The platform's answer to a message the user sent: its wamid and the HTTP status of the webhook (0 = no answer). */
export interface InboundResult {
  wamid: string;
  status: number;
}

/** The chat client's view of the simulator: send as the user, list what the platform sent to the user. */
export class SimulatorChatClient {
  constructor(
    private readonly baseUrl: string,
    private readonly user: { from: string; name?: string },
  ) {}

  sendText(text: string): Promise<InboundResult> {
    return this.inbound({ text });
  }

  tap(button: ChatButton, context: string): Promise<InboundResult> {
    return this.inbound({ button_reply: { id: button.id, title: button.title }, context });
  }

  async messages(): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${this.baseUrl}/_sim/messages?to=${encodeURIComponent(this.user.from)}`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      throw new Error(`simulator answered HTTP ${response.status}`);
    }
    return (await response.json()) as Record<string, unknown>[];
  }

  private async inbound(content: Record<string, unknown>): Promise<InboundResult> {
    const response = await fetch(`${this.baseUrl}/_sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: this.user.from,
        ...(this.user.name === undefined ? {} : { name: this.user.name }),
        ...content,
      }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: unknown };
      throw new Error(typeof body.error === 'string' ? body.error : `simulator answered HTTP ${response.status}`);
    }
    return (await response.json()) as InboundResult;
  }
}
