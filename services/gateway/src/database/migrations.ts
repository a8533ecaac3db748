import { CreateCryptoTables1700000000100 } from '@trustline/crypto';
import { InitGateway1764061200000 } from './migrations/1764061200000-InitGateway';
import { AddWhatsAppEdge1795601410511 } from './migrations/1795601410511-AddWhatsAppEdge';
import { AddSuppressionHold1795607339702 } from './migrations/1795607339702-AddSuppressionHold';

/** Every migration of the gateway schema, oldest first (listed explicitly: no globs). */
export const gatewayMigrations = [
  CreateCryptoTables1700000000100,
  InitGateway1764061200000,
  AddWhatsAppEdge1795601410511,
  AddSuppressionHold1795607339702,
];
