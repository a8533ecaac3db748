import type { Sealed } from '@trustline/contracts';
import type { SealPlace } from '../format/seal-place';

/**
 * What sealFields/openFields need from a cipher. TransitCipher for events that cross services; FieldCipher for data
 * at rest in the owning service (and events only its own consumers read).
 */
export interface TextSealer {
  sealText(text: string, place: SealPlace): Promise<Sealed>;
  openText(sealed: string, place: SealPlace): Promise<string>;
}
