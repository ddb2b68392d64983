/**
 * The profile checks one by one, on a small profile derived from the IPS Patient profile and
 * shipped as a differential only (so its snapshot is generated against the loaded IPS package):
 * each row breaks one thing of a valid patient and expects exactly that one finding. Also: every
 * profile rule of the FHIR rule table is exercised here or in ips.test.ts, and package reading,
 * dependencies and value set expansion say what they cannot do.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extensionsPackage, ipsPackage } from '../../../tests/fixtures/ipsPackage.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import type { FhirIssue } from '../fhir/index.ts';
import { createFhirSession, FHIR_RULES, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { type IgPackage, IgPackageError, readIgPackage } from './igPackage.ts';
import { createProfileRegistry } from './registry.ts';
import { testPackage } from './testing/patientBinding.ts';
import type { CodeSystem, StructureDefinition, ValueSet } from './types.ts';
import { createValueSetExpander } from './valueSets.ts';

type Json = Record<string, unknown>;

const TEST = 'http://example.org/fhir/StructureDefinition/test-patient';
const ORPHAN = 'http://example.org/fhir/StructureDefinition/orphan-patient';

const testPatient: StructureDefinition = {
  resourceType: 'StructureDefinition',
  id: 'test-patient',
  url: TEST,
  name: 'TestPatient',
  type: 'Patient',
  kind: 'resource',
  derivation: 'constraint',
  baseDefinition: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips',
  differential: {
    element: [
      {
        id: 'Patient',
        path: 'Patient',
        constraint: [
          {
            key: 'tp-1',
            severity: 'warning',
            human: 'A patient should have a gender',
            expression: 'gender.exists()',
          },
        ],
      },
      {
        id: 'Patient.identifier',
        path: 'Patient.identifier',
        slicing: { discriminator: [{ type: 'profile', path: '$this' }], rules: 'open' },
      },
      {
        id: 'Patient.identifier:national',
        path: 'Patient.identifier',
        sliceName: 'national',
        min: 1,
        max: '1',
        type: [{ code: 'Identifier', profile: ['http://example.org/fhir/StructureDefinition/not-loaded'] }],
      },
      { id: 'Patient.telecom', path: 'Patient.telecom', max: '1' },
      { id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', min: 1 },
      { id: 'Patient.deceased[x]', path: 'Patient.deceased[x]', type: [{ code: 'boolean' }] },
    ],
  },
};

const orphan: StructureDefinition = {
  resourceType: 'StructureDefinition',
  id: 'orphan-patient',
  url: ORPHAN,
  type: 'Patient',
  kind: 'resource',
  derivation: 'constraint',
  baseDefinition: 'http://example.org/fhir/StructureDefinition/never-loaded',
  differential: { element: [{ id: 'Patient', path: 'Patient' }] },
};

const RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
/** A complex extension a package defines (as US Core's race): sub-extensions only, no value. */
const race: StructureDefinition = {
  resourceType: 'StructureDefinition',
  id: 'us-core-race',
  url: RACE,
  type: 'Extension',
  kind: 'complex-type',
  derivation: 'constraint',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
  snapshot: {
    element: [
      { id: 'Extension', path: 'Extension', min: 0, max: '1' },
      {
        id: 'Extension.extension',
        path: 'Extension.extension',
        min: 1,
        max: '*',
        base: { path: 'Element.extension', min: 0, max: '*' },
        type: [{ code: 'Extension' }],
      },
      {
        id: 'Extension.url',
        path: 'Extension.url',
        min: 1,
        max: '1',
        fixedUri: RACE,
        type: [{ code: 'uri' }],
      },
      {
        id: 'Extension.value[x]',
        path: 'Extension.value[x]',
        min: 0,
        max: '0',
        base: { path: 'Extension.value[x]', min: 0, max: '1' },
      },
    ],
  },
};

