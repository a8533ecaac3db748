import type { ConsentPurpose } from '@trustline/contracts';
import type { ConsentPolicy, NoticeLanguage, NoticePurpose, NoticeVersion } from './consent-policy';

/** WhatsApp limits for reply-button messages (body 1,024, button title 20, footer 60 characters). */
export const MAX_BODY_CHARS = 1024;
export const MAX_BUTTON_TITLE_CHARS = 20;
export const MAX_FOOTER_CHARS = 60;

export type ConsentChoice = 'accept' | 'accept-all' | 'decline';

export interface RenderedPrompt {
  readonly type: 'buttons';
  readonly body: string;
  readonly footer: string;
  readonly buttons: readonly { readonly id: string; readonly title: string }[];
}

interface LanguageTexts {
  readonly intro: (business: string) => string;
  readonly purposesLead: string;
  readonly purposes: Readonly<Record<ConsentPurpose, string>>;
  readonly optional: string;
  readonly privacy: (url: string) => string;
  readonly question: (hasOptional: boolean) => string;
  readonly withdraw: string;
  readonly accept: string;
  readonly acceptRequired: string;
  readonly acceptAll: string;
  readonly decline: string;
  readonly optedOut: (business: string) => string;
  readonly optedIn: (business: string) => string;
}

// The notice says, before any data is processed: who (the business), that the assistant is an AI (EU AI Act
// Art 50(1)), for what (each purpose), where the privacy policy is, and how to withdraw (GDPR Art 7(3)). The keyword
// named in each language is one the opt-out matcher knows.
const TEXTS: Readonly<Record<NoticeLanguage, LanguageTexts>> = {
  en: {
    intro: (business) =>
      `Hi! You are chatting with ${business}'s virtual assistant. It is an AI (artificial intelligence), not a person; you can ask for a human at any time.`,
    purposesLead: 'To help you, we process your messages and your WhatsApp details for:',
    purposes: {
      assistant: 'answering your questions and requests (AI assistant and our team)',
      notifications: 'service notifications (reminders, booking and order updates)',
      marketing: 'offers and promotions',
    },
    optional: 'optional',
    privacy: (url) => `Privacy policy: ${url}`,
    question: (hasOptional) =>
      hasOptional ? 'Do you agree? Optional purposes only with "Accept all".' : 'Do you agree?',
    withdraw: 'You can withdraw at any time by replying STOP.',
    accept: 'Accept',
    acceptRequired: 'Essential only',
    acceptAll: 'Accept all',
    decline: 'Decline',
    optedOut: (business) =>
      `You have unsubscribed from ${business}. We will not send you any more messages. To come back, reply START.`,
    optedIn: (business) =>
      `Welcome back! You are subscribed to ${business} again. Reply STOP at any time to unsubscribe.`,
  },
  es: {
    intro: (business) =>
      `¡Hola! Estás hablando con el asistente virtual de ${business}. Es una IA (inteligencia artificial), no una persona; puedes pedir hablar con una persona en cualquier momento.`,
    purposesLead: 'Para ayudarte, tratamos tus mensajes y tus datos de WhatsApp para:',
    purposes: {
      assistant: 'responder tus preguntas y solicitudes (asistente de IA y nuestro equipo)',
      notifications: 'notificaciones del servicio (recordatorios, novedades de reservas y pedidos)',
      marketing: 'ofertas y promociones',
    },
    optional: 'opcional',
    privacy: (url) => `Política de privacidad: ${url}`,
    question: (hasOptional) =>
      hasOptional ? '¿Estás de acuerdo? Los fines opcionales, solo con "Aceptar todo".' : '¿Estás de acuerdo?',
    withdraw: 'Puedes retirar tu consentimiento cuando quieras respondiendo BAJA.',
    accept: 'Aceptar',
    acceptRequired: 'Solo lo esencial',
    acceptAll: 'Aceptar todo',
    decline: 'Rechazar',
    optedOut: (business) =>
      `Te has dado de baja de ${business}. No te enviaremos más mensajes. Para volver, responde ALTA.`,
    optedIn: (business) =>
      `¡Bienvenido de nuevo! Vuelves a recibir mensajes de ${business}. Responde BAJA cuando quieras para darte de baja.`,
  },
  pt: {
    intro: (business) =>
      `Olá! Você está falando com o assistente virtual de ${business}. É uma IA (inteligência artificial), não uma pessoa; você pode pedir para falar com uma pessoa a qualquer momento.`,
    purposesLead: 'Para ajudar você, tratamos suas mensagens e seus dados do WhatsApp para:',
    purposes: {
      assistant: 'responder às suas perguntas e pedidos (assistente de IA e nossa equipe)',
      notifications: 'notificações do serviço (lembretes, atualizações de agendamentos e pedidos)',
      marketing: 'ofertas e promoções',
    },
    optional: 'opcional',
    privacy: (url) => `Política de privacidade: ${url}`,
    question: (hasOptional) =>
      hasOptional ? 'Você concorda? As finalidades opcionais, só com "Aceitar tudo".' : 'Você concorda?',
    withdraw: 'Você pode retirar seu consentimento a qualquer momento respondendo SAIR.',
    accept: 'Aceitar',
    acceptRequired: 'Só o essencial',
    acceptAll: 'Aceitar tudo',
    decline: 'Recusar',
    optedOut: (business) =>
      `Você saiu da lista de ${business}. Não enviaremos mais mensagens. Para voltar, responda VOLTAR.`,
    optedIn: (business) =>
      `Que bom ter você de volta! Você voltou a receber mensagens de ${business}. Responda SAIR a qualquer momento para sair.`,
  },
};

