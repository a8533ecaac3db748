import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two Meta apps: the reference's (its test-vector secret, the fixtures' numbers) and another business's. */
export const APP_A = { secret: 'test_app_secret', verifyToken: 'verify-token-a', accessToken: 'access-token-a' };
export const APP_B = { secret: 'app-b-secret-xyz', verifyToken: 'verify-token-b', accessToken: 'access-token-b' };
export const NUMBER_A1 = '109876543210987';
export const NUMBER_A2 = '109876543210988';
export const NUMBER_B1 = '100000000000002';
export const TENANT_A = 'clinic-a';
export const TENANT_B = 'shop-b';

/** Writes a WHATSAPP_TENANTS_FILE for both apps and returns its path. */
export function writeTenantsFile(name: string, throughputMps = 80): string {
  const path = join(tmpdir(), `${name}-tenants.json`);
  writeFileSync(
    path,
    JSON.stringify({
      apps: [
        {
          name: 'app-a',
          appSecret: APP_A.secret,
          verifyToken: APP_A.verifyToken,
          accessToken: APP_A.accessToken,
          numbers: [
            { phoneNumberId: NUMBER_A1, displayNumber: '15551230000', tenantId: TENANT_A, throughputMps },
            { phoneNumberId: NUMBER_A2, displayNumber: '15551230001', tenantId: TENANT_A, throughputMps },
          ],
        },
        {
          name: 'app-b',
          appSecret: APP_B.secret,
          verifyToken: APP_B.verifyToken,
          accessToken: APP_B.accessToken,
          numbers: [{ phoneNumberId: NUMBER_B1, displayNumber: '15550009999', tenantId: TENANT_B, throughputMps }],
        },
      ],
    }),
    { mode: 0o600 },
  );
  return path;
}
