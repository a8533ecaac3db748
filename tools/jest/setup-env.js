require('reflect-metadata');
// Every test process: UTC clock and quiet, structured logs unless a test asks otherwise.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL ??= 'silent';
