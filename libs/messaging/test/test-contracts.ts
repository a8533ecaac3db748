import { command, fact, rpc } from '@trustline/contracts';
import { EchoRequestV1, EchoResponseV1 } from './contracts/echo.v1';
import { ProbeRecordedV1 } from './contracts/probe-recorded.v1';
import { ProbeRequestedV1 } from './contracts/probe-requested.v1';

/** A small registry of its own, so the messaging tests do not depend on the platform's contracts. */
export const testContracts = {
  'consent.probe.recorded.v1': fact('consent', ProbeRecordedV1, 'test fact owned by consent'),
  'retention.probe.requested.v1': command('retention', ['dsar'], ProbeRequestedV1, 'test command sent by dsar'),
  'audit.rpc.echo.v1': rpc('audit', ['gateway'], EchoRequestV1, EchoResponseV1, 'test request/reply'),
} as const;

export type TestContracts = typeof testContracts;

export const FACT = 'consent.probe.recorded.v1';
export const COMMAND = 'retention.probe.requested.v1';
export const ECHO = 'audit.rpc.echo.v1';
