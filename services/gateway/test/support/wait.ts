// The shared test helpers, under the names the gateway specs use.
export { sleep, uniqueTestName as uniqueName, waitFor } from '@trustline/service-kit/testing';
