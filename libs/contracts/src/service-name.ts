/** The six services. Subjects, streams, schemas and durable consumer names all derive from these names. */
export const SERVICE_NAMES = ['gateway', 'consent', 'conversation-ai', 'retention', 'dsar', 'audit'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}

/** Postgres schema owned by a service: the service name with `_` (`conversation-ai` → `conversation_ai`). */
export function schemaOf(service: ServiceName): string {
  return service.replace(/-/g, '_');
}
