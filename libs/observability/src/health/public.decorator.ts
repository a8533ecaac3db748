import { SetMetadata, type CustomDecorator } from '@nestjs/common';

/** Metadata key a default-deny guard reads to let a route through without credentials. */
export const IS_PUBLIC_ROUTE = 'trustline:public-route';

/**
 * Marks a controller or route as callable without credentials: the probes and the metrics scrape, which
 * Kubernetes and Prometheus call from inside the cluster (network policy, not tokens, limits who can reach them).
 */
export function Public(): CustomDecorator<string> {
  return SetMetadata(IS_PUBLIC_ROUTE, true);
}
