/**
 * Each layer with positive and negative tables: a defect gives exactly the issues
 * listed (rule and location), a clean variant gives none, and switching the layer off silences it.
 * Plus properties: the validator never throws on any JSON value, and messages never carry values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { FHIR_LAYERS, FHIR_RULES, type FhirLayer } from './rules.ts';
import { createFhirSession, type FhirSession } from './validator.ts';

const all = await createFhirSession(generatedModules);
const without = new Map<FhirLayer, FhirSession>();
for (const layer of FHIR_LAYERS) {
  without.set(
    layer,
    await createFhirSession(generatedModules, { layers: FHIR_LAYERS.filter((l) => l !== layer) }),
  );
}

const patient = (more: Record<string, unknown> = {}) => ({ resourceType: 'Patient', id: 'p1', ...more });
const observation = (more: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'weight' },
  ...more,
});

interface Row {
  description: string;
  layer: FhirLayer;
  resource: unknown;
  /** `rule @ location` of every issue expected (exactly these) */
  expected: string[];
}

const BAD: Row[] = [
  {
    description: 'unknown element',
    layer: 'structure',
    resource: patient({ nickname: 'x' }),
    expected: ['fhir-unknown-element @ Patient.nickname'],
  },
  {
    description: 'one value where a list is expected',
    layer: 'structure',
    resource: patient({ name: { family: 'A' } }),
    expected: ['fhir-wrong-type @ Patient.name'],
  },
  {
    description: 'a list inside a list of extensions',
    layer: 'structure',
    resource: patient({ extension: [[]] }),
    expected: ['fhir-wrong-type @ Patient.extension[0]'],
  },
  {
    description: 'a list inside a list of names',
    layer: 'structure',
    resource: patient({ name: [[{ family: 'A' }]] }),
    expected: ['fhir-wrong-type @ Patient.name[0]'],
  },
  {
    description: 'a list where one complex value is expected',
    layer: 'structure',
    resource: observation({ code: [{ text: 'weight' }] }),
    expected: ['fhir-wrong-type @ Observation.code'],
  },
  {
    description: 'number for a string, deep in a list',
    layer: 'structure',
    resource: patient({ name: [{ family: 'A' }, { family: 2 }] }),
    expected: ['fhir-wrong-type @ Patient.name[1].family'],
  },
  {
    description: 'code outside the fixed list',
    layer: 'structure',
    resource: patient({ gender: 'M' }),
    expected: ['fhir-value-not-allowed @ Patient.gender'],
  },
  {
    description: 'id with an underscore',
    layer: 'structure',
    resource: patient({ id: 'bad_id' }),
    expected: ['fhir-invalid-format @ Patient.id'],
  },
  {
    description: 'dateTime with a time but no zone',
    layer: 'structure',
    resource: observation({ effectiveDateTime: '2023-01-01T10:00:00' }),
    expected: ['fhir-invalid-format @ Observation.effectiveDateTime'],
  },
  {
    description: 'not a resource type',
    layer: 'structure',
    resource: { resourceType: 'Patients' },
    expected: ['fhir-unknown-resource-type @ resource.resourceType'],
  },
  {
    description: '1..1 primitive missing',
    layer: 'cardinality',
    resource: { resourceType: 'Observation', code: { text: 'x' } },
    expected: ['fhir-required @ Observation.status'],
  },
  {
    description: 'required choice missing',
    layer: 'cardinality',
    resource: {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/1' },
    },
    expected: ['fhir-required @ MedicationRequest.medication[x]'],
  },
  {
    description: 'Extension without url',
    layer: 'cardinality',
    resource: patient({ extension: [{ valueString: 'x' }] }),
    expected: ['fhir-required @ Patient.extension[0].url'],
  },
  {
    description: 'impossible date',
    layer: 'values',
    resource: patient({ birthDate: '2023-02-30' }),
    expected: ['fhir-impossible-date @ Patient.birthDate'],
  },
  {
    description: 'positiveInt 0',
    layer: 'values',
    resource: patient({ multipleBirthInteger: 1.5 }),
    expected: ['fhir-number-range @ Patient.multipleBirthInteger'],
  },
  {
    description: 'empty string',
    layer: 'values',
    resource: patient({ name: [{ family: '' }] }),
    expected: ['fhir-empty @ Patient.name[0].family'],
  },
  {
    description: 'empty list',
    layer: 'values',
    resource: patient({ name: [] }),
    expected: ['fhir-empty @ Patient.name'],
  },
  {
    description: 'empty object',
    layer: 'values',
    resource: patient({ maritalStatus: {} }),
    expected: ['fhir-empty @ Patient.maritalStatus'],
  },
  {
    description: 'two choice values',
    layer: 'values',
    resource: observation({ valueString: 'a', valueBoolean: true }),
    expected: ['fhir-two-choice-values @ Observation.value[x]'],
  },
  {
    description: 'invalid base64',
    layer: 'values',
    resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'a%b=' },
    expected: ['fhir-invalid-base64 @ Binary.data'],
  },
  {
    description: 'attachment size mismatch',
    layer: 'values',
    resource: patient({ photo: [{ contentType: 'text/plain', data: 'aGVsbG8=', size: 6 }] }),
    expected: ['fhir-attachment-size @ Patient.photo[0].size'],
  },
  {
    description: 'HTML entity in narrative',
    layer: 'values',
    resource: patient({
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">&nbsp;</div>' },
    }),
    expected: ['fhir-invalid-xhtml @ Patient.text.div'],
  },
  {
    description: 'extension URL with a version',
    layer: 'extensions',
    resource: patient({
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/patient-congregation|4.0.0', valueString: 'x' },
      ],
    }),
    expected: ['fhir-extension-url @ Patient.extension[0].url'],
  },
  {
    description: 'unknown extension outside the specification',
    layer: 'extensions',
    resource: patient({ extension: [{ url: 'http://clinic.test/fhir/ext/x', valueString: 'a' }] }),
    expected: ['fhir-unknown-extension @ Patient.extension[0]'],
  },
  {
    description: 'extension value of the wrong type',
    layer: 'extensions',
    resource: patient({
      birthDate: '2000-01-01',
      _birthDate: {
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueString: 'noon' },
        ],
      },
    }),
    expected: ['fhir-extension-value-type @ Patient.birthDate.extension[0].valueString'],
  },
  {
    description: 'extension in the wrong place',
    layer: 'extensions',
    resource: patient({
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/humanname-mothers-family', valueString: 'a' },
      ],
    }),
    expected: ['fhir-extension-context @ Patient.extension[0]'],
  },
  {
    description: 'period end before start (per-1)',
    layer: 'invariants',
    resource: {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      period: { start: '2023-06-02', end: '2023-06-01' },
    },
    expected: ['fhir-invariant @ Encounter.period'],
  },
  {
    description: 'resource invariant (ras-2)',
    layer: 'invariants',
    resource: {
      resourceType: 'RiskAssessment',
      status: 'final',
      subject: { reference: 'Patient/1' },
      prediction: [{ probabilityDecimal: 101 }],
    },
    expected: ['fhir-invariant @ RiskAssessment.prediction[0]'],
  },
  {
    description: 'code outside a required value set (CodeableConcept)',
    layer: 'bindings',
    resource: {
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }],
      },
    },
    expected: ['fhir-code-not-in-value-set @ Condition.clinicalStatus'],
  },
  {
    description: 'a code outside the fixed list, deep in a backbone element',
    layer: 'structure',
    resource: {
      resourceType: 'Patient',
      communication: [{ language: { text: 'x' } }],
      link: [{ other: { reference: 'Patient/2' }, type: 'seealso' }],
      contact: [{ name: { family: 'A' }, gender: 'f' }],
    },
    expected: ['fhir-value-not-allowed @ Patient.contact[0].gender'],
  },
  {
    description: 'reference to a type not allowed',
    layer: 'references',
    resource: observation({ subject: { reference: 'Medication/1' } }),
    expected: ['fhir-reference-type @ Observation.subject.reference'],
  },
  {
    description: 'a narrative link to a name nothing in the resource defines',
    layer: 'references',
    resource: patient({
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><a name="top"/><a href="#nowhere">Details</a></div>',
      },
    }),
    expected: ['fhir-narrative-link @ Patient.text.div'],
  },
  {
    description: 'local reference with no contained resource',
    layer: 'references',
    resource: observation({ performer: [{ reference: '#who' }] }),
    expected: ['fhir-reference-local @ Observation.performer[0].reference'],
  },
  {
    description: 'relative fullUrl',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'Patient/1', resource: patient() }],
    },
    expected: ['fhir-bundle-full-url @ Bundle.entry[0].fullUrl'],
  },
  {
    description: 'transaction entry without request',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', resource: patient() }],
    },
    expected: ['fhir-bundle-request @ Bundle.entry[0].request'],
  },
  {
    description: 'ambiguous reference in a Bundle',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: observation({ subject: { reference: 'Patient/p1' } }),
        },
        { fullUrl: 'urn:uuid:1c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', resource: patient() },
        { fullUrl: 'urn:uuid:2c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', resource: patient() },
      ],
    },
    expected: ['fhir-reference-ambiguous @ Bundle.entry[0].resource.subject.reference'],
  },
  {
    description: 'a link relation twice',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [
        { relation: 'self', url: 'http://x.test/Patient' },
        { relation: 'self', url: 'http://x.test/Patient?p=2' },
      ],
    },
    expected: ['fhir-bundle-link @ Bundle.link[1].relation'],
  },
  {
    description: 'a version no entry has',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://x.test/Patient/p1', resource: patient({ meta: { versionId: '1' } }) },
        {
          fullUrl: 'http://x.test/Observation/o1',
          resource: observation({ id: 'o1', subject: { reference: 'Patient/p1/_history/2' } }),
        },
      ],
    },
    expected: ['fhir-reference-unresolved @ Bundle.entry[1].resource.subject.reference'],
  },
  {
    description: 'the same fullUrl twice, same version (bdl-7)',
    layer: 'references',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://x.test/Patient/p1', resource: patient() },
        { fullUrl: 'http://x.test/Patient/p1', resource: patient() },
      ],
    },
    expected: ['fhir-bundle-full-url @ Bundle.entry[1].fullUrl'],
  },
  {
    description: 'an error inside a Bundle entry keeps its own location',
    layer: 'structure',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: observation({ status: 'done' }),
        },
      ],
    },
    expected: ['fhir-value-not-allowed @ Bundle.entry[0].resource.status'],
  },
];

