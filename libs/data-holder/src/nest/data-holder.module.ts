import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import type { DataExportRequestV1, DataExportResponseV1, DataHolderService, EventEnvelope } from '@trustline/contracts';
import { OnRequest } from '@trustline/messaging';
import type { DataHolder } from '../data-holder';
import { DATA_HOLDER, DATA_HOLDER_SERVICE } from './data-holder.constants';
import { DataHolderHandler } from './data-holder.handler';

export interface DataHolderModuleOptions {
  /**
   * The service the holder answers for: it serves `<service>.rpc.export.v1` and publishes
   * `<service>.receipt.issued.v1`, so it must be the service given to MessagingModule.forRoot (the bus refuses to
   * let another service serve the export, at bootstrap).
   */
  readonly service: DataHolderService;
  /** The service's injectable DataHolder; its dependencies come from global modules or from `imports`. */
  readonly holder: Type<DataHolder>;
  readonly imports?: ModuleMetadata['imports'];
}

/**
 * The data-holder protocol on the bus for one service (DESIGN.md §3): the service supplies its DataHolder, this
 * module answers erase, rectify and sweep commands with receipts and serves the sealed export. Needs the global
 * MessagingModule (EventPublisher) and CryptoModule (TransitCipher).
 */
@Module({})
export class DataHolderModule {
  static forHolder(options: DataHolderModuleOptions): DynamicModule {
    return {
      module: DataHolderModule,
      imports: options.imports ?? [],
      providers: [
        options.holder,
        { provide: DATA_HOLDER, useExisting: options.holder },
        { provide: DATA_HOLDER_SERVICE, useValue: options.service },
        handlerFor(options.service),
      ],
      exports: [options.holder],
    };
  }
}

/**
 * @OnRequest is metadata on a method, and its subject names the service: each service gets its own subclass whose
 * export method carries that service's subject (the event handlers, the same for all, are inherited).
 */
function handlerFor(service: DataHolderService): Type<DataHolderHandler> {
  const subject = `${service}.rpc.export.v1` as const;
  class ServiceDataHolderHandler extends DataHolderHandler {
    @OnRequest(subject)
    override onExportRequested(envelope: EventEnvelope<DataExportRequestV1>): Promise<DataExportResponseV1> {
      return super.onExportRequested(envelope);
    }
  }
  return ServiceDataHolderHandler;
}
