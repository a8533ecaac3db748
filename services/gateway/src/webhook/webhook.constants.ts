/** Where Meta posts: the callback URL's path. */
export const WEBHOOK_PATH = '/webhooks/whatsapp';

/** Meta's documented maximum payload (3 MB); larger bodies are refused with 413 before they are read in full. */
export const WEBHOOK_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** hub.challenge is echoed verbatim; Meta's are short numbers or strings, this only bounds the echo. */
export const MAX_CHALLENGE_LENGTH = 512;
