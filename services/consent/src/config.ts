import { num, port, str } from 'envalid';
import { consentGrpcEnv } from './grpc/grpc.config';

/**
 * consent's own variables. Database, NATS, crypto, logging and HTTP host variables come from the shared libraries.
 * Without CONSENT_TENANTS_FILE one policy (business name, privacy policy, languages) applies to every tenant; its
 * development defaults describe the demo business, and outside development they must be set.
 */
export const consentEnv = {
  CONSENT_PORT: port({ default: 3001, desc: 'HTTP port of the consent service' }),
  CONSENT_TENANTS_FILE: str({
    default: undefined,
    desc: 'JSON file with each tenant’s consent policy: business name, privacy policy URL, languages, notice versions and purposes, regime settings',
  }),
  CONSENT_BUSINESS_NAME: str({
    default: undefined,
    devDefault: 'Trustline Demo',
    desc: 'Business name the opt-in notice shows (policy for every tenant when there is no tenants file)',
  }),
  CONSENT_PRIVACY_POLICY_URL: str({
    default: undefined,
    devDefault: 'https://trustline.example/privacy',
    desc: 'Privacy policy the opt-in notice links (policy for every tenant when there is no tenants file)',
  }),
  CONSENT_LANGUAGES: str({
    default: 'en,es,pt',
    desc: 'Languages the notice is offered in, comma-separated, first is the default (policy for every tenant when there is no tenants file)',
  }),
  CONSENT_PROMPT_INTERVAL_HOURS: num({
    default: 24,
    desc: 'A contact who keeps writing without deciding is shown the opt-in prompt again at most this often',
  }),
  CONSENT_MAX_HELD_MESSAGES: num({
    default: 20,
    desc: 'Messages kept (sealed) per contact while they decide; later ones are dropped until they do',
  }),
  ...consentGrpcEnv,
};
