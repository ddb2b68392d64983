/**
 * R4's vital-signs profiles applied by an Observation's LOINC code, with no package loaded, as the
 * HL7 Java validator applies them: each row a resource and whether the profile errs on it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFhirSession, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { loadProfileRegistry } from './registry.ts';
import { vitalSignsProfilesOf } from './vitalSigns.ts';

const SCT = 'http://snomed.info/sct';
const BODYTEMP = 'http://hl7.org/fhir/StructureDefinition/bodytemp';

const VS_CATEGORY = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
];

function observation(code: string, rest: Record<string, unknown>): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: 'o',
    status: 'final',
    category: VS_CATEGORY,
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: 'Patient/p' },
    effectiveDateTime: '2020-01-01',
    ...rest,
  };
}

const quantity = (value: number, code: string) => ({
  valueQuantity: { value, unit: code, system: 'http://unitsofmeasure.org', code },
});

const mmHg = (code: string, value: number) => ({
  code: { coding: [{ system: 'http://loinc.org', code }] },
  valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
});

/** [what, resource, the profile that errs on it, or undefined when none does] */
const TABLE: [string, Record<string, unknown>, string | undefined][] = [
  ['a temperature in Cel', observation('8310-5', quantity(37, 'Cel')), undefined],
  ['a temperature in [degF]', observation('8310-5', quantity(98.6, '[degF]')), undefined],
  ['a temperature in kelvin', observation('8310-5', quantity(310, 'K')), 'bodytemp'],
  ['a blood pressure without components', observation('85354-9', {}), 'bp'],
  [
    'a blood pressure with both components',
    observation('85354-9', { component: [mmHg('8480-6', 120), mmHg('8462-4', 80)] }),
    undefined,
  ],
  ['a heart rate in /min', observation('8867-4', quantity(70, '/min')), undefined],
  ['a non-vital code in kelvin', observation('2160-0', quantity(310, 'K')), undefined],
  [
    'an oral temperature (a narrower LOINC code) in kelvin',
    observation('8331-1', quantity(310, 'K')),
    'bodytemp',
  ],
  [
    'a temperature coded in SNOMED CT only (the LOINC code the profile requires is missing)',
    { ...observation('8310-5', quantity(37, 'Cel')), code: { coding: [{ system: SCT, code: '276885007' }] } },
    'bodytemp',
  ],
  [
    'an oxygen saturation with a component in L/min (extensible by the erratum: a warning)',
    observation('2708-6', {
      ...quantity(95, '%'),
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] },
          ...quantity(6, 'L/min'),
        },
      ],
    }),
    undefined,
  ],
];

describe('vital-signs profiles by code', () => {
  let session: FhirSession;
  beforeAll(async () => {
    session = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(await loadProfileRegistry([])),
    });
  });

  it.each(TABLE)('%s', async (_what, resource, errs) => {
    const errors = (await session.validate(resource)).issues.filter((i) => i.severity === 'error');
    if (errs === undefined) expect(errors).toEqual([]);
    else {
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((i) => i.profile)).toEqual(errors.map(() => expect.stringContaining(errs)));
    }
  });

  it('says no must-support notes for a profile the resource does not claim', async () => {
    const claimed = observation('8310-5', { ...quantity(37, 'Cel'), meta: { profile: [BODYTEMP] } });
    const rules = async (r: Record<string, unknown>) => (await session.validate(r)).issues.map((i) => i.rule);
    expect(await rules(observation('8310-5', quantity(37, 'Cel')))).not.toContain(
      'fhir-profile-must-support',
    );
    expect(await rules(claimed)).toContain('fhir-profile-must-support');
  });

  it('reaches an Observation inside a Bundle', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'urn:uuid:1', resource: observation('8310-5', quantity(310, 'K')) }],
    };
    const errors = (await session.validate(bundle)).issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.location)).toContain('Bundle.entry[0].resource.valueQuantity.code');
  });

  it('takes the profile from a LOINC coding only', () => {
    expect(vitalSignsProfilesOf(observation('8310-5', {}))).toEqual([
      'http://hl7.org/fhir/StructureDefinition/bodytemp',
    ]);
    const other = observation('8310-5', {});
    other.code = { coding: [{ system: 'http://example.org', code: '8310-5' }] };
    expect(vitalSignsProfilesOf(other)).toEqual([]);
    expect(vitalSignsProfilesOf({ resourceType: 'Patient', code: observation('8310-5', {}).code })).toEqual(
      [],
    );
    // the first rule met decides, as the Java validator's order does: LOINC before SNOMED CT
    const both = observation('8310-5', {});
    both.code = {
      coding: [
        { system: SCT, code: '271649006' },
        { system: 'http://loinc.org', code: '8867-4' },
      ],
    };
    expect(vitalSignsProfilesOf(both)).toEqual(['http://hl7.org/fhir/StructureDefinition/heartrate']);
  });
});
