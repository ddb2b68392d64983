/**
 * What the loaded packages ship, checked offline: a code outside the expanded value set of a
 * binding is graded by the binding's strength as the HL7 Java validator grades it (required an
 * error, extensible a warning, preferred information; an additional binding the guide allows
 * widens extensible and preferred), and a code of a code system a package ships whole is checked
 * wherever it appears (a made-up one is an error, on its Coding). A terminology package
 * (`--terminology`) adds code systems and value sets and nothing else.
 *
 * The packages are small and made here; profiles carry their snapshots, so no base is loaded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirIssue } from '../fhir/index.ts';
import { createFhirSession, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { asTerminologyPackage } from './igPackage.ts';
import { createProfileRegistry } from './registry.ts';
import { patientBindingProfile, testPackage } from './testing/patientBinding.ts';
import type { CodeSystem, StructureDefinition, ValueSet } from './types.ts';

type Json = Record<string, unknown>;

const COLOUR = 'http://example.org/fhir/CodeSystem/colour';
const LOOSE = 'http://example.org/fhir/CodeSystem/loose-case';
const PARTIAL = 'http://example.org/fhir/CodeSystem/partial';
const WARM = 'http://example.org/fhir/ValueSet/warm';
const LOOSE_ALL = 'http://example.org/fhir/ValueSet/loose-case';
const GREENS = 'http://example.org/fhir/ValueSet/greens';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const PROFILE = 'http://example.org/fhir/StructureDefinition/patient-';

const codeSystem = (url: string, content: string, codes: CodeSystem['concept'], extra: Json = {}) =>
  ({
    resourceType: 'CodeSystem',
    url,
    name: url.split('/').pop(),
    content,
    concept: codes,
    ...extra,
  }) as CodeSystem;

const valueSet = (url: string, include: NonNullable<ValueSet['compose']>['include']): ValueSet => ({
  resourceType: 'ValueSet',
  url,
  name: url.split('/').pop(),
  compose: { include },
});

/** A Patient profile binding maritalStatus to the warm colours with `strength`. */
const patientProfile = (strength: string, extension?: Json[], bound = WARM): StructureDefinition =>
  patientBindingProfile(
    `${PROFILE}${strength}${extension ? '-widened' : ''}${bound === WARM ? '' : '-loose'}`,
    `Patient${strength}`,
    { strength, valueSet: bound, ...(extension ? { extension } : {}) },
  );

/** The guide allows the greens too (as IPS allows LOINC's "Problem" beside its categories). */
const GREENS_ALLOWED = [
  {
    url: 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding',
    extension: [
      { url: 'purpose', valueCode: 'candidate' },
      { url: 'valueSet', valueCanonical: GREENS },
    ],
  },
];

const pkg = testPackage;

const guide = pkg('test.grading', {
  canonical: 'http://example.org/fhir',
  structureDefinitions: [
    patientProfile('required'),
    patientProfile('extensible'),
    patientProfile('preferred'),
    patientProfile('example'),
    patientProfile('extensible', GREENS_ALLOWED),
    patientProfile('required', undefined, LOOSE_ALL),
  ],
  valueSets: [
    valueSet(WARM, [{ system: COLOUR, concept: [{ code: 'red' }] }]),
    valueSet(LOOSE_ALL, [{ system: LOOSE }]),
    valueSet(GREENS, [{ system: COLOUR, filter: [{ property: 'concept', op: 'is-a', value: 'green' }] }]),
  ],
  codeSystems: [
    codeSystem(COLOUR, 'complete', [{ code: 'red' }, { code: 'green', concept: [{ code: 'lime' }] }]),
    codeSystem(LOOSE, 'complete', [{ code: 'ABC' }], { caseSensitive: false }),
    codeSystem(PARTIAL, 'fragment', [{ code: 'x' }]),
  ],
});

/** A clinic's terminology package: CVX as its vendor ships it, and a profile that must not apply. */
const clinicCodes = asTerminologyPackage(
  pkg('clinic.codes', {
    canonical: 'http://clinic.example/fhir',
    dependencies: [{ name: 'hl7.fhir.r4.core', version: '4.0.1' }],
    structureDefinitions: [
      { ...patientProfile('required'), url: 'http://clinic.example/fhir/StructureDefinition/p' },
    ],
    codeSystems: [codeSystem(CVX, 'complete', [{ code: '08' }, { code: '140' }])],
  }),
);

let session: FhirSession;
beforeAll(async () => {
  session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([guide, clinicCodes])),
  });
});

const shown = (i: FhirIssue) => `${i.severity} ${i.rule} @ ${i.location}`;
const coding = (system: string, code: string) => ({ coding: [{ system, code }] });
const patient = (profile: string, maritalStatus: Json): Json => ({
  resourceType: 'Patient',
  meta: { profile: [profile] },
  maritalStatus,
});

/**
 * The specification's extensible binding of maritalStatus, which a colour is outside: said whatever
 * the profile adds, unless the profile's own binding of the element accepts the code.
 */
const BASE_WARNING = 'warning fhir-code-not-in-value-set-extensible @ Patient.maritalStatus';

