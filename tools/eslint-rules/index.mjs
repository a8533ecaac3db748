// The workspace's own lint rules, loaded by eslint.config.mjs as the `trustline` plugin. The named `rules` export
// is what @nx/eslint-plugin looks for when it loads tools/eslint-rules by its own convention (as @nx/workspace-*).
import controllerAccessDeclared from './controller-access-declared.mjs';
import noProcessEnv from './no-process-env.mjs';
import rulesArePure from './rules-are-pure.mjs';

export const rules = {
  'controller-access-declared': controllerAccessDeclared,
  'no-process-env': noProcessEnv,
  'rules-are-pure': rulesArePure,
};

export default { meta: { name: 'trustline', version: '0.1.0' }, rules };
