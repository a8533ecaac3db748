import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EmbeddedDatabase } from './database';
import { SessionLock } from './session-lock';

export interface EmbeddedPostgresOptions {
  /** Longest wait for the single session before a checkout fails (0 = forever). Default 30 s. */
  readonly sessionWaitTimeoutMs?: number;
}

interface SharedInstance {
  readonly pglite: Promise<PGlite>;
  readonly session: SessionLock;
  users: number;
}

const MEMORY_PREFIX = 'memory://';

/**
 * Opens PGlite once per data directory per process and shares it, reference-counted: the six services of the
 * standalone process each open it and get the same instance (a PGlite costs ~300-800 MB and seconds to start);
 * the last `close()` shuts it down. `memory://<name>` gives an in-memory database (one per name), for tests.
 */
export class EmbeddedPostgres {
  private static readonly instances = new Map<string, SharedInstance>();
  private static readonly closing = new Map<string, Promise<void>>();

  static async open(dataDir: string, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedDatabase> {
    const key = dataDir.startsWith(MEMORY_PREFIX) ? dataDir : resolve(dataDir);
    // Reopening a directory whose previous instance is still shutting down must wait for it to let go of the files.
    await EmbeddedPostgres.closing.get(key);
    let shared = EmbeddedPostgres.instances.get(key);
    if (!shared) {
      shared = { pglite: EmbeddedPostgres.start(key), session: new SessionLock(), users: 0 };
      EmbeddedPostgres.instances.set(key, shared);
    }
    shared.users += 1;
    let pglite: PGlite;
    try {
      pglite = await shared.pglite;
    } catch (error) {
      shared.users -= 1;
      if (EmbeddedPostgres.instances.get(key) === shared) {
        EmbeddedPostgres.instances.delete(key);
      }
      throw error;
    }
    const instance = shared;
    let closed = false;
    return {
      kind: 'embedded',
      dataDir: key,
      pglite,
      session: instance.session,
      sessionWaitTimeoutMs: options.sessionWaitTimeoutMs ?? 30_000,
      close: async () => {
        if (closed) {
          return;
        }
        closed = true;
        await EmbeddedPostgres.release(key, instance);
      },
    };
  }

  private static async start(key: string): Promise<PGlite> {
    if (!key.startsWith(MEMORY_PREFIX)) {
      await mkdir(key, { recursive: true });
    }
    return PGlite.create(key);
  }

  private static async release(key: string, instance: SharedInstance): Promise<void> {
    instance.users -= 1;
    if (instance.users > 0) {
      return;
    }
    EmbeddedPostgres.instances.delete(key);
    const closing = instance.pglite.then((pglite) => pglite.close());
    const settled = closing.then(
      () => undefined,
      () => undefined,
    );
    EmbeddedPostgres.closing.set(key, settled);
    try {
      await closing;
    } finally {
      if (EmbeddedPostgres.closing.get(key) === settled) {
        EmbeddedPostgres.closing.delete(key);
      }
    }
  }
}
