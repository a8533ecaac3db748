import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CorpusEntry, generateCorpus } from './__fixtures__/pii-corpus.generator';
import corpus from './__fixtures__/pii-corpus.json';
import { CHECKSUMMED_PII_KINDS, type PiiKind, type PiiSpan, findPii } from './pii-detection.rules';

const entries = corpus as readonly CorpusEntry[];
const key = (s: PiiSpan): string => `${s.kind}:${s.start}:${s.end}`;
const ratio = (hits: number, total: number): number => (total === 0 ? 1 : hits / total);

/** A found span counts only with the labelled kind and exact offsets: a partial redaction leaks the rest. */
function score(): { recall: number; checksummedRecall: number; precision: number; misses: string[] } {
  let expected = 0;
  let found = 0;
  let hits = 0;
  let checksummed = 0;
  let checksummedHits = 0;
  const misses: string[] = [];
  entries.forEach((entry, index) => {
    const actual = new Set(findPii(entry.text, { defaultCountry: entry.country }).map(key));
    const labelled = new Set(entry.spans.map(key));
    found += actual.size;
    for (const span of entry.spans) {
      const hit = actual.has(key(span));
      const isChecksummed = CHECKSUMMED_PII_KINDS.includes(span.kind);
      expected++;
      checksummed += isChecksummed ? 1 : 0;
      hits += hit ? 1 : 0;
      checksummedHits += hit && isChecksummed ? 1 : 0;
      if (!hit) {
        misses.push(`#${index} missed ${span.kind}`);
      }
    }
    for (const k of actual) {
      if (!labelled.has(k)) {
        misses.push(`#${index} spurious ${k.split(':')[0]}`);
      }
    }
  });
  return {
    recall: ratio(hits, expected),
    checksummedRecall: ratio(checksummedHits, checksummed),
    precision: ratio(hits, found),
    misses,
  };
}

describe('PII corpus', () => {
  it('is the generator output, so its labels can be reproduced and reviewed', () => {
    if (process.env.PII_CORPUS_REGENERATE === '1') {
      writeFileSync(
        join(__dirname, '__fixtures__', 'pii-corpus.json'),
        `${JSON.stringify(generateCorpus(), null, 2)}\n`,
      );
    }
    expect(entries).toEqual(generateCorpus());
  });

  it('holds at least 300 sentences, 100 per language, with PII and look-alikes, every kind labelled', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
    for (const lang of ['en', 'es', 'pt'] as const) {
      expect(entries.filter((e) => e.lang === lang).length).toBeGreaterThanOrEqual(100);
    }
    expect(entries.filter((e) => e.spans.length === 0).length).toBeGreaterThanOrEqual(90);
    expect(entries.filter((e) => e.spans.length > 1).length).toBeGreaterThanOrEqual(20);
    const kinds = new Set<PiiKind>(entries.flatMap((e) => e.spans.map((s) => s.kind)));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['phone', 'email', 'payment-card', 'iban', 'cpf', 'cnpj', 'curp', 'rfc']),
    );
    expect(kinds.size).toBe(14);
  });

  it('meets the recall and precision targets (recall ≥ 0.98 on checksummed ids, ≥ 0.95 overall; precision ≥ 0.95)', () => {
    const { recall, checksummedRecall, precision, misses } = score();
    // Counts and kinds only: the sentences themselves stay out of the output.
    console.log(
      `PII corpus (${entries.length} sentences): recall ${recall.toFixed(3)}, checksummed recall ${checksummedRecall.toFixed(3)}, precision ${precision.toFixed(3)}${misses.length ? `; ${misses.join(', ')}` : ''}`,
    );
    expect(checksummedRecall).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.95);
  });
});
