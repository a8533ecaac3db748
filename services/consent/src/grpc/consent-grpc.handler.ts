import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type StatusObject,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { Injectable, Logger } from '@nestjs/common';
import {
  ConsentCheckRequestV1,
  ConsentHistoryRequestV1,
  ConsentRecordRequestV1,
  ContractViolationError,
  TENANT_ID_PATTERN,
  validateAs,
  type ServiceName,
} from '@trustline/contracts';
import { InjectServiceConfig } from '@trustline/service-kit';
import type { ClassConstructor } from 'class-transformer';
import { ConsentApi, ConsentApiRejection } from '../api/consent-api';
import { GrpcAccessPolicy, NATS_TWIN, type ConsentGrpcOperation } from './grpc-access.rules';
import type { ConsentGrpcConfig } from './grpc.config';

/** A request as proto-loader decodes it (CONSENT_PROTO_OPTIONS): the contract's fields plus `tenantId`. */
type ProtoRequest = Record<string, unknown> & { tenantId?: unknown };

type Operation<Q> = (tenantId: string, caller: ServiceName, request: Q) => Promise<object>;

/** A failure answered with a status and a message meant for the caller (field names, never values). */
class CallError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The gRPC edge of consent's internal API, thin like the NATS one: authorize (default-deny), map the proto request to
 * its contract class and validate it, call ConsentApi, answer. The response needs no mapping: the proto's messages
 * are the contract classes field for field, under the same (camelCase) names.
 */
@Injectable()
export class ConsentGrpcHandler {
  private readonly logger = new Logger(ConsentGrpcHandler.name);
  private readonly access: GrpcAccessPolicy;

  constructor(
    private readonly api: ConsentApi,
    @InjectServiceConfig() config: ConsentGrpcConfig,
  ) {
    this.access = new GrpcAccessPolicy(config.CONSENT_GRPC_CLIENTS);
  }

  /** The implementation of trustline.consent.v1.ConsentService for grpc-js. */
  implementation(): UntypedServiceImplementation {
    return {
      Check: this.unary('check', ConsentCheckRequestV1, (tenantId, _caller, request) =>
        this.api.check(tenantId, request),
      ),
      History: this.unary('history', ConsentHistoryRequestV1, (tenantId, _caller, request) =>
        this.api.history(tenantId, request),
      ),
      Record: this.unary('record', ConsentRecordRequestV1, (tenantId, caller, request) =>
        this.api.record(tenantId, caller, request),
      ),
    };
  }

  private unary<Q extends object>(
    operation: ConsentGrpcOperation,
    type: ClassConstructor<Q>,
    run: Operation<Q>,
  ): (call: ServerUnaryCall<ProtoRequest, object>, callback: sendUnaryData<object>) => void {
    return (call, callback) => {
      void this.respond(operation, type, run, call, callback);
    };
  }

  private async respond<Q extends object>(
    operation: ConsentGrpcOperation,
    type: ClassConstructor<Q>,
    run: Operation<Q>,
    call: ServerUnaryCall<ProtoRequest, object>,
    callback: sendUnaryData<object>,
  ): Promise<void> {
    let response: object;
    try {
      response = await this.handle(operation, type, run, call);
    } catch (error) {
      callback(this.toStatus(operation, error));
      return;
    }
    callback(null, response);
  }

  private async handle<Q extends object>(
    operation: ConsentGrpcOperation,
    type: ClassConstructor<Q>,
    run: Operation<Q>,
    call: ServerUnaryCall<ProtoRequest, object>,
  ): Promise<object> {
    const authorization = call.metadata.get('authorization').filter((value) => typeof value === 'string');
    const decision = this.access.decide(authorization, operation);
    if (!decision.granted) {
      if (decision.reason === 'unauthenticated') {
        throw new CallError(status.UNAUTHENTICATED, 'missing or unknown bearer token');
      }
      this.logger.warn(`gRPC ${operation} refused to ${decision.caller}: not a publisher of ${NATS_TWIN[operation]}`);
      throw new CallError(status.PERMISSION_DENIED, `${decision.caller} may not call ${operation}`);
    }
    const { tenantId, request } = this.validate(operation, type, call.request);
    // The API takes no deadline; a call whose client already gave up (deadline or cancel) is not started.
    if (call.cancelled) {
      throw new CallError(status.CANCELLED, 'the call was cancelled');
    }
    return run(tenantId, decision.caller, request);
  }

  private validate<Q extends object>(
    operation: ConsentGrpcOperation,
    type: ClassConstructor<Q>,
    raw: ProtoRequest,
  ): { tenantId: string; request: Q } {
    const { tenantId, ...fields } = raw;
    const violations: string[] = [];
    if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
      violations.push('tenant_id [matches]');
    }
    let request: Q | undefined;
    try {
      request = validateAs(type, fields, { contract: NATS_TWIN[operation] });
    } catch (error) {
      if (!(error instanceof ContractViolationError)) {
        throw error;
      }
      violations.push(...error.violations.map((v) => `${protoPath(v.path)} [${v.constraints.join(', ')}]`));
    }
    if (violations.length > 0 || request === undefined) {
      throw new CallError(status.INVALID_ARGUMENT, `invalid ${operation} request: ${violations.join('; ')}`);
    }
    return { tenantId: tenantId as string, request };
  }

  private toStatus(operation: ConsentGrpcOperation, error: unknown): Pick<StatusObject, 'code' | 'details'> {
    if (error instanceof CallError) {
      return { code: error.code, details: error.message };
    }
    if (error instanceof ConsentApiRejection) {
      const code = error.code === 'not-found' ? status.NOT_FOUND : status.INVALID_ARGUMENT;
      return { code, details: error.message };
    }
    // Anything else is ours to fix, and its message may quote data: the caller learns nothing, the log only its kind.
    this.logger.error(`gRPC ${operation} failed: ${error instanceof Error ? error.name : typeof error}`);
    return { code: status.INTERNAL, details: 'internal error' };
  }
}

/** `evidence.userActedAt` → `evidence.user_acted_at`: the caller knows the proto's names. */
function protoPath(path: string): string {
  return path ? path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : '(request)';
}
