import { cleanEnv, type CleanedEnv } from 'envalid';

/**
 * A variable is missing or malformed. Start-up stops with this message, which names every offending variable
 * and what was expected — never the value, which may be a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly service: string,
    readonly problems: readonly { variable: string; problem: string }[],
  ) {
    super(`${service}: invalid configuration — ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`);
  }
}

/**
 * Validates the environment once, at bootstrap, before Nest starts (envalid `cleanEnv`) and returns a typed,
 * frozen config. Errors are collected for all variables at once rather than one per restart.
 */
export function loadConfig<S extends Record<string, unknown>>(
  service: string,
  spec: S,
  env: NodeJS.ProcessEnv,
): CleanedEnv<S> {
  // envalid's validator specs are typed per key; its generic signature wants the spec as declared.
  const cleaned = cleanEnv(env, spec as Parameters<typeof cleanEnv>[1], {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors).map(([variable, error]) => ({
        variable,
        problem: describe(error),
      }));
      if (problems.length > 0) {
        throw new ConfigError(service, problems);
      }
    },
  });
  // A plain frozen copy: envalid's proxy throws on any other property read, and Nest's DI inspects values.
  return Object.freeze({ ...(cleaned as object) }) as CleanedEnv<S>;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    // envalid messages quote the offending value ("Invalid url input: \"...\""); keep only the kind of problem.
    if (error.name === 'EnvMissingError') {
      return 'is required but not set';
    }
    const kind = /^Invalid ([\w -]+?)(?: input)?(?::|$)/.exec(error.message)?.[1];
    return kind ? `must be a valid ${kind}` : 'is invalid';
  }
  return 'is invalid';
}
