// class-transformer's @Type reads decorator metadata.
import 'reflect-metadata';

export * from './contract';
export * from './data-holder/data-holder-services';
export * from './data-holder/data-receipt-issued.v1';
export * from './data-holder/export-requested.v1';
export * from './data-holder/subject-ref';
export * from './dsar/erasure-requested.v1';
export * from './dsar/rectification-requested.v1';
export * from './envelope';
export * from './events';
export * from './registry';
export * from './retention/sweep-requested.v1';
export * from './sealed';
export * from './service-name';
export * from './validation';
