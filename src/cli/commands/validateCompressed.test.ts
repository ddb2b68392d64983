/**
 * `preflight validate patients.csv.gz` and `validate --fhir Patient.ndjson.gz`: compressed text is
 * read as a stream (compressedInputs.ts) and gets the report the same text uncompressed gets, with
 * one line saying its positions are those of the decompressed text; a file that cannot be
 * decompressed stops the run (exit 2), naming it, and leaves nothing behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const CONTRACT = {
  type: 'object',
  required: ['patient_id', 'sex'],
  properties: { patient_id: { type: 'string', pattern: '^P[0-9]+$' }, sex: { enum: ['F', 'M'] } },
};
const CSV = ['patient_id,sex', 'P1,F', 'X2,M', 'P3,Q', 'P1,', 'P5,F'].join('\r\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-compressed-cli-'));
  await mkdir(path.join(dir, 'tmp'));
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(CONTRACT));
  await writeFile(path.join(dir, 'patients.csv'), `${CSV}\r\n`);
  await writeFile(path.join(dir, 'patients.csv.gz'), gzipSync(`${CSV}\r\n`));
  // a byte that is not UTF-8 on line 3 of the text
  await writeFile(
    path.join(dir, 'bad.csv.gz'),
    gzipSync(Buffer.from('patient_id,sex\nP1,F\nP\xff2,M\n', 'latin1')),
  );
  await writeFile(path.join(dir, 'notgzip.csv.gz'), `${CSV}\r\n`);
  const ndjson = await readFile(path.resolve('samples/fhir/Patient.ndjson'));
  await writeFile(path.join(dir, 'Patient.ndjson'), ndjson);
  await writeFile(path.join(dir, 'Patient.ndjson.gz'), gzipSync(ndjson));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The report but its file's name, size and fingerprint and when it ran. */
function findings(r: Report, name: string) {
  return JSON.stringify({
    summary: r.summary,
    issues: r.issues,
    profiles: r.profiles,
    crossFile: r.crossFile,
  }).replaceAll(name, 'FILE');
}

async function run(args: string[]) {
  const result = await runCli(['validate', ...args, '--json'], dir);
  return { ...result, report: result.out === '' ? undefined : (JSON.parse(result.out) as Report) };
}

describe('preflight validate on compressed text', () => {
  it('reads patients.csv.gz as its CSV, saying positions are of the decompressed text', async () => {
    const csv = await run(['patients.csv', '--schema', 'c.json', '--key', 'patient_id']);
    const gz = await run(['patients.csv.gz', '--schema', 'c.json', '--key', 'patient_id']);
    expect(gz.code).toBe(1);
    expect(gz.code).toBe(csv.code);
    expect(gz.err).toBe(
      'preflight validate: "patients.csv.gz" was read decompressed (gzip): lines and byte positions are those of the decompressed text.',
    );
    expect(findings(gz.report as Report, 'patients.csv.gz')).toBe(
      findings(csv.report as Report, 'patients.csv'),
    );
    expect(gz.report?.summary.invalid).toBe(3);
  });

  it('places a bad byte by its line in the decompressed text', async () => {
    const bad = await run(['bad.csv.gz', '--schema', 'c.json']);
    const [problem] = bad.report?.issues ?? [];
    expect(problem?.examples[0]).toMatchObject({ row: 2 });
    expect(bad.err).toContain('lines and byte positions are those of the decompressed text');
  });

  it('reads Patient.ndjson.gz with --fhir as its NDJSON', async () => {
    const plain = await run(['--fhir', 'Patient.ndjson']);
    const gz = await run(['--fhir', 'Patient.ndjson.gz']);
    expect(gz.code).toBe(plain.code);
    expect(gz.err).toBe(
      'preflight validate --fhir: "Patient.ndjson.gz" was read decompressed (gzip): lines and byte positions are those of the decompressed text.',
    );
    expect(findings(gz.report as Report, 'Patient.ndjson.gz')).toBe(
      findings(plain.report as Report, 'Patient.ndjson'),
    );
    expect(gz.report?.summary.records).toBeGreaterThan(0);
  });

  it('stops at a .gz that is not gzip (exit 2), naming it, leaving nothing behind', async () => {
    const temp = path.join(dir, 'tmp');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const result = await runCli(
        ['validate', 'patients.csv', 'notgzip.csv.gz', '--schema', 'c.json', '--report', 'r.json'],
        dir,
      );
      expect(result.code).toBe(2);
      expect(result.err).toBe(
        'preflight validate: "notgzip.csv.gz" could not be decompressed: it is not gzip data, or the file is cut short. Compress it again, or choose the file uncompressed.',
      );
      expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
      expect(readdirSync(temp).filter((name) => name.startsWith('preflight-decompressed-'))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});
