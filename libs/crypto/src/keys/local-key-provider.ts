import { createSecretKey, type KeyObject } from 'node:crypto';
import { UnknownKeyError } from '../errors/unknown-key.error';
import { openWithKey, placeBytes, sealWithKey } from '../format/ciphertext.format';
import type { KeyProvider, WrapContext, WrappedKey } from './key-provider';

/**
 * Root keys held in this process (from the environment, a mounted Kubernetes Secret or the development key file).
 * Wrapping is the field format itself: AES-256-GCM under the root key version, AAD = tenant + purpose.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly name = 'local';
  private readonly keys = new Map<number, { id: Buffer; key: KeyObject }>();

  constructor(
    rootKeys: ReadonlyMap<number, Buffer>,
    readonly activeVersion: number,
  ) {
    for (const [version, bytes] of rootKeys) {
      const id = Buffer.alloc(8);
      id.writeUInt32BE(version, 4);
      this.keys.set(version, { id, key: createSecretKey(bytes) });
    }
    if (!this.keys.has(activeVersion)) {
      throw new UnknownKeyError(`active root key version ${activeVersion}`);
    }
  }

  get versions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  wrap(plaintextKey: Buffer, context: WrapContext): Promise<WrappedKey> {
    const root = this.root(this.activeVersion);
    const ciphertext = sealWithKey(root.key, root.id, plaintextKey, wrapPlace(context));
    return Promise.resolve({ rootKeyVersion: this.activeVersion, ciphertext });
  }

  unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer> {
    try {
      const root = this.root(wrapped.rootKeyVersion);
      return Promise.resolve(openWithKey(root.key, wrapped.ciphertext, wrapPlace(context), 'wrapped key'));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('unwrap failed'));
    }
  }

  private root(version: number): { id: Buffer; key: KeyObject } {
    const root = this.keys.get(version);
    if (!root) {
      throw new UnknownKeyError(`root key version ${version}`);
    }
    return root;
  }
}

function wrapPlace(context: WrapContext): Buffer {
  return placeBytes({ tenantId: context.tenantId, subjectRef: '', field: `root-wrap/${context.purpose}` });
}
