import * as tsParser from '@typescript-eslint/parser';
import { RuleTester } from 'eslint';
import rule, { mayReadProcessEnv } from './no-process-env.mjs';

const ruleTester = new RuleTester({ languageOptions: { parser: tsParser } });
const read = 'export const level = process.env.LOG_LEVEL;';
const featureFile = 'services/consent/src/consent/consent.service.ts';
const denied = (code: string, filename = featureFile) => ({ code, filename, errors: [{ messageId: 'processEnv' }] });

describe('mayReadProcessEnv', () => {
  it.each([
    'services/consent/src/config.ts',
    'services/consent/src/main.ts',
    'services/consent/src/instrument.ts',
    'services/consent/src/migrate.ts',
    'libs/persistence/src/lib/database.env.ts',
    'libs/messaging/bench/bus.bench.ts',
    'libs/messaging/test/integration/bus.integration-spec.ts',
    'libs/messaging/test/support/nats.ts',
    'services/consent/src/consent/consent.service.spec.ts',
    'test/support/platform.ts',
    'test/opt-out.e2e-spec.ts',
    'tools/build.mjs',
    'tools/jest/setup-env.js',
    'jest.config.js',
  ])('allows %s', (file) => {
    expect(mayReadProcessEnv('/repo', file)).toBe(true);
    expect(mayReadProcessEnv('/repo', `/repo/${file}`)).toBe(true);
  });

  it.each([
    featureFile,
    'services/consent/src/consent/config.service.ts',
    'libs/persistence/src/lib/data-source.factory.ts',
    'libs/observability/src/lib/environment.ts',
    'services/gateway/src/tools/helper.ts',
  ])('denies %s', (file) => {
    expect(mayReadProcessEnv('/repo', file)).toBe(false);
  });
});

ruleTester.run('no-process-env', rule, {
  valid: [
    { code: read, filename: 'services/consent/src/config.ts' },
    { code: read, filename: 'libs/observability/src/lib/observability.env.ts' },
    { code: read, filename: 'services/gateway/src/main.ts' },
    { code: read, filename: 'libs/messaging/test/integration/bus.integration-spec.ts' },
    { code: 'export const pid = process.pid;', filename: featureFile },
    { code: 'export const cwd = process.cwd();', filename: featureFile },
    { code: 'const config = { env: 1 }; export const env = config.env;', filename: featureFile },
  ],
  invalid: [
    denied(read),
    denied("export const level = process.env['LOG_LEVEL'];"),
    denied('export const all = { ...process.env };'),
    denied("export const level = process['env'].LOG_LEVEL;"),
    denied('export const level = globalThis.process.env.LOG_LEVEL;'),
    denied('const { env } = process; export const level = env.LOG_LEVEL;'),
    denied("import { env } from 'node:process'; export const level = env.LOG_LEVEL;"),
    denied(read, 'libs/persistence/src/lib/data-source.factory.ts'),
    denied(read, 'services/consent/src/consent/config.service.ts'),
  ],
});
