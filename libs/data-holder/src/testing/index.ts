export * from './data-holder-contract';
