/**
 * One binding check under both checkers: the same coded value against the same codes at the same
 * strength gets the same verdict whether the specification's binding of an element judges it (the
 * base walk, no package loaded) or a guide's binding does (the profile checker: a copy of the
 * specification's value set under another URL bound to `Basic.code`, where no binding of the
 * specification stands, so the verdict is the profile check's own and not the base walk's issue
 * it defers to). A code the complete code system lacks is the code check's error on both (not a
 * binding verdict), and a bare `code` of a required binding the structure layer's list refuses
 * first, so neither is in the table. No value set of a preferred binding of R4 is judged by a
 * guide (their R4 copies are older than the terminology a guide is validated with), so the
 * strengths here are required and extensible.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFhirSession, type FhirDigest, type FhirSession, generatedModules } from '../fhir/index.ts';
import {
  createProfileRegistry,
  type IgPackage,
  type StructureDefinition,
  validatorProfiles,
} from './index.ts';

type Json = Record<string, unknown>;

const TH = 'http://terminology.hl7.org/CodeSystem/';
const GENDER = 'http://hl7.org/fhir/administrative-gender';
const CLINICAL = `${TH}condition-clinical`;
const ABSENT = `${TH}data-absent-reason`;
const SNOMED = 'http://snomed.info/sct';
const COPY = 'http://preflight.test/fhir/ValueSet/copy-of-';
const PROFILE = 'http://preflight.test/fhir/StructureDefinition/bound-';
/** A value set no checker here can find offline, so no verdict on a code can be given. */
const NOT_FOUND = 'http://preflight.test/fhir/ValueSet/not-held|1.0.0';

/** An element the specification binds, with the code system its value set holds whole. */
interface Bound {
  type: string;
  element: string;
  strength: 'required' | 'extensible';
  system: string;
}

const ELEMENTS: Record<string, Bound> = {
  'Condition.clinicalStatus': {
    type: 'Condition',
    element: 'clinicalStatus',
    strength: 'required',
    system: CLINICAL,
  },
  'FamilyMemberHistory.sex': {
    type: 'FamilyMemberHistory',
    element: 'sex',
    strength: 'extensible',
    system: GENDER,
  },
  'Observation.dataAbsentReason': {
    type: 'Observation',
    element: 'dataAbsentReason',
    strength: 'extensible',
    system: ABSENT,
  },
};

type Verdict = 'in' | 'outside (error)' | 'outside (warning)' | 'not checked';

interface Case {
  description: string;
  at: keyof typeof ELEMENTS;
  value: unknown;
  expected: Verdict;
}

const cc = (...coding: Json[]): Json => ({ coding });

const CASES: Case[] = [
  {
    description: 'a coding of the value set',
    at: 'Condition.clinicalStatus',
    value: cc({ system: CLINICAL, code: 'active' }),
    expected: 'in',
  },
  {
    description: 'a coding of the value set beside a translation in a code system not held',
    at: 'Condition.clinicalStatus',
    value: cc({ system: SNOMED, code: '55561003' }, { system: CLINICAL, code: 'active' }),
    expected: 'in',
  },
  {
    description: "a coding of the value set with a version of its code system (R4's is judged)",
    at: 'Condition.clinicalStatus',
    value: cc({ system: CLINICAL, version: '4.0.1', code: 'resolved' }),
    expected: 'in',
  },
  {
    description: 'a coding of the value set with a wrong display (the display is its own error)',
    at: 'Condition.clinicalStatus',
    value: cc({ system: CLINICAL, code: 'active', display: 'Not the display' }),
    expected: 'in',
  },
  {
    description: 'the same code in another code system',
    at: 'Condition.clinicalStatus',
    value: cc({ system: 'http://example.org/clinical', code: 'active' }),
    expected: 'outside (error)',
  },
  {
    description: 'a code of a code system not held only',
    at: 'Condition.clinicalStatus',
    value: cc({ system: SNOMED, code: '55561003' }),
    expected: 'outside (error)',
  },
  {
    description: 'an extensible binding met',
    at: 'FamilyMemberHistory.sex',
    value: cc({ system: GENDER, code: 'male' }),
    expected: 'in',
  },
  {
    description: 'an extensible binding met by one coding of two',
    at: 'FamilyMemberHistory.sex',
    value: cc({ system: SNOMED, code: '248153007' }, { system: GENDER, code: 'male' }),
    expected: 'in',
  },
  {
    description: 'a code outside an extensible binding',
    at: 'FamilyMemberHistory.sex',
    value: cc({ system: 'http://example.org/sex', code: 'M' }),
    expected: 'outside (warning)',
  },
  {
    description: 'a reason of the value set',
    at: 'Observation.dataAbsentReason',
    value: cc({ system: ABSENT, code: 'asked-declined' }),
    expected: 'in',
  },
  {
    description: 'a reason outside the extensible binding',
    at: 'Observation.dataAbsentReason',
    value: cc({ system: 'http://example.org/why', code: 'away' }),
    expected: 'outside (warning)',
  },
];

