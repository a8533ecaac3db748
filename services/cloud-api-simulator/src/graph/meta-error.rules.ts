import { randomBytes } from 'node:crypto';

export interface MetaErrorBody {
  error: {
    message: string;
    type: 'OAuthException';
    code: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

export interface MetaErrorResponse {
  httpStatus: number;
  body: MetaErrorBody;
}

interface CatalogEntry {
  title: string;
  details: string;
  httpStatus: number;
}

/** Titles and details from Meta's error-code page (reference section 3); HTTP statuses as the simulator answers them. */
export const META_ERRORS: Readonly<Record<number, CatalogEntry>> = Object.freeze({
  4: {
    title: 'Application request limit reached',
    details: 'The app has reached its API call rate limit.',
    httpStatus: 429,
  },
  100: {
    title: 'Invalid parameter',
    details: 'The request included one or more unsupported or misspelled parameters.',
    httpStatus: 400,
  },
  190: { title: 'Invalid OAuth access token', details: 'The access token is invalid or has expired.', httpStatus: 401 },
  368: {
    title: 'Temporarily blocked for policies violations',
    details:
      'The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.',
    httpStatus: 400,
  },
  80007: {
    title: 'Rate limit issues',
    details: 'The WhatsApp Business Account has reached its rate limit.',
    httpStatus: 429,
  },
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.', httpStatus: 429 },
  131000: {
    title: 'Something went wrong',
    details: 'Message failed to send due to an unknown error.',
    httpStatus: 500,
  },
  131008: { title: 'Required parameter is missing', details: 'A required parameter is missing.', httpStatus: 400 },
  131009: {
    title: 'Parameter value is not valid',
    details: 'One or more parameter values are invalid.',
    httpStatus: 400,
  },
  131016: {
    title: 'Service unavailable',
    details: 'A service is temporarily unavailable. Please check the status page before trying again.',
    httpStatus: 500,
  },
  131026: {
    title: 'Message undeliverable',
    details:
      'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted the new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.',
    httpStatus: 400,
  },
  131047: {
    title: 'Re-engagement message',
    details: 'More than 24 hours have passed since the recipient last replied to the sender number.',
    httpStatus: 400,
  },
  131050: {
    title: 'User stopped marketing messages',
    details:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    httpStatus: 400,
  },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.', httpStatus: 400 },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    httpStatus: 400,
  },
  131057: {
    title: 'Account in maintenance mode',
    details: 'Business Account is in maintenance mode. One reason could be a throughput upgrade.',
    httpStatus: 400,
  },
});

const UNKNOWN_CODE: CatalogEntry = { title: 'Simulated error', details: 'Simulated fault.', httpStatus: 400 };

export function newFbtraceId(): string {
  return `A${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

/** Meta's error body: `message` = "(#code) title", `error_data.details` (except for auth failures, as Meta). */
export function metaError(code: number, options: { details?: string; httpStatus?: number } = {}): MetaErrorResponse {
  const entry = META_ERRORS[code] ?? UNKNOWN_CODE;
  const error: MetaErrorBody['error'] = {
    message: `(#${code}) ${entry.title}`,
    type: 'OAuthException',
    code,
    fbtrace_id: newFbtraceId(),
  };
  if (code !== 190) {
    error.error_data = { messaging_product: 'whatsapp', details: options.details ?? entry.details };
  }
  return { httpStatus: options.httpStatus ?? entry.httpStatus, body: { error } };
}

/** Whether an `Authorization` header carries the expected bearer token (scheme case-insensitive, as HTTP says). */
export function hasBearer(authorization: string | undefined, accessToken: string): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match !== null && match[1] === accessToken;
}