const GOOD: { description: string; resource: unknown }[] = [
  { description: 'a minimal Patient', resource: patient() },
  {
    description: 'narrative links to an anchor, an element id and a contained resource as Type_id',
    resource: patient({
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml"><p id="top">A</p><a href="#top">up</a> <a href="#n1">name</a> <a href="#Organization_o1">clinic</a></div>',
      },
      contained: [{ resourceType: 'Organization', id: 'o1', name: 'Clinic' }],
      name: [{ id: 'n1', family: 'A' }],
      managingOrganization: { reference: '#o1' },
    }),
  },
  { description: 'a resource of only its type (empty Parameters)', resource: { resourceType: 'Parameters' } },
  {
    description: 'a 1..1 primitive given only as _status with an extension',
    resource: {
      resourceType: 'Observation',
      code: { text: 'x' },
      _status: {
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
        ],
      },
    },
  },
  {
    description: 'nulls keeping a primitive list and its extensions aligned',
    resource: patient({
      name: [
        {
          given: ['Jim', null],
          _given: [
            null,
            {
              extension: [
                { url: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier', valueCode: 'CL' },
              ],
            },
          ],
        },
      ],
    }),
  },
  {
    description: 'a no-break space inside text (Java counts only ASCII whitespace)',
    resource: patient({ name: [{ family: 'van\u00a0Dijk' }] }),
  },
  {
    description: 'an extension on a canonical (the R4 schema forgot _profile)',
    resource: patient({
      meta: {
        profile: ['http://example.org/StructureDefinition/p'],
        _profile: [
          { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/display', valueString: 'a' }] },
        ],
      },
    }),
  },
  { description: 'leap day', resource: patient({ birthDate: '2024-02-29' }) },
  { description: 'partial dates', resource: patient({ birthDate: '1970-01' }) },
  {
    description: 'base64 with line breaks (R4 allows them)',
    resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs\nbG8=' },
  },
  {
    description: 'a matching attachment size',
    resource: patient({ photo: [{ contentType: 'text/plain', data: 'aGVsbG8=', size: 5 }] }),
  },
  {
    description: 'a reference to an allowed type',
    resource: observation({ subject: { reference: 'Patient/1' } }),
  },
  {
    description: 'a display-only reference (no ref-1 false alarm)',
    resource: observation({ performer: [{ display: 'Dr A' }] }),
  },
  {
    description: 'a local reference to a contained resource',
    resource: observation({
      contained: [{ resourceType: 'Practitioner', id: 'who' }],
      performer: [{ reference: '#who' }],
    }),
  },
  {
    description: 'an extension defined by the specification',
    resource: patient({
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'A' } },
      ],
    }),
  },
  {
    description: 'a known extension in its context',
    resource: patient({
      name: [
        {
          family: 'A',
          _family: {
            extension: [
              { url: 'http://hl7.org/fhir/StructureDefinition/humanname-own-name', valueString: 'A' },
            ],
          },
        },
      ],
    }),
  },
  {
    description: 'a period of one precision in order',
    resource: {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      period: { start: '2023-06-01T08:00:00Z', end: '2023-06-01T09:00:00+01:00' },
    },
  },
  {
    description: 'a transaction with requests and urn:uuid references',
    resource: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: patient(),
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:1c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: observation({ subject: { reference: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0' } }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    },
  },
];

const summary = (issues: { rule: string; location: string }[]) =>
  issues.map((i) => `${i.rule} @ ${i.location}`);

describe('FHIR layers: each defect gives exactly its issue', () => {
  it.each(BAD)('$layer: $description', async ({ resource, expected, layer }) => {
    expect(summary((await all.validate(resource)).issues)).toEqual(expected);
    const off = without.get(layer) as FhirSession;
    const silenced = summary((await off.validate(resource)).issues).filter((s) => expected.includes(s));
    expect(silenced, `switching ${layer} off silences it`).toEqual([]);
  });

  it.each(GOOD)('no issue: $description', async ({ resource }) => {
    // a claimed profile no package defines is not checked (exportFindings.test.ts), not a defect
    const issues = (await all.validate(resource)).issues.filter(
      (i) => i.severity !== 'information' && i.rule !== 'fhir-profile-claim-not-checked',
    );
    expect(summary(issues)).toEqual([]);
  });

  it('every rule of the table belongs to a layer and is exercised by a row or the suite', () => {
    for (const rule of FHIR_RULES) expect(FHIR_LAYERS).toContain(rule.layer);
    const covered = new Set(BAD.flatMap((row) => row.expected.map((e) => e.split(' @ ')[0])));
    const elsewhere = new Set([
      'fhir-json-syntax',
      'fhir-json-not-resource',
      'fhir-too-deep',
      // run.test.ts
      'fhir-not-text',
      'fhir-not-utf8',
      // jsonLimits.test.ts
      'fhir-json-too-long',
      'fhir-too-long',
      'fhir-reference-not-in-export',
      'fhir-required',
      'fhir-code-not-in-value-set',
      // exportFindings.test.ts
      'fhir-reference-conditional',
      'fhir-profile-claim-not-checked',
      // baseEdgeCases.test.ts
      'fhir-unknown-modifier-extension',
      // unknownExtensions.test.ts
      'fhir-extension-other-version',
      'fhir-primitive-list-length',
      // needs a package that ships a code system whole: src/core/fhirProfiles/terminology.test.ts
      'fhir-code-unknown',
      // codings.test.ts
      'fhir-code-not-in-value-set-extensible',
      'fhir-code-not-in-value-set-preferred',
      'fhir-code-display-wrong',
      'fhir-unit-unknown',
      // src/core/fhirProfiles/txBindings.test.ts (HL7's terminology suite on resources, with packages)
      'fhir-code-system-invalid',
      'fhir-code-review',
      // questionnaireResponse.test.ts
      'fhir-questionnaire-answer',
      'fhir-questionnaire-not-checked',
      // discriminatorPaths.test.ts
      'fhir-definition-discriminator',
      // noCode.test.ts
      'fhir-code-missing',
      'fhir-code-missing-extensible',
      // searchParameters.test.ts
      'fhir-search-parameter-mismatch',
      'fhir-search-parameter-not-checked',
      // differentialPaths.test.ts
      'fhir-definition-path',
      // measureReport.test.ts
      'fhir-measure-report',
      'fhir-measure-report-not-checked',
      // src/core/fhirProfiles/oneBindingCheck.test.ts (a value set the terminology cannot find)
      'fhir-code-binding-not-checked',
    ]);
    // the profile rules need loaded packages: src/core/fhirProfiles/check.test.ts exercises each
    const missing = FHIR_RULES.map((r) => r.id).filter(
      (id) => !covered.has(id) && !elsewhere.has(id) && !id.startsWith('fhir-profile-'),
    );
    expect(missing).toEqual([]);
  });
});

describe('FHIR validator properties', () => {
  const elementNames = [
    'name',
    'gender',
    'birthDate',
    'telecom',
    'address',
    'active',
    'extension',
    'contact',
    'unknownThing',
    '_birthDate',
  ];
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.string().map((s) => `VAL_${s}`),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    ),
    node: fc.oneof(
      { depthSize: 'small' },
      tie('leaf'),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...elementNames), tie('node'), { maxKeys: 4 }),
    ),
  })).node;

  it('never throws, and no message holds a value of the resource', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...elementNames), value, { maxKeys: 6 }),
        async (fields) => {
          const result = await all.validate({ resourceType: 'Patient', ...fields });
          for (const issue of result.issues) expect(issue.message).not.toContain('VAL_');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts any JSON value at the top without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (json) => {
        const result = await all.validate(json);
        expect(Array.isArray(result.issues)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
