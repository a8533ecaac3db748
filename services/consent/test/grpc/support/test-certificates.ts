import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

// Throwaway X.509 certificates for the TLS tests, made in memory at test time: node:crypto signs but does not build
// certificates, so this writes the few DER structures a certificate needs (RFC 5280) and no key touches the disk.
// P-256 keys, ECDSA with SHA-256, valid from an hour ago for a day.

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const sequence = (...content: Buffer[]) => der(0x30, ...content);
const set = (...content: Buffer[]) => der(0x31, ...content);
const explicit = (n: number, ...content: Buffer[]) => der(0xa0 + n, ...content);

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return der(0x17, Buffer.from(`${text}Z`, 'ascii'));
}

const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));
const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

export interface TestIdentity {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly privateKey: KeyObject;
  readonly keyId: Buffer;
  readonly commonName: string;
}

function issue(
  commonName: string,
  options: { ca: boolean; issuer?: TestIdentity; serverNames?: boolean },
): TestIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // Any stable id of the key serves as its identifier; strict verifiers want both key identifiers present.
  const keyId = createHash('sha1').update(spki).digest();
  const now = Date.now();
  const extensions = [
    extension('2.5.29.14', false, der(0x04, keyId)),
    extension('2.5.29.35', false, sequence(der(0x80, options.issuer?.keyId ?? keyId))),
    extension('2.5.29.19', true, sequence(...(options.ca ? [der(0x01, Buffer.from([0xff]))] : []))),
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for the leaves.
    extension('2.5.29.15', true, der(0x03, options.ca ? Buffer.from([0x01, 0x06]) : Buffer.from([0x07, 0x80]))),
  ];
  if (options.serverNames) {
    const localhost = der(0x82, Buffer.from('localhost'));
    const loopback = der(0x87, Buffer.from([127, 0, 0, 1]));
    extensions.push(extension('2.5.29.17', false, sequence(localhost, loopback)));
  }
  const tbs = sequence(
    explicit(0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_WITH_SHA256,
    name(options.issuer?.commonName ?? commonName),
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name(commonName),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, options.issuer?.privateKey ?? privateKey);
  const body = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.from([0]), signature));
  const cert = new X509Certificate(body).toString();
  return {
    cert: Buffer.from(cert),
    key: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    privateKey,
    keyId,
    commonName,
  };
}

/** A CA, a server certificate for localhost and 127.0.0.1, and a client certificate, the leaves signed by the CA. */
export function testCertificates(): { ca: TestIdentity; server: TestIdentity; client: TestIdentity } {
  const ca = issue('trustline test CA', { ca: true });
  return {
    ca,
    server: issue('consent', { ca: false, issuer: ca, serverNames: true }),
    client: issue('dsar', { ca: false, issuer: ca }),
  };
}
