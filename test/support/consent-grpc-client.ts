import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type Client,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { consentProtoPath } from '@trustline/contracts';

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response?: Record<string, unknown>) => void,
) => void;

type Method = 'Check' | 'History' | 'Record';

/**
 * A client of consent's gRPC API (trustline.consent.v1.ConsentService), from the proto in @trustline/contracts with
 * the loader options the API documents (camelCase fields, int64 as numbers, defaults filled in).
 */
export class ConsentGrpcClient {
  private readonly client: Client & Record<Method, Unary>;

  constructor(
    port: string,
    private readonly token: string,
  ) {
    const definition = loadSync(consentProtoPath(), {
      keepCase: false,
      longs: Number,
      enums: String,
      defaults: true,
      arrays: true,
      oneofs: false,
    });
    const proto = loadPackageDefinition(definition) as unknown as {
      trustline: { consent: { v1: { ConsentService: ServiceClientConstructor } } };
    };
    this.client = new proto.trustline.consent.v1.ConsentService(
      `127.0.0.1:${port}`,
      credentials.createInsecure(),
    ) as unknown as Client & Record<Method, Unary>;
  }

  call<T>(method: Method, request: object, deadlineMs = 10_000): Promise<T> {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${this.token}`);
    return new Promise((resolve, reject) => {
      this.client[method](request, metadata, { deadline: new Date(Date.now() + deadlineMs) }, (error, response) =>
        error ? reject(error) : resolve((response ?? {}) as T),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
