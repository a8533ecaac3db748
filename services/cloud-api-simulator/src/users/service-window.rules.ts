import { deriveBsuid, phoneDigits } from './user-id.rules';

/** A user message opens (or resets) a 24-hour customer service window. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function isWindowOpen(lastInboundMs: number | undefined, nowMs: number): boolean {
  return lastInboundMs !== undefined && nowMs - lastInboundMs < SERVICE_WINDOW_MS;
}

/** A user message seen in a webhook payload: which number it reached, who sent it (every identity known), when. */
export interface InboundSighting {
  phoneNumberId: string;
  identities: string[];
  atMs: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/**
 * The user messages in a Meta-shaped payload, so a payload posted for a test opens the window as a real one would.
 * The message's own timestamp counts (a test may post an old message), never one in the future.
 */
export function inboundSightings(payload: unknown, nowMs: number): InboundSighting[] {
  if (!isRecord(payload)) {
    return [];
  }
  const sightings: InboundSighting[] = [];
  for (const entry of records(payload.entry)) {
    for (const change of records(entry.changes)) {
      const value = change.value;
      if (!isRecord(value) || !isRecord(value.metadata) || typeof value.metadata.phone_number_id !== 'string') {
        continue;
      }
      const phoneNumberId = value.metadata.phone_number_id;
      for (const message of records(value.messages)) {
        const identities = new Set<string>();
        const digits = typeof message.from === 'string' ? phoneDigits(message.from) : undefined;
        if (digits) {
          identities.add(digits);
          identities.add(deriveBsuid(digits));
        }
        if (typeof message.from_user_id === 'string') {
          identities.add(message.from_user_id);
        }
        if (identities.size === 0) {
          continue;
        }
        const seconds = typeof message.timestamp === 'string' ? Number(message.timestamp) : Number.NaN;
        const atMs = Number.isFinite(seconds) ? Math.min(seconds * 1000, nowMs) : nowMs;
        sightings.push({ phoneNumberId, identities: [...identities], atMs });
      }
    }
  }
  return sightings;
}
