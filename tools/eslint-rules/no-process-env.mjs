// Configuration is read and validated once, at bootstrap, from an envalid spec (style guide B8). Feature code gets a
// typed Config; only the files that build it, process entry points and test/tool code may touch process.env.
import { basename, relative, resolve, sep } from 'node:path';

// Entry points (main, migrate, instrument) hand the environment to the config loader; nothing else reads it.
const allowedBasenames = new Set(['config.ts', 'main.ts', 'migrate.ts', 'instrument.ts']);
const allowedBasenamePatterns = [
  /\.env\.ts$/, // a lib's env spec fragment, e.g. database.env.ts
  /^jest\.[\w.-]+\.[cm]?[jt]s$/, // jest.config.js, jest.preset.js
  /\.(spec|integration-spec|e2e-spec)\.ts$/,
];
const allowedPathPatterns = [/^(tools|test)\//, /(^|\/)test\//, /(^|\/)bench\//];

/**
 * @param {string} cwd
 * @param {string} filename
 */
export function mayReadProcessEnv(cwd, filename) {
  const path = relative(cwd, resolve(cwd, filename)).split(sep).join('/');
  const name = basename(path);
  return (
    allowedBasenames.has(name) ||
    allowedBasenamePatterns.some((pattern) => pattern.test(name)) ||
    allowedPathPatterns.some((pattern) => pattern.test(path))
  );
}

/** @param {import('estree').Node} node */
function isProcess(node) {
  if (node.type === 'Identifier') {
    return node.name === 'process';
  }
  // globalThis.process
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    node.object.name === 'globalThis' &&
    propertyName(node) === 'process'
  );
}

/** @param {import('estree').MemberExpression} node */
function propertyName(node) {
  if (!node.computed && node.property.type === 'Identifier') {
    return node.property.name;
  }
  if (node.computed && node.property.type === 'Literal') {
    return String(node.property.value);
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Allow process.env only in config.ts, *.env.ts, main.ts, migrate.ts, instrument.ts, tests, benchmarks and tools',
    },
    schema: [],
    messages: {
      processEnv:
        'process.env is read only in config.ts, *.env.ts, main.ts, migrate.ts or instrument.ts: inject the validated Config instead.',
    },
  },
  create(context) {
    if (mayReadProcessEnv(context.cwd, context.filename)) {
      return {};
    }

    return {
      MemberExpression(node) {
        if (isProcess(node.object) && propertyName(node) === 'env') {
          context.report({ node, messageId: 'processEnv' });
        }
      },
      // const { env } = process
      VariableDeclarator(node) {
        if (node.id.type !== 'ObjectPattern' || !node.init || !isProcess(node.init)) {
          return;
        }
        for (const property of node.id.properties) {
          if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier') {
            if (property.key.name === 'env') {
              context.report({ node: property, messageId: 'processEnv' });
            }
          }
        }
      },
      // import { env } from 'node:process'
      ImportDeclaration(node) {
        if (node.source.value !== 'process' && node.source.value !== 'node:process') {
          return;
        }
        for (const specifier of node.specifiers) {
          if (
            specifier.type === 'ImportSpecifier' &&
            specifier.imported.type === 'Identifier' &&
            specifier.imported.name === 'env'
          ) {
            context.report({ node: specifier, messageId: 'processEnv' });
          }
        }
      },
    };
  },
};
