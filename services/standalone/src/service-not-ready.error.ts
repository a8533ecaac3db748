/** One of the platform's services answered not-ready; the gateway's readiness names which one. */
export class ServiceNotReadyError extends Error {
  override readonly name = 'ServiceNotReadyError';

  constructor(readonly service: string) {
    super(`${service} is not ready`);
  }
}
