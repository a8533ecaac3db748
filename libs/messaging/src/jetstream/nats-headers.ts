import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';

export function toMsgHdrs(record: Readonly<Record<string, string>>): MsgHdrs {
  const hdrs = createHeaders();
  for (const [key, value] of Object.entries(record)) {
    hdrs.set(key, value);
  }
  return hdrs;
}

/** First value of each header; empty when the message has none. */
export function fromMsgHdrs(hdrs: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!hdrs) {
    return record;
  }
  for (const [key, values] of hdrs) {
    const first = values[0];
    if (first !== undefined) {
      record[key] = first;
    }
  }
  return record;
}