describe('a code outside the value set of a binding, graded by strength as the Java validator grades it', () => {
  const ROWS: { description: string; profile: string; code: Json; expected: string[] }[] = [
    {
      description: 'required: an error',
      profile: `${PROFILE}required`,
      code: coding(COLOUR, 'green'),
      expected: [BASE_WARNING, 'error fhir-profile-binding @ Patient.maritalStatus'],
    },
    {
      description: 'extensible: a warning',
      profile: `${PROFILE}extensible`,
      code: coding(COLOUR, 'green'),
      expected: [BASE_WARNING, 'warning fhir-profile-binding-extensible @ Patient.maritalStatus'],
    },
    {
      description: 'extensible, a code of another code system: a warning',
      profile: `${PROFILE}extensible`,
      code: coding('http://example.org/local', 'x'),
      expected: [BASE_WARNING, 'warning fhir-profile-binding-extensible @ Patient.maritalStatus'],
    },
    {
      description: 'preferred: information',
      profile: `${PROFILE}preferred`,
      code: coding(COLOUR, 'green'),
      expected: [BASE_WARNING, 'information fhir-profile-binding-preferred @ Patient.maritalStatus'],
    },
    {
      description: 'required, a code of a case-insensitive code system in another case: nothing',
      profile: `${PROFILE}required-loose`,
      code: coding(LOOSE, 'abc'),
      expected: [],
    },
    {
      description: 'required, a code a case-insensitive code system does not have: an error',
      profile: `${PROFILE}required-loose`,
      code: coding(LOOSE, 'abd'),
      expected: [BASE_WARNING, 'error fhir-code-unknown @ Patient.maritalStatus.coding[0]'],
    },
    {
      description: 'example: nothing from the profile (an example binds nothing)',
      profile: `${PROFILE}example`,
      code: coding(COLOUR, 'green'),
      expected: [BASE_WARNING],
    },
    {
      description: 'extensible, a code in the value set: nothing',
      profile: `${PROFILE}extensible`,
      code: coding(COLOUR, 'red'),
      expected: [],
    },
    {
      description: 'extensible, a code of an additional binding the guide allows (is-a): nothing',
      profile: `${PROFILE}extensible-widened`,
      code: coding(COLOUR, 'lime'),
      expected: [],
    },
    {
      description: 'extensible, a made-up code of a code system shipped whole: the error on its Coding only',
      profile: `${PROFILE}extensible`,
      code: coding(COLOUR, 'purple'),
      expected: [BASE_WARNING, 'error fhir-code-unknown @ Patient.maritalStatus.coding[0]'],
    },
  ];
  for (const row of ROWS) {
    it(row.description, async () => {
      const { issues } = await session.validate(patient(row.profile, row.code));
      expect(issues.filter((i) => i.rule !== 'fhir-profile-must-support').map(shown)).toEqual(row.expected);
    });
  }
});

describe('codes of a code system a package ships whole, wherever they appear', () => {
  it('a made-up code is an error on its Coding, named by its element in its own resource', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:8a3e1f0c-5b8e-4d53-9a51-2f6c1a3b9d10',
          resource: {
            resourceType: 'Immunization',
            status: 'completed',
            vaccineCode: coding(CVX, 'NOT-A-CVX'),
            patient: { display: 'a patient' },
            occurrenceDateTime: '2026-01-01',
          },
        },
      ],
    };
    const { issues } = await session.validate(bundle);
    expect(issues.map((i) => `${shown(i)}: ${i.message}`)).toEqual([
      `error fhir-code-unknown @ Bundle.entry[0].resource.vaccineCode.coding[0]: Immunization.vaccineCode.coding: the code is not in the code system cvx (${CVX}), which clinic.codes#1.0.0 ships whole`,
    ]);
  });

  it('a known code, a code of a case-insensitive system in another case: nothing; a fragment: to review', async () => {
    const observation = (code: Json): Json => ({
      resourceType: 'Observation',
      status: 'final',
      code,
      valueCodeableConcept: { coding: [{ system: COLOUR, code: 'lime' }] },
    });
    for (const code of [coding(CVX, '140'), coding(LOOSE, 'abc')])
      expect((await session.validate(observation(code))).issues.map(shown)).toEqual([]);
    // a fragment holds only some of its codes: one it lacks may be valid, a warning as HL7's suite gives it
    expect(
      (await session.validate(observation(coding(PARTIAL, 'not-in-the-fragment')))).issues.map(shown),
    ).toEqual(['warning fhir-code-review @ Observation.code.coding[0].code']);
  });

  it('a terminology package applies no profile of its own and asks for no dependency', () => {
    const registry = createProfileRegistry([guide, clinicCodes]);
    expect(registry.structureDefinition('http://clinic.example/fhir/StructureDefinition/p')).toBeUndefined();
    expect(registry.missingDependencies).toEqual([]);
    expect(registry.codeSystem(CVX)?.content).toBe('complete');
  });
});

