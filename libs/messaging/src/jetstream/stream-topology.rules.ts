import type { ContractRegistry } from '@trustline/contracts';

// Streams: one per owning service, capturing exactly that owner's facts and commands. Never rpc subjects: a
// stream listening on `<owner>.rpc.*` would answer every request with a PubAck. Plus one dead-letter stream.

export interface StreamPlan {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
}

const STREAM_PREFIX = /^[A-Za-z0-9_-]{1,32}$/;
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;

export function checkStreamPrefix(prefix: string): string {
  if (!STREAM_PREFIX.test(prefix)) {
    throw new RangeError('streamPrefix must be 1-32 characters of A-Z, a-z, 0-9, _ or -');
  }
  return prefix;
}

/** Normalises a subject prefix to '' or '<tokens>.' (so `test-1` and `test-1.` mean the same). */
export function wirePrefix(subjectPrefix: string): string {
  const trimmed = subjectPrefix.replace(/\.$/, '');
  if (trimmed === '') {
    return '';
  }
  if (!trimmed.split('.').every((token) => SUBJECT_TOKEN.test(token))) {
    throw new RangeError('subjectPrefix must be dot-separated tokens of A-Z, a-z, 0-9, _ or -');
  }
  return `${trimmed}.`;
}

export function streamName(streamPrefix: string, owner: string): string {
  return `${streamPrefix}_${owner.toUpperCase().replace(/-/g, '_')}`;
}

export function deadLetterStreamName(streamPrefix: string): string {
  return `${streamPrefix}_DEADLETTER`;
}

/** The owner streams for every fact and command in the registry, then the dead-letter stream. */
export function planStreams(registry: ContractRegistry, streamPrefix: string, prefix: string): StreamPlan[] {
  const byOwner = new Map<string, string[]>();
  for (const [subject, contract] of Object.entries(registry)) {
    if (contract.kind === 'rpc') {
      continue;
    }
    const subjects = byOwner.get(contract.owner) ?? [];
    subjects.push(`${prefix}${subject}`);
    byOwner.set(contract.owner, subjects);
  }
  const owners = [...byOwner.keys()].sort();
  return [
    ...owners.map((owner) => ({
      name: streamName(streamPrefix, owner),
      subjects: (byOwner.get(owner) ?? []).sort(),
      description: `facts and commands owned by ${owner}`,
    })),
    {
      name: deadLetterStreamName(streamPrefix),
      subjects: [`${prefix}deadletter.>`],
      description: 'messages consumers gave up on: deadletter.<consumer>.<original subject>',
    },
  ];
}

/**
 * Subjects after an update: what is there plus what this process needs. Never removes a subject, so a process
 * running an older registry cannot take subjects away from a newer one during a rolling deploy.
 */
export function mergeSubjects(existing: readonly string[], desired: readonly string[]): string[] {
  return [...new Set([...existing, ...desired])].sort();
}
