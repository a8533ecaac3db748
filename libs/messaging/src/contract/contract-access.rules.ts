import { contractOf, type ContractDefinition, type ContractRegistry, type ServiceName } from '@trustline/contracts';
import { ContractKindError } from '../errors/contract-kind.error';
import { NotOwnerError } from '../errors/not-owner.error';
import { PublisherNotAllowedError } from '../errors/publisher-not-allowed.error';

// The registry is the authority on who may do what with a subject. Both transports run these checks, so a
// service cannot publish another service's facts in standalone mode any more than on NATS.

function ofKind(
  registry: ContractRegistry,
  subject: string,
  kinds: readonly string[],
  operation: string,
): ContractDefinition {
  const contract = contractOf(registry, subject) as ContractDefinition;
  if (!kinds.includes(contract.kind)) {
    throw new ContractKindError(subject, contract.kind, operation);
  }
  return contract;
}

/** Facts and commands flow through streams; rpc subjects never do. */
export function eventContract(registry: ContractRegistry, subject: string, operation: string): ContractDefinition {
  return ofKind(registry, subject, ['fact', 'command'], operation);
}

export function rpcContract(registry: ContractRegistry, subject: string, operation: string): ContractDefinition {
  return ofKind(registry, subject, ['rpc'], operation);
}

/** Publishing a fact or command, or sending a request: the producer must be one of the contract's publishers. */
export function assertMayPublish(contract: ContractDefinition, subject: string, producer: string): void {
  if (!(contract.publishers as readonly string[]).includes(producer)) {
    throw new PublisherNotAllowedError(subject, producer, contract.publishers);
  }
}

/** Answering a request: only the owner does. */
export function assertMayServe(contract: ContractDefinition, subject: string, service: ServiceName): void {
  if (contract.owner !== service) {
    throw new NotOwnerError(subject, service, contract.owner);
  }
}
