import {
  credentials as channelCredentials,
  loadPackageDefinition,
  Metadata,
  type ChannelCredentials,
  type Client,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Module, type DynamicModule, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  consentProtoPath,
  type ConsentCheckRequestV1,
  type ConsentCheckResponseV1,
  type ConsentHistoryRequestV1,
  type ConsentHistoryResponseV1,
  type ConsentRecordRequestV1,
  type ConsentRecordResponseV1,
  type ServiceName,
} from '@trustline/contracts';
import { SERVICE_CONFIG } from '@trustline/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsentApi } from '../../../src/api/consent-api';
import { CONSENT_PROTO_OPTIONS } from '../../../src/grpc/consent-grpc.definition';
import { ConsentGrpcModule } from '../../../src/grpc/consent-grpc.module';
import { ConsentGrpcServer } from '../../../src/grpc/consent-grpc.server';
import type { ConsentGrpcConfig } from '../../../src/grpc/grpc.config';

/** The bearer token of each caller in the tests' CONSENT_GRPC_CLIENTS. */
export const TOKENS = {
  gateway: 'test-gateway-token-0001',
  'conversation-ai': 'test-conversation-ai-token-0001',
  dsar: 'test-dsar-token-0001',
  audit: 'test-audit-token-0001',
} as const satisfies Partial<Record<ServiceName, string>>;

export type Operation = 'check' | 'history' | 'record';

export interface ApiCall {
  readonly operation: Operation;
  readonly tenantId: string;
  readonly caller?: ServiceName;
  readonly request: object;
}

/**
 * ConsentApi in memory: records each call and answers with the fixture's response, or with what a test sets next.
 * It tests the transport; the real API has its own tests.
 */
export class FakeConsentApi extends ConsentApi {
  readonly calls: ApiCall[] = [];
  /** The next answer: a response, an error to throw, and how long to take. */
  next: { response?: object; error?: Error; delayMs?: number } = {};
  private readonly timers = new Set<NodeJS.Timeout>();

  check(tenantId: string, request: ConsentCheckRequestV1): Promise<ConsentCheckResponseV1> {
    return this.answer({ operation: 'check', tenantId, request });
  }

  history(tenantId: string, request: ConsentHistoryRequestV1): Promise<ConsentHistoryResponseV1> {
    return this.answer({ operation: 'history', tenantId, request });
  }

  record(tenantId: string, caller: ServiceName, request: ConsentRecordRequestV1): Promise<ConsentRecordResponseV1> {
    return this.answer({ operation: 'record', tenantId, caller, request });
  }

  reset(): void {
    this.calls.length = 0;
    this.next = {};
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  private answer<R>(call: ApiCall): Promise<R> {
    this.calls.push(call);
    const { response, error, delayMs } = this.next;
    const settle = (resolve: (value: R) => void, reject: (reason: Error) => void) =>
      error ? reject(error) : resolve((response ?? fixture(call.operation).response) as R);
    return new Promise<R>((resolve, reject) => {
      if (!delayMs) {
        settle(resolve, reject);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        settle(resolve, reject);
      }, delayMs);
      this.timers.add(timer);
    });
  }
}

export interface RpcFixture {
  request: { tenantId: string; producer: ServiceName; data: Record<string, unknown> };
  response: Record<string, unknown>;
}

const fixturesDir = join(__dirname, '..', '..', '..', '..', '..', 'libs', 'contracts', 'src', '__fixtures__');

/** The request/reply fixture of consent.rpc.<operation>.v1, fresh on every call. */
export function fixture(operation: Operation): RpcFixture {
  return JSON.parse(readFileSync(join(fixturesDir, `consent.rpc.${operation}.v1.json`), 'utf8')) as RpcFixture;
}

/** Nest's log lines, kept to check what the edge logs (and what it never does). */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: unknown) => this.keep('log', message);
  warn = (message: unknown) => this.keep('warn', message);
  error = (message: unknown) => this.keep('error', message);
  debug = (message: unknown) => this.keep('debug', message);
  verbose = (message: unknown) => this.keep('verbose', message);

  text(): string {
    return this.lines.map((line) => `${line.level} ${line.message}`).join('\n');
  }

  private keep(level: string, message: unknown): void {
    this.lines.push({ level, message: String(message) });
  }
}