describe('displays of a code system a package ships whole', () => {
  const SITES = 'http://clinic.example/fhir/CodeSystem/sites';
  let withSites: FhirSession;
  beforeAll(async () => {
    const sites = asTerminologyPackage(
      pkg('clinic.sites', {
        canonical: 'http://clinic.example/fhir',
        codeSystems: [
          codeSystem(SITES, 'complete', [
            { code: 'north', display: 'North clinic', designation: [{ value: 'Northside' }] },
          ]),
        ],
      }),
    );
    withSites = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(createProfileRegistry([sites])),
    });
  });
  const encounter = (display: string): Json => ({
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    serviceType: { coding: [{ system: SITES, code: 'north', display }] },
  });

  it('calls a display the package gives for neither the code nor its designations wrong, naming both', async () => {
    const { issues } = await withSites.validate(encounter('South clinic'));
    expect(issues.map((i) => `${shown(i)}: ${i.message}`)).toEqual([
      `error fhir-code-display-wrong @ Encounter.serviceType.coding[0].display: The display is not one the code system sites (${SITES}) gives for the code north: expected "North clinic" or "Northside"`,
    ]);
    // the record's display is the issue's value, never in the words
    expect(issues[0]?.message).not.toContain('South clinic');
  });

  it.each(['North clinic', 'northside'])('accepts %s', async (display) => {
    expect((await withSites.validate(encounter(display))).issues.map(shown)).toEqual([]);
  });
});

describe('a binding to a value set its package ships broken', () => {
  const NO_VALUE = 'http://example.org/fhir/ValueSet/no-value';
  const LOOP = 'http://example.org/fhir/ValueSet/loop';
  const DUTCH = 'http://example.org/fhir/ValueSet/dutch';
  const bound = (name: string, url: string): StructureDefinition => ({
    ...patientProfile('required', undefined, url),
    url: `${PROFILE}${name}`,
    name: 'PatientOfBrokenGuide',
  });
  let broken: FhirSession;
  beforeAll(async () => {
    const shipsBroken = pkg('broken.guide', {
      canonical: 'http://example.org/fhir',
      structureDefinitions: [bound('no-value', NO_VALUE), bound('loop', LOOP), bound('dutch', DUTCH)],
      valueSets: [
        // a filter whose value the author left out: it selects nothing, and no code is wrong for it
        valueSet(NO_VALUE, [
          {
            system: COLOUR,
            filter: [{ property: 'concept', op: 'is-a' } as { property: string; op: string; value: string }],
          },
        ]),
        valueSet(LOOP, [{ valueSet: [LOOP] }]),
        {
          ...valueSet(DUTCH, [{ system: COLOUR, concept: [{ code: 'red' }] }]),
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/valueset-supplement',
              valueCanonical: 'http://example.org/fhir/CodeSystem/colour-nl',
            },
          ],
        },
      ],
      codeSystems: [codeSystem(COLOUR, 'complete', [{ code: 'red' }, { code: 'green' }])],
    });
    broken = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(createProfileRegistry([shipsBroken])),
    });
  });
  const said = async (profile: string, code: string) =>
    (await broken.validate(patient(`${PROFILE}${profile}`, coding(COLOUR, code)))).issues
      // the specification's own marital-status warning on a colour is not what these rows are about
      .filter(
        (i) =>
          i.rule !== 'fhir-profile-must-support' &&
          `${i.severity} ${i.rule} @ ${i.location}` !== BASE_WARNING,
      )
      .map((i) => `${shown(i)}: ${i.message}`);

  it('a filter with no value: the value set is said broken, with its package and what to do, and the code is not blamed', async () => {
    expect(await said('no-value', 'green')).toEqual([
      `warning fhir-profile-binding-value-set-broken @ Patient.maritalStatus: Patient.maritalStatus: the required binding to no-value is not checked: the value set ${NO_VALUE} has a filter on ${COLOUR} (concept is-a) with no value, so no code can be checked against it: fix the package broken.guide#1.0.0 or replace it with a corrected version (PatientOfBrokenGuide)`,
    ]);
  });

  it('a value set that includes itself: said broken, not merely unchecked', async () => {
    expect(await said('loop', 'red')).toEqual([
      `warning fhir-profile-binding-value-set-broken @ Patient.maritalStatus: Patient.maritalStatus: the required binding to loop is not checked: the value set ${LOOP} includes itself (${LOOP} → ${LOOP}), so no code can be checked against it: fix the package broken.guide#1.0.0 or replace it with a corrected version (PatientOfBrokenGuide)`,
    ]);
  });

  it('a supplement not loaded: the package is said incomplete, and membership is still checked', async () => {
    const incomplete = `warning fhir-profile-binding-value-set-broken @ Patient.maritalStatus: Patient.maritalStatus: the value set ${DUTCH} names the code-system supplement http://example.org/fhir/CodeSystem/colour-nl, which is not loaded: the package broken.guide#1.0.0 is incomplete; load the package that defines the supplement, or replace it with a complete version (PatientOfBrokenGuide)`;
    expect(await said('dutch', 'red')).toEqual([incomplete]);
    expect(await said('dutch', 'green')).toEqual([
      incomplete,
      'error fhir-profile-binding @ Patient.maritalStatus: Patient.maritalStatus: the code is not in the value set dutch the profile requires (PatientOfBrokenGuide)',
    ]);
  });
});
