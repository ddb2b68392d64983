/**
 * Profile findings on records mapped from a CSV are traced to the mapping like the base R4 ones:
 * the IPS Patient profile applied to every mapped Patient, or claimed by the record's own
 * meta.profile (a mapping field writes it as a constant), each row with one planted defect.
 */
import { describe, expect, it } from 'vitest';
import { ipsPackage } from '../../../tests/fixtures/ipsPackage.ts';
import { tracedLines } from '../../../tests/fixtures/mappedFhirCases.ts';
import type { Mapping } from '../../formats/mapping.ts';
import { generatedModules, prepareMappedFhirCheck } from '../fhir/index.ts';
import { runMappedCore, tracedSentence } from '../validation/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';

const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';

const mapping = (fields: Mapping['fields']): Mapping => ({
  format: 'preflight.mapping/v1',
  id: 'ips-patients',
  name: 'patients to IPS Patient',
  version: 1,
  source: 'extract.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'mrn',
  fields,
});

/** `applied`: the profiles applied to every mapped Patient (none: each record's meta.profile chooses). */
async function run(csv: string, m: Mapping, applied: readonly string[] = [IPS_PATIENT]) {
  const registry = createProfileRegistry([await ipsPackage()]);
  const check = await prepareMappedFhirCheck(m, generatedModules, {
    profiles: validatorProfiles(registry, applied),
  });
  const report = await runMappedCore('extract.csv', new TextEncoder().encode(csv), check, 'mrn', {
    type: 'fhir',
    resourceType: 'Patient',
  });
  return tracedLines(
    { ...report, issues: report.issues.filter((i) => i.severity !== 'information') },
    tracedSentence,
  );
}

describe('IPS Patient profile findings on mapped rows, traced to the mapping', () => {
  it.each([
    {
      description: 'a birth date the row leaves empty names the field and its column',
      // the header is 19 bytes (CRLF), the first row 21
      csv: 'mrn,last_name,dob\r\nM1,Ngata,1938-09-11\r\nM2,Okafor,\r\n',
      fields: [
        { target: 'name[0].family', from: 'last_name' },
        { target: 'birthDate', from: 'dob' },
      ],
      traced: [
        'error fhir-profile-cardinality @ Patient.birthDate ×1',
        '  Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips) — mapping field birthDate left it empty (column "dob"), row 2, byte 40',
      ],
    },
    {
      description: 'a birth date no field writes says so',
      csv: 'mrn,last_name\nM1,Ngata\n',
      fields: [{ target: 'name[0].family', from: 'last_name' }],
      traced: [
        'error fhir-profile-cardinality @ Patient.birthDate ×1',
        '  Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips) — no mapping field fills it, row 1, byte 14',
      ],
    },
    {
      description: "a name the row leaves without a family breaks the profile's invariant",
      // the header is 20 bytes, the first row 13
      csv: 'mrn,title,last_name\nM1,Mrs,Ngata\nM2,Mr,\n',
      fields: [
        { target: 'name[0].prefix[0]', from: 'title' },
        { target: 'name[0].family', from: 'last_name' },
        { target: 'birthDate', const: '1938-09-11' },
      ],
      traced: [
        'error fhir-profile-invariant @ Patient.name ×1',
        '  Patient.name: ips-pat-1: Patient.name.given, Patient.name.family or Patient.name.text SHALL be present (Patient-uv-ips) — from column "title" (mapping field name[0].prefix[0]), row 2, byte 33',
      ],
    },
  ])('$description', async ({ csv, fields, traced }) => {
    expect(await run(csv, mapping(fields))).toEqual(traced);
  });

  it('applies the profile a mapping writes into meta.profile, without one applied to all', async () => {
    const fields: Mapping['fields'] = [
      { target: 'meta.profile[0]', const: IPS_PATIENT },
      { target: 'name[0].family', from: 'last_name' },
      { target: 'birthDate', from: 'dob' },
    ];
    const csv = 'mrn,last_name,dob\nM1,Ngata,1938-09-11\nM2,Okafor,\n';
    expect(await run(csv, mapping(fields), [])).toEqual([
      'error fhir-profile-cardinality @ Patient.birthDate ×1',
      '  Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips) — mapping field birthDate left it empty (column "dob"), row 2, byte 38',
    ]);
    // the same records without the claim are held to base R4 only
    expect(await run(csv, mapping(fields.slice(1)), [])).toEqual([]);
  });
});
