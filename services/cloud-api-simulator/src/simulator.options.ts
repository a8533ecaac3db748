/** One business phone number registered on the simulated WhatsApp Business Account. */
export interface SimulatorPhoneNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
}

/** A Meta app subscribed to the WABA's webhooks: Meta signs with its secret and posts to its callback URL. */
export interface SimulatorApp {
  appSecret: string;
  webhookUrl: string;
  phoneNumbers: SimulatorPhoneNumber[];
}

export type AutoStatus = 'sent' | 'delivered' | 'read';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 3900; 0 = ephemeral (tests). */
  port?: number;
  /** Bearer token required on the Graph endpoints; default 'dev-access-token'. */
  accessToken?: string;
  /** Who Meta signs and posts webhooks to. */
  apps: SimulatorApp[];
  /** Delay between accept → 'sent' → 'delivered' → 'read' webhooks; default 50. */
  statusDelayMs?: number;
  /** Statuses posted for an accepted message; default all three. */
  autoStatuses?: AutoStatus[];
  /** Sends per phone number in a sliding second; default 80 → error 130429. */
  throughputMps?: number;
  /** Sends to one recipient per window; default 45 per 6000 ms → error 131056. */
  pairLimit?: { messages: number; windowMs: number };
  /** Pauses between webhook delivery attempts of a status (one more attempt than entries); default 500, 1000, 2000, 4000. */
  webhookRetryDelaysMs?: number[];
  /** Default: nothing. Never receives message text or phone numbers. */
  log?: (line: string) => void;
}

export interface RunningSimulator {
  readonly url: string;
  stop(): Promise<void>;
}

/** The options with every default filled in. */
export interface ResolvedSimulatorOptions {
  host: string;
  port: number;
  accessToken: string;
  apps: SimulatorApp[];
  statusDelayMs: number;
  autoStatuses: AutoStatus[];
  throughputMps: number;
  pairLimit: { messages: number; windowMs: number };
  webhookRetryDelaysMs: number[];
  log: (line: string) => void;
}