/** A guide binding each element of the table to a copy of the specification's value set. */
function guide(): IgPackage {
  const element = (path: string, type: string, binding?: Json) => ({
    id: path,
    path,
    min: 0,
    max: '1',
    base: { path, min: 0, max: '1' },
    type: [{ code: type }],
    ...(binding ? { binding } : {}),
  });
  const profiles = Object.entries(ELEMENTS).map(
    ([path, b]) =>
      ({
        resourceType: 'StructureDefinition',
        url: `${PROFILE}${path}`,
        name: `BoundAs${b.type}${b.element}`,
        type: 'Basic',
        kind: 'resource',
        derivation: 'constraint',
        baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic',
        snapshot: {
          element: [
            { id: 'Basic', path: 'Basic', min: 0, max: '*', base: { path: 'Basic', min: 0, max: '*' } },
            element('Basic.code', 'CodeableConcept', { strength: b.strength, valueSet: `${COPY}${path}` }),
          ],
        },
      }) as StructureDefinition,
  );
  profiles.push({
    resourceType: 'StructureDefinition',
    url: `${PROFILE}not-held`,
    name: 'BoundToAValueSetNotHeld',
    type: 'Basic',
    kind: 'resource',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Basic',
    snapshot: {
      element: [
        { id: 'Basic', path: 'Basic', min: 0, max: '*', base: { path: 'Basic', min: 0, max: '*' } },
        element('Basic.code', 'CodeableConcept', { strength: 'required', valueSet: NOT_FOUND }),
      ],
    },
  } as StructureDefinition);
  const valueSets = Object.entries(ELEMENTS).map(([path, b]) => ({
    resourceType: 'ValueSet',
    url: `${COPY}${path}`,
    name: `CopyOf${b.type}${b.element}`,
    status: 'active',
    compose: { include: [{ system: b.system }] },
  }));
  return {
    name: 'preflight.test.bindings',
    version: '1.0.0',
    sha256: '0'.repeat(64),
    fhirVersions: ['4.0.1'],
    dependencies: [],
    structureDefinitions: profiles,
    valueSets: valueSets as unknown as IgPackage['valueSets'],
    codeSystems: [],
  };
}

const BASE_RULES = new Set([
  'fhir-code-binding-not-checked',
  'fhir-code-not-in-value-set',
  'fhir-code-not-in-value-set-extensible',
  'fhir-code-not-in-value-set-preferred',
]);
const PROFILE_RULES = new Set([
  'fhir-profile-binding',
  'fhir-profile-binding-extensible',
  'fhir-profile-binding-preferred',
  'fhir-profile-binding-unchecked',
]);

/** The verdict a validation gives on an element, read from one checker's binding rules. */
function verdictOn(
  issues: readonly { rule: string; severity: string; location: string }[],
  location: string,
  rules: ReadonlySet<string>,
): Verdict {
  const mine = issues.filter((i) => rules.has(i.rule) && i.location === location);
  const notChecked = new Set(['fhir-profile-binding-unchecked', 'fhir-code-binding-not-checked']);
  if (mine.some((i) => notChecked.has(i.rule))) return 'not checked';
  if (mine.some((i) => i.severity === 'error')) return 'outside (error)';
  if (mine.some((i) => i.severity === 'warning')) return 'outside (warning)';
  return 'in';
}

