/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT and sets the exit code from its outcome. A second signal
 * while shutting down forces exit: an operator pressing Ctrl-C twice means it.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    shutdown(signal).catch((error: unknown) => {
      process.stderr.write(`shutdown failed: ${error instanceof Error ? error.name : 'error'}\n`);
      process.exitCode = 1;
    });
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
