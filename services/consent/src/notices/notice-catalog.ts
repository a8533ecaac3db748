import { checkTenantRegimePolicy } from '@trustline/compliance';
import type { ServiceConfig } from '@trustline/service-kit';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import type { consentEnv } from '../config';
import type { NoticeBook } from '../flow/consent-flow.rules';
import { NOTICE_LANGUAGES, type ConsentPolicy, type NoticeLanguage, type NoticeVersion } from './consent-policy';
import { ConsentTenantsFileDto, type TenantConsentPolicyDto } from './consent-tenants-file.dto';
import { checkPromptLimits } from './notice-text.rules';

export type ConsentConfig = ServiceConfig<typeof consentEnv>;

/** The notice every tenant gets without a tenants file: the assistant (required) and offers (optional). */
const DEFAULT_NOTICES: readonly NoticeVersion[] = [
  {
    version: 1,
    purposes: [
      { purpose: 'assistant', required: true, lawfulBasis: 'consent' },
      { purpose: 'marketing', required: false, lawfulBasis: 'consent' },
    ],
  },
];

/** A tenant's policy with its notices indexed: the flow's NoticeBook. */
export class TenantNotices implements NoticeBook {
  readonly current: NoticeVersion;
  private readonly byVersion: ReadonlyMap<number, NoticeVersion>;

  constructor(readonly policy: ConsentPolicy) {
    this.current = policy.notices[policy.notices.length - 1]!;
    this.byVersion = new Map(policy.notices.map((notice) => [notice.version, notice]));
  }

  version(version: number): NoticeVersion | undefined {
    return this.byVersion.get(version);
  }

  /** The contact's language if the tenant offers it, else the tenant's default. */
  languageFor(language: string | null | undefined): NoticeLanguage {
    const offered = this.policy.languages;
    return offered.find((candidate) => candidate === language) ?? offered[0];
  }
}

/**
 * Every tenant's consent policy, validated at start: from CONSENT_TENANTS_FILE, or one policy from the
 * CONSENT_* variables for every tenant. A tenant missing from the file has no policy: consent then holds its
 * contacts' messages and prompts nobody (and says so in the log), rather than guess a business name.
 */
export class NoticeCatalog {
  private constructor(
    private readonly tenants: ReadonlyMap<string, TenantNotices>,
    private readonly fallback: TenantNotices | undefined,
  ) {}

  static fromConfig(config: ConsentConfig): NoticeCatalog {
    if (config.CONSENT_TENANTS_FILE !== undefined) {
      const policies = readTenantsFile(config.CONSENT_TENANTS_FILE);
      return new NoticeCatalog(
        new Map([...policies].map(([id, policy]) => [id, new TenantNotices(policy)])),
        undefined,
      );
    }
    if (config.CONSENT_BUSINESS_NAME === undefined || config.CONSENT_PRIVACY_POLICY_URL === undefined) {
      throw new Error('consent: set CONSENT_TENANTS_FILE, or CONSENT_BUSINESS_NAME and CONSENT_PRIVACY_POLICY_URL');
    }
    const languages = config.CONSENT_LANGUAGES.split(',').map((language) => language.trim());
    const unknown = languages.filter((language) => !(NOTICE_LANGUAGES as readonly string[]).includes(language));
    if (unknown.length > 0 || languages.length === 0) {
      throw new Error(`consent: CONSENT_LANGUAGES must list languages among ${NOTICE_LANGUAGES.join(', ')}`);
    }
    const policy: ConsentPolicy = {
      businessName: config.CONSENT_BUSINESS_NAME,
      privacyPolicyUrl: config.CONSENT_PRIVACY_POLICY_URL,
      languages: languages as NoticeLanguage[],
      notices: DEFAULT_NOTICES,
    };
    assertSound('the CONSENT_* policy', policy);
    return new NoticeCatalog(new Map(), new TenantNotices(policy));
  }

  /** For tests and tools: a catalog from policies already built. */
  static of(policies: Readonly<Record<string, ConsentPolicy>>): NoticeCatalog {
    for (const [tenantId, policy] of Object.entries(policies)) {
      assertSound(`tenant ${tenantId}`, policy);
    }
    return new NoticeCatalog(
      new Map(Object.entries(policies).map(([id, policy]) => [id, new TenantNotices(policy)])),
      undefined,
    );
  }

  forTenant(tenantId: string): TenantNotices | undefined {
    return this.tenants.get(tenantId) ?? this.fallback;
  }
}

function readTenantsFile(path: string): Map<string, ConsentPolicy> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`consent: CONSENT_TENANTS_FILE cannot be read as JSON (${(error as Error).name})`, {
      cause: error,
    });
  }
  const dto = plainToInstance(ConsentTenantsFileDto, raw);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new Error(`consent: CONSENT_TENANTS_FILE is invalid at ${errorPaths(errors).join(', ')}`);
  }
  const policies = new Map<string, ConsentPolicy>();
  for (const tenant of dto.tenants) {
    if (policies.has(tenant.tenantId)) {
      throw new Error(`consent: CONSENT_TENANTS_FILE lists tenant ${tenant.tenantId} twice`);
    }
    const policy = toPolicy(tenant);
    assertSound(`tenant ${tenant.tenantId}`, policy);
    policies.set(tenant.tenantId, policy);
  }
  return policies;
}

function toPolicy(dto: TenantConsentPolicyDto): ConsentPolicy {
  return {
    businessName: dto.businessName,
    privacyPolicyUrl: dto.privacyPolicyUrl,
    languages: dto.languages,
    notices: [...dto.notices]
      .sort((a, b) => a.version - b.version)
      .map((notice) => ({
        version: notice.version,
        purposes: notice.purposes.map((p) => ({
          purpose: p.purpose,
          required: p.required,
          lawfulBasis: p.lawfulBasis ?? 'consent',
        })),
      })),
    ...(dto.establishment === undefined ? {} : { establishment: dto.establishment }),
    ...(dto.countryOverrides === undefined ? {} : { countryOverrides: dto.countryOverrides }),
  };
}

/** The rules a policy must meet to be usable; throws naming every problem. */
function assertSound(label: string, policy: ConsentPolicy): void {
  const problems: string[] = [];
  const versions = policy.notices.map((notice) => notice.version);
  if (new Set(versions).size !== versions.length) {
    problems.push('notice versions repeat');
  }
  for (const notice of policy.notices) {
    const purposes = notice.purposes.map((p) => p.purpose);
    if (new Set(purposes).size !== purposes.length) {
      problems.push(`notice ${notice.version} names a purpose twice`);
    }
    // Without the assistant there is no conversation to consent to: it is what "accept" means.
    if (!notice.purposes.some((p) => p.purpose === 'assistant' && p.required)) {
      problems.push(`notice ${notice.version} must ask for the assistant purpose as required`);
    }
  }
  problems.push(...checkPromptLimits(policy));
  // resolveRegime refuses a bad regime policy on every message: refuse it once, at start.
  problems.push(
    ...checkTenantRegimePolicy({ establishment: policy.establishment, countryOverrides: policy.countryOverrides }),
  );
  if (problems.length > 0) {
    throw new Error(`consent: ${label}: ${problems.join('; ')}`);
  }
}

function errorPaths(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return error.children && error.children.length > 0 ? errorPaths(error.children, path) : [path];
  });
}
