/**
 * `preflight validate <csv> --mapping m.json --ig package.tgz`: records mapped to FHIR are checked
 * against the profiles of the implementation guide packages, as FHIR files are — the profile a
 * record's meta.profile names (a mapping field writes it as a constant) or one `--profile` applies
 * to all — with each profile finding traced to its row and source column, the packages listed in
 * the report, the same report with `--workers 2`, and the exit codes: 0 when every record conforms,
 * 1 for a profile violation, 2 for packages that cannot be used or have nothing to apply to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { tracedLines } from '../../../tests/fixtures/mappedFhirCases.ts';
import { tracedSentence } from '../../core/validation/index.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import { oneAndTwoWorkers, readReport } from '../testing/mappingRuns.ts';
import { closeValidateWorkers } from '../validateWorkers.ts';

const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';

const mapping = (fields: Mapping['fields']): Mapping => ({
  format: 'preflight.mapping/v1',
  id: 'ips-patients',
  name: 'patients to IPS Patient',
  version: 3,
  source: 'extract.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'mrn',
  fields,
});

const NAME_AND_BIRTH: Mapping['fields'] = [
  { target: 'name[0].family', from: 'last_name' },
  { target: 'birthDate', from: 'dob' },
];
/** the mapping claims the IPS profile for every record, as a constant */
const CLAIMING = mapping([{ target: 'meta.profile[0]', const: IPS_PATIENT }, ...NAME_AND_BIRTH]);
const PLAIN = mapping(NAME_AND_BIRTH);

// the header is 18 bytes, the first row 20, the second 13
const ONE_WITHOUT_BIRTH = 'mrn,last_name,dob\nM1,Ngata,1938-09-11\nM2,Okafor,\n';
const ALL_CONFORM = 'mrn,last_name,dob\nM1,Ngata,1938-09-11\nM2,Okafor,2001-02-28\n';

const BIRTH_TRACED = [
  'error fhir-profile-cardinality @ Patient.birthDate ×1',
  '  Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips) — mapping field birthDate left it empty (column "dob"), row 2, byte 38',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-mapping-profiles-'));
});
afterAll(async () => {
  await closeValidateWorkers();
  await rm(dir, { recursive: true, force: true });
});

