/**
 * The terminal progress of `preflight validate`: once a file is read to the end, the line says the
 * run goes on checking keys (or putting its ranges' results together) instead of sitting at the
 * last megabyte; a split run's progress reaches the file's last byte before the merge starts.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../tests/migration/sources.ts';
import { sniffCsvLayout } from '../core/migration/csvLayout.ts';
import { createParallelRunner } from '../core/migration/splitMerge.ts';
import { validateCsv } from '../core/migration/validateCsv.ts';
import { readingLine, terminalProgress } from './validateProgress.ts';

const LINKS = [
  { input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
];

const INPUTS = [
  { name: 'patients.csv', size: 2_000_000, keyed: true },
  { name: 'encounters.csv', size: 3_000_000, keyed: false },
  { name: 'notes.csv', size: 1_000_000, keyed: false },
];

describe('terminalProgress', () => {
  it.each([
    {
      description: 'reading',
      name: 'patients.csv',
      bytes: 1_000_000,
      rows: 10,
      text: '\rpatients.csv: 10 rows, 1.0 MB   ',
    },
    {
      description: 'read to the end, keyed',
      name: 'patients.csv',
      bytes: 2_000_000,
      rows: 20,
      text: '\rpatients.csv: 20 rows, 2.0 MB · checking duplicate keys and references…   ',
    },
    {
      description: 'read to the end, no key but a reference',
      name: 'encounters.csv',
      bytes: 3_000_000,
      rows: 30,
      text: '\rencounters.csv: 30 rows, 3.0 MB · checking duplicate keys and references…   ',
    },
    {
      description: 'read to the end, neither keys nor references',
      name: 'notes.csv',
      bytes: 1_000_000,
      rows: 5,
      text: '\rnotes.csv: 5 rows, 1.0 MB · putting the results together…   ',
    },
  ])('$description', ({ name, bytes, rows, text }) => {
    expect(terminalProgress(INPUTS, LINKS)(name, { bytes, rows })).toBe(text);
  });

  it('blanks what a longer previous line left: a shorter line is padded over it', () => {
    const line = terminalProgress(INPUTS, LINKS);
    const long = line('encounters.csv', { bytes: 3_000_000, rows: 30 });
    const short = line('notes.csv', { bytes: 10, rows: 1 });
    expect(short).toBe('\rnotes.csv: 1 rows, 0.0 MB'.padEnd(long.length));
  });

  it.each([
    {
      description: 'finished after the key checks: the step gives way to "done"',
      outcome: 'done' as const,
      end: '\rpatients.csv: 20 rows, 2.0 MB · done',
    },
    {
      description: 'failed during the key checks: the step is dropped, the error starts on its own line',
      outcome: 'failed' as const,
      end: '\rpatients.csv: 20 rows, 2.0 MB',
    },
  ])('ends the line: $description', ({ outcome, end }) => {
    const line = terminalProgress(INPUTS, LINKS);
    const checking = line('patients.csv', { bytes: 2_000_000, rows: 20 });
    expect(checking).toContain('checking duplicate keys and references…');
    const closing = line.end(outcome);
    // the same terminal line, rewritten over the whole of the step, then a line break
    expect(closing).toBe(`${end.padEnd(checking.length)}\n`);
    expect(closing).not.toContain('checking');
    // once ended, nothing more to end
    expect(line.end(outcome)).toBe('');
  });

  it('ends a line that only said "reading…", and writes nothing when no line was written', () => {
    const line = terminalProgress(INPUTS, LINKS);
    expect(line.end('done')).toBe('');
    expect(line.reading('patients.csv')).toBe(readingLine('patients.csv'));
    expect(line.end('failed')).toBe(`${'\rpatients.csv:'.padEnd(readingLine('patients.csv').length)}\n`);
  });
});

describe('readingLine', () => {
  it('says the input is being read before its first report (a split input has none until its end)', () => {
    expect(readingLine('patients.csv')).toBe('\rpatients.csv: reading…   ');
  });
});

describe('a split run reports its last byte before merging', () => {
  it.each([1, 2, 4])('%i range(s): the last report is the whole file, with every row', async (parts) => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i % 1500},name ${i}`);
    const bytes = new TextEncoder().encode(`id,name\n${rows.join('\n')}\n`);
    const layout = sniffCsvLayout(bytes);
    const reports: { bytes: number; rows: number }[] = [];
    let merged = false;
    const result = await createParallelRunner(
      parts,
      // ranges report no progress of their own (as the CLI's range workers), the whole input does
      (_, o) => {
        const { onProgress, ...rest } = o;
        return validateCsv(memorySource('t.csv', bytes), o.range ? rest : o);
      },
      0,
    )(memorySource('t.csv', bytes), {
      layout,
      keys: [{ column: 'id' }],
      onProgress: (p) => {
        if (merged) throw new Error('progress after the run ended');
        reports.push(p);
      },
    });
    merged = true;
    expect(reports.at(-1)).toEqual({ bytes: bytes.byteLength, rows: 2000 });
    expect(result.records).toBe(2000);
  });
});
