import { cleanEnv } from 'envalid';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseEnv } from './database.env';
import { openDatabase, postgresDatabase } from './open-database';

const URL = 'postgres://consent:s3cret-password@db.internal:5432/trustline';

function env(vars: Record<string, string>) {
  return cleanEnv(vars, databaseEnv, {
    reporter: ({ errors }) => {
      const names = Object.keys(errors);
      if (names.length > 0) {
        throw new Error(`invalid: ${names.join(', ')}`);
      }
    },
  });
}

describe(openDatabase.name, () => {
  it('defaults to the embedded database under .data, 10 connections, no TLS, 30 s statement timeout', () => {
    const sut = env({});
    expect(sut).toMatchObject({
      DATABASE_URL: undefined,
      DATA_DIR: '.data',
      DB_POOL_MAX: 10,
      DB_SSL_MODE: 'disable',
      DB_STATEMENT_TIMEOUT_MS: 30_000,
    });
  });

  it('rejects an unknown TLS mode and requires a CA for verify-full', () => {
    expect(() => env({ DB_SSL_MODE: 'prefer' })).toThrow('invalid: DB_SSL_MODE');
    expect(() => env({ DB_SSL_MODE: 'verify-full' })).toThrow('invalid: DB_SSL_CA');
    expect(() => env({ DATABASE_URL: 'not a url' })).toThrow('invalid: DATABASE_URL');
  });

  it('opens PostgreSQL from DATABASE_URL with the pool size and statement timeout', async () => {
    const sut = await openDatabase(env({ DATABASE_URL: URL, DB_POOL_MAX: '4', DB_STATEMENT_TIMEOUT_MS: '5000' }));
    expect(sut).toMatchObject({ kind: 'postgres', url: URL, poolMax: 4, statementTimeoutMs: 5000, ssl: false });
  });
});

describe(postgresDatabase.name, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trustline-ca-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encrypts with TLS 1.3 minimum for require, without verifying the server', () => {
    expect(postgresDatabase(URL, env({ DB_SSL_MODE: 'require' })).ssl).toEqual({
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    });
  });

  it('verifies the server against the CA file for verify-full', () => {
    const sut = postgresDatabase(URL, env({ DB_SSL_MODE: 'verify-full', DB_SSL_CA: join(dir, 'ca.pem') }));
    expect(sut.ssl).toEqual({
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    });
  });

  it('names the variable, never the value, when something is wrong', () => {
    const errors = [
      () => postgresDatabase(URL, env({ DB_SSL_MODE: 'verify-full', DB_SSL_CA: join(dir, 'missing.pem') })),
      () => postgresDatabase(`${URL}?sslmode=disable`, env({})),
      () => postgresDatabase(URL.replace('postgres:', 'mysql:'), env({})),
      () => postgresDatabase(URL, env({ DB_POOL_MAX: '0' })),
    ].map((attempt) => {
      try {
        attempt();
        return 'no error';
      } catch (error) {
        return error instanceof Error ? error.message : 'not an Error';
      }
    });
    expect(errors).toEqual([
      'DB_SSL_CA: cannot read the CA file',
      'DATABASE_URL: remove "sslmode" from the URL; TLS is configured by DB_SSL_MODE/DB_SSL_CA',
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      'DB_POOL_MAX: must be an integer >= 1',
    ]);
    expect(errors.join(' ')).not.toContain('s3cret-password');
  });
});
