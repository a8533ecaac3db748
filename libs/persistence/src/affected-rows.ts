/** How many rows a raw UPDATE or DELETE changed: TypeORM's postgres driver answers `query()` with `[rows, affected]`. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
