import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { ConsentGrpcHandler } from './consent-grpc.handler';
import { ConsentGrpcServer } from './consent-grpc.server';

/**
 * consent's internal API over gRPC. `api` is the module that provides (and exports) ConsentApi, the implementation
 * both transports call; this module owns only the edge. Reads the service config (consentGrpcEnv).
 */
@Module({})
export class ConsentGrpcModule {
  static forApi(api: NonNullable<ModuleMetadata['imports']>[number]): DynamicModule {
    return {
      module: ConsentGrpcModule,
      imports: [api],
      providers: [ConsentGrpcHandler, ConsentGrpcServer],
      exports: [ConsentGrpcServer],
    };
  }
}