const BP = 'http://example.org/fhir/StructureDefinition/bp-test';
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
/** Blood pressure components: closed, ordered slices by pattern; systolic re-sliced by its unit. */
const bp: StructureDefinition = {
  resourceType: 'StructureDefinition',
  id: 'bp-test',
  url: BP,
  type: 'Observation',
  kind: 'resource',
  derivation: 'constraint',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation',
  snapshot: {
    element: [
      { id: 'Observation', path: 'Observation', min: 0, max: '*' },
      {
        id: 'Observation.component',
        path: 'Observation.component',
        min: 0,
        max: '*',
        slicing: { discriminator: [{ type: 'pattern', path: 'code' }], ordered: true, rules: 'closed' },
      },
      {
        id: 'Observation.component:systolic',
        path: 'Observation.component',
        sliceName: 'systolic',
        min: 1,
        max: '1',
        slicing: { discriminator: [{ type: 'value', path: 'value.code' }], rules: 'open' },
      },
      {
        id: 'Observation.component:systolic.code',
        path: 'Observation.component.code',
        min: 1,
        max: '1',
        patternCodeableConcept: loinc('8480-6'),
      },
      {
        id: 'Observation.component:systolic/mmhg',
        path: 'Observation.component',
        sliceName: 'systolic/mmhg',
        min: 1,
        max: '1',
      },
      {
        id: 'Observation.component:systolic/mmhg.value[x]',
        path: 'Observation.component.value[x]',
        min: 0,
        max: '1',
        type: [{ code: 'Quantity' }],
      },
      {
        id: 'Observation.component:systolic/mmhg.value[x].code',
        path: 'Observation.component.value[x].code',
        min: 0,
        max: '1',
        fixedCode: 'mm[Hg]',
      },
      {
        id: 'Observation.component:diastolic',
        path: 'Observation.component',
        sliceName: 'diastolic',
        min: 1,
        max: '1',
      },
      {
        id: 'Observation.component:diastolic.code',
        path: 'Observation.component.code',
        min: 1,
        max: '1',
        patternCodeableConcept: loinc('8462-4'),
      },
    ],
  },
};

const examplePackage: IgPackage = testPackage('example.test', {
  version: '0.1.0',
  dependencies: [{ name: 'hl7.fhir.uv.ips', version: '2.0.0' }],
  structureDefinitions: [testPatient, orphan, race, bp],
});

const validPatient = (): Json => ({
  resourceType: 'Patient',
  id: 'p1',
  meta: { profile: [TEST] },
  identifier: [{ system: 'urn:oid:1.2.3', value: 'x' }],
  name: [{ family: 'Doe', given: ['Jo'] }],
  gender: 'female',
  birthDate: '1970-01-01',
  telecom: [{ system: 'phone', value: '555' }],
  maritalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }],
  },
  deceasedBoolean: false,
});

let session: FhirSession;
beforeAll(async () => {
  const registry = createProfileRegistry([await ipsPackage(), extensionsPackage(), examplePackage]);
  session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
});

const errorsAndWarnings = (issues: FhirIssue[]) =>
  issues
    .filter((i) => i.severity !== 'information')
    .map((i) => ({ rule: i.rule, severity: i.severity, location: i.location, message: i.message }));

