export { BlindIndex, type IdentifierKind } from './blind-index/blind-index';
export { normalizeBsuid, normalizeEmail, normalizePhone, normalizeWaId } from './blind-index/identifier.normalizers';
export { CRYPTO_COMMAND_USAGE, runCryptoCommand, type CryptoCommandEnv } from './cli/crypto-command';
export { noopCryptoLogger, type CryptoLogger } from './crypto-logger';
export { cryptoEnv, type CryptoEnv } from './crypto.env';
export { InvalidIdentifierError } from './errors/invalid-identifier.error';
export { OpenFailedError } from './errors/open-failed.error';
export { RootKeyConfigError } from './errors/root-key-config.error';
export { SubjectErasedError } from './errors/subject-erased.error';
export { TamperedCiphertextError } from './errors/tampered-ciphertext.error';
export { TransitExpiredError } from './errors/transit-expired.error';
export { UnknownKeyError } from './errors/unknown-key.error';
export { WrongContextError } from './errors/wrong-context.error';
export {
  openFields,
  sealFields,
  type EventSealScope,
  type OpenedFields,
  type SealedFields,
} from './events/sealed-fields';
export type { TextSealer } from './events/text-sealer';
export { FieldCipher } from './field-cipher';
export { FORMAT_VERSION, HEADER_BYTES, KEY_ID_BYTES } from './format/ciphertext.format';
export type { SealPlace } from './format/seal-place';
export { Keyring, type KeyringOptions, type ShreddedKey, type SubjectKey } from './keyring/keyring';
export type { KeyProvider, WrapContext, WrappedKey } from './keys/key-provider';
export { LocalKeyProvider } from './keys/local-key-provider';
export { localKeyProviderFromEnv, parseRootKeys } from './keys/root-keys';
export { rotateWrappedKeys, type RotationOptions, type RotationProgress } from './maintenance/rotate-wrapped-keys';
export { exportShredList, reapplyShredList, type ReapplyResult, type ShredRecord } from './maintenance/shred-list';
export { CryptoModule, type CryptoModuleOptions } from './nest/crypto.module';
export { CreateCryptoTables1700000000100 } from './storage/create-crypto-tables.migration';
export { cryptoEntities } from './storage/crypto-entities';
export { createCryptoTables, dropCryptoTables } from './storage/crypto-tables';
export { ShredRecordEntity } from './storage/shred-record.entity';
export { SubjectKeyEntity } from './storage/subject-key.entity';
export { TenantKeyEntity } from './storage/tenant-key.entity';
export { TransitCipher, type TransitCipherOptions } from './transit/transit-cipher';
export { TRANSIT_FIXED_OVERHEAD, TRANSIT_FORMAT_VERSION } from './transit/transit.format';
