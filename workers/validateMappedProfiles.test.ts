/**
 * A CSV mapped to FHIR through the validator worker's API with implementation guide packages, as
 * the page runs it when the project has some: each record is checked against the profile its
 * meta.profile names, the finding traced to its row and column as the CLI traces it; a package
 * that cannot be read comes back as a problem naming it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tracedSentence } from '../src/core/validation/index.ts';
import type { Mapping } from '../src/formats/mapping.ts';
import { IPS_TGZ } from '../tests/fixtures/ipsPackage.ts';
import { tracedLines } from '../tests/fixtures/mappedFhirCases.ts';
import { validated, validateThroughApi } from './testing/mappedRuns.ts';

const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';

const mapping: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'ips-patients',
  name: 'patients to IPS Patient',
  version: 1,
  source: 'extract.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'mrn',
  fields: [
    { target: 'meta.profile[0]', const: IPS_PATIENT },
    { target: 'name[0].family', from: 'last_name' },
    { target: 'birthDate', from: 'dob' },
  ],
};

// the header is 18 bytes, the first row 20
const CSV = 'mrn,last_name,dob\nM1,Ngata,1938-09-11\nM2,Okafor,\n';

const ips = () => ({ name: 'hl7.fhir.uv.ips-2.0.0.tgz', file: new Blob([readFileSync(IPS_TGZ)]) });

describe('validator worker: records mapped to FHIR against the packages’ profiles', () => {
  it('reports a profile violation at its row and column, and none without the package', async () => {
    const run = async (packages: ReturnType<typeof ips>[]) =>
      validated(
        await validateThroughApi({
          file: new Blob([CSV]),
          name: 'extract.csv',
          mapping: { mapping, ...(packages.length > 0 ? { packages } : {}) },
        }),
      ).report;
    const errors = (report: Awaited<ReturnType<typeof run>>) =>
      tracedLines({ ...report, issues: report.issues.filter((i) => i.severity === 'error') }, tracedSentence);
    const report = await run([ips()]);
    expect(errors(report)).toEqual([
      'error fhir-profile-cardinality @ Patient.birthDate ×1',
      '  Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips) — mapping field birthDate left it empty (column "dob"), row 2, byte 38',
    ]);
    expect(report.summary).toEqual({ records: 2, valid: 1, invalid: 1, errors: 1, warnings: 0 });
    expect(errors(await run([]))).toEqual([]);
  });

  it('says which package cannot be read, and what to do', async () => {
    const outcome = await validateThroughApi({
      file: new Blob([CSV]),
      name: 'extract.csv',
      mapping: { mapping, packages: [{ name: 'notes.tgz', file: new Blob(['not a package']) }] },
    });
    expect(outcome).toMatchObject({ ok: false, problem: { file: 'notes.tgz' } });
  });
});
