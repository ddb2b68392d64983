/**
 * The terminal progress of `preflight validate`: once a file is read to the end, the line says the
 * run goes on checking keys (or putting its results together) instead of sitting at the last
 * megabyte; a worker's progress messages are throttled.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../tests/migration/sources.ts';
import { sniffCsvLayout } from '../core/migration/csvLayout.ts';
import { validateCsv } from '../core/migration/validateCsv.ts';
import {
  terminalProgress,
  throttledProgress,
  WORKER_PROGRESS_BYTES,
  WORKER_PROGRESS_MS,
} from './validateProgress.ts';

const LINKS = [
  { input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
];

/** A terminal wide enough for every line here (fitting a narrow one is tested on its own). */
const WIDE = 200;

/** The reading line's text (what a later, shorter line is padded to). */
const READING = '\rpatients.csv: reading…   ';

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
      text: '\rpatients.csv: 50 % · 10 rows, 1.0 MB   ',
    },
    {
      description: 'read to the end, keyed',
      name: 'patients.csv',
      bytes: 2_000_000,
      rows: 20,
      text: '\rpatients.csv: 100 % · 20 rows, 2.0 MB · checking duplicate keys and references…   ',
    },
    {
      description: 'read to the end, no key but a reference',
      name: 'encounters.csv',
      bytes: 3_000_000,
      rows: 30,
      text: '\rencounters.csv: 100 % · 30 rows, 3.0 MB · checking duplicate keys and references…   ',
    },
    {
      description: 'read to the end, neither keys nor references',
      name: 'notes.csv',
      bytes: 1_000_000,
      rows: 5,
      text: '\rnotes.csv: 100 % · 5 rows, 1.0 MB · putting the results together…   ',
    },
  ])('$description', ({ name, bytes, rows, text }) => {
    expect(terminalProgress(INPUTS, LINKS, undefined, WIDE)(name, { bytes, rows })).toBe(text);
  });

  it('blanks what a longer previous line left: a shorter line is padded over it', () => {
    const line = terminalProgress(INPUTS, LINKS, undefined, WIDE);
    const long = line('encounters.csv', { bytes: 3_000_000, rows: 30 });
    const short = line('notes.csv', { bytes: 10, rows: 1 });
    expect(short).toBe('\rnotes.csv: 0 % · 1 rows, 0.0 MB'.padEnd(long.length));
  });

  it.each([
    {
      description: 'finished after the key checks: the step gives way to "done"',
      outcome: 'done' as const,
      end: '\rpatients.csv: 100 % · 20 rows, 2.0 MB · done',
    },
    {
      description: 'failed during the key checks: the step is dropped, the error starts on its own line',
      outcome: 'failed' as const,
      end: '\rpatients.csv: 100 % · 20 rows, 2.0 MB',
    },
  ])('ends the line: $description', ({ outcome, end }) => {
    const line = terminalProgress(INPUTS, LINKS, undefined, WIDE);
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
    const line = terminalProgress(INPUTS, LINKS, undefined, WIDE);
    expect(line.end('done')).toBe('');
    expect(line.reading('patients.csv')).toBe(READING);
    expect(line.end('failed')).toBe(`${'\rpatients.csv:'.padEnd(READING.length)}\n`);
  });
});