const ROWS: { name: string; change: (p: Json) => void; expected: ReturnType<typeof errorsAndWarnings> }[] = [
  {
    name: 'a required element missing (the profile narrows 0..1 to 1..1)',
    change: (p) => {
      delete p.maritalStatus;
    },
    expected: [
      {
        rule: 'fhir-profile-cardinality',
        severity: 'error',
        location: 'Patient.maritalStatus',
        message: 'Patient.maritalStatus: requires at least 1, found 0 (test-patient)',
      },
    ],
  },
  {
    name: 'too many repetitions (the profile narrows 0..* to 0..1)',
    change: (p) => {
      p.telecom = [
        { system: 'phone', value: '1' },
        { system: 'email', value: 'a@b' },
      ];
    },
    expected: [
      {
        rule: 'fhir-profile-cardinality',
        severity: 'error',
        location: 'Patient.telecom',
        message: 'Patient.telecom: allows at most 1, found 2 (test-patient)',
      },
    ],
  },
  {
    name: 'a choice type the profile removed',
    change: (p) => {
      delete p.deceasedBoolean;
      p.deceasedDateTime = '2020-01-01T00:00:00Z';
    },
    expected: [
      {
        rule: 'fhir-profile-type',
        severity: 'error',
        location: 'Patient.deceasedDateTime',
        message:
          'Patient.deceased[x]: a value of type dateTime is not allowed here; the profile allows boolean (test-patient)',
      },
    ],
  },
  {
    name: 'a warning invariant of the profile',
    change: (p) => {
      delete p.gender;
    },
    expected: [
      {
        rule: 'fhir-profile-invariant-warning',
        severity: 'warning',
        location: 'Patient',
        message: 'Patient: tp-1: A patient should have a gender (test-patient)',
      },
    ],
  },
];

