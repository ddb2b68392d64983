/**
 * Split-merge of duplicate keys through the page's worker API (workers/validateRun.ts): a run split
 * into byte ranges (the browser's runs of 4 to 16 MiB, and any run without OPFS spill) merges its
 * ranges' key sets in memory, and reports the duplicate keys and conflicting demographics of one
 * pass — the 9,000-row table of the engine's test (src/core/migration/keyMergeConflicts.test.ts),
 * here from the worker's validated parts to the report the page shows, keys the merge reads a range
 * again for included (readListedRepeats.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  CASES,
  csvText,
  DEMOGRAPHICS,
  evenParts,
  expectAsOnePass,
  keysReadAgain,
} from '../src/core/migration/testing/keyMergeCases.ts';
import { validated, validateInParts } from './testing/mappedRuns.ts';

/** The case's file through the worker API in `parts` ranges: its report. */
async function report(text: string, parts: number) {
  const outcome = await validateInParts(
    { file: new Blob([text]), name: 'patients.csv', keys: [{ column: 'mrn', demographics: DEMOGRAPHICS }] },
    parts,
  );
  return validated(outcome).report;
}

describe('the page’s split runs report the duplicate keys and conflicting demographics of one pass', () => {
  for (const { description, rows, parts, totals, readAgain } of CASES) {
    it(description, async () => {
      const text = csvText(rows);
      const one = await report(text, 1);
      const [total] = one.crossFile.duplicateTotals ?? [];
      expect([total?.keys, total?.records, total?.conflictingKeys]).toEqual(totals);
      const keys = rows.map((r) => r.mrn);
      expect(keysReadAgain(keys, evenParts(rows.length, parts)).size).toBe(readAgain);
      expectAsOnePass(await report(text, parts), one);
    });
  }
});