describe('terminalProgress: rate and time left', () => {
  it.each([
    {
      description: 'under a second of reading: no rate yet',
      at: 999,
      bytes: 1_000_000,
      text: '\rpatients.csv: 50 % · 7 rows, 1.0 MB   ',
    },
    {
      description: 'after a second: the average rate since reading began, and the time left at it',
      at: 2000,
      bytes: 1_000_000,
      text: '\rpatients.csv: 50 % · 7 rows, 1.0 MB · 0.5 MB/s · about 2 s left   ',
    },
    {
      description: 'minutes left, from two minutes on',
      at: 100_000,
      bytes: 400_000,
      text: '\rpatients.csv: 20 % · 7 rows, 0.4 MB · 4.0 kB/s · about 7 min left   ',
    },
    {
      description: 'hours left, from two hours on (a slow network share)',
      at: 1_000_000,
      bytes: 200_000,
      text: '\rpatients.csv: 10 % · 7 rows, 0.2 MB · 0.2 kB/s · about 3 h left   ',
    },
    {
      description: '99 % until the last byte, never 100 % with work still going',
      at: 2000,
      bytes: 1_999_000,
      text: '\rpatients.csv: 99 % · 7 rows, 2.0 MB · 1.0 MB/s · about 1 s left   ',
    },
    {
      description: 'read to the end: the step, no rate or time left (they no longer move)',
      at: 2000,
      bytes: 2_000_000,
      text: '\rpatients.csv: 100 % · 7 rows, 2.0 MB · checking duplicate keys and references…   ',
    },
  ])('$description', ({ at, bytes, text }) => {
    let clock = 0;
    const line = terminalProgress(INPUTS, LINKS, () => clock, WIDE);
    line.reading('patients.csv');
    clock = 3000;
    // the rate is averaged from the first report (0 bytes here), not from "reading…"
    line('patients.csv', { bytes: 0, rows: 0 });
    clock = 3000 + at;
    expect(line('patients.csv', { bytes, rows: 7 })).toBe(text.padEnd(READING.length));
  });

  it('fits the terminal: rate and time left go first, then the name is shortened from its left', () => {
    const long = 'exports/2026-11/legacy-system/patients-full-extract.csv';
    let clock = 0;
    const line = terminalProgress([{ name: long, size: 2_000_000, keyed: true }], [], () => clock, 80);
    line(long, { bytes: 0, rows: 0 });
    clock = 2000;
    const reading = line(long, { bytes: 1_000_000, rows: 7 });
    // "\r" and at most 79 characters: the cursor's column stays free, nothing wraps
    expect(reading.length).toBeLessThanOrEqual(80);
    expect(reading).not.toContain('MB/s');
    expect(reading).toContain('patients-full-extract.csv: 50 % · 7 rows, 1.0 MB');
    const step = line(long, { bytes: 2_000_000, rows: 9 });
    expect(step.length).toBeLessThanOrEqual(80);
    expect(step).toMatch(
      /^\r…[^:]*extract\.csv: 100 % · 9 rows, 2\.0 MB · checking duplicate keys and references…/,
    );
    // a wide terminal shows all of it
    const wide = terminalProgress([{ name: long, size: 2_000_000, keyed: true }], [], () => clock, 200);
    wide(long, { bytes: 0, rows: 0 });
    clock = 4000;
    expect(wide(long, { bytes: 1_000_000, rows: 7 })).toContain(`${long}: 50 % · 7 rows, 1.0 MB · 0.5 MB/s`);
  });

  it("a one-thread run's rate starts at its first report", () => {
    let clock = 5000;
    const line = terminalProgress(INPUTS, LINKS, () => clock, WIDE);
    line('patients.csv', { bytes: 200_000, rows: 1 });
    clock = 7000;
    expect(line('patients.csv', { bytes: 1_200_000, rows: 2 })).toContain('· 0.5 MB/s · about 2 s left');
  });
});

describe('throttledProgress', () => {
  const MB = 1024 * 1024;
  it.each([
    {
      description: '1 MB chunks read fast: one message per 8 MB',
      chunks: Array.from({ length: 20 }, (_, i) => ({ bytes: (i + 1) * MB, at: i })),
      sent: [8 * MB, 16 * MB],
    },
    {
      description: 'a slow file: one message per 250 ms even below 8 MB',
      chunks: [
        { bytes: MB, at: 100 },
        { bytes: 2 * MB, at: 260 },
        { bytes: 3 * MB, at: 400 },
        { bytes: 4 * MB, at: 520 },
      ],
      sent: [2 * MB, 4 * MB],
    },
    {
      description: 'a small file read at once: no message (its answer follows)',
      chunks: [{ bytes: MB, at: 5 }],
      sent: [],
    },
  ])('$description', ({ chunks, sent }) => {
    expect(WORKER_PROGRESS_BYTES).toBe(8 * MB);
    expect(WORKER_PROGRESS_MS).toBe(250);
    let clock = 0;
    const messages: number[] = [];
    const report = throttledProgress(
      (p) => messages.push(p.bytes),
      () => clock,
    );
    for (const chunk of chunks) {
      clock = chunk.at;
      report({ bytes: chunk.bytes, rows: 1 });
    }
    expect(messages).toEqual(sent);
  });
});

describe('the reading line', () => {
  it('says the input is being read before its first report (a worker reports every few MB)', () => {
    expect(terminalProgress(INPUTS, LINKS, undefined, WIDE).reading('patients.csv')).toBe(READING);
  });
});

describe('one pass reports its last byte before the key checks', () => {
  it('the last report is the whole file, with every row, and the count only grows', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i % 1500},name ${i}`);
    const bytes = new TextEncoder().encode(`id,name\n${rows.join('\n')}\n`);
    const layout = sniffCsvLayout(bytes);
    const reports: { bytes: number; rows: number }[] = [];
    let done = false;
    const result = await validateCsv(memorySource('t.csv', bytes), {
      layout,
      keys: [{ column: 'id' }],
      chunkBytes: 1024,
      onProgress: (p) => {
        if (done) throw new Error('progress after the pass ended');
        reports.push(p);
      },
    });
    done = true;
    expect(result.records).toBe(3000);
    expect(reports.length).toBeGreaterThan(bytes.byteLength / 1024 / 2);
    expect(reports.at(-1)).toEqual({ bytes: bytes.byteLength, rows: 3000 });
    for (let i = 1; i < reports.length; i++) {
      expect((reports[i] as { bytes: number }).bytes).toBeGreaterThan(
        (reports[i - 1] as { bytes: number }).bytes,
      );
      expect((reports[i] as { rows: number }).rows).toBeGreaterThanOrEqual(
        (reports[i - 1] as { rows: number }).rows,
      );
    }
  });
});