describe('profile checks, one finding per row', () => {
  it('a valid patient has no finding', async () => {
    expect(errorsAndWarnings((await session.validate(validPatient())).issues)).toEqual([]);
  });
  for (const row of ROWS) {
    it(row.name, async () => {
      const patient = validPatient();
      row.change(patient);
      expect(errorsAndWarnings((await session.validate(patient)).issues)).toEqual(row.expected);
    });
  }

  it('a slice whose profile is not loaded is reported as not checked, never as missing', async () => {
    const issues = (await session.validate(validPatient())).issues;
    expect(
      issues.filter(
        (i) =>
          i.rule.startsWith('fhir-profile-') &&
          i.rule !== 'fhir-profile-must-support' &&
          i.rule !== 'fhir-profile-binding-unchecked',
      ),
    ).toEqual([
      {
        rule: 'fhir-profile-not-checked',
        severity: 'information',
        code: 'not-supported',
        location: 'Patient.identifier',
        message:
          "Patient.identifier: slice 'national' is not checked: its discriminator needs what is not loaded or not in this file (test-patient)",
        profile: TEST,
      },
    ]);
  });

  it('a loaded profile that cannot be applied says so instead of passing silently', async () => {
    const patient = validPatient();
    patient.meta = { profile: [ORPHAN] };
    expect(
      (await session.validate(patient)).issues.filter((i) => i.rule === 'fhir-profile-not-checked'),
    ).toEqual([
      {
        rule: 'fhir-profile-not-checked',
        severity: 'information',
        code: 'not-supported',
        location: 'Patient',
        message:
          'Patient: the profile http://example.org/fhir/StructureDefinition/orphan-patient is loaded but cannot be applied: the base http://example.org/fhir/StructureDefinition/never-loaded of http://example.org/fhir/StructureDefinition/orphan-patient is not loaded',
        profile: ORPHAN,
      },
    ]);
  });

  it('must-support elements that are absent are information, nothing more', async () => {
    const patient = validPatient();
    delete patient.telecom;
    const issues = (await session.validate(patient)).issues;
    expect(errorsAndWarnings(issues)).toEqual([]);
    expect(issues.find((i) => i.location === 'Patient.telecom')).toMatchObject({
      rule: 'fhir-profile-must-support',
      severity: 'information',
      message:
        'Patient.telecom: must-support and absent, which is allowed: a system conforming to the profile must be able to hold it when the data has it (test-patient)',
    });
  });

  it('an extension a loaded package defines is not unknown, and is checked against its definition', async () => {
    const withRace = (ext: Json) => ({ ...validPatient(), extension: [{ url: RACE, ...ext }] });
    const good = withRace({ extension: [{ url: 'text', valueString: 'x' }] });
    const base = await createFhirSession(generatedModules);
    expect((await base.validate(good)).issues.map((i) => i.rule)).toContain('fhir-unknown-extension');
    expect(errorsAndWarnings((await session.validate(good)).issues)).toEqual([]);
    expect(errorsAndWarnings((await session.validate(withRace({ valueString: 'x' }))).issues)).toEqual([
      {
        rule: 'fhir-profile-extension',
        severity: 'error',
        location: 'Patient.extension[0].extension',
        message: 'Extension.extension: requires at least 1, found 0 (us-core-race)',
      },
      {
        rule: 'fhir-profile-extension',
        severity: 'error',
        location: 'Patient.extension[0].value',
        message: 'Extension.value[x]: allows at most 0, found 1 (us-core-race)',
      },
    ]);
  });

  describe('closed, ordered and re-sliced slices', () => {
    const mmHg = (value: number) => ({
      value,
      unit: 'mmHg',
      system: 'http://unitsofmeasure.org',
      code: 'mm[Hg]',
    });
    const systolic = { code: loinc('8480-6'), valueQuantity: mmHg(120) };
    const diastolic = { code: loinc('8462-4'), valueQuantity: mmHg(80) };
    const observation = (component: Json[]): Json => ({
      resourceType: 'Observation',
      meta: { profile: [BP] },
      status: 'final',
      code: loinc('85354-9'),
      component,
    });
    const TABLE: { name: string; component: Json[]; expected: { location: string; message: string }[] }[] = [
      { name: 'in order, each slice once', component: [systolic, diastolic], expected: [] },
      {
        name: 'out of order',
        component: [diastolic, systolic],
        expected: [
          {
            location: 'Observation.component[1]',
            message:
              "Observation.component: slice 'systolic' comes after a later slice; the profile orders them (bp-test)",
          },
        ],
      },
      {
        name: 'a component no slice matches',
        component: [systolic, diastolic, { code: loinc('8867-4'), valueQuantity: { value: 60 } }],
        expected: [
          {
            location: 'Observation.component[2]',
            message:
              "Observation.component: matches none of the slices of the profile's closed slicing ('systolic', 'diastolic') (bp-test)",
          },
        ],
      },
      {
        name: 'the re-slice missing (systolic in another unit)',
        component: [
          {
            code: loinc('8480-6'),
            valueQuantity: { value: 16, unit: 'kPa', system: 'http://unitsofmeasure.org', code: 'kPa' },
          },
          diastolic,
        ],
        expected: [
          {
            location: 'Observation.component',
            message: "Observation.component:systolic: slice 'systolic/mmhg' requires 1, found 0 (bp-test)",
          },
        ],
      },
    ];
    for (const row of TABLE) {
      it(row.name, async () => {
        const issues = (await session.validate(observation(row.component))).issues;
        expect(
          issues
            .filter((i) => i.rule === 'fhir-profile-slice')
            .map((i) => ({ location: i.location, message: i.message })),
        ).toEqual(row.expected);
      });
    }
  });

  it('a resource of another type than its claimed profile is one finding, naming no value', async () => {
    const claimsPatient = (resourceType: string): Json => ({ resourceType, meta: { profile: [TEST] } });
    const contained = (inner: Json): Json => ({ ...validPatient(), contained: [inner] });
    const messages = async (inner: Json) =>
      (await session.validate(contained(inner))).issues
        .filter((i) => i.rule === 'fhir-profile-type')
        .map((i) => `${i.location}: ${i.message}`);
    expect(await messages({ ...claimsPatient('Practitioner'), id: 'pr' })).toEqual([
      'Patient.contained[0]: Patient: the resource is a Practitioner, and the profile is for Patient (test-patient)',
    ]);
    // not an R4 type: the text is data, and stays out of the message
    expect(await messages({ ...claimsPatient('ZZSECRET'), id: 'x' })).toEqual([
      'Patient.contained[0]: Patient: the resource is of another type, and the profile is for Patient (test-patient)',
    ]);
  });

  it('every profile rule of the rule table is exercised (here, in ips, usCore or terminology.test.ts)', () => {
    const exercised = new Set([
      ...ROWS.flatMap((r) => r.expected.map((e) => e.rule)),
      'fhir-profile-not-checked',
      'fhir-profile-must-support',
      // ips.test.ts
      'fhir-profile-slice',
      'fhir-profile-value',
      'fhir-profile-binding',
      'fhir-profile-binding-unchecked',
      'fhir-profile-extension',
      'fhir-profile-invariant',
      // the base validator's note on claims no loaded package defines (ips.test.ts)
      'fhir-profile-claim-not-checked',
      // and its warning on a claim under a loaded package's canonical base (parity.test.ts)
      'fhir-profile-claim-unknown',
      // usCore.test.ts
      'fhir-profile-version',
      // terminology.test.ts
      'fhir-profile-binding-extensible',
      'fhir-profile-binding-preferred',
      'fhir-profile-binding-value-set-broken',
    ]);
    const profileRules = FHIR_RULES.map((r) => r.id).filter((id) => id.startsWith('fhir-profile-'));
    expect(profileRules.filter((id) => !exercised.has(id))).toEqual([]);
  });
});

