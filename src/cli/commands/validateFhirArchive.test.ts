/**
 * `preflight validate --fhir archive.zip`: each FHIR JSON or NDJSON entry is an input named
 * `archive.zip/<entry>` with the findings the same file gets unzipped; the other entries (a table,
 * a note, a folder) are the archive's reader account, on its first input's `notRead` and in a note
 * on stderr. Built here from HL7's own validator test resources.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const resource = (name: string) => readFileSync(externalFixture('fhir-test-cases', 'validator', name));

/** Patients as one NDJSON file, a resource a line, as a bulk export writes them. */
const patients = ['ai1.json', 'ai2.json', 'patient-id-bad-1.json', 'maiden-name.json']
  .map((name) => JSON.stringify(JSON.parse(resource(name).toString('utf8'))))
  .join('\n');

const TABLE = new TextEncoder().encode('id,name\n1,a\n');

const ENTRIES: Record<string, Uint8Array> = {
  'export/Patient.ndjson': new TextEncoder().encode(`${patients}\n`),
  'export/Observation-ex-pain.json': resource('Observation-ex-pain.json'),
  'export/encounter-period.json': resource('encounter-period.json'),
  // compressed inside the archive, as some exports are
  'export/Encounter.ndjson.gz': gzipSync(
    `${JSON.stringify(JSON.parse(resource('encounter-period.json').toString('utf8')))}\n`,
  ),
  'export/': new Uint8Array(0),
  'export/patients.csv': TABLE,
  'export/README.txt': new TextEncoder().encode('Exported for the go-live.\n'),
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-zip-'));
  await writeFile(path.join(dir, 'export.zip'), zipSync(ENTRIES));
  for (const [name, bytes] of Object.entries(ENTRIES))
    if (!name.endsWith('/')) await writeFile(path.join(dir, path.basename(name)), bytes);
});

/** The report's issues with each example's input named as `rename` says. */
function issuesOf(report: Report, rename: (input: string) => string): unknown[] {
  return report.issues.map((issue) => ({
    ...issue,
    examples: issue.examples.map((e) => (e.input === undefined ? e : { ...e, input: rename(e.input) })),
  }));
}

describe('preflight validate --fhir on a zip of FHIR files', () => {
  it('checks each FHIR entry as the same file unzipped, and accounts for the rest', async () => {
    const zipped = await runCli(['validate', '--fhir', 'export.zip', '--json'], dir);
    const plain = await runCli(
      [
        'validate',
        '--fhir',
        'Patient.ndjson',
        'Observation-ex-pain.json',
        'encounter-period.json',
        'Encounter.ndjson.gz',
        '--json',
      ],
      dir,
    );
    expect(zipped.code, zipped.err).toBe(plain.code);
    expect(plain.code).toBe(1); // a patient with a bad id: findings, not a refusal
    const fromZip = JSON.parse(zipped.out) as Report;
    const fromFiles = JSON.parse(plain.out) as Report;
    expect(fromZip.inputs.map((i) => i.name)).toEqual([
      'export.zip/export/Patient.ndjson',
      'export.zip/export/Observation-ex-pain.json',
      'export.zip/export/encounter-period.json',
      'export.zip/export/Encounter.ndjson.gz',
    ]);
    expect(fromZip.summary).toEqual(fromFiles.summary);
    expect(issuesOf(fromZip, (name) => path.basename(name))).toEqual(issuesOf(fromFiles, (name) => name));
    // each entry's fingerprint is of its own bytes
    expect(fromZip.inputs.map((i) => i.sha256)).toEqual(fromFiles.inputs.map((i) => i.sha256));
    expect(fromZip.inputs[0]?.notRead?.map((l) => [l.kind, l.name, l.where?.file])).toEqual([
      ['entry', 'export/', 'export.zip/export/'],
      ['entry', 'export/patients.csv', 'export.zip/export/patients.csv'],
      ['entry', 'export/README.txt', 'export.zip/export/README.txt'],
    ]);
    expect(fromZip.inputs[0]?.notRead?.[1]?.effect).toContain('a table, not FHIR');
    expect(fromZip.inputs.slice(1).every((i) => i.notRead === undefined)).toBe(true);
    expect(zipped.err).toContain('"export.zip" was unzipped: 4 extracts read, 3 entries not read');
  });

  it('refuses an archive with no FHIR file, saying what it holds', async () => {
    await writeFile(path.join(dir, 'tables.zip'), zipSync({ 'patients.csv': TABLE }));
    const { code, err } = await runCli(['validate', '--fhir', 'tables.zip'], dir);
    expect(code).toBe(2);
    expect(err).toContain(
      '"tables.zip" holds no FHIR JSON or NDJSON file, so nothing in it could be checked',
    );
    expect(err).toContain('entry patients.csv');
  });
});
