/**
 * A split run in the browser that falls back to reading the whole file: a quote kept as text in an
 * unquoted cell (`O"Brien`) turns the quote parity the split relies on, a range then ends inside a
 * quoted cell, and the input is validated again as one range (core/migration/splitMerge.ts). The
 * run's progress must not count that re-read on top of the ranges (nor go backwards: the throttle
 * refuses a negative advance), and must say "checking keys" when the re-read reaches the end.
 */
import { describe, expect, it } from 'vitest';
import { sniffCsvLayout } from '../src/core/migration/csvLayout.ts';
import { createValidateApi, type ValidationProgress } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

/** 400 records whose second cell is quoted over two lines, but for record `strayAt`'s `O"Brien`. */
function strayQuoteFile(strayAt: number): Uint8Array {
  const rows = Array.from({ length: 400 }, (_, i) =>
    i === strayAt ? `K${i},O"Brien,x` : `K${i},"line\nbreak ${i}",${i}`,
  );
  return new TextEncoder().encode(`a,b,c\n${rows.join('\n')}\n`);
}

describe('a split run that reads the whole file again', () => {
  it.each([{ parts: 2 }, { parts: 3 }, { parts: 4 }])(
    '$parts parts, a stray quote early on: the count never goes back or past the size, the key step comes again at the real end',
    async ({ parts }) => {
      const bytes = strayQuoteFile(10);
      const file = new Blob([bytes as BlobPart]);
      const layout = sniffCsvLayout(bytes);
      const api = createValidateApi();
      const progress: ValidationProgress[] = [];
      // the parts' reads and the run's reports, in the order they came
      const events: string[] = [];
      let n = 0;
      const outcome = await runValidation(
        {
          inputs: [{ file, name: 't.csv', layout, keys: [{ column: 'a' }] }],
          links: [],
          toolVersion: '0.0.0-test',
          chunkBytes: 1024,
        },
        {
          parts,
          minSplitBytes: 1,
          onProgress: (p) => {
            progress.push(p);
            events.push(`report ${p.step ?? 'reading'}`);
          },
          runPart: (part, onProgress) =>
            api.validatePart(`part-${n++}`, part, (p) => {
              events.push(part.range ? 'range' : `whole ${p.bytes}`);
              onProgress(p);
            }),
        },
      );
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.report.summary.records).toBe(400);
      // the case under test: after the ranges, the whole file was read again from its start
      expect(n).toBeGreaterThan(1);
      const wholeEnd = events.lastIndexOf(`whole ${file.size}`);
      expect(wholeEnd).toBeGreaterThan(0);
      // the key step last said comes after the whole-file read reached its end (not the ranges')
      expect(events.lastIndexOf('report checking-keys')).toBeGreaterThan(wholeEnd);
      expect(events.slice(0, wholeEnd).lastIndexOf('report reading')).toBeGreaterThan(
        events.slice(0, wholeEnd).lastIndexOf('report checking-keys'),
      );
      // the count never goes back and never passes the file's size
      const done = progress.map((p) => p.done);
      for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThanOrEqual(done[i - 1] as number);
      expect(Math.max(...done)).toBe(file.size);
      expect(progress.at(-1)?.done).toBe(file.size);
      // the key step is said each time a read reaches the file's end; a read again after it first
      // says it reads (no step). The run ends: the last read's step, the finished count, the report
      const steps = progress.map((p) => p.step ?? 'reading');
      expect(steps.slice(-3)).toEqual(['checking-keys', 'reading', 'writing-report']);
      for (let i = 0; i < steps.length - 3; i++)
        if (steps[i] === 'checking-keys') expect(steps[i + 1]).toBe('reading');
      // the file was read again after a first key step: the run said so, then the step again
      expect(steps.filter((s) => s === 'checking-keys').length).toBeGreaterThan(1);
    },
  );
});
