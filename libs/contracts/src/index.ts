// class-transformer's @Type reads decorator metadata.
import 'reflect-metadata';

export * from './consent/send-permission.v1';
export * from './contract';
export * from './data-holder/data-holder-services';
export * from './data-holder/data-receipt-issued.v1';
export * from './data-holder/export-requested.v1';
export * from './data-holder/subject-ref';
export * from './dsar/erasure-requested.v1';
export * from './dsar/rectification-requested.v1';
export * from './envelope';
export * from './events';
export * from './gateway/delivery-updated.v1';
export * from './gateway/message-received.v1';
export * from './gateway/outbound-accepted.v1';
export * from './gateway/outbound-failed.v1';
export * from './gateway/outbound-purpose';
export * from './gateway/outbound-requested.v1';
export * from './gateway/preference-changed.v1';
export * from './gateway/sending-halted.v1';
export * from './gateway/webhook-received.v1';
export * from './gateway/whatsapp-ids';
export * from './registry';
export * from './retention/sweep-requested.v1';
export * from './sealed';
export * from './service-name';
export * from './validation';