describe('reading packages', () => {
  it('reads a package: name, version, SHA-256, dependencies, conformance resources only', async () => {
    const pkg = await readIgPackage(
      tgz({
        'package/package.json': JSON.stringify({
          name: 'a.b',
          version: '1.0.0',
          dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
        }),
        'package/ValueSet-x.json': JSON.stringify({ resourceType: 'ValueSet', url: 'http://x/vs' }),
        'package/example/Patient-p.json': JSON.stringify({ resourceType: 'Patient' }),
        'package/Patient-q.json': JSON.stringify({ resourceType: 'Patient' }),
      }),
    );
    expect(pkg).toMatchObject({
      name: 'a.b',
      version: '1.0.0',
      dependencies: [{ name: 'hl7.fhir.r4.core', version: '4.0.1' }],
    });
    expect(pkg.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pkg.valueSets.map((v) => v.url)).toEqual(['http://x/vs']);
    expect(pkg.structureDefinitions).toEqual([]);
  });

  const BAD: { name: string; bytes: () => Uint8Array; message: RegExp }[] = [
    { name: 'not gzip', bytes: () => new TextEncoder().encode('{}'), message: /not gzip-compressed/ },
    {
      name: 'gzip cut short',
      bytes: () => tgz({ 'package/package.json': '{}' }).slice(0, 30),
      message: /damaged or cut short/,
    },
    {
      name: 'no package.json',
      bytes: () => tgz({ 'other/x.json': '{}' }),
      message: /no package\/package\.json/,
    },
    {
      // terminal control codes and a forged line: never printed, never kept
      name: 'a package name holding control characters',
      bytes: () =>
        tgz({
          'package/package.json': JSON.stringify({
            name: 'x\u001b[2J\u001b]0;title\u0007\r\nFAKE: all records valid',
            version: '1.0.0',
          }),
        }),
      message: /^package\/package\.json: the name of the package is not a package name/,
    },
    {
      name: 'a package name of 32 MiB',
      bytes: () =>
        tgz({ 'package/package.json': JSON.stringify({ name: 'a'.repeat(32 * 1024 * 1024), version: '1' }) }),
      message: /at most 214 characters/,
    },
    {
      name: 'a version holding a line break',
      bytes: () => tgz({ 'package/package.json': JSON.stringify({ name: 'a.b', version: '1.0\nFAKE' }) }),
      message: /the version of the package is not a version/,
    },
    {
      name: 'a dependency name holding an escape code',
      bytes: () =>
        tgz({
          'package/package.json': JSON.stringify({
            name: 'a.b',
            version: '1.0.0',
            dependencies: { '\u001b[31mred': '1.0.0' },
          }),
        }),
      message: /the name of a dependency is not a package name/,
    },
    {
      name: 'a resource that is not JSON',
      bytes: () =>
        tgz({ 'package/package.json': '{"name":"a","version":"1"}', 'package/ValueSet-x.json': '{' }),
      message: /^package\/ValueSet-x\.json: not valid JSON/,
    },
  ];
  for (const bad of BAD) {
    it(`refuses ${bad.name}, saying what and where`, async () => {
      const error = await readIgPackage(bad.bytes()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IgPackageError);
      expect((error as Error).message).toMatch(bad.message);
    });
  }

  it('names the dependencies IPS declares that are not loaded, and what they leave unchecked', async () => {
    const registry = createProfileRegistry([await ipsPackage()]);
    expect(registry.missingDependencies.map((d) => `${d.name}#${d.version}`)).toEqual([
      'hl7.fhir.r4.core#4.0.1',
      'hl7.terminology.r4#6.5.0',
      'hl7.fhir.uv.extensions.r4#5.2.0',
      'hl7.fhir.uv.ipa#1.1.0',
    ]);
    expect(registry.unresolved).toContainEqual({
      url: 'http://hl7.org/fhir/StructureDefinition/individual-genderIdentity',
      kind: 'extension',
    });
    const withExtensions = createProfileRegistry([await ipsPackage(), extensionsPackage()]);
    expect(withExtensions.unresolved.map((u) => u.url)).not.toContain(
      'http://hl7.org/fhir/StructureDefinition/individual-genderIdentity',
    );
  });
});

