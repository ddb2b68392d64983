/**
 * A split run's duplicate keys and conflicting demographics equal one pass's, also once parts
 * hold more repeated keys than a key set lists (keySet.ts `MAX_DUPLICATE_GROUPS`, 1,000). The
 * traps: a key the first part repeated beyond its listed groups must keep the conflicts the second
 * part finds among its own records of it; with 3 parts, a key the second part repeated once the
 * merged listing was full must not be counted again by the third. Each case runs through the
 * engine (byte ranges at the pre-scan's split points, merged as the app and the CLI merge them)
 * with the key sets in memory and spilled (keySpill.ts), and compares the built report's
 * cross-file section with one pass's.
 *
 * Keys the merged set lists that a later part repeats beyond that part's own listed groups (the
 * part's key set kept only its first record of each) are listed as one pass lists them too: the
 * merge reads that part's range again for them (readListedRepeats.ts), rather than listing that
 * part's first record only (fewer rows, a lower count, columns out of order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { buildReport } from './buildReport.ts';
import { sniffCsvLayout } from './csvLayout.ts';
import { createMemoryKeySpill } from './keySpill.ts';
import {
  CASES,
  DEMOGRAPHICS,
  encode,
  expectAsOnePass,
  keysReadAgain,
  otherBirthDate,
  otherName,
  otherSex,
  person,
  type Row,
  sameWrittenAgain,
} from './testing/keyMergeCases.ts';
import { validateInParts } from './testing/splitRuns.ts';

/** Validates `bytes` in `parts` ranges, key sets in memory or spilled, and builds the report (fixed times). */
async function splitReport(bytes: Uint8Array, parts: number, spilled: boolean) {
  const layout = sniffCsvLayout(bytes);
  const { merged, partRecords } = await validateInParts(
    memorySource('patients.csv', bytes),
    {
      layout,
      keys: [{ column: 'mrn', demographics: DEMOGRAPHICS }],
      ...(spilled ? { keySpill: createMemoryKeySpill() } : {}),
    },
    parts,
  );
  const report = buildReport([merged], {
    generatedAt: '2024-07-01T00:00:00Z',
    startedAt: '2024-07-01T00:00:00Z',
    totalMs: 0,
    toolVersion: 'test',
  });
  return { report, partRecords };
}

describe('split runs report the duplicate keys and conflicting demographics of one pass', () => {
  for (const { description, rows, parts, totals, readAgain } of CASES) {
    it(description, async () => {
      expect(rows.length).toBe(9000);
      const bytes = encode(rows);
      const one = (await splitReport(bytes, 1, false)).report;
      const [total] = one.crossFile.duplicateTotals ?? [];
      expect([total?.keys, total?.records, total?.conflictingKeys]).toEqual(totals);
      const keys = rows.map((r) => r.mrn);
      const inMemory = await splitReport(bytes, parts, false);
      expect(inMemory.partRecords.length).toBe(parts);
      expect(keysReadAgain(keys, inMemory.partRecords).size).toBe(readAgain);
      expectAsOnePass(inMemory.report, one);
      expectAsOnePass((await splitReport(bytes, parts, true)).report, one);
    });
  }

  it('for any keys repeated within and across parts, any conflicts and any split into 1 to 4 parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1100, max: 1800 }),
        fc.double({ min: 1.5, max: 4.5, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        async (seed, distinct, perKey, conflictRate, parts) => {
          // rows from a seeded generator (a shrunk array of 8,000 rows would say no more than the seed)
          let s = seed;
          const random = () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const changes = [otherName, otherBirthDate, otherSex];
          const rows = Array.from({ length: Math.round(distinct * perKey) }, () => {
            const i = Math.floor(random() * distinct);
            const row = person(`M${String(i).padStart(4, '0')}`, i);
            const roll = random();
            if (roll < conflictRate) return (changes[Math.floor(random() * 3)] as (r: Row) => Row)(row);
            return roll < conflictRate + 0.05 ? sameWrittenAgain(row) : row;
          });
          const bytes = encode(rows);
          const one = (await splitReport(bytes, 1, false)).report;
          expectAsOnePass((await splitReport(bytes, parts, false)).report, one);
          expectAsOnePass((await splitReport(bytes, parts, true)).report, one);
        },
      ),
      { numRuns: 12 },
    );
  });
});
