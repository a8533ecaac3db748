import { Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  contracts,
  createEnvelope,
  type Contracts,
  type DataHolderService,
  type DataReceiptIssuedV1,
  type EventEnvelope,
  type EventSubjectOf,
  type PayloadOf,
} from '@trustline/contracts';
import { LocalKeyProvider, OpenFailedError, TransitCipher } from '@trustline/crypto';
import {
  DataHolderModule,
  type DataHolder,
  type DataSubject,
  type ExportSection,
  type OperationResult,
  type SweepRequest,
} from '@trustline/data-holder';
import { InProcessBus, MessagingModule, NotOwnerError, type PublishOptions } from '@trustline/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const TENANT = 'tenant-a';

interface Note {
  readonly tenantId: string;
  readonly subjectRef: string;
  readonly category: string;
  text: string;
  readonly createdAt: Date;
}

/** The holder's storage, from a module of its own: what `imports` is for. */
@Injectable()
class NoteStore {
  notes: Note[] = [];
}

@Module({ providers: [NoteStore], exports: [NoteStore] })
class NoteStoreModule {}

/** A tiny in-memory holder that remembers what the protocol handed it. */
@Injectable()
class NoteHolder implements DataHolder {
  readonly categories = ['notes', 'drafts'];
  readonly erasures: DataSubject[] = [];
  readonly rectifications: Readonly<Record<string, string>>[] = [];
  readonly sweeps: SweepRequest[] = [];

  constructor(private readonly store: NoteStore) {}

  seed(subjectRef: string, category: string, text: string, createdAt = new Date()): void {
    this.store.notes.push({ tenantId: TENANT, subjectRef, category, text, createdAt });
  }

  export(subject: DataSubject): Promise<ExportSection[]> {
    const mine = this.store.notes.filter((note) => isOf(note, subject));
    const categories = [...new Set(mine.map((note) => note.category))];
    return Promise.resolve(
      categories.map((category) => ({
        category,
        records: mine.filter((note) => note.category === category).map((note) => ({ text: note.text })),
      })),
    );
  }

  erase(subject: DataSubject): Promise<OperationResult> {
    this.erasures.push(subject);
    const before = this.store.notes.length;
    this.store.notes = this.store.notes.filter((note) => !isOf(note, subject));
    return Promise.resolve({ affected: before - this.store.notes.length });
  }

  rectify(subject: DataSubject, fields: Readonly<Record<string, string>>): Promise<OperationResult> {
    this.rectifications.push(fields);
    const text = fields.text;
    const changed = this.store.notes.filter((note) => isOf(note, subject) && text !== undefined && note.text !== text);
    for (const note of changed) {
      note.text = text!;
    }
    return Promise.resolve({ affected: changed.length });
  }

  sweep(request: SweepRequest): Promise<OperationResult> {
    this.sweeps.push(request);
    const before = this.store.notes.length;
    this.store.notes = this.store.notes.filter(
      (note) =>
        note.tenantId !== request.tenantId || note.category !== request.category || note.createdAt >= request.cutoff,
    );
    return Promise.resolve({ affected: before - this.store.notes.length });
  }
}

function isOf(note: Note, subject: DataSubject): boolean {
  return note.tenantId === subject.tenantId && note.subjectRef === subject.subjectRef;
}

/** Refuses the next receipt of one service, as a bus that is briefly unreachable right after the effect. */
class LossyBus extends InProcessBus<Contracts> {
  private readonly losing = new Set<string>();

  loseNextReceiptOf(service: DataHolderService): void {
    this.losing.add(`${service}.receipt.issued.v1`);
  }

  override publish<S extends EventSubjectOf<Contracts>>(
    subject: S,
    envelope: EventEnvelope<PayloadOf<Contracts, S>>,
    options?: PublishOptions,
  ): Promise<void> {
    if (this.losing.delete(subject)) {
      return Promise.reject(new Error('receipt lost'));
    }
    return super.publish(subject, envelope, options);
  }
}

/** Every service unwraps transit keys with the same root key, each with its own cipher (as separate processes). */
@Module({})
class TransitKeysModule {
  static withRootKey(rootKey: Buffer): DynamicModule {
    return {
      module: TransitKeysModule,
      global: true,
      providers: [{ provide: TransitCipher, useValue: transitCipher(rootKey) }],
      exports: [TransitCipher],
    };
  }
}

function transitCipher(rootKey: Buffer): TransitCipher {
  return new TransitCipher(new LocalKeyProvider(new Map([[1, Buffer.from(rootKey)]]), 1));
}

