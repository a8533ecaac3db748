import { Injectable } from '@nestjs/common';
import { tablePath } from '@trustline/persistence';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { NoticeVersion } from './consent-policy';
import type { RenderedPrompt } from './notice-text.rules';

/** A notice version's text changed after it was first shown: it needs a new version number. */
export class NoticeTextChangedError extends Error {
  override readonly name = 'NoticeTextChangedError';
}

/**
 * Keeps each prompt exactly as first shown, per tenant, version and language: the ledger's notice version then
 * names words that cannot change afterwards.
 */
@Injectable()
export class NoticeRegistry {
  async remember(
    manager: EntityManager,
    tenantId: string,
    notice: NoticeVersion,
    language: string,
    prompt: RenderedPrompt,
  ): Promise<void> {
    const text = JSON.stringify(prompt);
    const digest = createHash('sha256').update(text).digest('hex');
    const table = tablePath(manager.connection, 'notice');
    await manager.query(
      `INSERT INTO ${table} ("tenant_id", "version", "language", "purposes", "prompt", "prompt_sha256")
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [tenantId, notice.version, language, JSON.stringify(notice.purposes), text, digest],
    );
    const stored: { prompt_sha256: string }[] = await manager.query(
      `SELECT "prompt_sha256" FROM ${table} WHERE "tenant_id" = $1 AND "version" = $2 AND "language" = $3`,
      [tenantId, notice.version, language],
    );
    if (stored[0]?.prompt_sha256 !== digest) {
      throw new NoticeTextChangedError(
        `tenant ${tenantId}: notice ${notice.version} (${language}) differs from the text first shown; publish it as a new version`,
      );
    }
  }
}
