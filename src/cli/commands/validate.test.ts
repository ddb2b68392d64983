import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const SAMPLES = path.join(REPO, 'samples');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], cwd = SAMPLES) {
  return runCli(['validate', ...args], cwd);
}

const DEMO = [
  'legacy/patients.csv',
  'legacy/encounters.csv',
  '--schema',
  'patients=contracts/patients.contract.json',
  '--schema',
  'encounters=contracts/encounters.contract.json',
  '--key',
  'patients.mrn',
  '--key',
  'encounters.encounter_id',
  '--references',
  'encounters.patient_id=patients.patient_id',
];

function demoCounts(report: Report) {
  const { crossFile } = report;
  return {
    invalid: report.inputs.map((i) => [i.name, i.invalid]),
    duplicateMrn: crossFile.duplicateKeys.filter((d) => d.column === 'mrn').length,
    repeatedEncounterIds: crossFile.duplicateKeys.filter((d) => d.column === 'encounter_id').length,
    orphans: crossFile.orphanReferences.map((o) => [o.input, o.column, o.count]),
    conflicting: crossFile.conflictingRecords?.length,
  };
}

const EXPECTED = {
  invalid: [
    ['legacy/patients.csv', 238],
    ['legacy/encounters.csv', 25],
  ],
  duplicateMrn: 12,
  repeatedEncounterIds: 3,
  orphans: [['legacy/encounters.csv', 'patient_id', 37]],
  conflicting: 4,
};

describe('preflight validate on the demo extracts', () => {
  it('reports the documented counts, writes a valid report and exits 1', async () => {
    const reportFile = path.join(dir, 'report.json');
    const { code, out } = await run([...DEMO, '--report', reportFile]);
    expect(code).toBe(1);
    expect(out).toContain('17000 records: 16737 valid, 263 invalid');
    expect(out).toContain('birth_date: 3 date formats');
    const loaded = loadReport(JSON.parse(await readFile(reportFile, 'utf8')));
    if (!loaded.ok) throw new Error('the report does not load');
    expect(demoCounts(loaded.value)).toEqual(EXPECTED);
    expect(loaded.value.inputs[1]).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      lineEnding: 'CRLF',
    });
    expect(JSON.stringify(loaded.value)).toContain('Behavioral Health – Annex');
  });

  it('gives the same report with two worker threads', async () => {
    const one = await run([...DEMO, '--json']);
    const two = await run([...DEMO, '--json', '--workers', '2']);
    expect(two.code).toBe(1);
    const strip = (text: string) => {
      const report = JSON.parse(text) as Report;
      // top values of a column with more distinct values than are tracked depend on the order
      // values are met in (documented in columnProfile.ts); everything else must be identical
      const profiles = report.profiles.map(({ top, ...p }) => (p.approximate ? p : { ...p, top }));
      return { ...report, profiles, generatedAt: '', timings: {} };
    };
    expect(strip(two.out)).toEqual(strip(one.out));
  }, 60_000);

  it.each([
    { description: 'one after another', workers: '1' },
    { description: 'two at once, one in a worker', workers: '2' },
  ])(
    'shows one progress line for the whole run on a terminal: $description',
    async ({ workers }) => {
      const written: string[] = [];
      const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      let records = 0;
      try {
        const { code, out } = await run([...DEMO, '--json', '--workers', workers]);
        expect(code).toBe(1);
        records = (JSON.parse(out) as Report).summary.records;
      } finally {
        write.mockRestore();
        if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
        else delete (process.stderr as { isTTY?: boolean }).isTTY;
      }
      const lines = written.map((w) => w.trimEnd());
      expect(lines.length).toBeGreaterThan(2);
      // every line is the run's: files done of both, never one file's name
      for (const line of lines) expect(line).toMatch(/^\r[012] of 2 files · /);
      const done = lines.map((l) => Number(l.slice(1, 2)));
      expect(done).toEqual([...done].sort());
      const size = (await Promise.all(DEMO.slice(0, 2).map((f) => readFile(path.join(SAMPLES, f))))).reduce(
        (n, b) => n + b.byteLength,
        0,
      );
      expect(lines.at(-1)).toBe(
        `\r2 of 2 files · 100 % · ${records} rows, ${(size / 1e6).toFixed(1)} MB · done`,
      );
      expect(written.at(-1)?.endsWith('\n')).toBe(true);
    },
    60_000,
  );

  it('redacts values with --redact', async () => {
    const { code, out } = await run([...DEMO, '--json', '--redact']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as Report;
    expect(report.redacted).toBe(true);
    expect(loadReport(report).ok).toBe(true);
    expect(out).not.toContain('11/09/1938');
    expect(out).not.toMatch(/"value": "/);
    expect(report.issues.every((i) => i.examples.every((e) => e.value === undefined))).toBe(true);
    expect(demoCounts(report)).toEqual(EXPECTED);
  });
});

