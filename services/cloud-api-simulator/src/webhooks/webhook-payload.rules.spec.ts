import {
  inboundMessageWebhook,
  payloadPhoneNumberId,
  REENGAGEMENT_ERROR,
  statusWebhook,
  userPreferencesWebhook,
  type OutboundMessageRef,
  type WebhookEnvelope,
} from './webhook-payload.rules';

const number = { phoneNumberId: '109876543210987', displayPhoneNumber: '15551230000', wabaId: '880012345678901' };
const now = 1_767_225_600_500;
const message: OutboundMessageRef = {
  wamid: 'wamid.OUT1',
  waId: '5511987654321',
  userId: 'BR.12345678901234567890',
  isTemplate: false,
  category: 'service',
};

function value(envelope: WebhookEnvelope): Record<string, unknown> {
  return envelope.entry[0].changes[0].value;
}

describe('statusWebhook', () => {
  it('wraps one status in the full envelope', () => {
    expect(statusWebhook(number, message, 'sent', now)).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '880012345678901',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15551230000', phone_number_id: '109876543210987' },
                statuses: [
                  {
                    id: 'wamid.OUT1',
                    status: 'sent',
                    timestamp: '1767225600',
                    recipient_id: '5511987654321',
                    recipient_user_id: 'BR.12345678901234567890',
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('prices the delivered status only: free customer service for a session message', () => {
    const statuses = (['sent', 'delivered', 'read'] as const).map(
      (status) => (value(statusWebhook(number, message, status, now)).statuses as Record<string, unknown>[])[0],
    );
    expect(statuses.map((status) => status.pricing)).toEqual([
      undefined,
      { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      undefined,
    ]);
  });

  it('prices a template as regular in its category', () => {
    const [status] = value(
      statusWebhook(number, { ...message, isTemplate: true, category: 'marketing' }, 'delivered', now),
    ).statuses as Record<string, unknown>[];
    expect(status.pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'regular', category: 'marketing' });
  });

  it('echoes the callback data, and leaves recipient_id out for a user known only by BSUID', () => {
    const { waId: _, ...bsuidOnly } = message;
    const [status] = value(statusWebhook(number, { ...bsuidOnly, callbackData: 'ref-1' }, 'read', now))
      .statuses as Record<string, unknown>[];
    expect(status).toEqual({
      id: 'wamid.OUT1',
      status: 'read',
      timestamp: '1767225600',
      recipient_user_id: 'BR.12345678901234567890',
      biz_opaque_callback_data: 'ref-1',
    });
  });

  it('carries the re-engagement error on a failed status', () => {
    const [status] = value(statusWebhook(number, message, 'failed', now)).statuses as Record<string, unknown>[];
    expect(status.errors).toEqual([REENGAGEMENT_ERROR]);
    expect(REENGAGEMENT_ERROR).toEqual({
      code: 131047,
      title: 'Re-engagement message',
      message: 'Re-engagement message',
      error_data: { details: expect.stringContaining('24 hours') },
      href: expect.stringContaining('error-codes'),
    });
  });
});

describe('inboundMessageWebhook', () => {
  const user = { waId: '5511987654321', userId: 'BR.12345678901234567890', name: 'Ana Souza' };

  it('builds a text message with contact, BSUIDs and a string timestamp', () => {
    expect(value(inboundMessageWebhook(number, user, { kind: 'text', text: 'Oi' }, 'wamid.IN1', now))).toEqual({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15551230000', phone_number_id: '109876543210987' },
      contacts: [{ profile: { name: 'Ana Souza' }, wa_id: '5511987654321', user_id: 'BR.12345678901234567890' }],
      messages: [
        {
          from: '5511987654321',
          from_user_id: 'BR.12345678901234567890',
          id: 'wamid.IN1',
          timestamp: '1767225600',
          type: 'text',
          text: { body: 'Oi' },
        },
      ],
    });
  });

  it('builds a button reply with the context of the business message', () => {
    const [built] = value(
      inboundMessageWebhook(
        number,
        user,
        { kind: 'button_reply', button: { id: 'confirm', title: 'Confirmar' } },
        'wamid.IN2',
        now,
        'wamid.OUT7',
      ),
    ).messages as Record<string, unknown>[];
    expect(built).toEqual({
      context: { from: '15551230000', id: 'wamid.OUT7' },
      from: '5511987654321',
      from_user_id: 'BR.12345678901234567890',
      id: 'wamid.IN2',
      timestamp: '1767225600',
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Confirmar' } },
    });
  });
});

describe('userPreferencesWebhook', () => {
  it('builds the user_preferences change with an integer timestamp', () => {
    const envelope = userPreferencesWebhook(number, { waId: '5511987654321', userId: 'BR.1' }, 'stop', now);
    expect(envelope.entry[0].changes[0].field).toBe('user_preferences');
    expect(value(envelope).user_preferences).toEqual([
      {
        wa_id: '5511987654321',
        user_id: 'BR.1',
        detail: 'User requested to stop marketing messages',
        category: 'marketing_messages',
        value: 'stop',
        timestamp: 1_767_225_600,
      },
    ]);
    const resume = userPreferencesWebhook(number, { waId: '5511987654321', userId: 'BR.1' }, 'resume', now);
    expect((value(resume).user_preferences as Record<string, unknown>[])[0]).toMatchObject({ value: 'resume' });
  });
});

describe('payloadPhoneNumberId', () => {
  it('finds the phone number ID of a payload', () => {
    expect(payloadPhoneNumberId(statusWebhook(number, message, 'sent', now))).toBe('109876543210987');
  });

  it.each([undefined, null, 'x', {}, { entry: 'x' }, { entry: [null, { changes: [null, {}] }] }])(
    'gives undefined for %p',
    (payload) => {
      expect(payloadPhoneNumberId(payload)).toBeUndefined();
    },
  );
});
