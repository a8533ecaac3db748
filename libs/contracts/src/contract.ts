import type { ClassConstructor } from 'class-transformer';
import type { ServiceName } from './service-name';

/**
 * - fact: something that happened; only its owner publishes it (`<owner>.<noun>.<past-verb>.v<N>`).
 * - command: a request for another service to act, delivered durably (`<target>.<noun>.requested.v<N>`);
 *   its owner defines it, `publishers` may send it.
 * - rpc: request/reply answered by its owner (`<owner>.rpc.<operation>.v<N>`); never stored in a stream.
 */
export type ContractKind = 'fact' | 'command' | 'rpc';

export interface ContractDefinition<P extends object = object, R extends object = object> {
  readonly kind: ContractKind;
  readonly owner: ServiceName;
  readonly publishers: readonly ServiceName[];
  readonly payload: ClassConstructor<P>;
  readonly response?: ClassConstructor<R>;
  readonly description: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds contracts of any payload type
export type ContractRegistry = Readonly<Record<string, ContractDefinition<any, any>>>;

export type SubjectOf<R extends ContractRegistry> = keyof R & string;

type SubjectsOfKind<R extends ContractRegistry, K extends ContractKind> = {
  [S in keyof R]: R[S]['kind'] extends K ? S : never;
}[keyof R] &
  string;

/** Subjects delivered durably through streams: facts and commands. */
export type EventSubjectOf<R extends ContractRegistry> = SubjectsOfKind<R, 'fact' | 'command'>;
export type RpcSubjectOf<R extends ContractRegistry> = SubjectsOfKind<R, 'rpc'>;

export type PayloadOf<R extends ContractRegistry, S extends keyof R> =
  R[S] extends ContractDefinition<infer P, object> ? P : never;

export type ResponseOf<R extends ContractRegistry, S extends keyof R> =
  R[S] extends ContractDefinition<object, infer Q> ? Q : never;

export function fact<P extends object>(
  owner: ServiceName,
  payload: ClassConstructor<P>,
  description: string,
): ContractDefinition<P> & { kind: 'fact' } {
  return { kind: 'fact', owner, publishers: [owner], payload, description };
}

export function command<P extends object>(
  owner: ServiceName,
  publishers: readonly ServiceName[],
  payload: ClassConstructor<P>,
  description: string,
): ContractDefinition<P> & { kind: 'command' } {
  return { kind: 'command', owner, publishers, payload, description };
}

export function rpc<P extends object, Q extends object>(
  owner: ServiceName,
  publishers: readonly ServiceName[],
  payload: ClassConstructor<P>,
  response: ClassConstructor<Q>,
  description: string,
): ContractDefinition<P, Q> & { kind: 'rpc' } {
  return { kind: 'rpc', owner, publishers, payload, response, description };
}

const SUBJECT_PATTERN = /^([a-z][a-z-]*)\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v([1-9][0-9]*)$/;

/** Checks the naming rules a registry must follow; returns the problems found (empty when sound). */
export function checkRegistry(registry: ContractRegistry): string[] {
  const problems: string[] = [];
  for (const [subject, contract] of Object.entries(registry)) {
    const match = SUBJECT_PATTERN.exec(subject);
    if (!match) {
      problems.push(`${subject}: not <owner>.<noun>.<verb>.v<N>`);
      continue;
    }
    const [, owner, noun, verb] = match;
    if (owner !== contract.owner) {
      problems.push(`${subject}: subject prefix is not its owner ${contract.owner}`);
    }
    if (contract.kind === 'rpc' && noun !== 'rpc') {
      problems.push(`${subject}: rpc subjects are <owner>.rpc.<op>.v<N>`);
    }
    if (contract.kind !== 'rpc' && noun === 'rpc') {
      problems.push(`${subject}: only rpc subjects use the rpc token`);
    }
    if (contract.kind === 'command' && verb !== 'requested') {
      problems.push(`${subject}: commands end in .requested`);
    }
    if (contract.kind === 'fact' && contract.publishers.some((p) => p !== contract.owner)) {
      problems.push(`${subject}: a fact is published by its owner only`);
    }
    if (contract.kind === 'rpc' && !contract.response) {
      problems.push(`${subject}: rpc without a response class`);
    }
  }
  return problems;
}
