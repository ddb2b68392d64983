/**
 * The page's split run (validateRun.ts) confirms its guessed split points from the quote bytes each
 * part counts as it reads (core `countRangeQuotes`, in the validator worker), not by reading the
 * file again on the page; where the counts cannot confirm it (a quote kept as text in an unquoted
 * cell), the page's pre-scan still decides, and every report is the one-part report.
 */
import { describe, expect, it } from 'vitest';
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import { createValidateApi, type ValidateOutcome, type ValidateRequest } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' };

/** ≈ `bytes` of rows with quoted cells holding delimiters and line breaks; `stray` puts O"Brien in one unquoted cell. */
function extract(bytes: number, stray: boolean): string {
  const lines = ['id,name,note'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const name = stray && i === 5000 ? 'O"Brien' : `"Name, ${i % 977}"`;
    const line = `K${i % 40_000},${name},"line one\nline ""two"" ${i}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** A `File`-like Blob whose slices count the bytes they cover (reads on the page, not in parts). */
function counted(text: string): { file: Blob; bytesRead: () => number } {
  const file = new Blob([text]);
  let read = 0;
  const slice = file.slice.bind(file);
  file.slice = (start?: number, end?: number, type?: string) => {
    const piece = slice(start, end, type);
    read += piece.size;
    return piece;
  };
  return { file, bytesRead: () => read };
}

/** Runs `text` in `parts` parts; parts read their own copy of the file, the page `page`. */
async function run(text: string, parts: number): Promise<{ outcome: ValidateOutcome; pageBytes: number }> {
  const page = counted(text);
  const own = new Blob([text]);
  const request: ValidateRequest = {
    inputs: [{ file: page.file, name: 'patients.csv', layout: LAYOUT, keys: [] }],
    links: [],
    toolVersion: '0.0.0-test',
    chunkBytes: 256 * 1024,
  };
  const api = createValidateApi();
  let n = 0;
  const outcome = await runValidation(request, {
    parts,
    minSplitBytes: 1,
    runPart: (part, onProgress) => api.validatePart(`job-${n++}`, { ...part, file: own }, onProgress),
  });
  return { outcome, pageBytes: page.bytesRead() };
}

/** What a split run must share with one part: counts, issues, duplicate keys, failing rows. */
function essentials(outcome: ValidateOutcome) {
  if (!outcome.ok) throw new Error(outcome.problem.message);
  const { summary, issues, crossFile } = outcome.report;
  return { summary, issues, crossFile, failing: outcome.failing.map((f) => [...f.rows]) };
}

describe('a split run in the browser', () => {
  it('well-formed quotes: the counts confirm the split, the page reads a small part of the file, the report is one part’s', async () => {
    const text = extract(6 * 1024 * 1024, false);
    const whole = await run(text, 1);
    for (const parts of [2, 3]) {
      const split = await run(text, parts);
      expect(essentials(split.outcome), `${parts} parts`).toEqual(essentials(whole.outcome));
      // the guesses' windows (1 MiB after each split point) and the header, not the whole file
      // again (the page's pre-scan read 1.18 times the file's size here)
      expect(split.pageBytes / text.length, `${parts} parts`).toBeLessThan(0.5);
    }
  });

  // Found by this test (a RangeError ended such a run with a crash message): it was the page's
  // progress, not the range engine — a part that reads again bytes earlier parts read (the whole
  // file after a stray quote misled the split) made the byte count go back (validateRun.ts).
  it('a quote kept as text (O"Brien) before the split point: the report is still one part’s', async () => {
    const text = extract(6 * 1024 * 1024, true);
    const whole = await run(text, 1);
    for (const parts of [2, 3])
      expect(essentials((await run(text, parts)).outcome), `${parts} parts`).toEqual(
        essentials(whole.outcome),
      );
  });
});
