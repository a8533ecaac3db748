import type { SimulatorPhoneNumber } from '../simulator.options';

export type StatusKind = 'sent' | 'delivered' | 'read' | 'failed';
export type PricingCategory = 'service' | 'utility' | 'marketing';

/** The Meta webhook envelope: one entry (the WABA), one change. */
export interface WebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: {
    id: string;
    changes: { value: Record<string, unknown>; field: 'messages' | 'user_preferences' }[];
  }[];
}

/** What the status webhooks of one accepted message need to know about it. */
export interface OutboundMessageRef {
  wamid: string;
  waId?: string;
  userId: string;
  callbackData?: string;
  isTemplate: boolean;
  category: PricingCategory;
}

export const ERROR_CODES_HREF = '/documentation/business-messaging/whatsapp/support/error-codes';

/** The asynchronous error of a non-template message sent outside the 24-hour window. */
export const REENGAGEMENT_ERROR = Object.freeze({
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  href: ERROR_CODES_HREF,
});

function unixSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

export function webhookEnvelope(
  number: SimulatorPhoneNumber,
  field: 'messages' | 'user_preferences',
  value: Record<string, unknown>,
): WebhookEnvelope {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

/** One status of one outbound message; `pricing` rides on `delivered` only, `errors` on `failed`. */
export function statusWebhook(
  number: SimulatorPhoneNumber,
  message: OutboundMessageRef,
  status: StatusKind,
  nowMs: number,
): WebhookEnvelope {
  const entry: Record<string, unknown> = {
    id: message.wamid,
    status,
    timestamp: String(unixSeconds(nowMs)),
  };
  if (message.waId !== undefined) {
    entry.recipient_id = message.waId;
  }
  entry.recipient_user_id = message.userId;
  if (message.callbackData !== undefined) {
    entry.biz_opaque_callback_data = message.callbackData;
  }
  if (status === 'delivered') {
    entry.pricing = {
      billable: false,
      pricing_model: 'PMP',
      type: message.isTemplate ? 'regular' : 'free_customer_service',
      category: message.category,
    };
  }
  if (status === 'failed') {
    entry.errors = [REENGAGEMENT_ERROR];
  }
  return webhookEnvelope(number, 'messages', { statuses: [entry] });
}

export interface InboundUser {
  /** Phone number digits (wa_id). */
  waId: string;
  userId: string;
  name: string;
}

export type InboundContent =
  { kind: 'text'; text: string } | { kind: 'button_reply'; button: { id: string; title: string } };

/** A user message to the business, as Meta posts it. `context` = the business message it answers, if any. */
export function inboundMessageWebhook(
  number: SimulatorPhoneNumber,
  user: InboundUser,
  content: InboundContent,
  wamid: string,
  nowMs: number,
  contextWamid?: string,
): WebhookEnvelope {
  const message: Record<string, unknown> = {};
  if (contextWamid !== undefined) {
    message.context = { from: number.displayPhoneNumber, id: contextWamid };
  }
  message.from = user.waId;
  message.from_user_id = user.userId;
  message.id = wamid;
  message.timestamp = String(unixSeconds(nowMs));
  if (content.kind === 'text') {
    message.type = 'text';
    message.text = { body: content.text };
  } else {
    message.type = 'interactive';
    message.interactive = {
      type: 'button_reply',
      button_reply: { id: content.button.id, title: content.button.title },
    };
  }
  return webhookEnvelope(number, 'messages', {
    contacts: [{ profile: { name: user.name }, wa_id: user.waId, user_id: user.userId }],
    messages: [message],
  });
}

/** A marketing opt-out (`stop`) or opt-back-in (`resume`); this timestamp is an integer, unlike message ones. */
export function userPreferencesWebhook(
  number: SimulatorPhoneNumber,
  user: { waId: string; userId: string },
  value: 'stop' | 'resume',
  nowMs: number,
): WebhookEnvelope {
  return webhookEnvelope(number, 'user_preferences', {
    user_preferences: [
      {
        wa_id: user.waId,
        user_id: user.userId,
        detail:
          value === 'stop'
            ? 'User requested to stop marketing messages'
            : 'User requested to resume marketing messages',
        category: 'marketing_messages',
        value,
        timestamp: unixSeconds(nowMs),
      },
    ],
  });
}

/** The phone_number_id a payload is addressed to (first one found), to pick the app that owns it. */
export function payloadPhoneNumberId(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) {
    return undefined;
  }
  const entries = (payload as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) {
    return undefined;
  }
  for (const entry of entries as unknown[]) {
    const changes = (entry as { changes?: unknown } | null)?.changes;
    if (!Array.isArray(changes)) {
      continue;
    }
    for (const change of changes as unknown[]) {
      const id = (change as { value?: { metadata?: { phone_number_id?: unknown } } } | null)?.value?.metadata
        ?.phone_number_id;
      if (typeof id === 'string') {
        return id;
      }
    }
  }
  return undefined;
}
