// Integration and system tests run against the real local PostgreSQL and NATS JetStream. Fail fast, with a
// message that says what to start, instead of letting every test time out.
const net = require('node:net');

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

module.exports = async () => {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_NATS_URL ??= 'nats://127.0.0.1:4222';
  const missing = [];
  if (!(await reachable(process.env.TEST_DATABASE_URL))) {
    missing.push(`PostgreSQL at ${process.env.TEST_DATABASE_URL}`);
  }
  if (!(await reachable(process.env.TEST_NATS_URL))) {
    missing.push(`NATS at ${process.env.TEST_NATS_URL}`);
  }
  if (missing.length > 0) {
    throw new Error(`integration tests need ${missing.join(' and ')} (bash .ci/run starts both)`);
  }
};
