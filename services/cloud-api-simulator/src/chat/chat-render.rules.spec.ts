import { deliveryNotice, renderMessage } from './chat-render.rules';

const envelope = {
  messaging_product: 'whatsapp',
  to: '5511987654321',
  id: 'wamid.X',
  receivedAt: '2026-01-01T00:00:00.000Z',
};

describe('renderMessage', () => {
  it('shows text bodies line by line', () => {
    expect(renderMessage({ ...envelope, type: 'text', text: { body: 'Oi Ana!\nTudo certo?' } })).toEqual({
      lines: ['Oi Ana!', 'Tudo certo?'],
      buttons: [],
    });
  });

  it('treats a message without type as text, as Meta does', () => {
    expect(renderMessage({ ...envelope, text: { body: 'Oi' } }).lines).toEqual(['Oi']);
  });

  it('numbers reply buttons and hands them back', () => {
    const rendered = renderMessage({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Horário' },
        body: { text: 'Confirma amanhã às 9h?' },
        footer: { text: 'Clínica Exemplo' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'confirm', title: 'Confirmar' } },
            { type: 'reply', reply: { id: 'human', title: 'Falar com atendente' } },
          ],
        },
      },
    });
    expect(rendered).toEqual({
      lines: ['Horário', 'Confirma amanhã às 9h?', '  Clínica Exemplo', '[1] Confirmar', '[2] Falar com atendente'],
      buttons: [
        { id: 'confirm', title: 'Confirmar' },
        { id: 'human', title: 'Falar com atendente' },
      ],
    });
  });

  it('lists list rows without making them tappable', () => {
    const rendered = renderMessage({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Escolha' },
        action: {
          button: 'Opções',
          sections: [{ title: 'Dias', rows: [{ id: 'mon', title: 'Segunda', description: '9h' }] }],
        },
      },
    });
    expect(rendered).toEqual({ lines: ['Escolha', '(list: Opções)', '  Dias', '  - Segunda - 9h'], buttons: [] });
  });

  it('names a template with its language and parameters', () => {
    const rendered = renderMessage({
      ...envelope,
      type: 'template',
      template: {
        name: 'appointment_reminder',
        language: { code: 'pt_BR' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.test/a.png' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'currency', currency: { fallback_value: 'R$ 10,00', code: 'BRL', amount_1000: 10000 } },
              { type: 'date_time', date_time: { fallback_value: 'amanhã' } },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'CONFIRM' }],
          },
        ],
      },
    });
    expect(rendered.lines).toEqual([
      'template appointment_reminder (pt_BR)',
      '  header {{1}} = <image>',
      '  body {{1}} = Ana',
      '  body {{2}} = R$ 10,00',
      '  body {{3}} = amanhã',
      '  button 0: CONFIRM',
    ]);
  });

  it('shows documents by file name and images with their captions', () => {
    expect(
      renderMessage({
        ...envelope,
        type: 'document',
        document: { id: '1', filename: 'recibo.pdf', caption: 'Seu recibo' },
      }).lines,
    ).toEqual(['document recibo.pdf', 'Seu recibo']);
    expect(renderMessage({ ...envelope, type: 'document', document: { link: 'https://x.test/a' } }).lines).toEqual([
      'document (no file name)',
    ]);
    expect(renderMessage({ ...envelope, type: 'image', image: { id: '1', caption: 'Mapa' } }).lines).toEqual([
      'image',
      'Mapa',
    ]);
  });

  it('names types it does not draw', () => {
    expect(renderMessage({ ...envelope, type: 'location' }).lines).toEqual(['(location message)']);
  });
});

describe('deliveryNotice', () => {
  it('says nothing when the platform took the message', () => {
    expect(deliveryNotice(200)).toBeUndefined();
  });

  it('reports another status, or no answer', () => {
    expect(deliveryNotice(500)).toBe('the platform answered HTTP 500');
    expect(deliveryNotice(0)).toBe('the platform did not answer (is it running?)');
  });
});
