import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRegistry, fact } from './contract';
import { UnknownSubjectError, validateEvent, validateResponse } from './events';
import { contracts, type Subject } from './registry';
import { ContractViolationError } from './validation';

const fixturesDir = join(__dirname, '__fixtures__');
const fixtureSubjects = readdirSync(fixturesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));

function fixture(subject: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesDir, `${subject}.json`), 'utf8')) as Record<string, unknown>;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('contracts registry', () => {
  it('follows the subject naming and ownership rules', () => {
    expect(checkRegistry(contracts)).toEqual([]);
  });

  it('has exactly one fixture per contract version', () => {
    expect([...fixtureSubjects].sort()).toEqual(Object.keys(contracts).sort());
  });

  it.each(Object.keys(contracts) as Subject[])('%s: its fixture validates against its class', (subject) => {
    const contract = contracts[subject];
    const raw = fixture(subject);
    if (contract.kind === 'rpc') {
      expect(() => validateEvent(contracts, subject, raw.request)).not.toThrow();
      expect(() => validateResponse(contracts, subject, raw.response)).not.toThrow();
    } else {
      const event = validateEvent(contracts, subject, raw);
      expect(event.data).toBeInstanceOf(contract.payload);
    }
  });

  it('flags names that break the rules', () => {
    class Payload {}
    expect(
      checkRegistry({
        'consent.grant.recorded.v1': fact('gateway', Payload, 'wrong owner'),
        'consent.grant.Recorded': fact('consent', Payload, 'no version'),
        'consent.rpc.lookup.v1': fact('consent', Payload, 'fact posing as rpc'),
      }),
    ).toHaveLength(3);
  });
});

describe('validation at the consumer edge', () => {
  const subject = 'dsar.rectification.requested.v1';

  it('rejects personal data in clear where a sealed value is required, without echoing it', () => {
    const raw = clone(fixture(subject));
    (raw.data as Record<string, unknown>).fields = '{"name":"Maria Souza"}';
    const attempt = () => validateEvent(contracts, subject, raw);
    expect(attempt).toThrow(ContractViolationError);
    expect(attempt).toThrow(/data\.fields|fields/);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain('Maria');
    }
  });

  it('rejects a malformed envelope', () => {
    const raw = clone(fixture(subject));
    raw.id = 'not-a-uuid';
    raw.producer = 'someone-else';
    expect(() => validateEvent(contracts, subject, raw)).toThrow(/id.*producer|producer.*id/s);
  });

  it('tolerates an unknown optional field added by a newer producer', () => {
    const raw = clone(fixture(subject));
    (raw.data as Record<string, unknown>).addedLater = 1;
    expect(() => validateEvent(contracts, subject, raw)).not.toThrow();
  });

  it('rejects non-objects and unknown subjects', () => {
    expect(() => validateEvent(contracts, subject, 'text')).toThrow(ContractViolationError);
    expect(() => validateEvent(contracts, 'nobody.thing.happened.v1' as Subject, {})).toThrow(UnknownSubjectError);
  });
});

describe('envelope check', () => {
  const subject = 'dsar.erasure.requested.v1';
  const good = fixture(subject);

  it.each([
    ['id', 'not-a-uuid'],
    ['id', 42],
    ['occurredAt', '2026-13-45'],
    ['occurredAt', '2026-02-30T25:61:00Z'],
    ['producer', 'mallory'],
    ['tenantId', 'Has Spaces'],
    ['data', null],
    ['data', ['array']],
  ])('rejects %s = %p', (field, value) => {
    expect(() => validateEvent(contracts, subject, { ...good, [field]: value })).toThrow(
      new RegExp(`envelope is invalid: ${field} `),
    );
  });

  it('accepts offsets and fractional seconds in occurredAt', () => {
    expect(() =>
      validateEvent(contracts, subject, { ...good, occurredAt: '2026-11-25T08:00:00.123456-03:00' }),
    ).not.toThrow();
  });
});
