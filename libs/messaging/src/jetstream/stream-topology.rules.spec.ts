import { command, contracts, fact, rpc } from '@trustline/contracts';
import { IsString } from 'class-validator';
import {
  checkStreamPrefix,
  deadLetterStreamName,
  mergeSubjects,
  planStreams,
  streamName,
  wirePrefix,
} from './stream-topology.rules';

class Payload {
  @IsString()
  value!: string;
}

const registry = {
  'consent.grant.recorded.v1': fact('consent', Payload, 'fact'),
  'consent.grant.withdrawn.v1': fact('consent', Payload, 'fact'),
  'conversation-ai.turn.completed.v1': fact('conversation-ai', Payload, 'fact'),
  'retention.sweep.requested.v1': command('retention', ['dsar'], Payload, 'command'),
  'consent.rpc.status.v1': rpc('consent', ['gateway'], Payload, Payload, 'rpc'),
} as const;

describe('stream topology rules', () => {
  it('plans one stream per owner with exactly its facts and commands, never rpc subjects', () => {
    expect(planStreams(registry, 'TL', 'test.')).toEqual([
      {
        name: 'TL_CONSENT',
        subjects: ['test.consent.grant.recorded.v1', 'test.consent.grant.withdrawn.v1'],
        description: 'facts and commands owned by consent',
      },
      {
        name: 'TL_CONVERSATION_AI',
        subjects: ['test.conversation-ai.turn.completed.v1'],
        description: 'facts and commands owned by conversation-ai',
      },
      {
        name: 'TL_RETENTION',
        subjects: ['test.retention.sweep.requested.v1'],
        description: 'facts and commands owned by retention',
      },
      {
        name: 'TL_DEADLETTER',
        subjects: ['test.deadletter.>'],
        description: expect.stringContaining('deadletter.<consumer>.<original subject>'),
      },
    ]);
  });

  it('keeps every rpc subject of the platform registry out of its streams', () => {
    const captured = planStreams(contracts, 'TRUSTLINE', '').flatMap((plan) => plan.subjects);
    expect(captured.some((subject) => subject.includes('.rpc.'))).toBe(false);
    expect(captured).toContain('dsar.erasure.requested.v1');
  });

  it('normalises subject prefixes and rejects wildcards', () => {
    expect(wirePrefix('')).toBe('');
    expect(wirePrefix('t-1')).toBe('t-1.');
    expect(wirePrefix('a.b.')).toBe('a.b.');
    expect(() => wirePrefix('a.*')).toThrow(RangeError);
    expect(() => wirePrefix('a b')).toThrow(RangeError);
  });

  it('names streams after the owner and checks the stream prefix', () => {
    expect(streamName('TRUSTLINE', 'conversation-ai')).toBe('TRUSTLINE_CONVERSATION_AI');
    expect(deadLetterStreamName('TRUSTLINE')).toBe('TRUSTLINE_DEADLETTER');
    expect(() => checkStreamPrefix('A.B')).toThrow(RangeError);
    expect(checkStreamPrefix('TRUSTLINE')).toBe('TRUSTLINE');
  });

  it('only ever adds subjects on update', () => {
    expect(mergeSubjects(['b', 'a'], ['c', 'a'])).toEqual(['a', 'b', 'c']);
  });
});
