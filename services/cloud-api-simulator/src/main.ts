import { loadSimulatorOptions } from './config';
import { startCloudApiSimulator } from './simulator.server';

// The simulator as its own process (`nx serve cloud-api-simulator`): configured from the environment, stopped cleanly
// on SIGINT/SIGTERM.
async function main(): Promise<void> {
  const simulator = await startCloudApiSimulator({
    ...loadSimulatorOptions(process.env),
    log: (line) => process.stdout.write(`cloud-api-simulator: ${line}\n`),
  });
  const shutdown = (signal: NodeJS.Signals): void => {
    process.stdout.write(`cloud-api-simulator: ${signal}, stopping\n`);
    simulator
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`cloud-api-simulator: stop failed: ${error instanceof Error ? error.message : 'error'}\n`);
        process.exit(1);
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`cloud-api-simulator: could not start: ${error instanceof Error ? error.message : 'error'}\n`);
  process.exit(1);
});
