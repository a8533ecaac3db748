// One jest run, three projects: unit specs beside the code, integration specs against the real local
// PostgreSQL and NATS, and black-box system tests in test/. `npm test` runs all three and prints one summary.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(readFileSync(join(__dirname, 'tsconfig.base.json'), 'utf8')).compilerOptions;

const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // NestJS 12 ships ESM only, and PGlite and the OTLP exporter use dynamic import() in their CommonJS builds;
  // swc turns all of it into CommonJS for jest's module system.
  transform: { '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@electric-sql|@opentelemetry)/)'],
  moduleNameMapper,
  setupFiles: ['<rootDir>/tools/jest/setup-env.js'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services}/*/test/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/tools/jest/integration-setup.js',
    },
    {
      ...base,
      displayName: 'system',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tools/jest/integration-setup.js',
    },
  ],
};
