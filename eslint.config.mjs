// One flat config for the whole workspace: type-aware TypeScript rules, promise rules, Nx module boundaries between
// projects (by tag), and the workspace's own rules from tools/eslint-rules. `npm run lint` = `eslint . --max-warnings 0`.
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nxPlugin from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import promise from 'eslint-plugin-promise';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import trustline from './tools/eslint-rules/index.mjs';

// @nx/enforce-module-boundaries reads the CACHED project graph and silently skips itself when there is none (a
// fresh clone). Computing it here (offline, no daemon: nx.json) makes the rule run on every lint.
await createProjectGraphAsync({ exitOnError: false });

const testFiles = ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'test/**/*.ts'];
const benchFiles = ['**/bench/**/*.ts'];

const services = ['gateway', 'consent', 'conversation-ai', 'retention', 'dsar', 'audit'];

/** Who may depend on whom, by project tag (project.json `tags`). */
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
  {
    sourceTag: 'type:launcher',
    onlyDependOnLibsWithTags: ['type:service', 'type:simulator', 'type:lib', 'type:contracts'],
  },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:simulator', 'type:lib', 'type:contracts'] },
  // The Cloud API simulator stands in for Meta: it knows the public protocol, not the platform's code.
  { sourceTag: 'type:simulator', onlyDependOnLibsWithTags: [] },
  // Contracts are wire API: validation and metadata only, no framework, driver or broker client.
  {
    sourceTag: 'type:contracts',
    allowedExternalImports: ['class-validator', 'class-transformer', 'reflect-metadata'],
  },
];

/** @param {{ allow?: string[], allowCircularSelfDependency?: boolean }} [options] */
const moduleBoundaries = (options = {}) => [
  'error',
  { enforceBuildableLibDependency: false, depConstraints, allow: [], allowCircularSelfDependency: false, ...options },
];

// Node's globals for the plain JavaScript files (jest config, build and setup scripts).
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextDecoder',
    'TextEncoder',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'globalThis',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default defineConfig([
  globalIgnores(['**/node_modules/', '**/dist/', '**/.data/', '**/coverage/', 'tmp/', 'charts/', '.nx/']),

  js.configs.recommended,
  promise.configs['flat/recommended'],

  // TypeScript: type-aware, through the project service (tsconfig.json, or the nearest tsconfig of a file).
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nxPlugin, trustline },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': moduleBoundaries(),
      'trustline/rules-are-pure': 'error',
      'trustline/no-process-env': 'error',
      'trustline/controller-access-declared': 'error',
    },
  },

  // Tests and benchmarks of a lib use it as its users do: through its public alias (@trustline/<lib>).
  {
    files: [...testFiles, ...benchFiles],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ allowCircularSelfDependency: true }) },
  },

  // A service's integration tests drive it against the Cloud API simulator, as production faces Meta.
  {
    files: ['services/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({
        allowCircularSelfDependency: true,
        depConstraints: depConstraints.map((constraint) =>
          constraint.sourceTag === 'type:service' && constraint.onlyDependOnLibsWithTags
            ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:simulator'] }
            : constraint,
        ),
      }),
    },
  },

  // The standalone launcher composes the six services in one process: it may import them (apps, for Nx, which
  // otherwise forbids importing an app whatever the tags say).
  {
    files: ['services/standalone/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({
        allow: [`^@trustline/(${services.join('|')})(-service)?(/.*)?$`],
        allowCircularSelfDependency: true,
      }),
    },
  },

  // Tests: jest's asymmetric matchers are typed `any`, and `expect(mock.method)` is not a call.
  {
    files: testFiles,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // Plain JavaScript (config and tool scripts): no type information.
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
    plugins: { trustline },
    rules: { 'trustline/no-process-env': 'error' },
  },
  { files: ['**/*.{js,cjs}'], languageOptions: { sourceType: 'commonjs', globals: commonJsGlobals } },

  // Last among shared configs: turns off formatting rules that Prettier owns...
  prettier,
  // ...but `curly: all` does not fight Prettier, so it comes back on (after eslint-config-prettier).
  { rules: { curly: ['error', 'all'], eqeqeq: ['error', 'always'] } },
]);
