import { bool, num, port, str, url } from 'envalid';

/**
 * gateway's own variables. Database, NATS, crypto, logging and HTTP host variables come from the shared libraries.
 * The WHATSAPP_* defaults describe the development tenant served by the Cloud API simulator; outside development
 * (NODE_ENV=production) they have no default: set them, or WHATSAPP_TENANTS_FILE.
 */
export const gatewayEnv = {
  GATEWAY_PORT: port({ default: 3000, desc: 'HTTP port of the gateway service' }),
  GATEWAY_WORKERS: bool({
    default: true,
    desc: 'Run the intake and outbound workers in this process; false for a webhook-edge-only deployment that scales on its own',
  }),
  WHATSAPP_TENANTS_FILE: str({
    default: undefined,
    desc: 'JSON file listing apps, their secrets and their numbers per tenant (several tenants); replaces the single-tenant WHATSAPP_* variables below',
  }),
  WHATSAPP_TENANT_ID: str({ default: 'dev', desc: 'Tenant served by the single configured number' }),
  WHATSAPP_PHONE_NUMBER_ID: str({
    default: undefined,
    devDefault: '100000000000001',
    desc: 'The business number’s phone_number_id (webhook metadata, send endpoint)',
  }),
  WHATSAPP_DISPLAY_NUMBER: str({
    default: undefined,
    devDefault: '15550000001',
    desc: 'The business number as shown to users',
  }),
  WHATSAPP_APP_SECRET: str({
    default: undefined,
    devDefault: 'dev-app-secret',
    desc: 'Meta app secret: key of X-Hub-Signature-256. Secret',
  }),
  WHATSAPP_VERIFY_TOKEN: str({
    default: undefined,
    devDefault: 'dev-verify-token',
    desc: 'Token Meta echoes in the webhook verification handshake. Secret',
  }),
  WHATSAPP_ACCESS_TOKEN: str({
    default: undefined,
    devDefault: 'dev-access-token',
    desc: 'System-user token for the send API. Secret',
  }),
  WHATSAPP_THROUGHPUT_MPS: num({
    default: 80,
    desc: 'Messages per second this gateway sends per business number (Meta: 80 by default, 1,000 after upgrade)',
  }),
  WHATSAPP_API_BASE_URL: url({
    default: 'https://graph.facebook.com',
    desc: 'Cloud API base URL (the simulator in standalone mode)',
  }),
  WHATSAPP_API_VERSION: str({ default: 'v25.0', desc: 'Graph API version used to send' }),
  WHATSAPP_SEND_TIMEOUT_MS: num({
    default: 10_000,
    desc: 'How long a send waits for the Cloud API before its outcome counts as unknown',
  }),
  WHATSAPP_AMBIGUOUS_SEND_GRACE_MS: num({
    default: 30_000,
    desc: 'After a send with no answer, how long to wait for a status webhook naming it before resending',
  }),
};
