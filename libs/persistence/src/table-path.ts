import type { DataSource } from 'typeorm';

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * `"schema"."table"` for the DataSource's schema (every service sets one), or just `"table"` when it has none: for
 * the hand-written SQL (multi-row inserts, ON CONFLICT, RETURNING) that repositories do not express.
 */
export function tablePath(dataSource: DataSource, table: string): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `${quote(schema)}.${quote(table)}` : quote(table);
}
