/**
 * A CodeableConcept with no code against a profile's bindings, as the HL7 Java validator counts
 * them: the element's own binding when required (an error) or extensible (a warning; an error when
 * a maximum value set caps it), and each additional binding of purpose required or maximum (an
 * error) or extensible (a warning) that applies everywhere. A profile that keeps the
 * specification's binding does not say it a second time. The profiles are small and made here.
 */
import { describe, expect, it } from 'vitest';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';
import { patientBindingProfile, testPackage } from './testing/patientBinding.ts';

type Json = Record<string, unknown>;

const PROFILE = 'http://example.org/fhir/StructureDefinition/';
const WARM = 'http://example.org/fhir/ValueSet/warm';
const GREENS = 'http://example.org/fhir/ValueSet/greens';
const ADDITIONAL = 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding';

const additional = (purpose: string, usage?: Json): Json => ({
  url: ADDITIONAL,
  extension: [
    { url: 'purpose', valueCode: purpose },
    { url: 'valueSet', valueCanonical: GREENS },
    ...(usage ? [{ url: 'usage', valueUsageContext: usage }] : []),
  ],
});

/** A Patient profile named `id` binding maritalStatus as `binding` says. */
const patientProfile = (id: string, binding: Json) => patientBindingProfile(`${PROFILE}${id}`, id, binding);

const PROFILES: Record<string, Json> = {
  required: { strength: 'required', valueSet: WARM },
  preferred: { strength: 'preferred', valueSet: WARM },
  example: { strength: 'example', valueSet: WARM },
  capped: {
    strength: 'extensible',
    valueSet: WARM,
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet',
        valueCanonical: GREENS,
      },
    ],
  },
  'plus-required': { strength: 'preferred', valueSet: WARM, extension: [additional('required')] },
  'plus-maximum': { strength: 'preferred', valueSet: WARM, extension: [additional('maximum')] },
  'plus-extensible': { strength: 'preferred', valueSet: WARM, extension: [additional('extensible')] },
  'plus-candidate': { strength: 'preferred', valueSet: WARM, extension: [additional('candidate')] },
  'plus-required-in-use': {
    strength: 'preferred',
    valueSet: WARM,
    extension: [
      additional('required', {
        code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' },
        valueCodeableConcept: { text: 'elsewhere' },
      }),
    ],
  },
  // the specification's own binding, as a profile's snapshot names it (with the version)
  kept: { strength: 'extensible', valueSet: 'http://hl7.org/fhir/ValueSet/marital-status|4.0.1' },
};

const guide = testPackage('test.no-code', {
  canonical: 'http://example.org/fhir',
  structureDefinitions: Object.entries(PROFILES).map(([id, binding]) => patientProfile(id, binding)),
  valueSets: [
    {
      resourceType: 'ValueSet',
      url: WARM,
      name: 'Warm',
      compose: {
        include: [{ system: 'http://example.org/fhir/CodeSystem/colour', concept: [{ code: 'red' }] }],
      },
    },
    {
      resourceType: 'ValueSet',
      url: GREENS,
      name: 'Greens',
      compose: {
        include: [{ system: 'http://example.org/fhir/CodeSystem/colour', concept: [{ code: 'green' }] }],
      },
    },
  ],
});

const session = await createFhirSession(generatedModules, {
  profiles: validatorProfiles(createProfileRegistry([guide])),
});

/** The issues of a text-only marital status claiming profile `id`, information left out. */
async function textOnly(id: string): Promise<string[]> {
  const { issues } = await session.validate({
    resourceType: 'Patient',
    meta: { profile: [`${PROFILE}${id}`] },
    maritalStatus: { text: 'married' },
  });
  return issues
    .filter((i) => i.severity !== 'information')
    .map((i) => `${i.severity} ${i.rule}: ${i.message.replace(/ \(http[^)]*\)/g, '')}`);
}

/** The specification's own extensible binding, said by the base walk whatever the profile. */
const BASE =
  'warning fhir-code-missing-extensible: Only text is given, no code: the extensible binding asks for a code from the value set Marital Status Codes unless none fits; add a coding with one of its codes where one fits';

describe("a coded element with no code against a profile's bindings", () => {
  it("is an error on the profile's required binding, beside the specification's warning", async () => {
    expect(await textOnly('required')).toEqual([
      BASE,
      'error fhir-code-missing: Patient.maritalStatus: Only text is given, no code: the binding requires a code from the value set Warm; add a coding with one of its codes (required)',
    ]);
  });

  it('adds nothing on a preferred or example binding', async () => {
    expect(await textOnly('preferred')).toEqual([BASE]);
    expect(await textOnly('example')).toEqual([BASE]);
  });

  it('is an error on an extensible binding capped by a maximum value set', async () => {
    expect(await textOnly('capped')).toEqual([
      BASE,
      "error fhir-code-missing: Patient.maritalStatus: Only text is given, no code: the extensible binding's maximum value set requires a code from the value set Greens; add a coding with one of its codes (capped)",
    ]);
  });

  it('counts additional bindings of purpose required, maximum and extensible that apply everywhere', async () => {
    const byAdditional = (severity: string, rule: string, verb: string, id: string) =>
      `${severity} ${rule}: Patient.maritalStatus: Only text is given, no code: an additional binding ${verb} (${id})`;
    expect(await textOnly('plus-required')).toEqual([
      BASE,
      byAdditional(
        'error',
        'fhir-code-missing',
        'requires a code from the value set Greens; add a coding with one of its codes',
        'plus-required',
      ),
    ]);
    expect(await textOnly('plus-maximum')).toEqual([
      BASE,
      byAdditional(
        'error',
        'fhir-code-missing',
        'requires a code from the value set Greens; add a coding with one of its codes',
        'plus-maximum',
      ),
    ]);
    expect(await textOnly('plus-extensible')).toEqual([
      BASE,
      byAdditional(
        'warning',
        'fhir-code-missing-extensible',
        'asks for a code from the value set Greens unless none fits; add a coding with one of its codes where one fits',
        'plus-extensible',
      ),
    ]);
    // a candidate says nothing of conformance; a usage context applies only where the data matches
    expect(await textOnly('plus-candidate')).toEqual([BASE]);
    expect(await textOnly('plus-required-in-use')).toEqual([BASE]);
  });

  it("says the specification's binding once when the profile keeps it", async () => {
    expect(await textOnly('kept')).toEqual([BASE]);
  });
});
