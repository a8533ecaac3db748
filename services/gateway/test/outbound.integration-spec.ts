import { OutboundRig } from './support/outbound-rig';
import { APP_A, NUMBER_A1 } from './support/tenants';
import { sleep, waitFor } from './support/wait';

const text = (body: string) => ({ type: 'text', text: body });
let userSeq = 0;
/** A fresh WhatsApp user per test, so windows and pair limits never leak between tests. */
const newUser = (): string =>
  `5511955${String(process.pid % 1000).padStart(3, '0')}${String((userSeq += 1)).padStart(3, '0')}`;

describe('outbound sender against the Cloud API simulator (real PostgreSQL and JetStream)', () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await OutboundRig.start();
  });

  afterAll(async () => {
    await rig?.stop();
  });

  async function consentingUser(): Promise<{ waId: string; contactRef: string }> {
    const waId = newUser();
    const contactRef = await rig.userWrites(waId);
    rig.decisions.set(contactRef, 'allow');
    return { waId, contactRef };
  }

  it('sends a reply inside the window once, and follows it to read through the status webhooks', async () => {
    const { waId, contactRef } = await consentingUser();
    const outboundId = await rig.requestSend(contactRef, text('Seu horário está confirmado.'));
    expect(await rig.settled(outboundId)).toBe('accepted');
    const sent = await rig.messagesTo(waId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'text',
      text: { body: 'Seu horário está confirmado.' },
      biz_opaque_callback_data: outboundId,
    });
    await waitFor('read status', async () => (await rig.outboundRow(outboundId)).state === 'read');
    const statuses = rig.updates.filter((e) => e.data.outboundId === outboundId).map((e) => e.data.status);
    expect(statuses.sort()).toEqual(['delivered', 'read', 'sent']);
    const accepted = rig.accepted.find((e) => e.data.outboundId === outboundId)!;
    expect(accepted.data).toMatchObject({ kind: 'text', attempts: 1, contactRef });
    expect(JSON.stringify(accepted)).not.toContain(waId);
  });

  it('sends a command delivered twice only once', async () => {
    const { waId, contactRef } = await consentingUser();
    const outboundId = await rig.requestSend(contactRef, text('uma vez'));
    await rig.requestSend(contactRef, text('uma vez'), { outboundId });
    expect(await rig.settled(outboundId)).toBe('accepted');
    await sleep(500);
    expect(await rig.messagesTo(waId)).toHaveLength(1);
    expect(rig.accepted.filter((e) => e.data.outboundId === outboundId)).toHaveLength(1);
  });

  it('sends reply buttons, validated to the documented limits', async () => {
    const { waId, contactRef } = await consentingUser();
    const ok = await rig.requestSend(contactRef, {
      type: 'buttons',
      body: 'Confirmar ou remarcar?',
      buttons: [
        { id: 'confirm', title: 'Confirmar' },
        { id: 'reschedule', title: 'Remarcar' },
        { id: 'talk-to-human', title: 'Falar com atendente' },
      ],
    });
    expect(await rig.settled(ok)).toBe('accepted');
    const [sent] = await rig.messagesTo(waId);
    expect(sent).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });

    const tooMany = await rig.requestSend(contactRef, {
      type: 'buttons',
      body: 'x',
      buttons: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id })),
    });
    const longTitle = await rig.requestSend(contactRef, {
      type: 'buttons',
      body: 'x',
      buttons: [{ id: 'a', title: 'a title over twenty chars' }],
    });
    const longText = await rig.requestSend(contactRef, text('x'.repeat(4097)));
    for (const id of [tooMany, longTitle, longText]) {
      expect(await rig.settled(id)).toBe('invalid-message');
    }
    expect(await rig.messagesTo(waId)).toHaveLength(1);
  });

  it('sends a document by link or by uploaded media id, and refuses one that names both', async () => {
    const { waId, contactRef } = await consentingUser();
    const byLink = await rig.requestSend(contactRef, {
      type: 'document',
      link: 'https://example.com/receipt.pdf',
      filename: 'recibo.pdf',
      caption: 'Seu recibo',
    });
    expect(await rig.settled(byLink)).toBe('accepted');
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    form.set('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'recibo.pdf');
    const upload = await fetch(`${rig.simulator.url}/v25.0/${NUMBER_A1}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_A.accessToken}` },
      body: form,
    });
    const { id: mediaId } = (await upload.json()) as { id: string };
    const byId = await rig.requestSend(contactRef, { type: 'document', mediaId, filename: 'recibo.pdf' });
    expect(await rig.settled(byId)).toBe('accepted');
    const both = await rig.requestSend(contactRef, { type: 'document', mediaId, link: 'https://example.com/x.pdf' });
    expect(await rig.settled(both)).toBe('invalid-message');
    const sent = await rig.messagesTo(waId);
    expect(sent.map((m) => m.document)).toEqual([
      expect.objectContaining({ link: 'https://example.com/receipt.pdf', filename: 'recibo.pdf' }),
      expect.objectContaining({ id: mediaId }),
    ]);
  });

  it('refuses free-form messages outside the 24-hour window, and sends templates there', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.gateway.db.query(
      `UPDATE "gateway"."service_window" SET "last_inbound_at" = now() - interval '24 hours 1 second' WHERE "contact_ref" = $1`,
      [contactRef],
    );
    const freeForm = await rig.requestSend(contactRef, text('fora da janela'));
    expect(await rig.settled(freeForm)).toBe('window-closed');
    const template = await rig.requestSend(
      contactRef,
      { type: 'template', name: 'appointment_reminder', language: 'pt_BR' },
      { purpose: 'notification' },
    );
    expect(await rig.settled(template)).toBe('accepted');
    const sent = await rig.messagesTo(waId);
    expect(sent.map((m) => m.type)).toEqual(['template']);
  });

  it('does not send without consent, and never asks Meta', async () => {
    const waId = newUser();
    const contactRef = await rig.userWrites(waId);
    rig.decisions.set(contactRef, 'suppressed');
    const id = await rig.requestSend(contactRef, text('não deveria chegar'));
    expect(await rig.settled(id)).toBe('suppressed');
    rig.decisions.delete(contactRef);
    const id2 = await rig.requestSend(contactRef, text('nem esta'));
    expect(await rig.settled(id2)).toBe('no-consent');
    expect(await rig.messagesTo(waId)).toHaveLength(0);
  });

  it('waits while consent does not answer, then sends once it does', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.silenceConsent();
    const id = await rig.requestSend(contactRef, text('quando o consentimento voltar'));
    await sleep(2_500);
    expect(await rig.messagesTo(waId)).toHaveLength(0);
    expect((await rig.outboundRow(id)).state).toBe('pending');
    await rig.answerConsent();
    expect(await rig.settled(id, 40_000)).toBe('accepted');
    expect(await rig.messagesTo(waId)).toHaveLength(1);
  });

  it.each([
    ['130429 throughput', { code: 130429 }],
    ['80007 WABA rate limit', { code: 80007 }],
    ['4 app rate limit', { code: 4 }],
    ['131056 pair limit', { code: 131056 }],
    ['a 5xx without a Meta body', { httpStatus: 503 }],
    ['131000 unknown error', { code: 131000 }],
  ])('backs off and retries after %s, sending exactly once', async (_case, fault) => {
    const { waId, contactRef } = await consentingUser();
    await rig.fault({ ...fault, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('depois da espera'));
    expect(await rig.settled(id, 30_000)).toBe('accepted');
    expect(await rig.messagesTo(waId)).toHaveLength(1);
    expect((await rig.outboundRow(id)).attempts).toBe(2);
  });

  it('retries a send whose connection dropped unanswered without duplicating it', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.fault({ drop: true, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('conexão caiu'));
    expect(await rig.settled(id, 30_000)).toBe('accepted');
    await sleep(300);
    expect(await rig.messagesTo(waId)).toHaveLength(1);
  });

  it('does not resend a timed-out send that Meta did accept: its status webhook settles it', async () => {
    const { waId, contactRef } = await consentingUser();
    // The simulator answers after the gateway gave up (1 s), but it did take the message and reports its statuses.
    await rig.fault({ latencyMs: 1_800, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('lento mas entregue'));
    await waitFor(
      'the late status settles it',
      async () => ['sent', 'delivered', 'read'].includes((await rig.outboundRow(id)).state),
      20_000,
    );
    await sleep(2_500); // past the grace period: a redelivery must now see it settled
    expect(await rig.messagesTo(waId)).toHaveLength(1);
    expect((await rig.outboundRow(id)).attempts).toBe(1);
  });

  it.each([
    [131047, 'window-closed'],
    [131026, 'undeliverable'],
    [131009, 'rejected'],
  ])('fails for good on %s (%s), without retrying', async (code, reason) => {
    const { waId, contactRef } = await consentingUser();
    await rig.fault({ code, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('não vai'));
    expect(await rig.settled(id)).toBe(reason);
    const failure = rig.failed.find((e) => e.data.outboundId === id)!;
    expect(failure.data).toMatchObject({ errorCode: code, attempts: 1 });
    await sleep(300);
    expect(await rig.messagesTo(waId)).toHaveLength(0);
  });

  it('records a 131050 marketing opt-out, reports it, and refuses later marketing without asking Meta', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.fault({ code: 131050, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('promoção'), { purpose: 'marketing' });
    expect(await rig.settled(id)).toBe('marketing-opt-out');
    await waitFor('the preference event', () =>
      rig.preferences.some(
        (e) => e.data.contactRef === contactRef && e.data.value === 'stop' && e.data.source === 'send-error',
      ),
    );
    const stats = await rig.sim<{ sends: number }>('GET', '/_sim/stats');
    const again = await rig.requestSend(contactRef, text('outra promoção'), { purpose: 'marketing' });
    expect(await rig.settled(again)).toBe('marketing-opt-out');
    expect((await rig.sim<{ sends: number }>('GET', '/_sim/stats')).sends).toBe(stats.sends);
    // A service reply is still allowed: the stop covers marketing only.
    const reply = await rig.requestSend(contactRef, text('resposta ao seu pedido'));
    expect(await rig.settled(reply)).toBe('accepted');
  });

  it('applies the user_preferences webhook: marketing stop, then resume', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.sim('POST', '/_sim/user-preferences', { from: waId, value: 'stop' });
    await waitFor('stop', () =>
      rig.preferences.some((e) => e.data.contactRef === contactRef && e.data.value === 'stop'),
    );
    expect(await rig.settled(await rig.requestSend(contactRef, text('promo'), { purpose: 'marketing' }))).toBe(
      'marketing-opt-out',
    );
    await sleep(1_100); // Meta's timestamps are in seconds
    await rig.sim('POST', '/_sim/user-preferences', { from: waId, value: 'resume' });
    await waitFor('resume', () =>
      rig.preferences.some((e) => e.data.contactRef === contactRef && e.data.value === 'resume'),
    );
    expect(await rig.settled(await rig.requestSend(contactRef, text('promo'), { purpose: 'marketing' }))).toBe(
      'accepted',
    );
  });

  it('fails an expired command without sending it', async () => {
    const { waId, contactRef } = await consentingUser();
    const id = await rig.requestSend(contactRef, text('tarde demais'), {
      notAfter: new Date(Date.now() - 1000).toISOString(),
    });
    expect(await rig.settled(id)).toBe('expired');
    expect(await rig.messagesTo(waId)).toHaveLength(0);
  });

  // Last: it halts the tenant.
  it('halts all of the tenant’s sending on 368 and raises the alert', async () => {
    const { waId, contactRef } = await consentingUser();
    await rig.fault({ code: 368, to: waId, count: 1 });
    const id = await rig.requestSend(contactRef, text('conta restrita'));
    expect(await rig.settled(id)).toBe('account-restricted');
    await waitFor('the halt event', () => rig.halts.length === 1);
    expect(rig.halts[0].data).toMatchObject({ errorCode: 368 });
    const other = await consentingUser();
    const next = await rig.requestSend(other.contactRef, text('também não'));
    expect(await rig.settled(next)).toBe('account-restricted');
    expect(await rig.messagesTo(other.waId)).toHaveLength(0);
    const metrics = await (await fetch(`${rig.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/trustline_gateway_sending_halts_total\{[^}]*\} 1/);
  });
});

describe('throughput limit per business number', () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await OutboundRig.start({ throughputMps: 5 });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it('spreads a burst at the configured messages per second, losing none', async () => {
    const users = [];
    for (let i = 0; i < 3; i += 1) {
      const waId = newUser();
      const contactRef = await rig.userWrites(waId);
      rig.decisions.set(contactRef, 'allow');
      users.push({ waId, contactRef });
    }
    const ids = [];
    for (let i = 0; i < 15; i += 1) {
      const user = users[i % 3];
      ids.push(await rig.requestSend(user.contactRef, text(`mensagem ${i}`)));
    }
    for (const id of ids) {
      expect(await rig.settled(id, 30_000)).toBe('accepted');
    }
    const sent = (await Promise.all(users.map((u) => rig.messagesTo(u.waId)))).flat();
    expect(sent).toHaveLength(15);
    const times = sent.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b);
    // 15 messages at 5/s: the first 5 at once, then 5 per second → at least ~2 s from first to last.
    expect(times[14] - times[0]).toBeGreaterThanOrEqual(1_800);
    // …and at most 5 per second: any 5 messages apart span close to a second (the limiter's windows are one second;
    // the slack is timer and loopback jitter between the gateway's send and the simulator's clock).
    for (let i = 5; i < times.length; i += 1) {
      expect(times[i] - times[i - 5]).toBeGreaterThanOrEqual(850);
    }
  });
});
