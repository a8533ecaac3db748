/**
 * Why a message is sent. consent decides on it (an opt-in prompt may go to someone who has not opted in, an
 * opt-out confirmation to someone who just opted out, an opt-in confirmation to someone who just came back; nothing
 * else may without consent for its purpose), and marketing is refused to a user who stopped marketing messages on
 * WhatsApp.
 */
export const OUTBOUND_PURPOSES = [
  'opt-in-prompt',
  'opt-out-confirmation',
  'opt-in-confirmation',
  'conversation',
  'agent',
  'notification',
  'marketing',
  'data-request',
] as const;
export type OutboundPurpose = (typeof OUTBOUND_PURPOSES)[number];
