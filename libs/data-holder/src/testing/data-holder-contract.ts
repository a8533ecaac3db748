import { randomBytes } from 'node:crypto';
import type { DataHolder, DataSubject } from '../data-holder';

/**
 * What a service gives the kit so the kit can check its DataHolder end to end on the real database.
 * `seed` writes one record for the subject in `category`, created at `createdAt`, whose personal-data field
 * (named `field`) holds `value`; `rawDump` returns every stored row of the holder's tables as text, exactly as a
 * reader of the database (or a backup) would see it, to prove nothing readable is left after erasure.
 */
export interface DataHolderFixture {
  readonly holder: DataHolder;
  /** A category that `seed` writes to and `sweep` purges. */
  readonly category: string;
  /** A personal-data field that `rectify` corrects. */
  readonly field: string;
  seed(subject: DataSubject, record: { value: string; createdAt: Date }): Promise<void>;
  rawDump(): Promise<string>;
  close(): Promise<void>;
}

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

function subject(tenantId = 'kit-tenant'): DataSubject {
  return { tenantId, subjectRef: randomBytes(16).toString('base64url') };
}

const exported = async (holder: DataHolder, who: DataSubject): Promise<string> =>
  JSON.stringify(await holder.export(who));

/**
 * The reusable contract suite: a service calls this from one of its integration specs with a factory that
 * builds its DataHolder on a fresh database. Every case names the promise it checks.
 */
export function describeDataHolderContract(name: string, createFixture: () => Promise<DataHolderFixture>): void {
  describe(`${name} honours the data-holder contract`, () => {
    let fixture: DataHolderFixture;

    beforeAll(async () => {
      fixture = await createFixture();
    });

    afterAll(async () => {
      await fixture?.close();
    });

    /** Two subjects of one tenant, each with one fresh record holding a distinct marker. */
    async function seedTwoSubjects() {
      const alice = subject();
      const bob = subject();
      const aliceValue = marker('alice');
      const bobValue = marker('bob');
      await fixture.seed(alice, { value: aliceValue, createdAt: new Date() });
      await fixture.seed(bob, { value: bobValue, createdAt: new Date() });
      return { alice, bob, aliceValue, bobValue };
    }

    it('exports what it holds on the subject, and only that subject’s data', async () => {
      const { alice, aliceValue, bobValue } = await seedTwoSubjects();

      const sections = await fixture.holder.export(alice);
      expect(sections.map((s) => s.category)).toContain(fixture.category);
      expect(JSON.stringify(sections)).toContain(aliceValue);
      expect(JSON.stringify(sections)).not.toContain(bobValue);
    });

    it('exports nothing for a subject it does not know', async () => {
      expect(await fixture.holder.export(subject())).toEqual([]);
    });

    it('erases the subject so that nothing readable remains, idempotently, leaving others intact', async () => {
      const { alice, bob, aliceValue, bobValue } = await seedTwoSubjects();

      const first = await fixture.holder.erase(alice);
      expect(first.affected).toBeGreaterThan(0);
      expect(await fixture.holder.export(alice)).toEqual([]);
      expect(await fixture.rawDump()).not.toContain(aliceValue);

      const again = await fixture.holder.erase(alice);
      expect(again.affected).toBe(0);
      expect(await exported(fixture.holder, bob)).toContain(bobValue);
    });

    it('erases within one tenant only', async () => {
      const here = subject('kit-tenant-a');
      const there: DataSubject = { tenantId: 'kit-tenant-b', subjectRef: here.subjectRef };
      const thereValue = marker('there');
      await fixture.seed(here, { value: marker('here'), createdAt: new Date() });
      await fixture.seed(there, { value: thereValue, createdAt: new Date() });

      await fixture.holder.erase(here);
      expect(await exported(fixture.holder, there)).toContain(thereValue);
    });

    it('rectifies a field, and doing it twice gives the same result', async () => {
      const alice = subject();
      const before = marker('before');
      const after = marker('after');
      await fixture.seed(alice, { value: before, createdAt: new Date() });

      const first = await fixture.holder.rectify(alice, { [fixture.field]: after });
      expect(first.affected).toBeGreaterThan(0);
      const once = await exported(fixture.holder, alice);
      expect(once).toContain(after);
      expect(once).not.toContain(before);

      await fixture.holder.rectify(alice, { [fixture.field]: after });
      expect(await exported(fixture.holder, alice)).toBe(once);
    });

    it('sweeps only records older than the cutoff, in the tenant asked, idempotently', async () => {
      const tenantId = `kit-sweep-${randomBytes(3).toString('hex')}`;
      const alice = subject(tenantId);
      const otherTenant = subject(`${tenantId}-other`);
      const cutoff = new Date('2026-06-01T00:00:00.000Z');
      const expired = marker('expired');
      const fresh = marker('fresh');
      const elsewhere = marker('elsewhere');
      await fixture.seed(alice, { value: expired, createdAt: new Date(cutoff.getTime() - 86_400_000) });
      await fixture.seed(alice, { value: fresh, createdAt: new Date(cutoff.getTime() + 86_400_000) });
      await fixture.seed(otherTenant, { value: elsewhere, createdAt: new Date(cutoff.getTime() - 86_400_000) });

      const request = { tenantId, category: fixture.category, cutoff, batchSize: 1 };
      const first = await fixture.holder.sweep(request);
      expect(first.affected).toBe(1);
      const left = await exported(fixture.holder, alice);
      expect(left).toContain(fresh);
      expect(left).not.toContain(expired);
      expect(await fixture.rawDump()).not.toContain(expired);
      expect(await exported(fixture.holder, otherTenant)).toContain(elsewhere);

      expect((await fixture.holder.sweep(request)).affected).toBe(0);
    });

    it('sweeps a category it does not hold as a no-op', async () => {
      const result = await fixture.holder.sweep({
        tenantId: 'kit-tenant',
        category: 'no-such-category',
        cutoff: new Date(),
        batchSize: 100,
      });
      expect(result.affected).toBe(0);
    });
  });
}
