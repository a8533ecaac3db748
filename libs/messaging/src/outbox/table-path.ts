import type { DataSource } from 'typeorm';

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` for the DataSource's schema (services set one), or just `"table"` when it has none. */
export function tablePath(dataSource: DataSource, table: 'outbox_event' | 'inbox_event'): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `${quote(schema)}.${quote(table)}` : quote(table);
}
