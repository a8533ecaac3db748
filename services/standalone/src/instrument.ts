import { startTelemetryFromEnv } from '@trustline/observability';

// First import of main.ts: telemetry must be running before http and pg are loaded to instrument them.
startTelemetryFromEnv('trustline-standalone');