describe('preflight validate exit codes and messages', () => {
  it('exits 0 for a clean file', async () => {
    await writeFile(path.join(dir, 'ok.csv'), 'id,name\r\n1,Ann\r\n2,Bo\r\n');
    const { code, out } = await run(['ok.csv'], dir);
    expect(code).toBe(0);
    expect(out).toContain('2 records: 2 valid, 0 invalid');
  });

  it('exits 2 for a missing file, naming it', async () => {
    const { code, err } = await run(['nope.csv'], dir);
    expect(code).toBe(2);
    expect(err).toContain('"nope.csv": no such file');
  });

  it.each([
    [['ok2.csv', 'ok2.csv'], 'ok2.csv is given twice'],
    [['ok2.csv', './sub/../ok2.csv'], 'ok2.csv and ./sub/../ok2.csv are the same file'],
    [['--fhir', 'ok2.csv', 'ok2.csv'], 'ok2.csv is given twice'],
  ])('exits 2 for a file given twice (%j), validating nothing', async (args, said) => {
    await writeFile(path.join(dir, 'ok2.csv'), 'id,name\r\n1,Ann\r\n');
    const { code, err, out } = await run(args, dir);
    expect(code).toBe(2);
    expect(err).toContain(said);
    expect(out).not.toContain('records');
  });

  it('reports bytes not valid in the declared encoding as one problem on the file, without the value (exit 1)', async () => {
    await writeFile(path.join(dir, 'bad.csv'), Buffer.from([...Buffer.from('id,name\n1,Zo'), 0xeb, 0x0a]));
    const { code, err, out } = await run(['bad.csv', '--encoding', 'utf-8'], dir);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toContain('bad.csv is not valid UTF-8 text: the byte at line 2, byte 12 cannot be read');
    expect(out).not.toContain('Zo');
  });

  it('places a bad byte in a file a worker validates exactly, and keeps the other file (--workers 2)', async () => {
    const rows = Buffer.from(`id,name\n${'1,Ann\n'.repeat(40_000)}`);
    rows[150_002] = 0xff;
    await writeFile(path.join(dir, 'big.csv'), rows);
    await writeFile(path.join(dir, 'first.csv'), `id,name\n${'2,Bo\n'.repeat(40_000)}`);
    const { code, out } = await run(['first.csv', 'big.csv', '--encoding', 'utf-8', '--workers', '2'], dir);
    expect(code).toBe(1);
    expect(out).toContain('big.csv is not valid UTF-8 text: the byte at line 25,001, byte 150,002');
    expect(out).toContain('first.csv (utf-8, ",", LF): 40000 records, 0 invalid');
  }, 60_000);

  it.each([
    {
      what: 'a 5 MB cell',
      text: () => `id,note\n1,short\n2,${'x'.repeat(5 * 1024 * 1024)}\n3,short\n`,
      said: 'hostile.csv: the cell in column 2 of row 2 (from byte 16) is longer than 4,194,304 characters. No extract holds a cell that long. Export the extract again without that field, or check --delimiter.',
    },
    {
      what: 'a header of 100,000 columns',
      text: () => `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1\n`,
      said: 'hostile.csv: the header (the first line) has more than 16,384 columns. Most likely this is not a CSV file, or the delimiter is wrong. Check --delimiter, or export the extract again as CSV.',
    },
    {
      what: 'a 10 MB column name',
      text: () => `id,${'x'.repeat(10 * 1024 * 1024)}\n1,2\n`,
      said: 'hostile.csv: the name of column 2 in the header is longer than 4,096 characters. Most likely this is not a CSV file, or the first line is data. Export the extract again with short column names.',
    },
  ])(
    'exits 2 for $what at its place, in a worker too, without the text',
    async ({ text, said }) => {
      await writeFile(path.join(dir, 'hostile.csv'), text());
      await writeFile(path.join(dir, 'fine.csv'), 'id,name\n1,Ann\n');
      for (const workers of ['1', '2']) {
        const { code, err } = await run(['fine.csv', 'hostile.csv', '--workers', workers], dir);
        expect(code).toBe(2);
        expect(err).toContain(said);
        expect(err).toContain('hostile.csv');
        expect(err).not.toContain('xxxx');
      }
    },
    60_000,
  );

  it('exits 2 for usage errors (a --schema naming no file, bad --workers)', async () => {
    expect(
      (await run(['legacy/patients.csv', '--schema', 'other=contracts/patients.contract.json'])).code,
    ).toBe(2);
    expect((await run(['legacy/patients.csv', '--workers', '0'])).code).toBe(2);
  });

  it('exits 2 for a contract that does not compile, naming the place in it', async () => {
    await writeFile(path.join(dir, 'ok2.csv'), 'id\n1\n');
    await writeFile(
      path.join(dir, 'c.json'),
      JSON.stringify({ type: 'object', properties: { id: { type: 'strnig' } } }),
    );
    const { code, err } = await run(['ok2.csv', '--schema', 'c.json'], dir);
    expect(code).toBe(2);
    expect(err).toContain('/properties/id/type');
  });
});