describe('value set expansion offline', () => {
  const cs: CodeSystem = {
    resourceType: 'CodeSystem',
    url: 'http://x/cs',
    content: 'complete',
    concept: [{ code: 'a', concept: [{ code: 'a1' }, { code: 'a2' }] }, { code: 'b' }, { code: 'err' }],
  };
  const vs = (url: string, compose: ValueSet['compose']): ValueSet => ({
    resourceType: 'ValueSet',
    url,
    compose,
  });
  const pkg: IgPackage = {
    ...examplePackage,
    structureDefinitions: [],
    codeSystems: [cs],
    valueSets: [
      vs('http://x/all-but-err', {
        include: [{ system: 'http://x/cs' }],
        exclude: [{ system: 'http://x/cs', filter: [{ property: 'concept', op: 'is-a', value: 'err' }] }],
      }),
      vs('http://x/under-a', {
        include: [
          { system: 'http://x/cs', filter: [{ property: 'concept', op: 'descendent-of', value: 'a' }] },
        ],
      }),
      vs('http://x/loinc', { include: [{ system: 'http://loinc.org' }] }),
      vs('http://x/regex', {
        include: [{ system: 'http://x/cs', filter: [{ property: 'code', op: 'regex', value: 'a.*' }] }],
      }),
      vs('http://x/nested', { include: [{ valueSet: ['http://x/under-a'] }] }),
    ],
  };
  const expand = createValueSetExpander(createProfileRegistry([pkg]), undefined);
  const codes = (url: string) => {
    const e = expand(url);
    return e.ok ? [...(e.codes.get('http://x/cs') ?? [])].sort() : e.reason;
  };
  const TABLE: [string, string[] | RegExp][] = [
    ['http://x/all-but-err', ['a', 'a1', 'a2', 'b']],
    ['http://x/under-a', ['a1', 'a2']],
    ['http://x/nested', ['a1', 'a2']],
    [
      'http://x/loinc',
      /LOINC \(http:\/\/loinc\.org\) is not shipped in a package \(licensed or large\): a terminology server/,
    ],
    ['http://x/regex', /a filter \(code regex\) on http:\/\/x\/cs needs a terminology server/],
    ['http://x/missing', /the value set http:\/\/x\/missing is not in a loaded package/],
  ];
  for (const [url, expected] of TABLE) {
    it(`${url}`, () => {
      const got = codes(url);
      if (expected instanceof RegExp) expect(got).toMatch(expected);
      else expect(got).toEqual(expected);
    });
  }
});
