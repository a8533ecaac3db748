import { command, fact, rpc, UnknownSubjectError } from '@trustline/contracts';
import { IsString } from 'class-validator';
import { ContractKindError } from '../errors/contract-kind.error';
import { NotOwnerError } from '../errors/not-owner.error';
import { PublisherNotAllowedError } from '../errors/publisher-not-allowed.error';
import { assertMayPublish, assertMayServe, eventContract, rpcContract } from './contract-access.rules';

class Payload {
  @IsString()
  value!: string;
}

const registry = {
  'consent.grant.recorded.v1': fact('consent', Payload, 'fact'),
  'retention.sweep.requested.v1': command('retention', ['retention', 'dsar'], Payload, 'command'),
  'audit.rpc.verify.v1': rpc('audit', ['gateway'], Payload, Payload, 'rpc'),
} as const;

describe('contract access rules', () => {
  it('lets only the owner publish a fact', () => {
    const contract = eventContract(registry, 'consent.grant.recorded.v1', 'publish');
    expect(() => assertMayPublish(contract, 'consent.grant.recorded.v1', 'consent')).not.toThrow();
    expect(() => assertMayPublish(contract, 'consent.grant.recorded.v1', 'dsar')).toThrow(PublisherNotAllowedError);
  });

  it('lets the listed publishers send a command', () => {
    const contract = eventContract(registry, 'retention.sweep.requested.v1', 'publish');
    expect(() => assertMayPublish(contract, 'retention.sweep.requested.v1', 'dsar')).not.toThrow();
    expect(() => assertMayPublish(contract, 'retention.sweep.requested.v1', 'gateway')).toThrow(
      'gateway may not publish retention.sweep.requested.v1: its publishers are retention, dsar',
    );
  });

  it('keeps rpc subjects out of publish/consume and events out of request/serve', () => {
    expect(() => eventContract(registry, 'audit.rpc.verify.v1', 'publish')).toThrow(ContractKindError);
    expect(() => rpcContract(registry, 'consent.grant.recorded.v1', 'request')).toThrow(ContractKindError);
  });

  it('lets only the owner serve an rpc subject', () => {
    const contract = rpcContract(registry, 'audit.rpc.verify.v1', 'serve');
    expect(() => assertMayServe(contract, 'audit.rpc.verify.v1', 'audit')).not.toThrow();
    expect(() => assertMayServe(contract, 'audit.rpc.verify.v1', 'gateway')).toThrow(NotOwnerError);
  });

  it('refuses subjects missing from the registry', () => {
    expect(() => eventContract(registry, 'nobody.thing.happened.v1', 'publish')).toThrow(UnknownSubjectError);
  });
});
