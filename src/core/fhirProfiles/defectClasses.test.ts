/**
 * The profile checker's defect classes, one minimal profile and resource each, on a package made
 * by hand (snapshots written out, so nothing else needs loading): every place a path names a type
 * (a choice's `[x]`, `ofType()` in a discriminator path, the type slices of a choice), every kind
 * of slice discriminator (value, pattern, exists, type, profile; through `resolve()` and
 * `extension()`), and every reference check (a contained target, a Bundle entry by full URL or by
 * a versioned `Type/id`, `Reference.type`, a target checked where only a slice's profile reaches
 * it). Each case has its valid twin, which gives no error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirIssue } from '../fhir/index.ts';
import { createFhirSession, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import type { IgPackage } from './igPackage.ts';
import { createProfileRegistry } from './registry.ts';
import { testPackage } from './testing/patientBinding.ts';
import type { Discriminator, ElementDefinition, StructureDefinition } from './types.ts';

type Json = Record<string, unknown>;

const BASE = 'http://example.org/fhir/StructureDefinition/';
const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const loinc = (code: string) => ({ coding: [{ system: LOINC, code }] });
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });

/** A profile from its snapshot elements (ids give the paths; `base` defaults to the element's own). */
function profile(id: string, type: string, elements: ElementDefinition[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    id,
    url: `${BASE}${id}`,
    name: id,
    type,
    kind: 'resource',
    derivation: 'constraint',
    baseDefinition: `${CORE}${type}`,
    snapshot: { element: [{ id: type, path: type, min: 0, max: '*' }, ...elements] },
  };
}

/** An element: its path is its id without slice names; its base 0..* unless given. */
function el(id: string, rest: Partial<ElementDefinition> = {}): ElementDefinition {
  const path = id.replace(/:[^.]+/g, '');
  return { id, path, min: 0, max: '*', base: { path, min: 0, max: '*' }, ...rest } as ElementDefinition;
}

const componentSlicing = (path: string, type: Discriminator['type'] = 'value') =>
  el('Observation.component', { slicing: { discriminator: [{ type, path }], rules: 'open' } });

