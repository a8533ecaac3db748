import { validateAs } from '@trustline/contracts';
import { ConfigError, type ServiceConfig } from '@trustline/service-kit';
import { readFileSync } from 'node:fs';
import type { gatewayEnv } from '../config';
import { parseSignatureHeader, secretEquals, signatureMatches } from '../webhook/webhook-signature.rules';
import { TenantsFileDto, type WhatsAppAppDto } from './tenants-file.dto';

export interface WhatsAppApp {
  readonly name: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly accessToken: string;
  readonly numbers: readonly BusinessNumber[];
}

export interface BusinessNumber {
  readonly phoneNumberId: string;
  readonly displayNumber: string;
  readonly tenantId: string;
  readonly throughputMps: number;
  readonly app: WhatsAppApp;
}

export type GatewayConfig = ServiceConfig<typeof gatewayEnv>;

/**
 * The Meta apps this gateway serves, their secrets, and which tenant each business number belongs to. A webhook is
 * attributed to the app whose secret signed it; each of its changes to the tenant owning its phone_number_id.
 */
export class TenantDirectory {
  private readonly byNumber = new Map<string, BusinessNumber>();

  constructor(readonly apps: readonly WhatsAppApp[]) {
    for (const app of apps) {
      for (const number of app.numbers) {
        if (this.byNumber.has(number.phoneNumberId)) {
          throw new Error(`phone_number_id ${number.phoneNumberId} is configured twice`);
        }
        this.byNumber.set(number.phoneNumberId, number);
      }
    }
  }

  static fromConfig(config: GatewayConfig): TenantDirectory {
    if (config.WHATSAPP_TENANTS_FILE !== undefined) {
      return new TenantDirectory(readTenantsFile(config.WHATSAPP_TENANTS_FILE, config.WHATSAPP_THROUGHPUT_MPS));
    }
    const required: Record<string, string | undefined> = {
      WHATSAPP_PHONE_NUMBER_ID: config.WHATSAPP_PHONE_NUMBER_ID,
      WHATSAPP_DISPLAY_NUMBER: config.WHATSAPP_DISPLAY_NUMBER,
      WHATSAPP_APP_SECRET: config.WHATSAPP_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: config.WHATSAPP_VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: config.WHATSAPP_ACCESS_TOKEN,
    };
    const missing = Object.entries(required).filter(([, value]) => value === undefined || value === '');
    if (missing.length > 0) {
      throw new ConfigError(
        'gateway',
        missing.map(([variable]) => ({ variable, problem: 'required unless WHATSAPP_TENANTS_FILE is set' })),
      );
    }
    return new TenantDirectory([
      buildApp(
        {
          name: 'default',
          appSecret: required.WHATSAPP_APP_SECRET!,
          verifyToken: required.WHATSAPP_VERIFY_TOKEN!,
          accessToken: required.WHATSAPP_ACCESS_TOKEN!,
          numbers: [
            {
              phoneNumberId: required.WHATSAPP_PHONE_NUMBER_ID!,
              displayNumber: required.WHATSAPP_DISPLAY_NUMBER!,
              tenantId: config.WHATSAPP_TENANT_ID,
            },
          ],
        },
        config.WHATSAPP_THROUGHPUT_MPS,
      ),
    ]);
  }

  /** The app whose secret signed these exact bytes (each app's HMAC compared in constant time), if any. */
  appForSignature(body: Buffer, header: string | undefined): WhatsAppApp | undefined {
    const digest = parseSignatureHeader(header);
    if (digest === undefined) {
      return undefined;
    }
    let found: WhatsAppApp | undefined;
    for (const app of this.apps) {
      // No early exit: the time taken does not tell which app, if any, matched.
      if (signatureMatches(body, digest, app.appSecret) && found === undefined) {
        found = app;
      }
    }
    return found;
  }

  verifyTokenMatches(token: string): boolean {
    let matched = false;
    for (const app of this.apps) {
      matched = secretEquals(token, app.verifyToken) || matched;
    }
    return matched;
  }

  number(phoneNumberId: string): BusinessNumber | undefined {
    return this.byNumber.get(phoneNumberId);
  }

  numbersOf(tenantId: string): BusinessNumber[] {
    return [...this.byNumber.values()].filter((number) => number.tenantId === tenantId);
  }
}

function readTenantsFile(path: string, defaultMps: number): WhatsAppApp[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError('gateway', [{ variable: 'WHATSAPP_TENANTS_FILE', problem: 'cannot read it as JSON' }]);
  }
  let file: TenantsFileDto;
  try {
    file = validateAs(TenantsFileDto, raw, { contract: 'WHATSAPP_TENANTS_FILE' });
  } catch (error) {
    throw new ConfigError('gateway', [
      { variable: 'WHATSAPP_TENANTS_FILE', problem: error instanceof Error ? error.message : 'invalid' },
    ]);
  }
  return file.apps.map((app) => buildApp(app, defaultMps));
}

function buildApp(dto: WhatsAppAppDto, defaultMps: number): WhatsAppApp {
  const numbers: BusinessNumber[] = [];
  const app: WhatsAppApp = {
    name: dto.name,
    appSecret: dto.appSecret,
    verifyToken: dto.verifyToken,
    accessToken: dto.accessToken,
    numbers,
  };
  for (const number of dto.numbers) {
    numbers.push({
      phoneNumberId: number.phoneNumberId,
      displayNumber: number.displayNumber.replace(/^\+/, ''),
      tenantId: number.tenantId,
      throughputMps: number.throughputMps ?? defaultMps,
      app,
    });
  }
  return app;
}
