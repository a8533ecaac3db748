import { EmbeddedPostgres } from '@trustline/persistence';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(60_000);

describe(EmbeddedPostgres.name, () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'trustline-embedded-')), 'pglite');
  });

  afterAll(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('gives every user of a data directory the same PGlite and closes it with the last user', async () => {
    const [first, second] = await Promise.all([EmbeddedPostgres.open(dataDir), EmbeddedPostgres.open(dataDir)]);
    expect(second.pglite).toBe(first.pglite);
    expect(second.session).toBe(first.session);
    await first.pglite.exec('CREATE SCHEMA kept; CREATE TABLE kept.item (name text); INSERT INTO kept.item VALUES (1)');

    await first.close();
    await first.close(); // a second close of the same handle does not release another user's reference
    expect(first.pglite.closed).toBe(false);
    await expect(second.pglite.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });

    await second.close();
    expect(second.pglite.closed).toBe(true);
  });

  it('keeps the data on disk across reopen', async () => {
    const reopened = await EmbeddedPostgres.open(join(dataDir, '.', '')); // same directory, spelled differently
    try {
      const { rows } = await reopened.pglite.query<{ name: string }>('SELECT name FROM kept.item');
      expect(rows).toEqual([{ name: '1' }]);
    } finally {
      await reopened.close();
    }
  });

  it('gives separate in-memory databases per memory:// name', async () => {
    const [a, b] = await Promise.all([EmbeddedPostgres.open('memory://a'), EmbeddedPostgres.open('memory://b')]);
    try {
      expect(a.pglite).not.toBe(b.pglite);
      expect(a.dataDir).toBe('memory://a');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
