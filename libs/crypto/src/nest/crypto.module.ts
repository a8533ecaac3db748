import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BlindIndex } from '../blind-index/blind-index';
import type { CryptoLogger } from '../crypto-logger';
import { FieldCipher } from '../field-cipher';
import { Keyring } from '../keyring/keyring';
import type { KeyProvider } from '../keys/key-provider';
import { TransitCipher } from '../transit/transit-cipher';

export interface CryptoModuleOptions {
  /** Built once per process from the environment (localKeyProviderFromEnv) and shared by its services. */
  readonly provider: KeyProvider;
  readonly keyCacheTtlMs?: number;
  readonly keyCacheMaxEntries?: number;
  readonly logger?: CryptoLogger;
  /** Name of the TypeORM DataSource holding this service's key tables; the default one when absent. */
  readonly dataSourceName?: string;
}

/**
 * Global: the service's Keyring (its keys live in its own schema: include `cryptoEntities` and
 * CreateCryptoTables1700000000100), FieldCipher for data at rest, BlindIndex for lookups, and TransitCipher for
 * sealed event fields. Nothing touches the database until a key is first needed.
 */
@Module({})
export class CryptoModule {
  static forRoot(options: CryptoModuleOptions): DynamicModule {
    return {
      module: CryptoModule,
      global: true,
      providers: [
        {
          provide: Keyring,
          useFactory: (dataSource: DataSource) =>
            new Keyring(dataSource, options.provider, {
              ...(options.keyCacheTtlMs === undefined ? {} : { cacheTtlMs: options.keyCacheTtlMs }),
              ...(options.keyCacheMaxEntries === undefined ? {} : { cacheMaxEntries: options.keyCacheMaxEntries }),
              ...(options.logger ? { logger: options.logger } : {}),
            }),
          inject: [getDataSourceToken(options.dataSourceName)],
        },
        { provide: FieldCipher, useFactory: (keyring: Keyring) => new FieldCipher(keyring), inject: [Keyring] },
        { provide: BlindIndex, useFactory: (keyring: Keyring) => new BlindIndex(keyring), inject: [Keyring] },
        { provide: TransitCipher, useFactory: () => new TransitCipher(options.provider) },
      ],
      exports: [Keyring, FieldCipher, BlindIndex, TransitCipher],
    };
  }
}
