// Field encryption throughput next to raw node:crypto AES-256-GCM on the same sizes in the same run, the cost of
// a key-cache miss on PostgreSQL, and the transit cipher (bus payloads) on the same sizes.
// `npm run bench:crypto`; the last line is the figures as JSON.
import {
  CreateCryptoTables1700000000100,
  cryptoEntities,
  FieldCipher,
  Keyring,
  LocalKeyProvider,
  TransitCipher,
} from '@trustline/crypto';
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomFillSync } from 'node:crypto';
import { DataSource } from 'typeorm';

const SIZES = [64, 1024, 65536] as const;
const ROUNDS = 3;
const ROUND_MS = 500;
const MISSES = 300;

const rawKey = createSecretKey(randomBytes(32));
const rawAad = Buffer.from('tenant-bench\0subject-bench-000001\0contact.name\0');

/** What the library does, minus the library: random nonce, AAD, seal, then open and verify. */
function rawSealOpen(plaintext: Buffer): Buffer {
  const nonce = randomFillSync(Buffer.allocUnsafe(12));
  const cipher = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
  cipher.setAAD(rawAad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  const decipher = createDecipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
  decipher.setAAD(rawAad);
  decipher.setAuthTag(tag);
  const opened = decipher.update(body);
  decipher.final();
  return opened;
}

async function opsPerSecond(operation: () => unknown): Promise<number> {
  const started = performance.now();
  let operations = 0;
  while (performance.now() - started < ROUND_MS) {
    for (let i = 0; i < 50; i += 1) {
      await operation();
    }
    operations += 50;
  }
  return (operations * 1000) / (performance.now() - started);
}

async function main(): Promise<void> {
  const url =
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `crypto_bench_${process.pid}_${Date.now().toString(36)}`;
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: [...cryptoEntities],
    migrations: [CreateCryptoTables1700000000100],
  });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    await dataSource.runMigrations();
    const keyring = new Keyring(dataSource, new LocalKeyProvider(new Map([[1, randomBytes(32)]]), 1));
    const cipher = new FieldCipher(keyring);
    const place = { tenantId: 'tenant-bench', subjectRef: 'subject-bench-000001', field: 'contact.name' };
    await cipher.seal(Buffer.alloc(1), place);
    // Two services sharing only the root keys: the consumer unwraps the producer's data key once, then it is cached.
    const rootKeys = new Map([[1, randomBytes(32)]]);
    const transitProducer = new TransitCipher(new LocalKeyProvider(rootKeys, 1));
    const transitConsumer = new TransitCipher(new LocalKeyProvider(rootKeys, 1));
    const transitPlace = { ...place, field: 'gateway.message.received.v1/text' };
    await transitConsumer.open(await transitProducer.seal(Buffer.alloc(1), transitPlace), transitPlace);

    const rows: { size: number; rawOps: number; libOps: number; ratio: number; libMBps: number; rawMBps: number }[] =
      [];
    const transitRows: { size: number; rawOps: number; transitOps: number; ratio: number; transitMBps: number }[] = [];
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      let rawOps = 0;
      let libOps = 0;
      let transitOps = 0;
      // Interleaved rounds, best of each: both sides see the same machine noise.
      for (let round = 0; round < ROUNDS; round += 1) {
        rawOps = Math.max(rawOps, await opsPerSecond(() => rawSealOpen(plaintext)));
        libOps = Math.max(
          libOps,
          await opsPerSecond(async () => cipher.open(await cipher.seal(plaintext, place), place)),
        );
        transitOps = Math.max(
          transitOps,
          await opsPerSecond(async () =>
            transitConsumer.open(await transitProducer.seal(plaintext, transitPlace), transitPlace),
          ),
        );
      }
      rows.push({
        size,
        rawOps: Math.round(rawOps),
        libOps: Math.round(libOps),
        ratio: Math.round((libOps / rawOps) * 1000) / 1000,
        rawMBps: Math.round((rawOps * size) / 1e4) / 100,
        libMBps: Math.round((libOps * size) / 1e4) / 100,
      });
      transitRows.push({
        size,
        rawOps: Math.round(rawOps),
        transitOps: Math.round(transitOps),
        ratio: Math.round((transitOps / rawOps) * 1000) / 1000,
        transitMBps: Math.round((transitOps * size) / 1e4) / 100,
      });
    }

    // Key-cache misses: a subject key read and unwrapped from PostgreSQL (tenant key cached), and a cold process
    // (tenant key too: also a root-key unwrap).
    const sealed = await cipher.seal(Buffer.from('x'), place);
    let started = performance.now();
    for (let i = 0; i < MISSES; i += 1) {
      keyring.evictSubject(place.tenantId, place.subjectRef);
      await cipher.open(sealed, place);
    }
    const subjectMissUs = ((performance.now() - started) * 1000) / MISSES;
    started = performance.now();
    for (let i = 0; i < MISSES; i += 1) {
      keyring.evictAll();
      await cipher.open(sealed, place);
    }
    const coldMissUs = ((performance.now() - started) * 1000) / MISSES;
    started = performance.now();
    for (let i = 0; i < MISSES; i += 1) {
      await cipher.open(sealed, place);
    }
    const warmUs = ((performance.now() - started) * 1000) / MISSES;
    // A transit consumer meeting a data key for the first time: one provider unwrap (local provider: in process).
    const transitSealed = await transitProducer.seal(Buffer.from('x'), transitPlace);
    started = performance.now();
    for (let i = 0; i < MISSES; i += 1) {
      transitConsumer.evictAll();
      await transitConsumer.open(transitSealed, transitPlace);
    }
    const transitMissUs = ((performance.now() - started) * 1000) / MISSES;

    const pad = (value: string | number, width: number): string => String(value).padStart(width);
    console.log('seal+open per field, warm key cache, vs raw node:crypto AES-256-GCM (same run, best of 3 × 0.5 s)');
    console.log(
      `${pad('size B', 8)} ${pad('raw ops/s', 11)} ${pad('lib ops/s', 11)} ${pad('ratio', 7)} ${pad('raw MB/s', 9)} ${pad('lib MB/s', 9)}`,
    );
    for (const row of rows) {
      console.log(
        `${pad(row.size, 8)} ${pad(row.rawOps, 11)} ${pad(row.libOps, 11)} ${pad(row.ratio.toFixed(3), 7)} ` +
          `${pad(row.rawMBps, 9)} ${pad(row.libMBps, 9)}`,
      );
    }
    console.log(
      `open with warm cache ${warmUs.toFixed(1)} µs; subject-key miss (PostgreSQL read + unwrap) ${subjectMissUs.toFixed(1)} µs; ` +
        `cold miss (tenant + subject keys) ${coldMissUs.toFixed(1)} µs`,
    );
    console.log('transit seal (producer) + open (separate consumer), warm data-key caches, vs the same raw figures');
    console.log(
      `${pad('size B', 8)} ${pad('raw ops/s', 11)} ${pad('transit/s', 11)} ${pad('ratio', 7)} ${pad('MB/s', 9)}`,
    );
    for (const row of transitRows) {
      console.log(
        `${pad(row.size, 8)} ${pad(row.rawOps, 11)} ${pad(row.transitOps, 11)} ${pad(row.ratio.toFixed(3), 7)} ` +
          `${pad(row.transitMBps, 9)}`,
      );
    }
    console.log(`transit open, data key not cached yet (one local-provider unwrap) ${transitMissUs.toFixed(1)} µs`);
    const targets = {
      '64': (rows.find((row) => row.size === 64)?.ratio ?? 0) >= 0.5,
      '1024': (rows.find((row) => row.size === 1024)?.ratio ?? 0) >= 0.8,
      '65536': (rows.find((row) => row.size === 65536)?.ratio ?? 0) >= 0.8,
    };
    console.log(
      JSON.stringify({
        bench: 'crypto',
        sizes: rows,
        bulkMBps: rows[rows.length - 1].libMBps,
        warmOpenUs: Math.round(warmUs * 10) / 10,
        subjectKeyMissUs: Math.round(subjectMissUs * 10) / 10,
        coldKeyMissUs: Math.round(coldMissUs * 10) / 10,
        targetsMet: targets,
        transit: transitRows,
        transitUnwrapMissUs: Math.round(transitMissUs * 10) / 10,
        transitTargetsMet: {
          '64': (transitRows.find((row) => row.size === 64)?.ratio ?? 0) >= 0.5,
          '1024': (transitRows.find((row) => row.size === 1024)?.ratio ?? 0) >= 0.8,
          '65536': (transitRows.find((row) => row.size === 65536)?.ratio ?? 0) >= 0.8,
        },
      }),
    );
  } finally {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : 'benchmark failed');
  process.exitCode = 1;
});