function holderModule(
  bus: InProcessBus<Contracts>,
  rootKey: Buffer,
  service: DataHolderService,
  holderService: DataHolderService = service,
): DynamicModule {
  return {
    module: class HolderApplication {},
    imports: [
      MessagingModule.forRoot({ bus, service }),
      TransitKeysModule.withRootKey(rootKey),
      DataHolderModule.forHolder({ service: holderService, holder: NoteHolder, imports: [NoteStoreModule] }),
    ],
  };
}

function start(module: DynamicModule): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(10);
  }
}

const newSubjectRef = (): string => randomBytes(16).toString('base64url');

describe(DataHolderModule.name, () => {
  const rootKey = randomBytes(32);
  const dsarTransit = transitCipher(rootKey);
  const bus = new LossyBus(contracts);
  const receipts: EventEnvelope<DataReceiptIssuedV1>[] = [];
  let consentApp: INestApplicationContext;
  let auditApp: INestApplicationContext;
  let consent: NoteHolder;
  let audit: NoteHolder;

  beforeAll(async () => {
    // Two holder services on one bus, as in standalone mode: each answers on its own subjects. Both modules are
    // made before either application starts, so one service's export subject cannot leak into the other's.
    const modules = [holderModule(bus, rootKey, 'consent'), holderModule(bus, rootKey, 'audit')];
    consentApp = await start(modules[0]);
    auditApp = await start(modules[1]);
    consent = consentApp.get(NoteHolder);
    audit = auditApp.get(NoteHolder);
    for (const subject of ['consent.receipt.issued.v1', 'audit.receipt.issued.v1'] as const) {
      await bus.consume({
        subject,
        consumer: 'dsar',
        handler: (envelope) => {
          receipts.push(envelope);
          return Promise.resolve();
        },
      });
    }
  });

  afterAll(async () => {
    await Promise.all([consentApp?.close(), auditApp?.close()]);
    await bus.close();
  });

  function receiptsOf(service: DataHolderService, requestId: string): EventEnvelope<DataReceiptIssuedV1>[] {
    return receipts.filter((r) => r.producer === service && r.data.requestId === requestId);
  }

  async function receiptOf(service: DataHolderService, requestId: string): Promise<DataReceiptIssuedV1> {
    await waitFor(`the ${service} receipt`, () => receiptsOf(service, requestId).length > 0);
    return receiptsOf(service, requestId)[0].data;
  }

  async function erase(subjectRef: string): Promise<string> {
    const requestId = randomUUID();
    await bus.publish(
      'dsar.erasure.requested.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { requestId, subjectRef } }),
    );
    return requestId;
  }

  async function sweep(category: string, cutoff: Date, batchSize?: number): Promise<string> {
    const sweepId = randomUUID();
    const data = { sweepId, category, cutoff: cutoff.toISOString(), ...(batchSize ? { batchSize } : {}) };
    await bus.publish(
      'retention.sweep.requested.v1',
      createEnvelope({ producer: 'retention', tenantId: TENANT, data }),
    );
    return sweepId;
  }

  it('erases at every holder, each answering on its own receipt subject with what it removed', async () => {
    const subjectRef = newSubjectRef();
    consent.seed(subjectRef, 'notes', 'first');
    consent.seed(subjectRef, 'drafts', 'second');
    audit.seed(subjectRef, 'notes', 'third');
    const requestId = await erase(subjectRef);
    expect(await receiptOf('consent', requestId)).toEqual({ requestId, operation: 'erase', subjectRef, affected: 2 });
    expect(await receiptOf('audit', requestId)).toEqual({ requestId, operation: 'erase', subjectRef, affected: 1 });
    expect(await consent.export({ tenantId: TENANT, subjectRef })).toEqual([]);
  });

  it('answers a redelivered erasure whose receipt was lost: the idempotent holder reports 0', async () => {
    const subjectRef = newSubjectRef();
    consent.seed(subjectRef, 'notes', 'kept until erased');
    bus.loseNextReceiptOf('consent');
    const requestId = await erase(subjectRef);
    expect(await receiptOf('consent', requestId)).toMatchObject({ operation: 'erase', affected: 0 });
    // The first delivery erased, then lost its receipt; the redelivery erased nothing more and answered.
    expect(consent.erasures.filter((s) => s.subjectRef === subjectRef)).toHaveLength(2);
    expect(receiptsOf('consent', requestId)).toHaveLength(1);
    expect(await consent.export({ tenantId: TENANT, subjectRef })).toEqual([]);
  });

  it('opens the sealed corrections and hands the holder its string fields in clear', async () => {
    const subjectRef = newSubjectRef();
    consent.seed(subjectRef, 'notes', 'misspelt');
    const fields = await dsarTransit.sealText(JSON.stringify({ text: 'corrected', age: 42 }), {
      tenantId: TENANT,
      subjectRef,
      field: 'dsar.rectification.requested.v1/fields',
    });
    expect(fields).not.toContain('corrected');
    const requestId = randomUUID();
    await bus.publish(
      'dsar.rectification.requested.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { requestId, subjectRef, fields } }),
    );
    expect(await receiptOf('consent', requestId)).toEqual({ requestId, operation: 'rectify', subjectRef, affected: 1 });
    expect(await receiptOf('audit', requestId)).toMatchObject({ operation: 'rectify', affected: 0 });
    expect(consent.rectifications.at(-1)).toEqual({ text: 'corrected' });
    expect(await consent.export({ tenantId: TENANT, subjectRef })).toEqual([
      { category: 'notes', records: [{ text: 'corrected' }] },
    ]);
  });

  it('sweeps a category older than the cutoff, 1,000 rows a batch unless told, and answers with the category', async () => {
    const subjectRef = newSubjectRef();
    const cutoff = new Date(Date.now() - 60_000);
    consent.seed(subjectRef, 'drafts', 'stale', new Date(cutoff.getTime() - 1));
    consent.seed(subjectRef, 'drafts', 'fresh', cutoff);
    consent.seed(subjectRef, 'notes', 'other category', new Date(0));

    const sweepId = await sweep('drafts', cutoff);
    expect(await receiptOf('consent', sweepId)).toEqual({
      requestId: sweepId,
      operation: 'sweep',
      category: 'drafts',
      affected: 1,
    });
    expect(consent.sweeps.at(-1)).toEqual({ tenantId: TENANT, category: 'drafts', cutoff, batchSize: 1_000 });
    expect(await consent.export({ tenantId: TENANT, subjectRef })).toEqual([
      { category: 'drafts', records: [{ text: 'fresh' }] },
      { category: 'notes', records: [{ text: 'other category' }] },
    ]);

    const again = await sweep('drafts', cutoff, 50);
    expect(await receiptOf('consent', again)).toMatchObject({ operation: 'sweep', affected: 0 });
    expect(consent.sweeps.at(-1)).toMatchObject({ batchSize: 50 });
  });

  it("exports each section sealed at the holder's own place, `<holder>.rpc.export.v1/records`, row = category", async () => {
    const subjectRef = newSubjectRef();
    consent.seed(subjectRef, 'notes', 'a consent note');
    consent.seed(subjectRef, 'drafts', 'a consent draft');
    audit.seed(subjectRef, 'notes', 'an audit note');
    const place = (holder: DataHolderService, row: string) => ({
      tenantId: TENANT,
      subjectRef,
      field: `${holder}.rpc.export.v1/records`,
      row,
    });

    const requestId = randomUUID();
    const request = createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { requestId, subjectRef } });
    const answer = await bus.request('consent.rpc.export.v1', request);
    expect(answer.requestId).toBe(requestId);
    expect(answer.sections.map((s) => s.category)).toEqual(['notes', 'drafts']);
    expect(JSON.stringify(answer)).not.toContain('a consent');
    const [notes, drafts] = answer.sections;
    expect(JSON.parse(await dsarTransit.openText(notes.records, place('consent', 'notes')))).toEqual([
      { text: 'a consent note' },
    ]);
    expect(JSON.parse(await dsarTransit.openText(drafts.records, place('consent', 'drafts')))).toEqual([
      { text: 'a consent draft' },
    ]);
    // A section opens only at its own place: not under another category, nor as another holder's export.
    await expect(dsarTransit.openText(notes.records, place('consent', 'drafts'))).rejects.toThrow(OpenFailedError);
    await expect(dsarTransit.openText(notes.records, place('audit', 'notes'))).rejects.toThrow(OpenFailedError);

    // The other holder serves its own subject, with its own data.
    const audited = await bus.request('audit.rpc.export.v1', request);
    expect(audited.sections.map((s) => s.category)).toEqual(['notes']);
    expect(JSON.parse(await dsarTransit.openText(audited.sections[0].records, place('audit', 'notes')))).toEqual([
      { text: 'an audit note' },
    ]);
  });

  it('answers an export of a subject it holds nothing on with no sections', async () => {
    const requestId = randomUUID();
    const answer = await bus.request(
      'consent.rpc.export.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { requestId, subjectRef: newSubjectRef() } }),
    );
    expect(answer).toEqual({ requestId, sections: [] });
  });

  it("refuses at bootstrap a holder declared for another service than the application's", async () => {
    const other = new LossyBus(contracts);
    try {
      await expect(start(holderModule(other, rootKey, 'consent', 'audit'))).rejects.toThrow(NotOwnerError);
    } finally {
      await other.close();
    }
  });
});