/** The reply-button id names the choice and the notice version, so the tap is evidence of what was shown. */
export function consentButtonId(choice: ConsentChoice, version: number): string {
  return `consent:${choice}:${version}`;
}

const BUTTON_ID = /^consent:(accept|accept-all|decline):([1-9]\d{0,8})$/;

export function parseConsentButton(id: string): { choice: ConsentChoice; version: number } | undefined {
  const match = BUTTON_ID.exec(id);
  return match ? { choice: match[1] as ConsentChoice, version: Number(match[2]) } : undefined;
}

/** The opt-in prompt for one notice version in one language. */
export function renderPrompt(policy: ConsentPolicy, notice: NoticeVersion, language: NoticeLanguage): RenderedPrompt {
  const texts = TEXTS[language];
  const hasOptional = notice.purposes.some((p) => !p.required);
  const lines = notice.purposes.map(
    ({ purpose, required }: NoticePurpose) => `• ${texts.purposes[purpose]}${required ? '' : ` (${texts.optional})`}`,
  );
  const body = [
    texts.intro(policy.businessName),
    '',
    texts.purposesLead,
    ...lines,
    '',
    texts.privacy(policy.privacyPolicyUrl),
    texts.withdraw,
    '',
    texts.question(hasOptional),
  ].join('\n');
  const buttons = hasOptional
    ? [
        { id: consentButtonId('accept', notice.version), title: texts.acceptRequired },
        { id: consentButtonId('accept-all', notice.version), title: texts.acceptAll },
        { id: consentButtonId('decline', notice.version), title: texts.decline },
      ]
    : [
        { id: consentButtonId('accept', notice.version), title: texts.accept },
        { id: consentButtonId('decline', notice.version), title: texts.decline },
      ];
  return { type: 'buttons', body, footer: policy.businessName.slice(0, MAX_FOOTER_CHARS), buttons };
}

export function renderOptOutConfirmation(policy: ConsentPolicy, language: NoticeLanguage): string {
  return TEXTS[language].optedOut(policy.businessName);
}

export function renderOptInConfirmation(policy: ConsentPolicy, language: NoticeLanguage): string {
  return TEXTS[language].optedIn(policy.businessName);
}

/** Problems that would make a policy's prompt unsendable (too long for WhatsApp); empty when sound. */
export function checkPromptLimits(policy: ConsentPolicy): string[] {
  const problems: string[] = [];
  for (const notice of policy.notices) {
    for (const language of policy.languages) {
      const prompt = renderPrompt(policy, notice, language);
      if (prompt.body.length > MAX_BODY_CHARS) {
        problems.push(`notice ${notice.version} (${language}): the prompt is longer than ${MAX_BODY_CHARS} characters`);
      }
      for (const button of prompt.buttons) {
        if (button.title.length > MAX_BUTTON_TITLE_CHARS) {
          problems.push(`notice ${notice.version} (${language}): button "${button.id}" title is too long`);
        }
      }
    }
  }
  return problems;
}
