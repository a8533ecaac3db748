// The floor of the webhook benchmark (webhook.bench.ts forks it as its own process, as the gateway is one): a bare
// node:http server doing per POST only what durable acceptance cannot do without — read the raw body, check
// X-Hub-Signature-256 in constant time, publish the body to JetStream and await the PubAck — then answer 200.
// No Nest, no JSON parsing, no encryption. Its stream is file-backed like the gateway's streams.
//
// Env (set by the bench): FLOOR_NATS_URL, FLOOR_STREAM, FLOOR_SUBJECT, FLOOR_APP_SECRET, FLOOR_HOST.
// It listens on a free port and sends `{ port }` to the parent over IPC once it accepts requests.
import { DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

const SIGNATURE_PREFIX = 'sha256=';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is required`);
  }
  return value;
}

async function main(): Promise<void> {
  const secret = required('FLOOR_APP_SECRET');
  const stream = required('FLOOR_STREAM');
  const subject = required('FLOOR_SUBJECT');
  // The same connection option the gateway's bus uses: no Error (with stack) built per PubAck.
  const nc = await connect({ servers: required('FLOOR_NATS_URL'), name: 'webhook-bench-floor', noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: stream,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
  });
  const js = jetstream(nc);

  const accept = async (body: Buffer, header: string | string[] | undefined, response: ServerResponse) => {
    if (typeof header !== 'string' || !header.startsWith(SIGNATURE_PREFIX)) {
      response.writeHead(401).end();
      return;
    }
    const expected = createHmac('sha256', secret).update(body).digest();
    const given = Buffer.from(header.slice(SIGNATURE_PREFIX.length), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(403).end();
      return;
    }
    try {
      // The signature is unique per body: a ready-made dedupe id, as the gateway derives its event ids from the body.
      await js.publish(subject, body, { msgID: expected.toString('hex') });
      response.writeHead(200).end();
    } catch {
      response.writeHead(503).end();
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void accept(Buffer.concat(chunks), request.headers['x-hub-signature-256'], response);
    });
  });

  const stop = async () => {
    server.close();
    server.closeAllConnections();
    try {
      await nc.drain();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // The parent going away (crash, kill) must not leave the floor running.
  process.once('disconnect', () => void stop());

  server.listen(0, process.env.FLOOR_HOST ?? '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
}

main().catch((error: unknown) => {
  console.error('webhook floor failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
