import './instrument';

import { onShutdownSignal, reportStartFailure } from '@trustline/service-kit';
import { startStandalonePlatform } from './standalone-platform';

// `npm start`: the whole platform in one process, no external server needed.
async function main(): Promise<void> {
  const platform = await startStandalonePlatform(process.env);
  const lines = [...platform.services].reverse().map((service) => `  ${service.name.padEnd(16)} ${service.url}`);
  process.stdout.write(
    [
      '',
      'Trustline is running (standalone mode: one process, embedded PostgreSQL, in-process bus).',
      ...lines,
      `  readiness        ${platform.gatewayUrl}/health/ready  (all six services)`,
      ...(platform.simulatorUrl
        ? [`  Cloud API sim    ${platform.simulatorUrl}  (chat with the platform: npm run chat)`]
        : []),
      '  metrics          <service url>/metrics',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  onShutdownSignal(async () => {
    process.stdout.write('Trustline is stopping: finishing in-flight work…\n');
    await platform.stop();
    process.stdout.write('Trustline stopped.\n');
  });
}

main().catch((error: unknown) => {
  reportStartFailure('trustline', error);
  process.exitCode = 1;
});
