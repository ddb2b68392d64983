/**
 * A coded element against its additional bindings, as the HL7 Java validator grades them: purpose
 * required or maximum an error, extensible a warning, the other purposes nothing; stated by the
 * tools extension or by R5's binding.additional as an R4 cross-version extension; checked even
 * where the element's own binding is only an example. The profiles are small and made here.
 */
import { describe, expect, it } from 'vitest';
import { createFhirSession, generatedModules } from '../../../fhir/index.ts';
import { validatorProfiles } from '../../check.ts';
import { createProfileRegistry } from '../../registry.ts';
import { patientBindingProfile, testPackage } from '../../testing/patientBinding.ts';
import { additionalBindingsOf } from './additionalBindings.ts';

type Json = Record<string, unknown>;

const PROFILE = 'http://example.org/fhir/StructureDefinition/';
const WARM = 'http://example.org/fhir/ValueSet/warm';
const GREENS = 'http://example.org/fhir/ValueSet/greens';
const COLOUR = 'http://example.org/fhir/CodeSystem/colour';
const TOOLS = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';
const R5 = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.binding.additional';

const additional = (purpose: string, url = TOOLS, extra: Json[] = [], valueSet = GREENS): Json => ({
  url,
  extension: [
    { url: 'purpose', valueCode: purpose },
    { url: 'valueSet', valueCanonical: valueSet },
    ...extra,
  ],
});

/** Profiles by id: an example binding of maritalStatus to Warm, plus one additional binding. */
const PROFILES: Record<string, Json> = {
  required: { strength: 'example', valueSet: WARM, extension: [additional('required')] },
  'required-r5': { strength: 'example', valueSet: WARM, extension: [additional('required', R5)] },
  maximum: { strength: 'example', valueSet: WARM, extension: [additional('maximum')] },
  extensible: { strength: 'example', valueSet: WARM, extension: [additional('extensible')] },
  current: { strength: 'example', valueSet: WARM, extension: [additional('current')] },
  candidate: { strength: 'example', valueSet: WARM, extension: [additional('candidate')] },
  'in-use': {
    strength: 'example',
    valueSet: WARM,
    extension: [
      additional('required', TOOLS, [
        {
          url: 'usage',
          valueUsageContext: {
            code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' },
            valueCodeableConcept: { text: 'elsewhere' },
          },
        },
      ]),
    ],
  },
  'in-use-twice': {
    strength: 'example',
    valueSet: WARM,
    extension: [0, 1].map(() =>
      additional('required', TOOLS, [
        {
          url: 'usage',
          valueUsageContext: {
            code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' },
            valueCodeableConcept: { text: 'elsewhere' },
          },
        },
      ]),
    ),
  },
  'not-loaded': {
    strength: 'example',
    valueSet: WARM,
    extension: [additional('required', TOOLS, [], 'http://example.org/fhir/ValueSet/absent')],
  },
};

const valueSet = (url: string, name: string, code: string) => ({
  resourceType: 'ValueSet' as const,
  url,
  name,
  compose: { include: [{ system: COLOUR, concept: [{ code }] }] },
});

const guide = testPackage('test.additional-bindings', {
  canonical: 'http://example.org/fhir',
  structureDefinitions: Object.entries(PROFILES).map(([id, binding]) =>
    patientBindingProfile(`${PROFILE}${id}`, id, binding),
  ),
  valueSets: [valueSet(WARM, 'Warm', 'red'), valueSet(GREENS, 'Greens', 'green')],
});

const session = await createFhirSession(generatedModules, {
  profiles: validatorProfiles(createProfileRegistry([guide])),
});

/** The issues on a marital status coded `code`, claiming profile `id` (the base walk's left out). */
async function issuesOf(id: string, code: string): Promise<string[]> {
  const { issues } = await session.validate({
    resourceType: 'Patient',
    meta: { profile: [`${PROFILE}${id}`] },
    maritalStatus: { coding: [{ system: COLOUR, code }] },
  });
  return issues
    .filter(
      (i) =>
        i.location.startsWith('Patient.maritalStatus') && !i.rule.startsWith('fhir-code-not-in-value-set'),
    )
    .map((i) => `${i.severity} ${i.rule}: ${i.message.replace(/ \(http[^)]*\)/g, '')}`);
}

describe("a coded element against its profile's additional bindings", () => {
  it('is an error outside a required one, though the own binding is only an example', async () => {
    expect(await issuesOf('required', 'red')).toEqual([
      'error fhir-profile-binding: Patient.maritalStatus: the code is not in the value set Greens, which an additional binding requires (required)',
    ]);
    expect(await issuesOf('required', 'green')).toEqual([]);
  });

  it("reads R5's binding.additional carried as a cross-version extension as the tools extension", async () => {
    expect(await issuesOf('required-r5', 'red')).toEqual([
      'error fhir-profile-binding: Patient.maritalStatus: the code is not in the value set Greens, which an additional binding requires (required-r5)',
    ]);
  });

  it('is an error outside a maximum one, and a warning outside an extensible one', async () => {
    expect(await issuesOf('maximum', 'red')).toEqual([
      'error fhir-profile-binding: Patient.maritalStatus: the code is not in the value set Greens, which an additional binding sets as the most any code may come from (maximum)',
    ]);
    expect(await issuesOf('extensible', 'red')).toEqual([
      'warning fhir-profile-binding-extensible: Patient.maritalStatus: the code is not in the value set Greens, which an additional binding names as extensible: use one of its codes unless none fits (extensible)',
    ]);
    expect(await issuesOf('extensible', 'green')).toEqual([]);
  });

  it('says nothing of a purpose that states intent only', async () => {
    expect(await issuesOf('current', 'red')).toEqual([]);
    expect(await issuesOf('candidate', 'red')).toEqual([]);
  });

  it('says one bound to a usage context is not checked, once per value set, and blames no code', async () => {
    const said = [
      'information fhir-profile-binding-unchecked: Patient.maritalStatus: the additional binding (required) to Greens is not checked: it applies only where its usage context matches, which is not judged (in-use)',
    ];
    expect(await issuesOf('in-use', 'red')).toEqual(said);
    expect(await issuesOf('in-use', 'green')).toEqual(said);
    expect(await issuesOf('in-use-twice', 'red')).toEqual(
      said.map((s) => s.replace('(in-use)', '(in-use-twice)')),
    );
  });

  it('says a value set that is not loaded is not checked, and blames no code', async () => {
    const said = await issuesOf('not-loaded', 'red');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^(warning|information) fhir-profile-binding-unchecked: Patient\.maritalStatus: the additional binding \(required\) to .*absent is not checked: /,
    );
  });

  it('reads both extensions and only those naming a purpose and a value set', () => {
    expect(
      additionalBindingsOf({
        extension: [
          additional('required'),
          additional('extensible', R5),
          { url: TOOLS, extension: [{ url: 'purpose', valueCode: 'required' }] },
          { url: 'http://example.org/other', extension: [{ url: 'purpose', valueCode: 'required' }] },
        ],
      }),
    ).toEqual([
      { purpose: 'required', valueSet: GREENS, inUse: false },
      { purpose: 'extensible', valueSet: GREENS, inUse: false },
    ]);
  });
});
