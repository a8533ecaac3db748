import { credentials, status } from '@grpc/grpc-js';
import { ConsentCheckRequestV1, ConsentHistoryRequestV1, ConsentRecordRequestV1 } from '@trustline/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsentApiRejection } from '../../src/api/consent-api';
import {
  ConsentTestClient,
  FakeConsentApi,
  fixture,
  startGrpc,
  testConfig,
  TOKENS,
  type RunningGrpc,
} from './support/grpc-harness';
import { testCertificates } from './support/test-certificates';

/** The proto request of a fixture: its tenant plus its data, under the proto's (camelCased) names. */
function requestOf(operation: 'check' | 'history' | 'record'): Record<string, unknown> {
  const { request } = fixture(operation);
  return { tenantId: request.tenantId, ...request.data };
}

// A value that must never come back in an error or a log line: it looks like personal data.
const PHONE = '+5511987654321';

describe('consent gRPC edge (ConsentService over grpc-js, fake ConsentApi)', () => {
  const api = new FakeConsentApi();
  let running: RunningGrpc;
  let client: ConsentTestClient;

  beforeAll(async () => {
    running = await startGrpc(api, testConfig());
    client = new ConsentTestClient(running.port);
  });

  afterAll(async () => {
    client?.close();
    await running?.app.close();
  });

  beforeEach(() => api.reset());

  describe('round trips, field for field (the contract fixtures as payloads)', () => {
    it('Check', async () => {
      const { request, response } = fixture('check');
      expect(request.producer).toBe('conversation-ai');
      const answer = await client.call('Check', requestOf('check'), { token: TOKENS['conversation-ai'] });
      expect(answer).toEqual(response);
      expect(api.calls).toHaveLength(1);
      expect(api.calls[0]).toEqual({ operation: 'check', tenantId: 'acme-dental', request: request.data });
      expect(api.calls[0].request).toBeInstanceOf(ConsentCheckRequestV1);
    });

    it('History', async () => {
      const { request, response } = fixture('history');
      expect(request.producer).toBe('dsar');
      const answer = await client.call('History', requestOf('history'), { token: TOKENS.dsar });
      expect(answer).toEqual(response);
      expect(api.calls).toEqual([{ operation: 'history', tenantId: 'acme-dental', request: request.data }]);
      expect(api.calls[0].request).toBeInstanceOf(ConsentHistoryRequestV1);
    });

    it('History carries the int64 cursor as a number', async () => {
      api.next = { response: { records: [], nextAfter: 9_007_199_254 } };
      const answer = await client.call(
        'History',
        { ...requestOf('history'), after: 4_294_967_296 },
        { token: TOKENS.audit },
      );
      expect(answer).toEqual({ records: [], nextAfter: 9_007_199_254 });
      expect(api.calls[0].request).toEqual({ ...fixture('history').request.data, after: 4_294_967_296 });
    });

    it('Record, handing the authenticated caller to the API', async () => {
      const { request, response } = fixture('record');
      expect(request.producer).toBe('dsar');
      const answer = await client.call('Record', requestOf('record'), { token: TOKENS.dsar });
      expect(answer).toEqual(response);
      expect(api.calls).toEqual([
        { operation: 'record', tenantId: 'acme-dental', caller: 'dsar', request: request.data },
      ]);
      expect(api.calls[0].request).toBeInstanceOf(ConsentRecordRequestV1);
    });

    it('keeps unset optional fields unset and false booleans false (default-deny answer)', async () => {
      const undecided = { allowed: false, state: 'undecided', suppressed: false, platformStopped: false };
      api.next = { response: undecided };
      const answer = await client.call('Check', requestOf('check'), { token: TOKENS.gateway });
      expect(answer).toEqual(undecided);
    });
  });

  describe('authentication and authorization (default-deny)', () => {
    it('answers UNAUTHENTICATED without a token, and calls nothing', async () => {
      const error = await client.failure('Check', requestOf('check'));
      expect(error.code).toBe(status.UNAUTHENTICATED);
      expect(api.calls).toEqual([]);
    });

    it('answers UNAUTHENTICATED with a wrong token, and does not echo it', async () => {
      const error = await client.failure('Check', requestOf('check'), { token: 'not-a-known-token-000' });
      expect(error.code).toBe(status.UNAUTHENTICATED);
      expect(error.details).not.toContain('not-a-known-token');
      expect(api.calls).toEqual([]);
    });

    it('answers PERMISSION_DENIED to a known caller not allowed to Record (conversation-ai)', async () => {
      const error = await client.failure('Record', requestOf('record'), { token: TOKENS['conversation-ai'] });
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(api.calls).toEqual([]);
      expect(running.logger.text()).toMatch(/record refused to conversation-ai/);
    });

    it('checks the caller before the request: an unauthenticated malformed request learns nothing of it', async () => {
      const error = await client.failure('Check', { ...requestOf('check'), purpose: 'newsletter' });
      expect(error.code).toBe(status.UNAUTHENTICATED);
      expect(error.details).not.toContain('purpose');
    });
  });

  describe('validation (INVALID_ARGUMENT names fields, never values)', () => {
    it.each([
      ['a malformed subject ref', 'Check', { ...requestOf('check'), subjectRef: PHONE }, 'subject_ref', PHONE],
      ['an unknown purpose', 'Check', { ...requestOf('check'), purpose: 'newsletter' }, 'purpose', 'newsletter'],
      ['a bad tenant', 'Check', { ...requestOf('check'), tenantId: 'Acme Dental!' }, 'tenant_id', 'Acme Dental'],
      ['a missing tenant', 'History', { ...requestOf('history'), tenantId: '' }, 'tenant_id', undefined],
      ['a page too large', 'History', { ...requestOf('history'), limit: 501 }, 'limit', '501'],
      [
        'an unknown purpose among several',
        'Record',
        { ...requestOf('record'), purposes: ['marketing', 'newsletter'] },
        'purposes',
        'newsletter',
      ],
      ['a missing evidence', 'Record', { ...requestOf('record'), evidence: undefined }, 'evidence', undefined],
      [
        'a malformed nested evidence field',
        'Record',
        { ...requestOf('record'), evidence: { reference: `call ${PHONE}`, actor: 'dsar' } },
        'evidence.reference',
        PHONE,
      ],
      ['a wrong notice version', 'Record', { ...requestOf('record'), noticeVersion: 0 }, 'notice_version', undefined],
    ] as const)('rejects %s', async (_case, method, request, field, value) => {
      const token = method === 'Check' ? TOKENS.gateway : TOKENS.dsar;
      const error = await client.failure(method, request, { token });
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain(field);
      if (value !== undefined) {
        expect(error.details).not.toContain(value);
      }
      expect(api.calls).toEqual([]);
    });

    it('names every offending field at once', async () => {
      const error = await client.failure(
        'Check',
        { tenantId: 'UPPER', subjectRef: 'short', purpose: 'x' },
        { token: TOKENS.gateway },
      );
      expect(error.details).toMatch(/tenant_id.*subject_ref.*purpose/);
    });
  });

  describe('errors from the API', () => {
    it('maps a not-found rejection to NOT_FOUND', async () => {
      api.next = { error: new ConsentApiRejection('not-found', 'no such subject') };
      const error = await client.failure('Record', requestOf('record'), { token: TOKENS.dsar });
      expect(error.code).toBe(status.NOT_FOUND);
      expect(error.details).toBe('no such subject');
    });

    it('maps an invalid rejection to INVALID_ARGUMENT', async () => {
      api.next = { error: new ConsentApiRejection('invalid', 'notice version 7 does not exist') };
      const error = await client.failure('Record', requestOf('record'), { token: TOKENS.dsar });
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toBe('notice version 7 does not exist');
    });

    it('answers anything else with INTERNAL and a generic message, and logs only the error name', async () => {
      class LedgerExploded extends Error {
        override readonly name = 'LedgerExploded';
      }
      api.next = { error: new LedgerExploded(`row for ${PHONE} broke`) };
      const error = await client.failure('Check', requestOf('check'), { token: TOKENS.gateway });
      expect(error.code).toBe(status.INTERNAL);
      expect(error.details).toBe('internal error');
      const logs = running.logger.text();
      expect(logs).toMatch(/check failed: LedgerExploded/);
      expect(logs).not.toContain(PHONE);
    });
  });

  describe('deadlines', () => {
    it("gives up at the client's deadline (DEADLINE_EXCEEDED)", async () => {
      api.next = { delayMs: 1_000 };
      const started = Date.now();
      const error = await client.failure('Check', requestOf('check'), { token: TOKENS.gateway, deadlineMs: 100 });
      expect(error.code).toBe(status.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeLessThan(900);
    });
  });
});

describe('consent gRPC server lifecycle', () => {
  it('logs that it runs without TLS, and on which port', async () => {
    const running = await startGrpc(new FakeConsentApi(), testConfig());
    try {
      expect(running.logger.text()).toMatch(/WITHOUT TLS/);
      expect(running.logger.text()).toContain(`127.0.0.1:${running.port} (insecure)`);
    } finally {
      await running.app.close();
    }
  });

  it('binds CONSENT_GRPC_HOST when set, instead of HTTP_HOST', async () => {
    const running = await startGrpc(
      new FakeConsentApi(),
      testConfig({ HTTP_HOST: '0.0.0.0', CONSENT_GRPC_HOST: '127.0.0.1' }),
    );
    try {
      expect(running.logger.text()).toContain(`listening on 127.0.0.1:${running.port}`);
    } finally {
      await running.app.close();
    }
  });

  it('drains at shutdown: a call in flight completes, then the port is closed', async () => {
    const api = new FakeConsentApi();
    const running = await startGrpc(api, testConfig());
    const client = new ConsentTestClient(running.port);
    try {
      api.next = { delayMs: 300 };
      const inFlight = client.call('Check', requestOf('check'), { token: TOKENS.gateway });
      await waitUntil(() => api.calls.length === 1);
      await running.app.close();
      await expect(inFlight).resolves.toEqual(fixture('check').response);
      const after = new ConsentTestClient(running.port);
      try {
        const error = await after.failure('Check', requestOf('check'), { token: TOKENS.gateway, deadlineMs: 1_000 });
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(error.code);
      } finally {
        after.close();
      }
    } finally {
      client.close();
      api.reset();
    }
  });

  it('cuts off calls still running after the grace period', async () => {
    const api = new FakeConsentApi();
    const running = await startGrpc(api, testConfig({ CONSENT_GRPC_SHUTDOWN_GRACE_MS: 200 }));
    const client = new ConsentTestClient(running.port);
    try {
      api.next = { delayMs: 5_000 };
      const inFlight = client.failure('Check', requestOf('check'), { token: TOKENS.gateway });
      await waitUntil(() => api.calls.length === 1);
      const started = Date.now();
      await running.app.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      // grpc-js resets the streams it cuts off: the client sees its call cancelled by the server.
      expect([status.CANCELLED, status.UNAVAILABLE]).toContain((await inFlight).code);
      expect(running.logger.text()).toMatch(/still running after 200 ms/);
    } finally {
      client.close();
      api.reset();
    }
  });

  it('refuses to start with a certificate but no key', async () => {
    await expect(
      startGrpc(new FakeConsentApi(), testConfig({ CONSENT_GRPC_TLS_CERT_FILE: '/nonexistent/cert.pem' })),
    ).rejects.toThrow('CONSENT_GRPC_TLS_CERT_FILE and CONSENT_GRPC_TLS_KEY_FILE go together');
  });
});

describe('consent gRPC over TLS (throwaway certificates made at test time, in a temporary directory)', () => {
  const pki = testCertificates();
  let dir: string;
  const files: Record<'ca' | 'cert' | 'key', string> = { ca: '', cert: '', key: '' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'consent-grpc-tls-'));
    files.ca = join(dir, 'ca.pem');
    files.cert = join(dir, 'server.pem');
    files.key = join(dir, 'server.key');
    writeFileSync(files.ca, pki.ca.cert);
    writeFileSync(files.cert, pki.server.cert);
    writeFileSync(files.key, pki.server.key, { mode: 0o600 });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves TLS clients that trust its CA, and no plaintext client', async () => {
    const api = new FakeConsentApi();
    const running = await startGrpc(
      api,
      testConfig({ CONSENT_GRPC_TLS_CERT_FILE: files.cert, CONSENT_GRPC_TLS_KEY_FILE: files.key }),
    );
    const tls = new ConsentTestClient(running.port, credentials.createSsl(pki.ca.cert));
    const plain = new ConsentTestClient(running.port);
    try {
      expect(running.logger.text()).toContain(`(TLS)`);
      expect(running.logger.text()).not.toMatch(/WITHOUT TLS/);
      await expect(tls.call('Check', requestOf('check'), { token: TOKENS.gateway })).resolves.toEqual(
        fixture('check').response,
      );
      expect((await tls.failure('Check', requestOf('check'))).code).toBe(status.UNAUTHENTICATED);
      const error = await plain.failure('Check', requestOf('check'), { token: TOKENS.gateway, deadlineMs: 2_000 });
      expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(error.code);
    } finally {
      tls.close();
      plain.close();
      await running.app.close();
    }
  });

  it('with a CA, requires a client certificate chaining to it (mutual TLS)', async () => {
    const api = new FakeConsentApi();
    const running = await startGrpc(
      api,
      testConfig({
        CONSENT_GRPC_TLS_CERT_FILE: files.cert,
        CONSENT_GRPC_TLS_KEY_FILE: files.key,
        CONSENT_GRPC_TLS_CA_FILE: files.ca,
      }),
    );
    const stranger = testCertificates();
    const mutual = new ConsentTestClient(
      running.port,
      credentials.createSsl(pki.ca.cert, pki.client.key, pki.client.cert),
    );
    const anonymous = new ConsentTestClient(running.port, credentials.createSsl(pki.ca.cert));
    const foreign = new ConsentTestClient(
      running.port,
      credentials.createSsl(pki.ca.cert, stranger.client.key, stranger.client.cert),
    );
    try {
      expect(running.logger.text()).toContain('(mutual TLS)');
      await expect(mutual.call('Record', requestOf('record'), { token: TOKENS.dsar })).resolves.toEqual(
        fixture('record').response,
      );
      for (const client of [anonymous, foreign]) {
        const error = await client.failure('Check', requestOf('check'), { token: TOKENS.gateway, deadlineMs: 2_000 });
        expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(error.code);
      }
      expect(api.calls).toHaveLength(1);
    } finally {
      mutual.close();
      anonymous.close();
      foreign.close();
      await running.app.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
