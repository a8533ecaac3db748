import { Matches } from 'class-validator';

/** Meta's message id (`wamid.` + opaque base64-like text). An identifier of a message, not its content. */
export const WAMID_PATTERN = /^wamid\.[A-Za-z0-9_=+/.-]{1,512}$/;

/** The business phone number's Graph id (metadata.phone_number_id): the business's, not a user's. */
export const PHONE_NUMBER_ID_PATTERN = /^\d{1,32}$/;

export function IsWamid(): PropertyDecorator {
  return Matches(WAMID_PATTERN, { message: ({ property }) => `${property} must be a WhatsApp message id` });
}

export function IsPhoneNumberId(): PropertyDecorator {
  return Matches(PHONE_NUMBER_ID_PATTERN, { message: ({ property }) => `${property} must be a phone_number_id` });
}
