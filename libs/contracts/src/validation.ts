import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * A payload broke its contract. The message names the offending property paths and the failed constraints,
 * never the values: a payload may carry personal data and errors end up in logs and dead-letter headers.
 */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';

  constructor(
    readonly contract: string,
    readonly violations: readonly { path: string; constraints: string[] }[],
  ) {
    super(
      `${contract} is invalid: ${violations.map((v) => `${v.path || '(root)'} [${v.constraints.join(', ')}]`).join('; ')}`,
    );
  }
}

function flatten(errors: ValidationError[], prefix = ''): { path: string; constraints: string[] }[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ path, constraints: Object.keys(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Turns untrusted JSON into an instance of `type`, or throws ContractViolationError.
 * Unknown properties are rejected (whitelist + forbidNonWhitelisted) for requests we own; consumers of events
 * pass `allowUnknown` so that a producer adding an optional field does not break them.
 */
export function validateAs<T extends object>(
  type: ClassConstructor<T>,
  raw: unknown,
  options: { contract?: string; allowUnknown?: boolean } = {},
): T {
  const contract = options.contract ?? type.name;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ContractViolationError(contract, [{ path: '', constraints: ['isObject'] }]);
  }
  const instance = plainToInstance(type, raw, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: !options.allowUnknown,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    throw new ContractViolationError(contract, flatten(errors));
  }
  return instance;
}
