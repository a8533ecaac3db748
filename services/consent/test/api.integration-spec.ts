import { status } from '@grpc/grpc-js';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import {
  createEnvelope,
  type ConsentCheckRequestV1,
  type ConsentHistoryRequestV1,
  type ConsentRecordRequestV1,
  type ServiceName,
} from '@trustline/contracts';
import { PublisherNotAllowedError, RequestFailedError, RPC_ERROR_HEADERS } from '@trustline/messaging';
import { testNatsUrl } from '@trustline/service-kit/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsentTestClient, TOKENS } from './grpc/support/grpc-harness';
import { ConsentRig, TENANT, type ContactHandle } from './support/consent-rig';

const newRef = () => randomBytes(16).toString('base64url');

describe('the internal API on the real service: NATS request/reply and gRPC', () => {
  let rig: ConsentRig;
  let grpc: ConsentTestClient;
  /** A contact who accepted everything, left with STOP and came back with START: eight records. */
  let contact: ContactHandle;

  const check = (data: ConsentCheckRequestV1, producer: ServiceName = 'conversation-ai') =>
    rig.harness.peers.request('consent.rpc.check.v1', createEnvelope({ producer, tenantId: TENANT, data }));
  const history = (data: ConsentHistoryRequestV1, producer: ServiceName = 'dsar') =>
    rig.harness.peers.request('consent.rpc.history.v1', createEnvelope({ producer, tenantId: TENANT, data }));
  const record = (data: ConsentRecordRequestV1, producer: ServiceName = 'dsar') =>
    rig.harness.peers.request('consent.rpc.record.v1', createEnvelope({ producer, tenantId: TENANT, data }));

  const grant = (subjectRef: string, overrides: Partial<ConsentRecordRequestV1> = {}): ConsentRecordRequestV1 => ({
    requestId: randomUUID(),
    subjectRef,
    purposes: ['assistant'],
    action: 'granted',
    evidence: { reference: 'web-form:2026-0001' },
    ...overrides,
  });

  beforeAll(async () => {
    rig = await ConsentRig.start({
      env: {
        CONSENT_GRPC_CLIENTS: Object.entries(TOKENS)
          .map(([caller, token]) => `${caller}=${token}`)
          .join(','),
      },
    });
    grpc = new ConsentTestClient(Number(rig.harness.env.CONSENT_GRPC_PORT));
    contact = await rig.decidedContact({ prefix: '1415' });
    await rig.inbound(contact, { text: 'STOP' });
    await rig.waitForCommands(contact, 'opt-out-confirmation');
    await rig.inbound(contact, { text: 'START' });
    await rig.waitForCommands(contact, 'opt-in-confirmation');
    await rig.settle();
  });

  afterAll(async () => {
    grpc?.close();
    await rig.destroy();
  });

  describe('NATS: consent.rpc.check.v1', () => {
    it('answers from the ledger for a granted contact', async () => {
      const answer = await check({ subjectRef: contact.contactRef, purpose: 'assistant' });
      expect(answer).toEqual({
        allowed: true,
        state: 'granted',
        suppressed: false,
        platformStopped: false,
        noticeVersion: 1,
        regime: 'us-ca-ccpa',
        decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) as unknown,
      });
    });

    it('default-denies a subject it does not know', async () => {
      expect(await check({ subjectRef: newRef(), purpose: 'assistant' })).toEqual({
        allowed: false,
        state: 'undecided',
        suppressed: false,
        platformStopped: false,
      });
    });

    it('answers undecided for a purpose the contact was never asked about', async () => {
      expect(await check({ subjectRef: contact.contactRef, purpose: 'notifications' })).toEqual({
        allowed: false,
        state: 'undecided',
        suppressed: false,
        platformStopped: false,
        regime: 'us-ca-ccpa',
      });
    });
  });

  describe('NATS: consent.rpc.history.v1', () => {
    it('pages through the ledger, oldest first, with after / nextAfter', async () => {
      const all = await history({ subjectRef: contact.contactRef });
      expect(all.nextAfter).toBeUndefined();
      expect(all.records.map((r) => [r.action, r.purpose])).toEqual([
        ['prompted', 'assistant'],
        ['prompted', 'marketing'],
        ['granted', 'assistant'],
        ['granted', 'marketing'],
        ['withdrawn', 'assistant'],
        ['withdrawn', 'marketing'],
        ['granted', 'assistant'],
        ['granted', 'marketing'],
      ]);
      const pages = [];
      let after: number | undefined;
      do {
        const page = await history({ subjectRef: contact.contactRef, limit: 3, ...(after ? { after } : {}) });
        pages.push(page.records.map((r) => r.recordId));
        after = page.nextAfter;
      } while (after !== undefined);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      expect(pages.flat()).toEqual(all.records.map((r) => r.recordId));
    });

    it('filters by purpose', async () => {
      const marketing = await history({ subjectRef: contact.contactRef, purpose: 'marketing', limit: 2 });
      expect(marketing.records.map((r) => [r.purpose, r.action])).toEqual([
        ['marketing', 'prompted'],
        ['marketing', 'granted'],
      ]);
      const rest = await history({ subjectRef: contact.contactRef, purpose: 'marketing', after: marketing.nextAfter });
      expect(rest.records.map((r) => r.action)).toEqual(['withdrawn', 'granted']);
      expect(rest.nextAfter).toBeUndefined();
    });

    it('is empty for a subject it does not know', async () => {
      expect(await history({ subjectRef: newRef() })).toEqual({ records: [] });
    });
  });

  describe('NATS: consent.rpc.record.v1', () => {
    const subjectRef = newRef();
    let granted: ConsentRecordRequestV1;

    it('records a grant for a subject consent has never seen, which then allows the conversation', async () => {
      granted = grant(subjectRef);
      const answer = await record(granted);
      expect(answer.records).toEqual([
        {
          recordId: expect.any(String) as unknown,
          subjectRef,
          purpose: 'assistant',
          action: 'granted',
          noticeVersion: 1,
          noticePurposes: ['assistant', 'marketing'],
          lawfulBasis: 'consent',
          channel: 'api',
          regime: 'baseline',
          evidence: { reference: 'web-form:2026-0001', actor: 'dsar' },
          recordedAt: expect.any(String) as unknown,
        },
      ]);
      expect(await check({ subjectRef, purpose: 'assistant' })).toMatchObject({ allowed: true, state: 'granted' });
      expect(await rig.permission({ waId: '', contactRef: subjectRef }, 'conversation')).toEqual({
        decision: 'allow',
        basis: 'consent',
      });
      expect(await rig.permission({ waId: '', contactRef: subjectRef }, 'marketing')).toEqual({
        decision: 'deny',
        reason: 'no-consent',
      });
    });

    it('is idempotent by requestId', async () => {
      const before = (await history({ subjectRef })).records;
      const again = await record(granted);
      expect(again.records.map((r) => r.recordId)).toEqual(before.map((r) => r.recordId));
      expect((await history({ subjectRef })).records).toHaveLength(before.length);
    });

    it('a withdrawal of the assistant suppresses the contact at once', async () => {
      await record(grant(subjectRef, { action: 'withdrawn', evidence: { reference: 'call:42', actor: 'agent-7' } }));
      expect(await check({ subjectRef, purpose: 'assistant' })).toMatchObject({
        allowed: false,
        state: 'withdrawn',
        suppressed: true,
      });
      expect(await check({ subjectRef, purpose: 'marketing' })).toMatchObject({ allowed: false, suppressed: true });
      const contactRef = { waId: '', contactRef: subjectRef };
      expect(await rig.permission(contactRef, 'conversation')).toEqual({ decision: 'deny', reason: 'suppressed' });
      const last = (await history({ subjectRef })).records.at(-1);
      expect(last).toMatchObject({ action: 'withdrawn', evidence: { reference: 'call:42', actor: 'agent-7' } });
    });

    it('rejects a notice version that does not exist, recording nothing', async () => {
      const fresh = newRef();
      await expect(record(grant(fresh, { noticeVersion: 9 }))).rejects.toMatchObject({
        name: 'RequestFailedError',
        remoteError: 'ConsentApiRejection',
      });
      expect((await history({ subjectRef: fresh })).records).toEqual([]);
    });

    it('rejects a decision without evidence.reference', async () => {
      const fresh = newRef();
      await expect(record(grant(fresh, { evidence: { actor: 'dsar' } }))).rejects.toBeInstanceOf(RequestFailedError);
      expect(await check({ subjectRef: fresh, purpose: 'assistant' })).toMatchObject({ state: 'undecided' });
    });

    it('refuses a producer that may not record (conversation-ai), on the requester’s side and on consent’s', async () => {
      const fresh = newRef();
      await expect(record(grant(fresh), 'conversation-ai')).rejects.toBeInstanceOf(PublisherNotAllowedError);
      // Past the requester's own check, straight on the wire: consent refuses too.
      const nc = await connect({ servers: testNatsUrl() });
      try {
        const reply = await nc.request(
          `${rig.harness.env.NATS_SUBJECT_PREFIX}.consent.rpc.record.v1`,
          JSON.stringify(createEnvelope({ producer: 'conversation-ai', tenantId: TENANT, data: grant(fresh) })),
          { timeout: 5_000, headers: natsHeaders() },
        );
        expect(reply.headers?.get(RPC_ERROR_HEADERS.error)).toBe('ConsentApiRejection');
      } finally {
        await nc.close();
      }
      expect((await history({ subjectRef: fresh })).records).toEqual([]);
    });
  });

  describe('gRPC agrees with NATS', () => {
    const call = (method: 'Check' | 'History' | 'Record', request: object, caller: keyof typeof TOKENS) =>
      grpc.call(method, { tenantId: TENANT, ...request }, { token: TOKENS[caller] });

    it('Check', async () => {
      for (const purpose of ['assistant', 'marketing', 'notifications'] as const) {
        const request = { subjectRef: contact.contactRef, purpose };
        expect(await call('Check', request, 'conversation-ai')).toEqual(await check(request));
      }
      const unknown = { subjectRef: newRef(), purpose: 'assistant' as const };
      expect(await call('Check', unknown, 'gateway')).toEqual(await check(unknown));
    });

    it('History, page by page', async () => {
      const first = { subjectRef: contact.contactRef, limit: 5 };
      const viaGrpc = await call('History', first, 'audit');
      const viaNats = await history(first);
      expect(viaGrpc).toEqual(viaNats);
      expect(viaNats.nextAfter).toBeDefined();
      const second = { subjectRef: contact.contactRef, limit: 5, after: viaNats.nextAfter };
      expect(await call('History', second, 'dsar')).toEqual(await history(second));
    });

    it('Record, one ledger behind both: the same requestId over NATS returns the records made over gRPC', async () => {
      const subjectRef = newRef();
      const request = grant(subjectRef, { purposes: ['assistant', 'marketing'], action: 'granted' });
      const viaGrpc = (await call('Record', request, 'dsar')) as { records: { recordId: string }[] };
      expect(viaGrpc.records).toHaveLength(2);
      expect(await record(request)).toEqual(viaGrpc);
      expect(await history({ subjectRef })).toEqual(viaGrpc);
      const allowed = { subjectRef, purpose: 'marketing' as const };
      expect(await check(allowed)).toMatchObject({ allowed: true });
      expect(await call('Check', allowed, 'conversation-ai')).toEqual(await check(allowed));
    });

    it('refuses what NATS refuses', async () => {
      const fresh = newRef();
      const denied = await grpc.failure(
        'Record',
        { tenantId: TENANT, ...grant(fresh) },
        { token: TOKENS['conversation-ai'] },
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      const unknownNotice = await grpc.failure(
        'Record',
        { tenantId: TENANT, ...grant(fresh, { noticeVersion: 9 }) },
        { token: TOKENS.dsar },
      );
      expect(unknownNotice.code).toBe(status.INVALID_ARGUMENT);
      expect(await call('History', { subjectRef: fresh }, 'dsar')).toEqual({ records: [] });
    });
  });
});