let base: FhirSession;
let guided: FhirSession;
beforeAll(async () => {
  base = await createFhirSession(generatedModules);
  guided = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([guide()])),
  });
});

/** The case's value on the element the specification binds. */
const onBaseElement = (c: Case): Json => {
  const { type, element } = ELEMENTS[c.at] as Bound;
  return { resourceType: type, [element]: c.value };
};

/** The case's value on `Basic.code`, bound by the guide to the same codes at the same strength. */
const onGuideElement = (c: Case): Json => ({
  resourceType: 'Basic',
  meta: { profile: [`${PROFILE}${c.at}`] },
  code: c.value,
});

describe('one binding check: the same code against the same codes, the same verdict through base R4 and a profile', () => {
  it.each(CASES)('$at: $description', async (c) => {
    const throughBase = verdictOn((await base.validate(onBaseElement(c))).issues, c.at, BASE_RULES);
    const throughProfile = verdictOn(
      (await guided.validate(onGuideElement(c))).issues,
      'Basic.code',
      PROFILE_RULES,
    );
    expect({ base: throughBase, profile: throughProfile }).toEqual({ base: c.expected, profile: c.expected });
  });

  it('a code against a value set that cannot be found offline: not checked on both, never fine', async () => {
    // the base walk's binding of Condition.clinicalStatus pointed at a value set the terminology
    // cannot find (the specification's own are all found, so only a changed digest reaches here)
    const real = await generatedModules.digest();
    const condition = real.types.Condition as FhirDigest['types'][string];
    const clinicalStatus = condition.elements
      .clinicalStatus as FhirDigest['types'][string]['elements'][string];
    const digest: FhirDigest = {
      ...real,
      valueSets: { ...real.valueSets, [NOT_FOUND]: { name: 'NotHeld', systems: { [CLINICAL]: ['active'] } } },
      types: {
        ...real.types,
        Condition: {
          ...condition,
          elements: { ...condition.elements, clinicalStatus: { ...clinicalStatus, valueSet: NOT_FOUND } },
        },
      },
    };
    const changed = await createFhirSession({ ...generatedModules, digest: async () => digest });
    const value = cc({ system: CLINICAL, code: 'active' });
    const throughBase = verdictOn(
      (await changed.validate({ resourceType: 'Condition', clinicalStatus: value })).issues,
      'Condition.clinicalStatus',
      BASE_RULES,
    );
    const throughProfile = verdictOn(
      (
        await guided.validate({
          resourceType: 'Basic',
          meta: { profile: [`${PROFILE}not-held`] },
          code: value,
        })
      ).issues,
      'Basic.code',
      PROFILE_RULES,
    );
    expect({ base: throughBase, profile: throughProfile }).toEqual({
      base: 'not checked',
      profile: 'not checked',
    });
  });
});

/** Codings a record may hold: the code system's own codes (with a version or a display or not), translations. */
const coding = fc.oneof(
  fc.record(
    {
      system: fc.constant(CLINICAL),
      code: fc.constantFrom('active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'),
      version: fc.constantFrom('4.0.1', '1.0.0'),
      display: fc.constantFrom('Active', 'Resolved', 'Something else'),
    },
    { requiredKeys: ['system', 'code'] },
  ),
  fc.record({ system: fc.constant(SNOMED), code: fc.stringMatching(/^[1-9][0-9]{5,8}$/) }),
  fc.record({
    system: fc.constant('http://example.org/status'),
    code: fc.constantFrom('active', 'A', 'open'),
  }),
);

describe('one binding check over any mix of codings', () => {
  it('gives a CodeableConcept the same verdict through base R4 and a profile (replay with the printed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(coding, { minLength: 1, maxLength: 3 }), async (codings) => {
        const c: Case = {
          description: '',
          at: 'Condition.clinicalStatus',
          value: { coding: codings },
          expected: 'in',
        };
        const throughBase = verdictOn((await base.validate(onBaseElement(c))).issues, c.at, BASE_RULES);
        const throughProfile = verdictOn(
          (await guided.validate(onGuideElement(c))).issues,
          'Basic.code',
          PROFILE_RULES,
        );
        expect(throughProfile).toBe(throughBase);
      }),
      { numRuns: 80 },
    );
  });
});