const PROFILES: StructureDefinition[] = [
  // value discriminator through ofType(): the component whose Quantity is in mm[Hg]
  profile('oftype-value', 'Observation', [
    componentSlicing('value.ofType(Quantity).code'),
    el('Observation.component:mmhg', { sliceName: 'mmhg', min: 1, max: '1' }),
    el('Observation.component:mmhg.value[x]', { max: '1', type: [{ code: 'Quantity' }] }),
    el('Observation.component:mmhg.value[x].code', { max: '1', fixedCode: 'mm[Hg]' }),
  ]),
  // pattern discriminator through ofType() on a CodeableConcept value
  profile('oftype-pattern', 'Observation', [
    componentSlicing('value.ofType(CodeableConcept)', 'pattern'),
    el('Observation.component:present', { sliceName: 'present', min: 1, max: '1' }),
    el('Observation.component:present.value[x]', {
      max: '1',
      type: [{ code: 'CodeableConcept' }],
      patternCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '52101004' }] },
    }),
  ]),
  // type discriminator on ofType(): the component valued by a Quantity (a choice named by its type)
  profile('oftype-exists', 'Observation', [
    componentSlicing('value.ofType(Quantity)', 'exists'),
    el('Observation.component:measured', { sliceName: 'measured', min: 1, max: '1' }),
    el('Observation.component:measured.value[x]', { min: 1, max: '1', type: [{ code: 'Quantity' }] }),
  ]),
  // the type slices of a choice, with a cardinality and a fixed value inside the Quantity one
  profile('choice-type-slice', 'Observation', [
    el('Observation.value[x]', {
      max: '1',
      type: [{ code: 'Quantity' }, { code: 'string' }],
      slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' },
    }),
    el('Observation.value[x]:valueQuantity', {
      sliceName: 'valueQuantity',
      max: '1',
      type: [{ code: 'Quantity' }],
    }),
    el('Observation.value[x]:valueQuantity.value', { min: 1, max: '1' }),
    el('Observation.value[x]:valueQuantity.system', { max: '1', fixedUri: UCUM }),
  ]),
  // the same, as older snapshots write it: type slices without a slicing on the choice
  profile('choice-type-slice-implicit', 'Observation', [
    el('Observation.value[x]', { max: '1', type: [{ code: 'Quantity' }, { code: 'string' }] }),
    el('Observation.value[x]:valueQuantity', {
      sliceName: 'valueQuantity',
      max: '1',
      type: [{ code: 'Quantity' }],
    }),
    el('Observation.value[x]:valueQuantity.value', { min: 1, max: '1' }),
  ]),
  // a reference narrowed to Practitioner where the base allows several types
  profile('author-practitioner', 'Composition', [
    el('Composition.author', {
      type: [{ code: 'Reference', targetProfile: [`${CORE}Practitioner`] }],
    }),
  ]),
  // a document Bundle whose Composition entry is reached by its slice's profile only
  profile('document', 'Bundle', [
    el('Bundle.entry', { slicing: { discriminator: [{ type: 'type', path: 'resource' }], rules: 'open' } }),
    el('Bundle.entry:composition', { sliceName: 'composition', min: 1, max: '1' }),
    el('Bundle.entry:composition.resource', {
      min: 1,
      max: '1',
      type: [{ code: 'Composition', profile: [`${BASE}author-practitioner`] }],
    }),
  ]),
  // section entries sliced by the type of what they resolve to
  profile('sections-by-type', 'Composition', [
    el('Composition.section'),
    el('Composition.section.entry', {
      slicing: { discriminator: [{ type: 'type', path: 'resolve()' }], rules: 'open' },
    }),
    el('Composition.section.entry:problem', {
      sliceName: 'problem',
      min: 1,
      max: '*',
      type: [{ code: 'Reference', targetProfile: [`${CORE}Condition`] }],
    }),
  ]),
  // components sliced by a profile that is the base type itself (no package defines it)
  profile('subject-by-base-profile', 'Composition', [
    el('Composition.section'),
    el('Composition.section.entry', {
      slicing: { discriminator: [{ type: 'profile', path: 'resolve()' }], rules: 'open' },
    }),
    el('Composition.section.entry:problem', {
      sliceName: 'problem',
      min: 1,
      max: '*',
      type: [{ code: 'Reference', targetProfile: [`${CORE}Condition`] }],
    }),
  ]),
  // invariants on a nested choice and on a choice's type slice, read on the type the data holds
  profile('choice-invariants', 'Observation', [
    el('Observation.value[x]', {
      max: '1',
      slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' },
    }),
    el('Observation.value[x]:valueQuantity', {
      sliceName: 'valueQuantity',
      max: '1',
      type: [{ code: 'Quantity' }],
      constraint: [
        { key: 'ci-1', severity: 'error', human: 'A quantity has a value', expression: 'value.exists()' },
      ],
    }),
    el('Observation.component'),
    el('Observation.component.value[x]', {
      max: '1',
      constraint: [
        {
          key: 'ci-2',
          severity: 'error',
          human: 'A date-time is precise to the day',
          expression: '$this is dateTime implies $this.toString().length() >= 10',
        },
      ],
    }),
  ]),
  // a haemoglobin result: what the next profile's slice resolves to
  profile('lab-hb', 'Observation', [
    el('Observation.code', { min: 1, max: '1', patternCodeableConcept: loinc('718-7') }),
  ]),
  // section entries sliced by a pattern on what they resolve to (a path past resolve())
  profile('sections-by-code', 'Composition', [
    el('Composition.section'),
    el('Composition.section.entry', {
      slicing: { discriminator: [{ type: 'pattern', path: 'resolve().code' }], rules: 'open' },
    }),
    el('Composition.section.entry:hb', {
      sliceName: 'hb',
      min: 1,
      max: '1',
      type: [{ code: 'Reference', targetProfile: [`${BASE}lab-hb`] }],
    }),
  ]),
  // an extension whose definition fixes its value, and components sliced by it, not unfolded
  {
    resourceType: 'StructureDefinition',
    id: 'automated',
    url: `${BASE}automated`,
    name: 'automated',
    type: 'Extension',
    kind: 'complex-type',
    derivation: 'constraint',
    baseDefinition: `${CORE}Extension`,
    snapshot: {
      element: [
        { id: 'Extension', path: 'Extension', min: 0, max: '*' },
        el('Extension.url', {
          min: 1,
          max: '1',
          base: { path: 'Extension.url', min: 1, max: '1' },
          fixedUri: `${BASE}automated`,
        }),
        el('Extension.value[x]', {
          min: 1,
          max: '1',
          base: { path: 'Extension.value[x]', min: 0, max: '1' },
          type: [{ code: 'code' }],
          fixedCode: 'yes',
        }),
      ],
    },
  },
  profile('by-extension-value', 'Observation', [
    componentSlicing(`extension('${BASE}automated').value`),
    el('Observation.component:auto', { sliceName: 'auto', min: 1, max: '1' }),
    el('Observation.component:auto.extension', {
      slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' },
    }),
    el('Observation.component:auto.extension:automated', {
      sliceName: 'automated',
      min: 1,
      max: '1',
      type: [{ code: 'Extension', profile: [`${BASE}automated`] }],
    }),
  ]),
];

