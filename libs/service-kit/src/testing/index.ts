// Test support for services: import as '@trustline/service-kit/testing' from specs only.
export * from './service-harness';
export * from './test-infrastructure.env';
