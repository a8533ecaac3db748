import { fromMsgHdrs, toMsgHdrs } from './nats-headers';

describe('NATS headers', () => {
  it('round-trips a record', () => {
    const record = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'x-a': 'b' };
    expect(fromMsgHdrs(toMsgHdrs(record))).toEqual(record);
  });

  it('reads no headers as an empty record', () => {
    expect(fromMsgHdrs(undefined)).toEqual({});
  });
});
