import { inboundSightings, isWindowOpen, SERVICE_WINDOW_MS } from './service-window.rules';
import { deriveBsuid } from './user-id.rules';

describe('isWindowOpen', () => {
  const now = 1_767_225_600_000;

  it('is open until 24 hours after the last inbound message, closed from then on', () => {
    expect(isWindowOpen(now, now)).toBe(true);
    expect(isWindowOpen(now - SERVICE_WINDOW_MS + 1, now)).toBe(true);
    expect(isWindowOpen(now - SERVICE_WINDOW_MS, now)).toBe(false);
  });

  it('is closed without any inbound message', () => {
    expect(isWindowOpen(undefined, now)).toBe(false);
  });
});

describe('inboundSightings', () => {
  const now = 1_767_225_600_000;
  const payload = (messages: unknown[], metadata: unknown = { phone_number_id: '109876543210987' }) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata, messages } }] }],
  });

  it('reads the number, every identity of the sender and the message time', () => {
    expect(
      inboundSightings(payload([{ from: '5511987654321', from_user_id: 'BR.1', timestamp: '1767225000' }]), now),
    ).toEqual([
      {
        phoneNumberId: '109876543210987',
        identities: ['5511987654321', deriveBsuid('5511987654321'), 'BR.1'],
        atMs: 1_767_225_000_000,
      },
    ]);
  });

  it('never dates a message in the future, and uses now when it has no timestamp', () => {
    const [future] = inboundSightings(payload([{ from: '5511987654321', timestamp: '1999999999' }]), now);
    const [undated] = inboundSightings(payload([{ from: '5511987654321' }]), now);
    expect(future.atMs).toBe(now);
    expect(undated.atMs).toBe(now);
  });

  it('takes a sender known only by BSUID', () => {
    expect(inboundSightings(payload([{ from_user_id: 'US.42' }]), now)[0].identities).toEqual(['US.42']);
  });

  it('ignores statuses, anonymous messages, missing metadata and non-payloads', () => {
    expect(inboundSightings(payload([{ timestamp: '1' }]), now)).toEqual([]);
    expect(inboundSightings(payload([{ from: '5511987654321' }], null), now)).toEqual([]);
    expect(inboundSightings({ entry: [{ changes: [{ value: { statuses: [] } }] }] }, now)).toEqual([]);
    expect(inboundSightings('nope', now)).toEqual([]);
    expect(inboundSightings({ entry: 'x' }, now)).toEqual([]);
  });
});
