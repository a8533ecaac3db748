import type { ServiceName } from '../service-name';

/**
 * Services that hold personal data and therefore implement the data-holder contract (export, erase, rectify,
 * sweep). retention holds policies and legal holds keyed by subject reference only, no personal data.
 */
export const DATA_HOLDER_SERVICES = [
  'gateway',
  'consent',
  'conversation-ai',
  'dsar',
  'audit',
] as const satisfies readonly ServiceName[];

export type DataHolderService = (typeof DATA_HOLDER_SERVICES)[number];
