// Lints source texts posing as workspace files with the workspace's real ESLint config and Nx project graph.
// Input on stdin: [{ "code": "...", "filePath": "services/gateway/src/x.ts" }]; output on stdout: one entry per
// input with the messages ESLint reported. Runs outside jest because ESLint loads its config with import().
// The files do not exist, so TypeScript's project service cannot place them: type-aware rules are switched off
// for them (the module-boundary and workspace rules do not need types).
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** @type {{ code: string, filePath: string }[]} */
const inputs = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

const outputs = [];
for (const { code, filePath } of inputs) {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  outputs.push({
    filePath,
    messages: (result?.messages ?? []).map(({ ruleId, messageId, message, line }) => ({
      ruleId,
      messageId,
      message,
      line,
    })),
  });
}
process.stdout.write(JSON.stringify(outputs));
