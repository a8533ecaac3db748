import type { PiiKind, PiiSpan } from '../pii-detection.rules';
import * as g from './pii-ids.generator';

/**
 * The labelled corpus behind pii-corpus.json: chat sentences from templates, filled with synthetic ids (valid
 * checksums, no real person's data) and with look-alikes that must not match (prices, references, dates, times,
 * quantities, postcodes). Labels come from where each value was placed, never from the detector. The spec checks
 * that the JSON is exactly this output; `PII_CORPUS_REGENERATE=1` makes it rewrite the file instead.
 */

export interface CorpusEntry {
  readonly lang: 'en' | 'es' | 'pt';
  /** The contact's country: the default for phone numbers written without a prefix. */
  readonly country: string;
  readonly text: string;
  readonly spans: readonly PiiSpan[];
}

type T = readonly [country: string, text: string];
const EN: T[] = [
  ['US', 'Hi, you can reach me at {phone} after 6pm.'],
  ['US', 'My email is {email}, please send the invoice there.'],
  ['US', 'Card number is {card}, expiry 09/28.'],
  ['US', 'For the background check my SSN is {ssn}.'],
  ['US', 'Please call {phone} or write to {email} to confirm.'],
  ['US', 'Social security number {ssn}, date of birth 04/12/1988.'],
  ['US', 'Can you charge {card} for the {price} balance?'],
  ['US', 'Wire it to my IBAN {iban} please.'],
  ['US', 'Text me on {phone} when the order {order} ships.'],
  ['US', 'My new address email: {email} (the old one is closed).'],
  ['US', 'I paid with {card} but order {order} still shows pending.'],
  ['US', 'My SSN 9 digits: SSN {ssn9}'],
  ['US', 'Call me on {phone} tomorrow morning.'],
  ['US', 'I live in Brazil, my CPF is {cpf} if you need it for the invoice.'],
  ['US', 'The company CNPJ is {cnpj}.'],
  ['US', 'Spanish ID for the booking: {dni}.'],
  ['US', 'My NIE is {nie}, I moved to Madrid last year.'],
  ['US', 'Mexican customer here, CURP {curp} and RFC {rfc}.'],
  ['US', 'Refund to {iban}, reference {order}.'],
  ['US', 'Do you have the blue one in size 10? It was {price} last week.'],
  ['US', 'My order {order} was supposed to arrive on {date}.'],
  ['US', 'Can I book a table for {qty} people at {time} on {date}?'],
  ['US', 'The total came to {price} with tax, is that right?'],
  ['US', 'We are at 1200 Market St, zip {zip}, suite 400.'],
  ['US', 'I need {qty} boxes of the 500 ml bottles.'],
  ['US', 'Is the store open until {time} on Saturday?'],
  ['US', 'Invoice INV-2026-{order} shows {price} but I was quoted less.'],
  ['US', 'Tracking says delivered at {time}, order {order}.'],
  ['US', 'The room was 3 nights at {price} per night, checkout {date}.'],
  ['US', 'Version 2.14.3 of the app keeps crashing since {date}.'],
  ['US', 'I ordered {qty} items for {price} each, ref {order}.'],
  ['US', 'Meeting moved to {time}, room 1204, floor 12.'],
  ['US', 'Shipping to {zip} costs {price}? That seems high.'],
  ['US', 'Thanks! See you on {date} at {time}.'],
  ['US', 'Hello, I was charged twice: {price} and {price} on {date}.'],
  ['US', 'Order number {long} placed at 2026-03-12 14:30.'],
  ['US', 'Ticket #{long} is still open, any update?'],
  ['US', 'My card ending in {qty}21 was charged {price}.'],
  ['US', 'The serial on the box is SN-{long}.'],
  ['US', 'We sold 1,250,000 units in 2025 and 980,000 in 2024.'],
  ['US', 'Confirmation code {long}, call {phone} if anything changes.'],
  ['US', 'Tracking 1Z{long}A{qty} should arrive Friday.'],
  ['US', 'Customer number {long}, can you check my plan?'],
  ['US', 'I was born 1988-04-12 and the policy starts 2026-01-01.'],
  ['US', 'my email is {email} and my cell is {phone}, thanks!'],
];
const ES: T[] = [
  ['ES', 'Hola, mi móvil es {phone}, llamadme por la tarde.'],
  ['ES', 'Mi DNI es {dni} y el correo {email}.'],
  ['ES', 'Tengo NIE {nie}, ¿sirve para la reserva?'],
  ['ES', 'Podéis hacer la transferencia a {iban}.'],
  ['ES', 'Pago con la tarjeta {card}, caduca en 11/27.'],
  ['ES', 'Escribidme a {email} con la factura {order}.'],
  ['MX', 'Mi CURP es {curp}, ¿qué más necesitan?'],
  ['MX', 'Para la factura: RFC {rfc}, correo {email}.'],
  ['MX', 'Márcame al {phone} cuando llegue el pedido.'],
  ['MX', 'Mi RFC {rfc} y mi CURP {curp} para el trámite.'],
  ['AR', 'Mi DNI es {ardni}, a nombre de mi mamá no.'],
  ['AR', 'El CUIT de la empresa es {cuit}.'],
  ['AR', 'Te paso mi CUIL: {cuit} y mi cel {phone}.'],
  ['AR', 'DNI {ardni}, turno para el {date} a las {time}.'],
  ['CO', 'Mi cédula es {cc} y mi celular {phone}.'],
  ['CO', 'C.C. {cc}, por favor actualicen mis datos.'],
  ['CO', 'Cédula de ciudadanía {cc}, pedido {order}.'],
  ['ES', 'Llamad al {phone} o al {phone}, da igual.'],
  ['ES', 'La tarjeta acabada en 4321 no funciona, probad con {card}.'],
  ['ES', 'El precio era {price}, ¿sigue en oferta?'],
  ['ES', 'Mi pedido {order} debía llegar el {date}.'],
  ['ES', 'Quiero reservar para {qty} personas a las {time}.'],
  ['ES', 'Vivo en la calle Mayor 12, código postal {zip}.'],
  ['MX', 'Son {qty} piezas a {price} cada una, ¿verdad?'],
  ['MX', '¿Abren el sábado hasta las {time}?'],
  ['AR', 'El envío del pedido {order} cuesta {price}?'],
  ['CO', 'Necesito {qty} cajas para el {date}, referencia {order}.'],
  ['ES', 'La factura F-2026-{order} pone {price} y no cuadra.'],
  ['ES', 'Llego el {date} sobre las {time}, habitación 304.'],
  ['MX', 'Me cobraron {price} dos veces el {date}.'],
  ['AR', 'Gracias! Nos vemos el {date} a las {time}.'],
  ['CO', 'El código postal es {zip} y el apartamento 502.'],
  ['ES', 'Talla 42, color azul, {qty} unidades.'],
  ['MX', 'La versión 3.2.1 de la app falla desde el {date}.'],
  ['AR', 'Pagué {price} con transferencia, comprobante {order}.'],
  ['MX', 'Número de pedido {long}, fecha 2026-03-12.'],
  ['AR', 'El DNI me vence el {date}, ¿lo tengo que renovar?'],
  ['AR', 'Son 1.250.000 pesos en total, en {qty} cuotas.'],
  ['ES', 'Factura nº {long} del {date}.'],
  ['CO', 'Referencia de pago {long}, valor {price}.'],
  ['MX', 'Folio {long}, mi teléfono es {phone}.'],
  ['ES', 'La tarjeta terminada en {qty}07 ya no la uso.'],
  ['MX', 'Mi número de cliente es {long}, ¿me ayudan?'],
  ['AR', 'Transferí a la cuenta 0170{long}, alias casa.perro.luz.'],
  ['ES', 'Soy {email}, mi dni {dni}, llamadme al {phone}.'],
];
const PT: T[] = [
  ['BR', 'Oi, meu CPF é {cpf} e o celular {phone}.'],
  ['BR', 'O CNPJ da loja é {cnpj}.'],
  ['BR', 'Pode mandar o boleto para {email}?'],
  ['BR', 'Me liga no {phone} depois das 18h.'],
  ['BR', 'Paguei com o cartão {card}, validade 03/29.'],
  ['BR', 'CPF {cpf}, pedido {order}, entrega no dia {date}.'],
  ['BR', 'Nota fiscal no CNPJ {cnpj}, e-mail {email}.'],
  ['PT', 'O meu telemóvel é {phone}, obrigado.'],
  ['PT', 'Façam a transferência para o IBAN {iban}.'],
  ['PT', 'Enviem a fatura para {email}, por favor.'],
  ['BR', 'Meu zap é {phone} e meu email {email}.'],
  ['BR', 'Cartão {card} foi recusado, o que houve?'],
  ['BR', 'Cadastro: CPF {cpf}, CEP {zip}.'],
  ['PT', 'Liguem para {phone} ou {phone}.'],
  ['BR', 'Empresa nova com CNPJ {cnpj}, quero abrir conta.'],
  ['BR', 'Meu CPF: {cpf}, tá certo no sistema?'],
  ['PT', 'Paguei com {card} e ainda não chegou a confirmação.'],
  ['BR', 'Quanto custa? Vi por {price} no site.'],
  ['BR', 'Meu pedido {order} era pra chegar dia {date}.'],
  ['BR', 'Quero agendar para {qty} pessoas às {time}.'],
  ['BR', 'Moro na Rua Augusta 1500, CEP {zip}.'],
  ['PT', 'São {qty} unidades a {price} cada, certo?'],
  ['PT', 'Abrem no sábado até às {time}?'],
  ['BR', 'O frete do pedido {order} ficou {price}?'],
  ['BR', 'Preciso de {qty} caixas até {date}, ref {order}.'],
  ['BR', 'A nota NF-{order} veio com valor {price}.'],
  ['PT', 'Chego a {date} por volta das {time}, quarto 210.'],
  ['BR', 'Fui cobrado {price} duas vezes no dia {date}.'],
  ['BR', 'Valeu! Até {date} às {time}.'],
  ['PT', 'O código postal é {zip}, 3º esquerdo.'],
  ['BR', 'Tamanho 40, cor preta, {qty} unidades.'],
  ['BR', 'A versão 5.1.2 do app trava desde {date}.'],
  ['BR', 'Paguei {price} no pix, comprovante {order}.'],
  ['BR', 'O protocolo do atendimento é {order}, hoje às {time}.'],
  ['BR', 'Protocolo {long} aberto em {date}.'],
  ['BR', 'Pedido número {long}, já paguei {price}.'],
  ['BR', 'O código de rastreio é QB{long}BR.'],
  ['BR', 'Foram 1.250.000 acessos no mês, {qty}% a mais.'],
  ['PT', 'A encomenda n.º {long} ainda não chegou.'],
  ['BR', 'Nota fiscal {long}, me chama no {phone}.'],
  ['BR', 'Cartão final {qty}88, pode estornar {price}?'],
  ['BR', 'Meu código de cliente é {long}, tá no boleto.'],
  ['BR', 'A chave pix é {email}, valor {price}.'],
  ['BR', 'cpf {cpf} cel {phone} email {email}'],
];

