// The module boundaries, proven on the real workspace: the real eslint.config.mjs, the real project.json tags and
// the project graph Nx computes from them. Each case is a source text linted as if it lived at `filePath`.
// Imports by package name point at a file that exists (the service's package.json): Nx resolves an import to a
// project by resolving it like TypeScript and Node would, so a module that does not exist belongs to no project.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

interface LintMessage {
  ruleId: string | null;
  messageId?: string;
  message: string;
}
interface LintOutput {
  filePath: string;
  messages: LintMessage[];
}
interface Case {
  name: string;
  filePath: string;
  code: string;
  /**
   * The @nx/enforce-module-boundaries messageIds that may reject the import (the rule reports the first reason it
   * finds: an import that closes a cycle in the current graph is reported as circular before the tags are
   * checked); empty when the import is allowed.
   */
  rejectedAs: readonly string[];
}

const boundaryRule = '@nx/enforce-module-boundaries';
const cases: Case[] = [
  {
    name: 'a service importing another service by a relative path',
    filePath: 'services/gateway/src/boundary-probe.ts',
    code: "import { anything } from '../../consent/src/anything';\nexport const probe = anything;\n",
    rejectedAs: ['noRelativeOrAbsoluteImportsAcrossLibraries'],
  },
  {
    name: 'a service importing another service by its package name',
    filePath: 'services/gateway/src/boundary-probe.ts',
    code: "import consent from '@trustline/consent-service/package.json';\nexport const probe = consent;\n",
    rejectedAs: ['noImportsOfApps'],
  },
  {
    name: 'a lib importing a service by its package name',
    filePath: 'libs/messaging/src/boundary-probe.ts',
    code: "import gateway from '@trustline/gateway-service/package.json';\nexport const probe = gateway;\n",
    rejectedAs: ['noImportsOfApps', 'noCircularDependencies'],
  },
  {
    name: 'a lib importing a service by a relative path',
    filePath: 'libs/messaging/src/boundary-probe.ts',
    code: "import { anything } from '../../../services/consent/src/anything';\nexport const probe = anything;\n",
    rejectedAs: ['noRelativeOrAbsoluteImportsAcrossLibraries'],
  },
  {
    name: 'contracts importing a lib',
    filePath: 'libs/contracts/src/boundary-probe.ts',
    code: "import * as messaging from '@trustline/messaging';\nexport const probe = messaging;\n",
    rejectedAs: ['emptyOnlyTagsConstraintViolation', 'noCircularDependencies'],
  },
  {
    name: 'contracts importing a database driver',
    filePath: 'libs/contracts/src/boundary-probe.ts',
    code: "import * as pg from 'pg';\nexport const probe = pg;\n",
    rejectedAs: ['bannedExternalImportsViolation'],
  },
  {
    name: 'a system test importing a service',
    filePath: 'test/boundary-probe.ts',
    code: "import dsar from '@trustline/dsar-service/package.json';\nexport const probe = dsar;\n",
    rejectedAs: ['noImportsOfApps'],
  },
  {
    name: 'a service importing contracts',
    filePath: 'services/gateway/src/boundary-probe.ts',
    code: "import * as contracts from '@trustline/contracts';\nexport const probe = contracts;\n",
    rejectedAs: [],
  },
  {
    name: 'a service importing a lib',
    filePath: 'services/consent/src/boundary-probe.ts',
    code: "import * as messaging from '@trustline/messaging';\nexport const probe = messaging;\n",
    rejectedAs: [],
  },
  {
    name: 'a lib importing contracts',
    filePath: 'libs/messaging/src/boundary-probe.ts',
    code: "import * as contracts from '@trustline/contracts';\nexport const probe = contracts;\n",
    rejectedAs: [],
  },
  {
    name: 'a system test importing contracts',
    filePath: 'test/boundary-probe.ts',
    code: "import * as contracts from '@trustline/contracts';\nexport const probe = contracts;\n",
    rejectedAs: [],
  },
  {
    name: 'the standalone launcher importing a service by a relative path',
    filePath: 'services/standalone/src/boundary-probe.ts',
    code: "import { anything } from '../../consent/src/anything';\nexport const probe = anything;\n",
    rejectedAs: ['noRelativeOrAbsoluteImportsAcrossLibraries'],
  },
  {
    name: 'the standalone launcher importing a service',
    filePath: 'services/standalone/src/boundary-probe.ts',
    code: "import consent from '@trustline/consent-service/package.json';\nexport const probe = consent;\n",
    rejectedAs: [],
  },
];

/** Runs tools/lint/lint-text.mjs (real ESLint, real config) on the cases in one process. */
function lintAll(inputs: readonly Case[]): Promise<LintOutput[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'lint-text.mjs')], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve(JSON.parse(stdout) as LintOutput[]);
      } else {
        reject(new Error(`lint-text.mjs exited with ${code}: ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(inputs.map(({ code, filePath }) => ({ code, filePath }))));
  });
}

describe('module boundaries on the real project graph', () => {
  let outputs: LintOutput[];

  beforeAll(async () => {
    outputs = await lintAll(cases);
  }, 180_000);

  it.each(cases.map((c, index) => [c.name, c, index] as const))('%s', (_name, testCase, index) => {
    const { messages } = outputs[index];
    // A parsing or config error would hide every rule: none may occur.
    expect(messages.filter((m) => m.ruleId === null)).toEqual([]);
    const boundaryErrors = messages.filter((m) => m.ruleId === boundaryRule);
    if (testCase.rejectedAs.length === 0) {
      expect(boundaryErrors).toEqual([]);
    } else {
      expect(boundaryErrors).toHaveLength(1);
      expect(testCase.rejectedAs).toContain(boundaryErrors[0]?.messageId);
    }
  });
});
