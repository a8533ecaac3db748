import { randomBytes } from 'node:crypto';

/** Fresh random root keys for `versions`. */
export function randomRootKeys(...versions: number[]): Map<number, Buffer> {
  return new Map(versions.map((version) => [version, randomBytes(32)]));
}
