/** PostgreSQL 23503 (foreign_key_violation), as TypeORM's QueryFailedError or the driver's own error. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return code === '23503' || driverError?.code === '23503';
}
