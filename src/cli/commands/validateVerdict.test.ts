/**
 * `preflight validate`'s exit code and the summary's last line agree, on both engines: every
 * reason to exit 1 is named ("Result: fails — 1 record repeats a key"), a run that exits 0 says it
 * passes, and a file with a header and no records, or an empty file, is a warning the last line
 * names — or, with `--fail-on-empty`, fails.
 * A file that cannot be read as text is one fatal problem on it, naming the line and the byte
 * offset (a zero byte is "not a text file", not an encoding problem): the other files are checked
 * and the run exits 1, as for any error in the data, on either engine.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-verdict-'));
  const files: Record<string, string> = {
    'clean.csv': 'patient_id,sex\nP1,F\nP2,M\n',
    'header.csv': 'patient_id,sex\n',
    'empty.csv': '',
    'repeats.csv': 'patient_id,sex\nP1,F\nP1,F\nP2,M\n',
    'visits.csv': 'visit_id,patient_id\nV1,P1\nV2,P9\nV3,P8\n',
    'contract.json': JSON.stringify({
      type: 'object',
      properties: { patient_id: { type: 'string', pattern: '^P[0-9]$' }, sex: { enum: ['F', 'M'] } },
    }),
    'bad.csv': 'patient_id,sex\nX1,F\nP2,Q\n',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  // a PDF saved as .csv: its header line, then binary bytes
  await writeFile(
    path.join(dir, 'scan.csv'),
    Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj\n\x00\x01\x02', 'latin1'),
  );
  await writeFile(
    path.join(dir, 'latin1.csv'),
    Buffer.from('patient_id,city\nP1,Paris\nP2,Montr\xe9al\n', 'latin1'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: { name: string; args: string[]; code: number; line: string }[] = [
  { name: 'a clean file', args: ['clean.csv'], code: 0, line: 'Result: passes' },
  {
    name: 'a header-only file: a warning',
    args: ['header.csv'],
    code: 0,
    line: 'Result: passes with 1 warning — header.csv has no records (empty or only a header); --fail-on-empty fails the run on it',
  },
  {
    name: 'an empty file (0 bytes): a warning, named on the last line',
    args: ['empty.csv', 'clean.csv'],
    code: 0,
    line: 'Result: passes with 1 warning — empty.csv has no records (empty or only a header); --fail-on-empty fails the run on it',
  },
  {
    name: 'an empty file with --fail-on-empty',
    args: ['empty.csv', 'clean.csv', '--fail-on-empty'],
    code: 1,
    line: 'Result: fails — 1 file with no records: empty.csv (--fail-on-empty)',
  },
  {
    name: 'an empty file with a contract and a key: no header to compare, no key repeated',
    args: ['empty.csv', '--schema', 'contract.json', '--key', 'patient_id'],
    code: 0,
    line: 'Result: passes with 1 warning — empty.csv has no records (empty or only a header); --fail-on-empty fails the run on it',
  },
  {
    name: 'references into an empty file find no record',
    args: ['visits.csv', 'empty.csv', '--references', 'visits.patient_id=empty.patient_id'],
    code: 1,
    line: 'Result: fails — 3 orphan references',
  },
  {
    name: 'an empty file refers to nothing',
    args: ['empty.csv', 'clean.csv', '--references', 'empty.patient_id=clean.patient_id'],
    code: 0,
    line: 'Result: passes with 1 warning — empty.csv has no records (empty or only a header); --fail-on-empty fails the run on it',
  },
  {
    name: 'a header-only file with --fail-on-empty',
    args: ['header.csv', 'clean.csv', '--fail-on-empty'],
    code: 1,
    line: 'Result: fails — 1 file with no records: header.csv (--fail-on-empty)',
  },
  {
    name: 'a clean file with --fail-on-empty',
    args: ['clean.csv', '--fail-on-empty'],
    code: 0,
    line: 'Result: passes',
  },
  {
    name: 'repeated keys and no row error',
    args: ['repeats.csv', '--key', 'patient_id'],
    code: 1,
    line: 'Result: fails — 1 record repeats a key',
  },
  {
    name: 'orphan references',
    args: ['visits.csv', 'clean.csv', '--references', 'visits.patient_id=clean.patient_id'],
    code: 1,
    line: 'Result: fails — 2 orphan references',
  },
  {
    name: 'errors in records',
    args: ['bad.csv', '--schema', 'contract.json'],
    code: 1,
    line: 'Result: fails — 2 errors',
  },
];

describe('preflight validate', () => {
  it.each(CASES)('$name', async ({ args, code, line }) => {
    const run = await runCli(['validate', ...args], dir);
    expect(run.code, run.err).toBe(code);
    expect(run.out.split('\n').at(-1)).toBe(line);
  });
});

describe('the no-records warning', () => {
  it('is in the summary as a warning of the whole file', async () => {
    const { out } = await runCli(['validate', 'header.csv'], dir);
    expect(out).toContain(
      'warning csv.no-records (file header.csv) × 1: the file has no records (only its header): an empty extract usually means the export failed',
    );
  });

  it('names its file among several, as the empty-file warning does', async () => {
    const { out } = await runCli(['validate', 'clean.csv', 'empty.csv', 'header.csv'], dir);
    expect(out).toContain('warning csv.empty-file (file empty.csv) × 1: empty file: no header, no rows');
    expect(out).toContain('warning csv.no-records (file header.csv) × 1: the file has no records');
    expect(out.split('\n').at(-1)).toBe(
      'Result: passes with 2 warnings — empty.csv and header.csv have no records (empty or only a header); --fail-on-empty fails the run on them',
    );
  });

  it('refuses --fail-on-empty with --fhir', async () => {
    const { code, err } = await runCli(['validate', '--fhir', 'clean.csv', '--fail-on-empty'], dir);
    expect(code).toBe(2);
    expect(err).toContain('--fail-on-empty is for CSV files');
  });
});

describe('bad bytes, the default engine', () => {
  it.each([
    {
      name: 'a binary file',
      args: ['scan.csv'],
      rule: 'csv.not-text',
      message:
        'scan.csv is not a text file (a zero byte at byte 21, line 4): check that it is the right file; a spreadsheet or PDF must be exported as CSV first',
      // read as Windows-1252 (its second line is not UTF-8): two records before the zero byte
      stopped:
        'scan.csv (windows-1252, ",", LF): stopped at line 4, byte 21 (a fatal problem): 2 records read before it, none checked',
      stoppedAt: { byte: 21, line: 4, records: 2 },
    },
    {
      name: 'a Latin-1 file read as UTF-8',
      args: ['latin1.csv', '--encoding', 'utf-8'],
      rule: 'csv.not-in-encoding',
      message:
        'latin1.csv is not valid UTF-8 text: the byte at line 3, byte 33 cannot be read in that encoding; read it in the encoding it was saved in, or export it again as UTF-8',
      stopped:
        'latin1.csv (utf-8, ",", LF): stopped at line 3, byte 33 (a fatal problem): 1 record read before it, none checked',
      stoppedAt: { byte: 33, line: 3, records: 1 },
    },
  ])(
    '$name among good files: one fatal problem on it, the others checked, exit 1',
    async ({ args, rule, message, stopped, stoppedAt }) => {
      const run = await runCli(
        ['validate', 'clean.csv', ...args, 'bad.csv', '--report', `${rule}.json`],
        dir,
      );
      expect(run.err).toBe('');
      expect(run.code).toBe(1);
      expect(run.out).toContain(`fatal ${rule} (file ${args[0]}) × 1: ${message}`);
      // how far the file was read, instead of "0 records"
      expect(run.out).toContain(stopped);
      // the other files' results are there
      expect(run.out).toContain('clean.csv (utf-8, ",", LF): 2 records, 0 invalid');
      expect(run.out).toContain('bad.csv (utf-8, ",", LF): 2 records, 0 invalid');
      expect(run.out).toContain('Result: fails — 1 error');
      const report = JSON.parse(await readFile(path.join(dir, `${rule}.json`), 'utf8'));
      const refused = report.inputs.find((i: { name: string }) => i.name === args[0]);
      expect(refused).toMatchObject({ records: 0, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(refused.stoppedAt).toEqual(stoppedAt);
      expect(report.issues.find((i: { rule: string }) => i.rule === rule)).toMatchObject({
        severity: 'fatal',
        count: 1,
        message,
      });
    },
  );

  it('one bad file alone: the same problem, exit 1', async () => {
    const run = await runCli(['validate', 'scan.csv'], dir);
    expect(run.code).toBe(1);
    expect(run.out).toContain('scan.csv is not a text file (a zero byte at byte 21, line 4)');
  });
});

describe('bad bytes', () => {
  it.each([
    {
      name: 'a binary file',
      args: ['scan.csv'],
      rule: 'csv.not-text',
      message:
        'scan.csv is not a text file (a zero byte at byte 21, line 4): check that it is the right file; a spreadsheet or PDF must be exported as CSV first',
      // read as Windows-1252 (its second line is not UTF-8): two records before the zero byte
      stopped:
        'scan.csv (windows-1252, ",", LF): stopped at line 4, byte 21 (a fatal problem): 2 records read before it, none checked',
      stoppedAt: { byte: 21, line: 4, records: 2 },
    },
    {
      name: 'a Latin-1 file read as UTF-8',
      args: ['latin1.csv', '--encoding', 'utf-8'],
      rule: 'csv.not-in-encoding',
      message:
        'latin1.csv is not valid UTF-8 text: the byte at line 3, byte 33 cannot be read in that encoding; read it in the encoding it was saved in, or export it again as UTF-8',
      stopped:
        'latin1.csv (utf-8, ",", LF): stopped at line 3, byte 33 (a fatal problem): 1 record read before it, none checked',
      stoppedAt: { byte: 33, line: 3, records: 1 },
    },
  ])(
    '$name among good files: the same fatal problem, the others checked, exit 1',
    async ({ args, rule, message, stopped }) => {
      const run = await runCli(['validate', 'clean.csv', ...args, 'bad.csv'], dir);
      expect(run.err).toBe('');
      expect(run.code).toBe(1);
      expect(run.out).toContain(`fatal ${rule} (file ${args[0]}) × 1: ${message}`);
      expect(run.out).toContain(stopped);
      expect(run.out).toContain('clean.csv (utf-8, ",", LF): 2 records, 0 invalid');
      expect(run.out).toContain('bad.csv (utf-8, ",", LF): 2 records, 0 invalid');
      expect(run.out).toContain('Result: fails — 1 error');
    },
  );
});