async function run(csv: string, m: Mapping, extra: string[]) {
  await writeFile(path.join(dir, 'extract.csv'), csv);
  await writeFile(path.join(dir, 'm.json'), JSON.stringify(m));
  const { io, out, err } = captureIo(dir);
  const code = await main(
    ['validate', 'extract.csv', '--mapping', 'm.json', '--report', 'r.json', ...extra],
    io,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The report's issues without the must-support notes (information), traced as sentences. */
const traced = (report: Report) =>
  tracedLines(
    { ...report, issues: report.issues.filter((i) => i.severity !== 'information') },
    tracedSentence,
  );

describe('preflight validate --mapping --ig: profiles on records mapped from a CSV', () => {
  it.each([
    { description: "the record's meta.profile, written by the mapping", m: CLAIMING, extra: [] },
    {
      description: 'a profile --profile applies to every Patient',
      m: PLAIN,
      extra: ['--profile', IPS_PATIENT],
    },
  ])('reports a profile violation at its row and column: $description', async ({ m, extra }) => {
    const { code, out, err } = await run(ONE_WITHOUT_BIRTH, m, ['--ig', IPS_TGZ, ...extra]);
    expect(err).toBe('');
    expect(code).toBe(1);
    const report = await readReport(dir, 'r.json');
    expect(traced(report)).toEqual(BIRTH_TRACED);
    // the must-support notes are information: neither errors nor warnings
    expect(report.summary).toEqual({ records: 2, valid: 1, invalid: 1, errors: 1, warnings: 0 });
    expect(report.issues.filter((i) => i.rule === 'fhir-profile-must-support').length).toBeGreaterThan(0);
    expect(report.target).toEqual({
      type: 'fhir',
      resourceType: 'Patient',
      packages: [
        {
          name: 'hl7.fhir.uv.ips',
          version: '2.0.0',
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
      missingPackages: expect.any(Array),
      ...(extra.length > 0 ? { profiles: [IPS_PATIENT] } : {}),
    });
    // the summary names the package and the profiles, and traces the finding to row and column
    expect(out).toContain('records mapped to FHIR: profiles of hl7.fhir.uv.ips#2.0.0 applied (sha256 ');
    expect(out).toContain(
      extra.length > 0
        ? `  applied to every record of their type: ${IPS_PATIENT}`
        : '  each record against the profiles its meta.profile names',
    );
    expect(out).toContain(
      '    Patient.birthDate — mapping field birthDate left it empty (column "dob"): row 2, byte 38',
    );
    expect(out).toContain('2 records: 1 valid, 1 invalid; 1 errors, 0 warnings');
  });

  it('passes (exit 0) when every mapped record conforms to the profile', async () => {
    const { code, err } = await run(ALL_CONFORM, CLAIMING, ['--ig', IPS_TGZ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(traced(await readReport(dir, 'r.json'))).toEqual([]);
  });

  it('holds records to base R4 only without the package, and says the claim is not checked', async () => {
    const { code } = await run(ONE_WITHOUT_BIRTH, CLAIMING, []);
    expect(code).toBe(0);
    const report = await readReport(dir, 'r.json');
    // what is traced to the mapping is the claim alone (its fixed value, row by row)
    expect(traced(report).filter((line) => !line.includes('claim'))).toEqual([]);
    // the claim is a warning (the Java validator's), never an error: the records pass
    expect(report.issues.map((i) => `${i.severity} ${i.rule}`)).toEqual([
      'warning fhir-profile-claim-not-checked',
    ]);
  });

  it('gives the same report with --workers 2, the second file read in a worker with the package', async () => {
    await writeFile(path.join(dir, 'a.csv'), ONE_WITHOUT_BIRTH);
    await writeFile(path.join(dir, 'b.csv'), ONE_WITHOUT_BIRTH);
    await writeFile(path.join(dir, 'm.json'), JSON.stringify(CLAIMING));
    const argv = ['validate', 'a.csv', 'b.csv', '--mapping', 'a.csv=m.json', '--mapping', 'b.csv=m.json'];
    const { codes, errs, reports, inWorkers } = await oneAndTwoWorkers([...argv, '--ig', IPS_TGZ], dir);
    expect(codes).toEqual([1, 1]);
    expect(reports[1]).toEqual(reports[0]);
    expect(inWorkers).toBe(1);
    // both files' records broke the profile, the one read in the worker too
    const birth = (reports[1]?.issues ?? []).filter((i) => i.rule === 'fhir-profile-cardinality');
    expect(birth.flatMap((i) => i.examples.map((e) => [e.input, e.row, e.column]))).toEqual([
      ['a.csv', 2, 'dob'],
      ['b.csv', 2, 'dob'],
    ]);
    expect(errs.flat().join('\n')).not.toMatch(/error|cannot/i);
  });

  it.each([
    {
      description: 'a package that cannot be read',
      csv: ALL_CONFORM,
      m: CLAIMING,
      extra: ['--ig', 'missing.tgz'],
      says: 'cannot read "missing.tgz"',
    },
    {
      description: 'a --profile no given package defines',
      csv: ALL_CONFORM,
      m: PLAIN,
      extra: ['--ig', IPS_TGZ, '--profile', 'http://example.org/StructureDefinition/none'],
      says: 'no package given with --ig defines this profile',
    },
  ])('refuses (exit 2) $description', async ({ csv, m, extra, says }) => {
    const { code, err } = await run(csv, m, extra);
    expect(code).toBe(2);
    expect(err).toContain(says);
  });

  it('refuses --ig for CSV files no mapping turns into FHIR records (exit 2)', async () => {
    await writeFile(path.join(dir, 'a.csv'), 'a\n1\n');
    const { io, err } = captureIo(dir);
    expect(await main(['validate', 'a.csv', '--ig', IPS_TGZ], io)).toBe(2);
    expect(err.join('\n')).toContain(
      '--ig needs --fhir (FHIR files), --mapping (CSV mapped to FHIR) or --project',
    );
  });
});
