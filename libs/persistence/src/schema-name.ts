const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names end up in SQL identifiers: only lower-case snake_case (`conversation_ai`) is accepted. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error('schema: must be lower-case letters, digits and underscores, starting with a letter or underscore');
  }
}
