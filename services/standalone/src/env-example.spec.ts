import { platformEnv } from '@trustline/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SERVICES } from './all-services';
import { standaloneEnv } from './standalone.env';

// `.env.example` is the newcomer's configuration reference: it must list every variable a service reads.
describe('.env.example', () => {
  const documented = new Set(
    readFileSync(join(__dirname, '../../../.env.example'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  const variables = [
    ...Object.keys(platformEnv),
    ...Object.keys(standaloneEnv),
    ...ALL_SERVICES.flatMap((service) => Object.keys(service.env)),
  ];

  it.each(variables)('documents %s', (variable) => {
    expect(documented).toContain(variable);
  });

  it('documents nothing that no service reads', () => {
    expect([...documented].filter((name) => !variables.includes(name))).toEqual([]);
  });
});
