import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { IsSubjectRef } from '../data-holder/subject-ref';
import { IsPhoneNumberId } from './whatsapp-ids';

export const PREFERENCE_VALUES = ['stop', 'resume'] as const;
export type PreferenceValue = (typeof PREFERENCE_VALUES)[number];

export const PREFERENCE_SOURCES = ['user_preferences', 'send-error'] as const;
export type PreferenceSource = (typeof PREFERENCE_SOURCES)[number];

/**
 * A user stopped or resumed a category of messages on WhatsApp itself: Meta's `user_preferences` webhook, or a send
 * refused with 131050 (the user stopped marketing messages). consent records it; the gateway already enforces it.
 */
export class GatewayPreferenceChangedV1 {
  @IsSubjectRef()
  contactRef!: string;

  @IsPhoneNumberId()
  phoneNumberId!: string;

  /** Meta's category, e.g. `marketing_messages`. */
  @IsString()
  @MaxLength(64)
  category!: string;

  @IsIn(PREFERENCE_VALUES)
  value!: PreferenceValue;

  @IsIn(PREFERENCE_SOURCES)
  source!: PreferenceSource;

  @IsISO8601({ strict: true })
  at!: string;
}
