// Default-deny, enforced at lint time: every HTTP route of a Nest controller states who may call it, either
// @Public() or @RequirePermission(...), on the method or on the controller class (style guide B1.6, B10).

const routeDecorators = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Search']);
const accessDecorators = new Set(['Public', 'RequirePermission']);

/**
 * The name of `@Name`, `@Name(...)` or `@ns.Name(...)`.
 * @param {{ expression: import('estree').Node }} decorator
 */
function decoratorName(decorator) {
  let expression = decorator.expression;
  if (expression.type === 'CallExpression') {
    expression = expression.callee;
  }
  if (expression.type === 'Identifier') {
    return expression.name;
  }
  if (expression.type === 'MemberExpression' && !expression.computed && expression.property.type === 'Identifier') {
    return expression.property.name;
  }
  return undefined;
}

/** @param {{ decorators?: { expression: import('estree').Node }[] }} node */
function decoratorNames(node) {
  return (node.decorators ?? []).map(decoratorName).filter((name) => name !== undefined);
}

/** @param {import('estree').Node} key */
function methodName(key) {
  if (key.type === 'Identifier') {
    return key.name;
  }
  if (key.type === 'Literal') {
    return String(key.value);
  }
  return '[computed]';
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Require @Public() or @RequirePermission(...) on every HTTP route of a @Controller' },
    schema: [],
    messages: {
      undeclared:
        'Route {{className}}.{{method}} declares no access: add @Public() or @RequirePermission(...) to it or to the controller.',
    },
  },
  create(context) {
    /** @param {import('estree').ClassDeclaration | import('estree').ClassExpression} node */
    function checkClass(node) {
      const classDecorators = decoratorNames(node);
      if (!classDecorators.includes('Controller')) {
        return;
      }
      if (classDecorators.some((name) => accessDecorators.has(name))) {
        return;
      }

      for (const member of node.body.body) {
        if (member.type !== 'MethodDefinition') {
          continue;
        }
        const names = decoratorNames(member);
        if (!names.some((name) => routeDecorators.has(name))) {
          continue;
        }
        if (names.some((name) => accessDecorators.has(name))) {
          continue;
        }
        context.report({
          node: member.key,
          messageId: 'undeclared',
          data: { className: node.id?.name ?? '(anonymous)', method: methodName(member.key) },
        });
      }
    }

    return { ClassDeclaration: checkClass, ClassExpression: checkClass };
  },
};