const LABELLED: Readonly<Record<string, PiiKind>> = {
  phone: 'phone',
  email: 'email',
  card: 'payment-card',
  iban: 'iban',
  cpf: 'cpf',
  cnpj: 'cnpj',
  curp: 'curp',
  rfc: 'rfc',
  dni: 'es-dni',
  nie: 'es-nie',
  ardni: 'ar-dni',
  cuit: 'ar-cuil-cuit',
  cc: 'co-cedula',
  ssn: 'us-ssn',
  ssn9: 'us-ssn',
};

export function generateCorpus(): CorpusEntry[] {
  const r = g.seededRandom(20261125);
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const fill = (token: string, country: string, lang: string): string => {
    switch (token) {
      case 'phone':
        return g.phone(r, country === 'GB' ? 'US' : country);
      case 'email':
        return g.email(r);
      case 'card':
        return g.cardNumber(r);
      case 'iban':
        return g.iban(r);
      case 'cpf':
        return g.cpf(r);
      case 'cnpj':
        return g.cnpj(r);
      case 'curp':
        return g.curp(r);
      case 'rfc':
        return g.rfc(r);
      case 'dni':
        return g.esDni(r);
      case 'nie':
        return g.esNie(r);
      case 'ardni':
        return g.arDni(r);
      case 'cuit':
        return g.cuilCuit(r);
      case 'cc':
        return g.coCedula(r);
      case 'ssn':
        return g.usSsn(r);
      case 'ssn9':
        return g.usSsn(r).replace(/-/g, '');
      case 'price':
        return lang === 'en'
          ? `$${1 + r(900)}.${p(r(100), 2)}`
          : lang === 'pt'
            ? `R$ ${1 + r(3)}.${p(r(1000), 3)},${p(r(100), 2)}`
            : `${1 + r(900)},${p(r(100), 2)} €`;
      case 'order':
        return pick([
          `#${10000 + r(90000)}`,
          `${100000 + r(900000)}`,
          `A-${1000 + r(9000)}`,
          `${1000 + r(9000)}-${10 + r(90)}`,
        ]);
      case 'date':
        return lang === 'en' ? `${1 + r(12)}/${1 + r(28)}/2026` : `${p(1 + r(28), 2)}/${p(1 + r(12), 2)}/2026`;
      case 'time':
        return `${1 + r(12)}:${p(r(4) * 15, 2)}${lang === 'en' ? ' pm' : ''}`;
      case 'long':
        return String(1 + r(9)) + String(r(1e9)).padStart(9, '0');
      case 'qty':
        return String(2 + r(40));
      case 'zip':
        return country === 'BR'
          ? `${p(r(100000), 5)}-${p(r(1000), 3)}`
          : country === 'PT'
            ? `${1000 + r(8999)}-${p(r(1000), 3)}`
            : p(1000 + r(50000), 5);
      default:
        throw new Error(token);
    }
  };
  const pick = <V>(xs: V[]): V => xs[r(xs.length)];
  const out: CorpusEntry[] = [];
  for (const [lang, templates] of [
    ['en', EN],
    ['es', ES],
    ['pt', PT],
  ] as const) {
    for (let i = 0; i < 110; i++) {
      const [country, template] = templates[i % templates.length];
      let text = '';
      const spans: { kind: PiiKind; start: number; end: number }[] = [];
      let last = 0;
      for (const m of template.matchAll(/\{(\w+)\}/g)) {
        text += template.slice(last, m.index);
        const value = fill(m[1], country, lang);
        if (LABELLED[m[1]]) {
          spans.push({ kind: LABELLED[m[1]], start: text.length, end: text.length + value.length });
        }
        text += value;
        last = m.index + m[0].length;
      }
      text += template.slice(last);
      out.push({ lang, country, text, spans });
    }
  }
  return out;
}
