// Pure rule files (`*.rules.ts`) hold decisions only: no framework, no database, no broker, no file or network I/O.
// That keeps them testable with exhaustive specs and callable from any adapter (style guide B1.3, B10).

const forbiddenPackages = [/^@nestjs\//, /^typeorm(\/|$)/, /^pg(\/|$)/, /^@nats-io\//, /^@electric-sql\/pglite(\/|$)/];
const ioModules = new Set([
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'child_process',
]);

/** @param {string} source */
function isForbidden(source) {
  if (forbiddenPackages.some((pattern) => pattern.test(source))) {
    return true;
  }
  const builtin = source.startsWith('node:') ? source.slice('node:'.length) : source;
  return ioModules.has(builtin) || ioModules.has(builtin.split('/')[0]);
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid framework, database, broker and I/O imports in *.rules.ts files' },
    schema: [],
    messages: {
      impure:
        "'{{source}}' is not allowed in a *.rules.ts file: rules are pure; do I/O in the service that calls them.",
    },
  },
  create(context) {
    if (!/\.rules\.[cm]?ts$/.test(context.filename)) {
      return {};
    }

    /** @param {import('estree').Node | null | undefined} node */
    function check(node) {
      if (node && node.type === 'Literal' && typeof node.value === 'string' && isForbidden(node.value)) {
        context.report({ node, messageId: 'impure', data: { source: node.value } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      // `import x = require('pg')`
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          check(node.arguments[0]);
        }
      },
    };
  },
};
