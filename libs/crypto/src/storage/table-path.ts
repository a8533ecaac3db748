import type { DataSource } from 'typeorm';

export type CryptoTable = 'tenant_key' | 'subject_key' | 'shred_list';

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` for the DataSource's schema (services set one), or just `"table"` when it has none. */
export function tablePath(dataSource: DataSource, table: CryptoTable): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `${quote(schema)}.${quote(table)}` : quote(table);
}
