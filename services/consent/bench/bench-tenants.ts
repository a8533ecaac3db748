import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A one-tenant consent policy for the bench (notice 1: the assistant). */
export function writeConsentBenchTenants(tenantId: string): string {
  const path = join(tmpdir(), `consent-bench-tenants-${process.pid}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      tenants: [
        {
          tenantId,
          businessName: 'Bench Business',
          privacyPolicyUrl: 'https://bench.example/privacy',
          languages: ['en'],
          notices: [{ version: 1, purposes: [{ purpose: 'assistant', required: true }] }],
        },
      ],
    }),
  );
  return path;
}
