import type { PrivacyRegime } from '@trustline/contracts';
import type { ReplyButton } from './simulator-client';

// What the development tenant's consent notice says (CONSENT_BUSINESS_NAME and CONSENT_PRIVACY_POLICY_URL default
// to the demo business in development) and the test users who read it, one language per country.

export const BUSINESS = 'Trustline Demo';
export const PRIVACY_URL = 'https://trustline.example/privacy';

export interface Language {
  readonly code: 'en' | 'es' | 'pt';
  readonly greeting: string;
  /** What the prompt must say: the assistant is an AI, the purposes, the privacy policy, how to withdraw. */
  readonly promptSays: readonly string[];
  readonly buttons: readonly [string, string, string];
  readonly optOut: string;
  readonly optIn: string;
  readonly optedOutSays: readonly string[];
  readonly optedInSays: readonly string[];
}

export const LANGUAGES: Readonly<Record<Language['code'], Language>> = {
  es: {
    code: 'es',
    greeting: 'Hola, quiero reservar una cita',
    promptSays: [
      `asistente virtual de ${BUSINESS}`,
      'Es una IA (inteligencia artificial), no una persona',
      'responder tus preguntas y solicitudes',
      'ofertas y promociones (opcional)',
      `Política de privacidad: ${PRIVACY_URL}`,
      'respondiendo BAJA',
    ],
    buttons: ['Solo lo esencial', 'Aceptar todo', 'Rechazar'],
    optOut: 'BAJA',
    optIn: 'ALTA',
    optedOutSays: [`Te has dado de baja de ${BUSINESS}`, 'responde ALTA'],
    optedInSays: ['¡Bienvenido de nuevo!', 'Responde BAJA'],
  },
  pt: {
    code: 'pt',
    greeting: 'Oi, tudo bem? Quero marcar um horário',
    promptSays: [
      `assistente virtual de ${BUSINESS}`,
      'É uma IA (inteligência artificial), não uma pessoa',
      'responder às suas perguntas e pedidos',
      'ofertas e promoções (opcional)',
      `Política de privacidade: ${PRIVACY_URL}`,
      'respondendo SAIR',
    ],
    buttons: ['Só o essencial', 'Aceitar tudo', 'Recusar'],
    optOut: 'SAIR',
    optIn: 'VOLTAR',
    optedOutSays: [`Você saiu da lista de ${BUSINESS}`, 'responda VOLTAR'],
    optedInSays: ['Que bom ter você de volta!', 'Responda SAIR'],
  },
  en: {
    code: 'en',
    greeting: 'Hi, do you have availability tomorrow?',
    promptSays: [
      `${BUSINESS}'s virtual assistant`,
      'It is an AI (artificial intelligence), not a person',
      'answering your questions and requests',
      'offers and promotions (optional)',
      `Privacy policy: ${PRIVACY_URL}`,
      'replying STOP',
    ],
    buttons: ['Essential only', 'Accept all', 'Decline'],
    optOut: 'STOP',
    optIn: 'START',
    optedOutSays: [`You have unsubscribed from ${BUSINESS}`, 'reply START'],
    optedInSays: ['Welcome back!', 'Reply STOP'],
  },
};

/** A test user: a number in the country whose language they write in. */
export interface User {
  readonly number: string;
  readonly language: Language;
  readonly regime: PrivacyRegime;
}

/** The n-th user of a country (Spain +34 6…, Brazil +55 11 9…, California +1 415…), distinct per `block`. */
export function user(code: Language['code'], block: number, n: number): User {
  const serial = block * 100_000 + n;
  switch (code) {
    case 'es':
      return { number: `346${String(10_000_000 + serial)}`, language: LANGUAGES.es, regime: 'es-lopdgdd' };
    case 'pt':
      return { number: `55119${String(10_000_000 + serial)}`, language: LANGUAGES.pt, regime: 'br-lgpd' };
    case 'en':
      return { number: `1415${String(2_000_000 + serial)}`, language: LANGUAGES.en, regime: 'us-ca-ccpa' };
  }
}

export const ACCEPT = (language: Language): ReplyButton => ({ id: 'consent:accept:1', title: language.buttons[0] });
export const ACCEPT_ALL = (language: Language): ReplyButton => ({
  id: 'consent:accept-all:1',
  title: language.buttons[1],
});
export const DECLINE = (language: Language): ReplyButton => ({ id: 'consent:decline:1', title: language.buttons[2] });
