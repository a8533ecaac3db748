import { loadConfig } from '@trustline/service-kit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consentEnv } from '../config';
import type { ConsentPolicy } from './consent-policy';
import { NoticeCatalog, TenantNotices, type ConsentConfig } from './notice-catalog';

const GRPC_CLIENTS = 'gateway=test-gateway-token-0001';

/** consent's variables as the service reads them at start (production rules unless NODE_ENV says otherwise). */
function config(env: Record<string, string>): ConsentConfig {
  return loadConfig('consent', consentEnv, {
    NODE_ENV: 'production',
    CONSENT_GRPC_CLIENTS: GRPC_CLIENTS,
    ...env,
  }) as unknown as ConsentConfig;
}

const tenant = (overrides: Record<string, unknown> = {}) => ({
  tenantId: 'acme-dental',
  businessName: 'Acme Dental',
  privacyPolicyUrl: 'https://acme-dental.example/privacy',
  languages: ['es', 'en'],
  notices: [{ version: 1, purposes: [{ purpose: 'assistant', required: true }] }],
  ...overrides,
});

describe(NoticeCatalog.name, () => {
  let dir: string;
  let files = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'consent-catalog-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a tenants file and loads the catalog from it. */
  function fromFile(content: unknown): NoticeCatalog {
    files += 1;
    const path = join(dir, `tenants-${files}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return NoticeCatalog.fromConfig(config({ CONSENT_TENANTS_FILE: path }));
  }

  /** The error loading the file fails with. */
  function failure(content: unknown): string {
    try {
      fromFile(content);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the tenants file was accepted');
  }

  describe('the tenants file', () => {
    it('gives each tenant its policy, notices ordered by version, lawful basis defaulting to consent', () => {
      const catalog = fromFile({
        tenants: [
          tenant({
            notices: [
              {
                version: 2,
                purposes: [
                  { purpose: 'assistant', required: true, lawfulBasis: 'contract' },
                  { purpose: 'marketing', required: false },
                ],
              },
              { version: 1, purposes: [{ purpose: 'assistant', required: true }] },
            ],
            establishment: 'es-lopdgdd',
            countryOverrides: { MX: 'mx-lfpdppp' },
          }),
          tenant({ tenantId: 'other-clinic', businessName: 'Other Clinic', languages: ['pt'] }),
        ],
      });
      const acme = catalog.forTenant('acme-dental')!;
      expect(acme.policy.notices.map((n) => n.version)).toEqual([1, 2]);
      expect(acme.current).toEqual({
        version: 2,
        purposes: [
          { purpose: 'assistant', required: true, lawfulBasis: 'contract' },
          { purpose: 'marketing', required: false, lawfulBasis: 'consent' },
        ],
      });
      expect(acme.version(1)?.purposes).toEqual([{ purpose: 'assistant', required: true, lawfulBasis: 'consent' }]);
      expect(acme.version(3)).toBeUndefined();
      expect(acme.policy).toMatchObject({ establishment: 'es-lopdgdd', countryOverrides: { MX: 'mx-lfpdppp' } });
      expect(catalog.forTenant('other-clinic')?.policy.businessName).toBe('Other Clinic');
    });

    it('has no policy for a tenant it does not list (its contacts wait rather than see a guessed notice)', () => {
      expect(fromFile({ tenants: [tenant()] }).forTenant('unknown-tenant')).toBeUndefined();
    });

    it.each([
      [
        'a privacy policy that is not https',
        { tenants: [tenant({ privacyPolicyUrl: 'http://secret-host.example/p' })] },
        ['tenants.0.privacyPolicyUrl'],
        'secret-host',
      ],
      [
        'a business name too long',
        { tenants: [tenant({ businessName: `Secret ${'n'.repeat(60)}` })] },
        ['tenants.0.businessName'],
        'Secret',
      ],
      [
        'an unknown language',
        { tenants: [tenant({ languages: ['en', 'xx-secret'] })] },
        ['tenants.0.languages'],
        'xx-',
      ],
      [
        'a tenant id that is not a slug',
        { tenants: [tenant({ tenantId: 'Secret Tenant' })] },
        ['tenants.0.tenantId'],
        'Secret',
      ],
      [
        'an unknown purpose deep inside a notice',
        {
          tenants: [
            tenant(),
            tenant({
              tenantId: 'b',
              notices: [{ version: 1, purposes: [{ purpose: 'secret-purpose', required: true }] }],
            }),
          ],
        },
        ['tenants.1.notices.0.purposes.0.purpose'],
        'secret-purpose',
      ],
      [
        'a notice version that is not a positive integer',
        { tenants: [tenant({ notices: [{ version: 0, purposes: [{ purpose: 'assistant', required: true }] }] })] },
        ['tenants.0.notices.0.version'],
        undefined,
      ],
      [
        'a field the file does not know',
        { tenants: [tenant({ secretField: 'secret-value' })] },
        ['tenants.0.secretField'],
        'secret-value',
      ],
      ['no tenants', { tenants: [] }, ['tenants'], undefined],
    ])('refuses %s, naming where and not what', (_case, content, paths, value) => {
      const message = failure(content);
      expect(message).toMatch(/^consent: CONSENT_TENANTS_FILE is invalid at /);
      for (const path of paths) {
        expect(message).toContain(path);
      }
      if (value !== undefined) {
        expect(message).not.toContain(value);
      }
    });

    it('refuses a file that is not JSON without quoting it', () => {
      const message = failure('{"tenants": [secret-text');
      expect(message).toBe('consent: CONSENT_TENANTS_FILE cannot be read as JSON (SyntaxError)');
    });

    it('refuses a missing file', () => {
      expect(() => NoticeCatalog.fromConfig(config({ CONSENT_TENANTS_FILE: join(dir, 'missing.json') }))).toThrow(
        'consent: CONSENT_TENANTS_FILE cannot be read as JSON (Error)',
      );
    });

    it('refuses a tenant listed twice', () => {
      expect(failure({ tenants: [tenant(), tenant()] })).toBe(
        'consent: CONSENT_TENANTS_FILE lists tenant acme-dental twice',
      );
    });

    it.each([
      ['without the assistant', [{ purpose: 'marketing', required: true }]],
      ['with the assistant optional', [{ purpose: 'assistant', required: false }]],
    ])('requires every notice to ask for the assistant as required (%s)', (_case, purposes) => {
      const message = failure({
        tenants: [
          tenant({
            notices: [
              { version: 1, purposes: [{ purpose: 'assistant', required: true }] },
              { version: 2, purposes },
            ],
          }),
        ],
      });
      expect(message).toBe('consent: tenant acme-dental: notice 2 must ask for the assistant purpose as required');
    });

    it('refuses repeated notice versions and a purpose named twice, all problems at once', () => {
      const assistant = { purpose: 'assistant', required: true };
      const message = failure({
        tenants: [
          tenant({
            notices: [
              { version: 1, purposes: [assistant] },
              { version: 1, purposes: [assistant, assistant] },
            ],
          }),
        ],
      });
      expect(message).toContain('consent: tenant acme-dental: ');
      expect(message).toContain('notice versions repeat');
      expect(message).toContain('notice 1 names a purpose twice');
    });

    // Every message of the tenant would otherwise fail to resolve its regime, and wait until dead-lettered.
    it.each([
      [{ MX: 'mexico-law' }, 'countryOverrides.MX: "mexico-law" is not a privacy regime'],
      [{ mx: 'mx-lfpdppp' }, 'countryOverrides: "mx" is not an ISO 3166-1 alpha-2 country code in upper case'],
    ])('refuses country overrides that cannot resolve a regime (%j)', (countryOverrides, problem) => {
      expect(failure({ tenants: [tenant({ countryOverrides })] })).toContain(`consent: tenant acme-dental: ${problem}`);
    });

    it('refuses a policy whose prompt would be too long for WhatsApp, per notice and language', () => {
      const message = failure({
        tenants: [tenant({ privacyPolicyUrl: `https://acme-dental.example/${'p'.repeat(700)}` })],
      });
      expect(message).toBe(
        'consent: tenant acme-dental: notice 1 (es): the prompt is longer than 1024 characters; ' +
          'notice 1 (en): the prompt is longer than 1024 characters',
      );
    });
  });

  describe('without a tenants file: one policy from the CONSENT_* variables, for every tenant', () => {
    it('offers the assistant (required) and offers and promotions (optional) in the listed languages', () => {
      const catalog = NoticeCatalog.fromConfig(
        config({
          CONSENT_BUSINESS_NAME: 'Acme Dental',
          CONSENT_PRIVACY_POLICY_URL: 'https://acme-dental.example/privacy',
          CONSENT_LANGUAGES: 'pt, es',
        }),
      );
      for (const tenantId of ['acme-dental', 'any-other']) {
        const notices = catalog.forTenant(tenantId)!;
        expect(notices.policy).toEqual({
          businessName: 'Acme Dental',
          privacyPolicyUrl: 'https://acme-dental.example/privacy',
          languages: ['pt', 'es'],
          notices: [
            {
              version: 1,
              purposes: [
                { purpose: 'assistant', required: true, lawfulBasis: 'consent' },
                { purpose: 'marketing', required: false, lawfulBasis: 'consent' },
              ],
            },
          ],
        });
      }
    });

    it('defaults to English, Spanish and Portuguese', () => {
      const catalog = NoticeCatalog.fromConfig(
        config({ CONSENT_BUSINESS_NAME: 'Acme', CONSENT_PRIVACY_POLICY_URL: 'https://acme.example/privacy' }),
      );
      expect(catalog.forTenant('t')?.policy.languages).toEqual(['en', 'es', 'pt']);
    });

    it('has the demo business in development', () => {
      const catalog = NoticeCatalog.fromConfig(config({ NODE_ENV: 'development' }));
      expect(catalog.forTenant('t')?.policy).toMatchObject({
        businessName: 'Trustline Demo',
        privacyPolicyUrl: 'https://trustline.example/privacy',
      });
    });

    it.each([
      [{ CONSENT_PRIVACY_POLICY_URL: 'https://acme.example/privacy' }],
      [{ CONSENT_BUSINESS_NAME: 'Acme' }],
      [{}],
    ])('outside development, needs the business name and the privacy policy (%j)', (env) => {
      expect(() => NoticeCatalog.fromConfig(config(env))).toThrow(
        'consent: set CONSENT_TENANTS_FILE, or CONSENT_BUSINESS_NAME and CONSENT_PRIVACY_POLICY_URL',
      );
    });

    it.each(['en,fr', 'de', ''])('refuses languages it has no notice in (%j)', (languages) => {
      expect(() =>
        NoticeCatalog.fromConfig(
          config({
            CONSENT_BUSINESS_NAME: 'Acme',
            CONSENT_PRIVACY_POLICY_URL: 'https://acme.example/privacy',
            CONSENT_LANGUAGES: languages,
          }),
        ),
      ).toThrow('consent: CONSENT_LANGUAGES must list languages among en, es, pt');
    });

    it('checks the prompt length of the variables’ policy too', () => {
      expect(() =>
        NoticeCatalog.fromConfig(
          config({
            CONSENT_BUSINESS_NAME: 'Acme',
            CONSENT_PRIVACY_POLICY_URL: `https://acme.example/${'p'.repeat(700)}`,
          }),
        ),
      ).toThrow(/^consent: the CONSENT_\* policy: notice 1 \(en\): the prompt is longer than 1024 characters/);
    });
  });

  describe(NoticeCatalog.of.name, () => {
    const policy: ConsentPolicy = {
      businessName: 'Acme',
      privacyPolicyUrl: 'https://acme.example/privacy',
      languages: ['en'],
      notices: [{ version: 1, purposes: [{ purpose: 'assistant', required: true, lawfulBasis: 'consent' }] }],
    };

    it('builds a catalog from policies, checked like the file', () => {
      expect(NoticeCatalog.of({ acme: policy }).forTenant('acme')?.current.version).toBe(1);
      expect(() => NoticeCatalog.of({ acme: { ...policy, notices: [...policy.notices, ...policy.notices] } })).toThrow(
        'consent: tenant acme: notice versions repeat',
      );
    });
  });
});

describe(TenantNotices.name, () => {
  const notices = new TenantNotices({
    businessName: 'Acme',
    privacyPolicyUrl: 'https://acme.example/privacy',
    languages: ['es', 'pt'],
    notices: [{ version: 1, purposes: [{ purpose: 'assistant', required: true, lawfulBasis: 'consent' }] }],
  });

  it.each([
    ['pt', 'pt'],
    ['es', 'es'],
    ['en', 'es'],
    ['fr', 'es'],
    [null, 'es'],
    [undefined, 'es'],
  ])('a contact speaking %s is shown the %s notice', (language, shown) => {
    expect(notices.languageFor(language)).toBe(shown);
  });
});
