/**
 * The terminal progress of `preflight validate`: once a file is read to the end, the line says the
 * run goes on checking keys (or putting its results together) instead of sitting at the last
 * megabyte; a worker's progress messages are throttled.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../tests/migration/sources.ts';
import { sniffCsvLayout } from '../core/csv/index.ts';
import { PROGRESS_STEP_TEXT, type ProgressStep } from '../core/jobs/progress.ts';
import { createRunProgress, type RunProgress, validateCsv } from '../core/validation/index.ts';
import {
  type TerminalProgress,
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

/** A run of the one input named `name` (of {@link INPUTS}). */
const only = (name: string) => INPUTS.filter((i) => i.name === name);

describe('terminalProgress: one file', () => {
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
    expect(terminalProgress(only(name), LINKS, undefined, WIDE)(name, { bytes, rows })).toBe(text);
  });

  it('blanks what a longer previous line left: a shorter line is padded over it', () => {
    const line = terminalProgress(only('notes.csv'), LINKS, undefined, WIDE);
    const long = line('notes.csv', { bytes: 1_000_000, rows: 30 });
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
    const line = terminalProgress(only('patients.csv'), LINKS, undefined, WIDE);
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
    const line = terminalProgress(only('patients.csv'), LINKS, undefined, WIDE);
    expect(line.end('done')).toBe('');
    expect(line.reading('patients.csv')).toBe(READING);
    expect(line.end('failed')).toBe(`${'\rpatients.csv:'.padEnd(READING.length)}\n`);
  });

  it("shows a file name's escape codes and carriage returns as escapes, never acting on them", () => {
    const name = 'a\u001b[2J\rFAKE.csv';
    const line = terminalProgress(only(name), LINKS, undefined, WIDE);
    const written = line.reading(name);
    expect(written.startsWith('\r')).toBe(true);
    expect([...written.slice(1)].filter((c) => c === '\u001b' || c === '\r')).toEqual([]);
    expect(written).toContain('a\\u{1b}[2J\\u{d}FAKE.csv');
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
    const line = terminalProgress(only('patients.csv'), LINKS, () => clock, WIDE);
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
    const line = terminalProgress(only('patients.csv'), LINKS, () => clock, WIDE);
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

describe('terminalProgress: several files, one line for the run', () => {
  /** Each step of a run of {@link INPUTS} at its clock, and the line it writes (without its padding). */
  const steps: { at: number; call: (line: TerminalProgress) => string; text: string }[] = [
    { at: 0, call: (l) => l.reading('patients.csv'), text: '0 of 3 files · reading…' },
    {
      at: 1000,
      call: (l) => l('patients.csv', { bytes: 1_000_000, rows: 10 }),
      text: '0 of 3 files · 16 % · 10 rows, 1.0 MB',
    },
    {
      // a second file's bytes add to the first's; the rate is the run's since its first report
      at: 2000,
      call: (l) => l('encounters.csv', { bytes: 2_000_000, rows: 20 }),
      text: '0 of 3 files · 50 % · 30 rows, 3.0 MB · 2.0 MB/s · about 2 s left',
    },
    {
      // another file starting shows the run's line as it stands
      at: 2000,
      call: (l) => l.reading('notes.csv'),
      text: '0 of 3 files · 50 % · 30 rows, 3.0 MB · 2.0 MB/s · about 2 s left',
    },
    {
      at: 2500,
      call: (l) => l('patients.csv', { bytes: 2_000_000, rows: 20 }),
      text: '0 of 3 files · 66 % · 40 rows, 4.0 MB · 2.0 MB/s · about 1 s left',
    },
    {
      at: 2500,
      call: (l) => l.done('patients.csv'),
      text: '1 of 3 files · 66 % · 40 rows, 4.0 MB · 2.0 MB/s · about 1 s left',
    },
    {
      // a late report below the last one takes nothing back
      at: 2500,
      call: (l) => l('encounters.csv', { bytes: 1_500_000, rows: 15 }),
      text: '1 of 3 files · 66 % · 40 rows, 4.0 MB · 2.0 MB/s · about 1 s left',
    },
    {
      // a file done without a report (a small file in a worker) counts all its bytes
      at: 3000,
      call: (l) => l.done('notes.csv'),
      text: '2 of 3 files · 83 % · 40 rows, 5.0 MB · 2.0 MB/s · about 1 s left',
    },
    {
      // every byte read: what the file still going does now (encounters.csv has a reference)
      at: 3500,
      call: (l) => l('encounters.csv', { bytes: 3_000_000, rows: 30 }),
      text: '2 of 3 files · 100 % · 50 rows, 6.0 MB · checking duplicate keys and references…',
    },
    {
      at: 4000,
      call: (l) => l.done('encounters.csv'),
      text: '3 of 3 files · 100 % · 50 rows, 6.0 MB · putting the results together…',
    },
    {
      at: 4000,
      call: (l) => l.end('done'),
      text: '3 of 3 files · 100 % · 50 rows, 6.0 MB · done\n',
    },
  ];

  it('sums the bytes and rows of all files over their total, counts files done, then ends', () => {
    let clock = 0;
    const line = terminalProgress(INPUTS, LINKS, () => clock, WIDE);
    const written: string[] = [];
    for (const step of steps) {
      clock = step.at;
      written.push(step.call(line));
    }
    expect(written.map((w) => w.replace(/ +(\n?)$/, '$1'))).toEqual(steps.map((s) => `\r${s.text}`));
  });

  it('fits a narrow terminal: rate and time left go first, then the end of the line', () => {
    let clock = 0;
    const line = terminalProgress(INPUTS, LINKS, () => clock, 40);
    const written: string[] = [];
    for (const step of steps) {
      clock = step.at;
      written.push(step.call(line));
    }
    // "\r" and at most 39 characters: nothing wraps
    for (const w of written) expect(w.replace(/\n$/, '').length).toBeLessThanOrEqual(40);
    expect(written[2]).toMatch(/^\r0 of 3 files · 50 % · 30 rows, 3\.0 MB *$/);
    expect(written[8]).toMatch(/^\r2 of 3 files · 100 % · 50 rows, 6\.0 MB…$/);
  });

  it('with no file keyed or referenced, says the results are put together once all is read', () => {
    const inputs = [
      { name: 'a.csv', size: 100, keyed: false },
      { name: 'b.csv', size: 100, keyed: false },
    ];
    const line = terminalProgress(inputs, [], undefined, WIDE);
    line('a.csv', { bytes: 100, rows: 1 });
    const all = line('b.csv', { bytes: 100, rows: 1 });
    expect(all).toContain('0 of 2 files · 100 % · 2 rows, 0.0 MB · putting the results together…');
    // failed: the step is dropped, written over, and the error starts on its own line
    expect(line.end('failed')).toBe(`${'\r0 of 2 files · 100 % · 2 rows, 0.0 MB'.padEnd(all.length)}\n`);
  });
});

describe('the same reports on the page and in the terminal', () => {
  it('sum to the same bytes and rows and say the same step after reading', () => {
    // out of order, and a file read again from its start: neither side goes back
    const reports: [string, number, number][] = [
      ['patients.csv', 1_200_000, 120],
      ['encounters.csv', 900_000, 80],
      ['patients.csv', 300_000, 30],
      ['encounters.csv', 3_000_000, 300],
      ['patients.csv', 2_000_000, 200],
    ];
    const page: RunProgress[] = [];
    const files = INPUTS.slice(0, 2);
    const run = createRunProgress(files, LINKS, (p) => page.push(p));
    const line = terminalProgress(files, LINKS, () => 0, WIDE);
    const compared: string[] = [];
    for (const [name, bytes, rows] of reports) {
      const before = page.length;
      run.file(name)({ bytes, rows });
      const said = line(name, { bytes, rows });
      // the page's progress is throttled: compared where it says a step (a file read through)
      for (const p of page.slice(before).filter((p) => p.step)) {
        const mb = (p.done / 1_000_000).toFixed(1);
        expect(said).toContain(`${p.rows} rows, ${mb} MB`);
        compared.push(`${p.input} ${p.step}`);
        // the terminal's one line for the run says the step once every file is read
        if (p.done === 5_000_000)
          expect(said).toContain(PROGRESS_STEP_TEXT[p.step as ProgressStep].toLowerCase());
      }
    }
    expect(compared).toEqual(['encounters.csv checking-keys', 'patients.csv checking-keys']);
  });
});

describe('the reading line', () => {
  it('says the input is being read before its first report (a worker reports every few MB)', () => {
    expect(terminalProgress(only('patients.csv'), LINKS, undefined, WIDE).reading('patients.csv')).toBe(
      READING,
    );
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
