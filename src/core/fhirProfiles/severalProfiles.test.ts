/**
 * An element whose type names several profiles allows a value conforming to any one of them, as
 * the HL7 Java validator has it: HL7's validator test case `parameters-profiled-resource-multiple`
 * (a Parameters profile whose slice takes a Patient of either of two profiles) and made-up rows
 * for a value that conforms to none, whose message names the profiles tried.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { createFhirSession, type FhirIssue, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { loadProfileRegistry } from './registry.ts';
import { testPackage } from './testing/patientBinding.ts';
import type { StructureDefinition } from './types.ts';

const hl7 = (name: string) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', name), 'utf8')) as Record<
    string,
    unknown
  >;

const PARAMS = hl7(
  'parameters-profiled-resource-profile-params-multiples.json',
) as unknown as StructureDefinition;
const PATIENT_NAMED = hl7(
  'parameters-profiled-resource-profiles-patient.json',
) as unknown as StructureDefinition;
const PATIENT_2 = hl7(
  'parameters-profiled-resource-profiles-patient2.json',
) as unknown as StructureDefinition;

/**
 * A made-up Patient profile requiring gender, and a Parameters profile whose slice takes a Patient
 * (typed `Patient`, as a document Bundle's entry slices are) of either Patient profile.
 */
const GENDERED: StructureDefinition = {
  ...PATIENT_NAMED,
  id: 'gendered-patient',
  url: 'http://example.org/fhir/StructureDefinition/gendered-patient',
  differential: { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
} as StructureDefinition;
const EITHER: StructureDefinition = JSON.parse(
  JSON.stringify(PARAMS)
    .replace(PATIENT_2.url, GENDERED.url)
    .replace('"code":"Resource"', '"code":"Patient"')
    .replaceAll('parameters-profiled-resource-profile-params', 'either-patient-params'),
) as StructureDefinition;

async function validate(
  sds: StructureDefinition[],
  profile: string,
  resource: unknown,
): Promise<FhirIssue[]> {
  const registry = await loadProfileRegistry([testPackage('test.several', { structureDefinitions: sds })]);
  const session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(registry, [profile]),
  });
  return (await session.validate(resource)).issues;
}

const notInformation = (issues: FhirIssue[]) =>
  issues
    .filter((i) => i.severity !== 'information')
    .map((i) => ({ rule: i.rule, location: i.location, message: i.message }));

describe('a type naming several profiles', () => {
  it('HL7 parameters-profiled-resource-multiple: valid, as the Java validator says', async () => {
    const java = hl7('outcomes/java/R4.parameters-profiled-resource-multiple-profile.json');
    expect(java.issue).toBeUndefined();
    const issues = await validate(
      [PARAMS, PATIENT_NAMED, PATIENT_2],
      PARAMS.url,
      hl7('parameters-profiled-resource-multiple.json'),
    );
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    // the second profile names an element Patient does not have: not applied, and said
    expect(issues.map((i) => ({ rule: i.rule, location: i.location }))).toEqual([
      { rule: 'fhir-profile-not-checked', location: 'Parameters.parameter[0].resource' },
    ]);
    expect(issues[0]?.message).toContain(
      `tried: ${PATIENT_NAMED.id}); it is not checked against the others: ${PATIENT_2.url}`,
    );
  });

  const sds = [EITHER, PATIENT_NAMED, GENDERED];
  const params = (patient: Record<string, unknown>) => ({
    resourceType: 'Parameters',
    parameter: [{ name: 'one', resource: { resourceType: 'Patient', ...patient } }],
  });

  it('passes a value conforming to the second profile only', async () => {
    expect(notInformation(await validate(sds, EITHER.url, params({ gender: 'female' })))).toEqual([]);
  });

  it('passes a value conforming to the first profile only', async () => {
    expect(
      notInformation(await validate(sds, EITHER.url, params({ name: [{ family: 'Chalmers' }] }))),
    ).toEqual([]);
  });

  it('fails a value conforming to neither, naming both profiles and the closest one’s error', async () => {
    const all = await validate(sds, EITHER.url, params({}));
    const issues = notInformation(all);
    expect(issues).toEqual([
      {
        rule: 'fhir-profile-cardinality',
        location: 'Parameters.parameter[0].resource.name',
        message: expect.stringContaining('parameters-profiled-resource-profiles-patient'),
      },
      {
        rule: 'fhir-profile-type',
        location: 'Parameters.parameter[0].resource',
        message: expect.stringContaining(
          'conforms to none of the 2 profiles its type allows (tried: parameters-profiled-resource-profiles-patient, gendered-patient)',
        ),
      },
    ]);
  });
});