export function testConfig(overrides: Partial<ConsentGrpcConfig> = {}): ConsentGrpcConfig {
  return {
    HTTP_HOST: '127.0.0.1',
    CONSENT_GRPC_HOST: undefined,
    CONSENT_GRPC_PORT: 0,
    CONSENT_GRPC_CLIENTS: Object.entries(TOKENS).map(([caller, token]) => ({ caller: caller as ServiceName, token })),
    CONSENT_GRPC_SHUTDOWN_GRACE_MS: 2_000,
    CONSENT_GRPC_TLS_CERT_FILE: undefined,
    CONSENT_GRPC_TLS_KEY_FILE: undefined,
    CONSENT_GRPC_TLS_CA_FILE: undefined,
    ...overrides,
  };
}

@Module({})
class TestConfigModule {}

@Module({})
class FakeConsentApiModule {}

@Module({})
class TestRootModule {}

export interface RunningGrpc {
  readonly app: INestApplicationContext;
  readonly port: number;
  readonly logger: CapturingLogger;
}

/** ConsentGrpcModule in a Nest application context, as the service would run it, over the fake API. */
export async function startGrpc(api: FakeConsentApi, config: ConsentGrpcConfig): Promise<RunningGrpc> {
  const logger = new CapturingLogger();
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [
      {
        module: TestConfigModule,
        global: true,
        providers: [{ provide: SERVICE_CONFIG, useValue: config }],
        exports: [SERVICE_CONFIG],
      },
      ConsentGrpcModule.forApi({
        module: FakeConsentApiModule,
        providers: [{ provide: ConsentApi, useValue: api }],
        exports: [ConsentApi],
      }),
    ],
  };
  const app = await NestFactory.createApplicationContext(root, { logger, abortOnError: false });
  return { app, port: app.get(ConsentGrpcServer).boundPort, logger };
}

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline?: Date },
  callback: (error: ServiceError | null, response?: Record<string, unknown>) => void,
) => void;

/** A grpc-js client of ConsentService, loaded from the same proto and with the same loader options as the server. */
export class ConsentTestClient {
  private readonly client: Client & Record<'Check' | 'History' | 'Record', Unary>;

  constructor(port: number, credentials: ChannelCredentials = channelCredentials.createInsecure()) {
    const proto = loadPackageDefinition(loadSync(consentProtoPath(), CONSENT_PROTO_OPTIONS)) as unknown as {
      trustline: { consent: { v1: { ConsentService: ServiceClientConstructor } } };
    };
    const Service = proto.trustline.consent.v1.ConsentService;
    // The test certificate names localhost and 127.0.0.1; TLS's server name (SNI) must be a host name, not an IP.
    const options = { 'grpc.ssl_target_name_override': 'localhost' };
    this.client = new Service(`127.0.0.1:${port}`, credentials, options) as unknown as Client &
      Record<'Check' | 'History' | 'Record', Unary>;
  }

  call(
    method: 'Check' | 'History' | 'Record',
    request: object,
    options: { token?: string; deadlineMs?: number } = {},
  ): Promise<Record<string, unknown>> {
    const metadata = new Metadata();
    if (options.token !== undefined) {
      metadata.set('authorization', `Bearer ${options.token}`);
    }
    const deadline = new Date(Date.now() + (options.deadlineMs ?? 5_000));
    return new Promise((resolve, reject) => {
      this.client[method](request, metadata, { deadline }, (error, response) =>
        error ? reject(error) : resolve(response ?? {}),
      );
    });
  }

  /** The error a call fails with (rejects if it succeeds). */
  async failure(
    method: 'Check' | 'History' | 'Record',
    request: object,
    options: { token?: string; deadlineMs?: number } = {},
  ): Promise<ServiceError> {
    try {
      await this.call(method, request, options);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error(`${method} succeeded where it should have failed`);
  }

  close(): void {
    this.client.close();
  }
}