const PACKAGE: IgPackage = testPackage('example.defect.classes', {
  version: '0.1.0',
  structureDefinitions: PROFILES,
});

let session: FhirSession;
beforeAll(async () => {
  session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([PACKAGE])),
    // the made-up extensions at example.org are test data
    allowExampleUrls: true,
  });
});

const shapes = async (resource: Json) =>
  (await session.validate(resource)).issues
    .filter((i: FhirIssue) => i.severity !== 'information')
    .map((i) => ({ severity: i.severity, rule: i.rule, location: i.location }));

const observation = (id: string, extra: Json): Json => ({
  resourceType: 'Observation',
  meta: { profile: [`${BASE}${id}`] },
  status: 'final',
  code: loinc('85354-9'),
  ...extra,
});

interface Case {
  name: string;
  resource: Json;
  valid: Json;
  expected: { severity: string; rule: string; location: string }[];
}

const slice = (location: string) => ({ severity: 'error', rule: 'fhir-profile-slice', location });

const CASES: Case[] = [
  {
    name: 'a value discriminator through ofType(Quantity)',
    resource: observation('oftype-value', {
      component: [{ code: loinc('8480-6'), valueQuantity: { value: 16, system: UCUM, code: 'kPa' } }],
    }),
    valid: observation('oftype-value', { component: [{ code: loinc('8480-6'), valueQuantity: mmHg(120) }] }),
    expected: [slice('Observation.component')],
  },
  {
    name: 'a pattern discriminator through ofType(CodeableConcept)',
    resource: observation('oftype-pattern', {
      component: [
        {
          code: loinc('8480-6'),
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '2667000' }] },
        },
      ],
    }),
    valid: observation('oftype-pattern', {
      component: [
        {
          code: loinc('8480-6'),
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '52101004' }] },
        },
      ],
    }),
    expected: [slice('Observation.component')],
  },
  {
    name: 'an exists discriminator through ofType(Quantity): a string is not a Quantity',
    resource: observation('oftype-exists', { component: [{ code: loinc('8480-6'), valueString: '120' }] }),
    valid: observation('oftype-exists', { component: [{ code: loinc('8480-6'), valueQuantity: mmHg(120) }] }),
    expected: [slice('Observation.component')],
  },
  {
    name: 'a type slice of a choice: a child it requires',
    resource: observation('choice-type-slice', {
      valueQuantity: { unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    }),
    valid: observation('choice-type-slice', { valueQuantity: mmHg(120) }),
    expected: [
      { severity: 'error', rule: 'fhir-profile-cardinality', location: 'Observation.valueQuantity.value' },
    ],
  },
  {
    name: 'a type slice of a choice: a value it fixes',
    resource: observation('choice-type-slice', {
      valueQuantity: { value: 1, system: 'http://example.org/units', code: 'x' },
    }),
    valid: observation('choice-type-slice', { valueString: 'high' }),
    expected: [
      { severity: 'error', rule: 'fhir-profile-value', location: 'Observation.valueQuantity.system' },
    ],
  },
  {
    name: 'a type slice of a choice whose snapshot has no slicing on the choice',
    resource: observation('choice-type-slice-implicit', {
      valueQuantity: { unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    }),
    valid: observation('choice-type-slice-implicit', { valueString: 'high' }),
    expected: [
      { severity: 'error', rule: 'fhir-profile-cardinality', location: 'Observation.valueQuantity.value' },
    ],
  },
];

CASES.push({
  name: 'a value discriminator through an extension() whose slice the snapshot does not unfold',
  resource: observation('by-extension-value', {
    component: [
      {
        code: loinc('8480-6'),
        valueQuantity: mmHg(120),
        extension: [{ url: 'http://example.org/fhir/StructureDefinition/other', valueCode: 'yes' }],
      },
    ],
  }),
  valid: observation('by-extension-value', {
    component: [
      {
        code: loinc('8480-6'),
        valueQuantity: mmHg(120),
        extension: [{ url: `${BASE}automated`, valueCode: 'yes' }],
      },
    ],
  }),
  expected: [slice('Observation.component')],
});

CASES.push(
  {
    name: 'an invariant on a choice’s type slice, on the value of that type',
    resource: observation('choice-invariants', { valueQuantity: { unit: 'mg', system: UCUM, code: 'mg' } }),
    valid: observation('choice-invariants', { valueQuantity: mmHg(1) }),
    expected: [{ severity: 'error', rule: 'fhir-profile-invariant', location: 'Observation.valueQuantity' }],
  },
  {
    name: 'an invariant on a nested choice, on the type the data holds',
    resource: observation('choice-invariants', {
      component: [{ code: loinc('8480-6'), valueDateTime: '2020-01' }],
    }),
    valid: observation('choice-invariants', {
      component: [
        { code: loinc('8480-6'), valueDateTime: '2020-01-02' },
        { code: loinc('8480-6'), valuePeriod: { start: '2020' } },
      ],
    }),
    expected: [
      {
        severity: 'error',
        rule: 'fhir-profile-invariant',
        location: 'Observation.component[0].valueDateTime',
      },
    ],
  },
);

describe('profile defect classes, one finding each; the valid twin none', () => {
  it.each(CASES)('$name', async ({ resource, valid, expected }) => {
    expect(await shapes(valid)).toEqual([]);
    expect(await shapes(resource)).toEqual(expected);
  });
});

const composition = (extra: Json): Json => ({
  resourceType: 'Composition',
  status: 'final',
  type: loinc('60591-5'),
  date: '2024-01-01',
  title: 'Summary',
  author: [{ display: 'Dr Lee' }],
  ...extra,
});

describe('reference checks', () => {
  it('judges Reference.type against the targets the profile allows', async () => {
    const claim = { meta: { profile: [`${BASE}author-practitioner`] } };
    expect(
      await shapes(
        composition({ ...claim, author: [{ type: 'Patient', identifier: { system: 'urn:x', value: '1' } }] }),
      ),
    ).toEqual([{ severity: 'error', rule: 'fhir-profile-type', location: 'Composition.author[0].type' }]);
    expect(
      await shapes(
        composition({
          ...claim,
          author: [{ type: 'Practitioner', identifier: { system: 'urn:x', value: '1' } }],
        }),
      ),
    ).toEqual([]);
  });

  it('resolves a contained target of a resource reached only through a slice’s profile', async () => {
    const bundle = (authorType: string): Json => ({
      resourceType: 'Bundle',
      meta: { profile: [`${BASE}document`] },
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:1f6e0000-0000-4000-8000-000000000001',
          resource: composition({
            contained: [{ resourceType: authorType, id: 'a1', active: true }],
            author: [{ reference: '#a1' }],
          }),
        },
      ],
    });
    expect(await shapes(bundle('Practitioner'))).toEqual([]);
    expect(await shapes(bundle('Patient'))).toEqual([
      {
        severity: 'error',
        rule: 'fhir-profile-type',
        location: 'Bundle.entry[0].resource.author[0].reference',
      },
    ]);
  });

  it('resolves a versioned Type/id reference to its Bundle entry', async () => {
    const bundle = (targetType: string): Json => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'http://example.org/fhir/Composition/c1',
          resource: composition({
            id: 'c1',
            meta: { profile: [`${BASE}sections-by-type`] },
            section: [{ title: 'Problems', entry: [{ reference: `${targetType}/t1/_history/2` }] }],
          }),
        },
        {
          fullUrl: `http://example.org/fhir/${targetType}/t1`,
          resource: {
            resourceType: targetType,
            id: 't1',
            meta: { versionId: '2' },
            ...(targetType === 'Condition'
              ? { subject: { display: 'Ann' } }
              : { status: 'final', code: loinc('1-8') }),
          },
        },
      ],
    });
    expect(await shapes(bundle('Condition'))).toEqual([]);
    expect(await shapes(bundle('Observation'))).toEqual([slice('Bundle.entry[0].resource.section[0].entry')]);
  });

  it('matches a pattern past resolve() against the target profile’s element', async () => {
    const withEntry = (code: string): Json =>
      composition({
        meta: { profile: [`${BASE}sections-by-code`] },
        contained: [{ resourceType: 'Observation', id: 'o1', status: 'final', code: loinc(code) }],
        section: [{ title: 'Results', entry: [{ reference: '#o1' }] }],
      });
    expect(await shapes(withEntry('718-7'))).toEqual([]);
    expect(await shapes(withEntry('2345-7'))).toEqual([slice('Composition.section[0].entry')]);
  });

  it('matches a profile discriminator naming the base type, by the target’s type', async () => {
    const withEntry = (reference: string, contained: Json): Json =>
      composition({
        meta: { profile: [`${BASE}subject-by-base-profile`] },
        contained: [contained],
        section: [{ title: 'Problems', entry: [{ reference }] }],
      });
    expect(
      await shapes(withEntry('#c1', { resourceType: 'Condition', id: 'c1', subject: { display: 'Ann' } })),
    ).toEqual([]);
    expect(
      await shapes(
        withEntry('#c1', { resourceType: 'Observation', id: 'c1', status: 'final', code: loinc('1-8') }),
      ),
    ).toEqual([slice('Composition.section[0].entry')]);
  });
});
