/**
 * Base R4 edge cases, one minimal resource each, with the one finding it must give: a contained
 * target or a Bundle entry named by urn:uuid of a type the element does not allow, a logical
 * reference of such a type, an element's own invariant beside its datatype's (ras-1), contained
 * resources with a version or a security label (dom-4, dom-5; one with narrative is valid: R4
 * has no dom-1), an
 * unknown modifier extension (an error whatever the unknown-extension setting), a `_name` list
 * longer than its values, elements holding only an id (ele-1), and a required binding inside a
 * specification extension (data-absent-reason). Each has its valid twin, which gives nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFhirSession, type FhirSession, generatedModules } from './index.ts';

type Json = Record<string, unknown>;

let session: FhirSession;
let lenient: FhirSession;

beforeAll(async () => {
  session = await createFhirSession(generatedModules);
  lenient = await createFhirSession(generatedModules, { unknownExtensions: 'warning' });
});

const observation = (extra: Json): Json => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'pulse' },
  ...extra,
});
const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const NARRATIVE = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' };

interface Case {
  description: string;
  resource: Json;
  /** the same resource made valid */
  valid: Json;
  expected: { severity: string; rule: string; location: string };
}

const PRACTITIONER_URN = 'urn:uuid:6f1c0a52-1d8e-4a43-9a55-0a7bb8d9c001';
const PATIENT_URN = 'urn:uuid:6f1c0a52-1d8e-4a43-9a55-0a7bb8d9c003';
/** A collection Bundle whose observation's subject is the entry at `subject` (a urn:uuid). */
const bundleWithSubject = (subject: string): Json => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: PRACTITIONER_URN, resource: { resourceType: 'Practitioner', active: true } },
    { fullUrl: PATIENT_URN, resource: { resourceType: 'Patient', active: true } },
    {
      fullUrl: 'urn:uuid:6f1c0a52-1d8e-4a43-9a55-0a7bb8d9c002',
      resource: observation({ subject: { reference: subject } }),
    },
  ],
});

const CASES: Case[] = [
  {
    description: 'a urn:uuid reference to a Bundle entry of a type the element does not allow',
    resource: bundleWithSubject(PRACTITIONER_URN),
    valid: bundleWithSubject(PATIENT_URN),
    expected: {
      severity: 'error',
      rule: 'fhir-reference-type',
      location: 'Bundle.entry[2].resource.subject.reference',
    },
  },
  {
    description: 'a local reference to a contained resource of a type the element does not allow',
    resource: observation({
      contained: [{ resourceType: 'Practitioner', id: 'p1' }],
      subject: { reference: '#p1' },
    }),
    valid: observation({ contained: [{ resourceType: 'Patient', id: 'p1' }], subject: { reference: '#p1' } }),
    expected: { severity: 'error', rule: 'fhir-reference-type', location: 'Observation.subject.reference' },
  },
  {
    description: 'a logical reference whose type the element does not allow',
    resource: observation({ subject: { type: 'Practitioner', identifier: { system: 'urn:x', value: '1' } } }),
    valid: observation({ subject: { type: 'Patient', identifier: { system: 'urn:x', value: '1' } } }),
    expected: { severity: 'error', rule: 'fhir-reference-type', location: 'Observation.subject.type' },
  },
  {
    description: 'an invariant of an element whose datatype has its own (ras-1 on a Range)',
    resource: {
      resourceType: 'RiskAssessment',
      status: 'final',
      subject: { display: 'Ann' },
      prediction: [
        { probabilityRange: { low: { value: 5, system: 'http://unitsofmeasure.org', code: 'kg' } } },
      ],
    },
    valid: {
      resourceType: 'RiskAssessment',
      status: 'final',
      subject: { display: 'Ann' },
      prediction: [
        { probabilityRange: { low: { value: 5, system: 'http://unitsofmeasure.org', code: '%' } } },
      ],
    },
    expected: {
      severity: 'error',
      rule: 'fhir-invariant',
      location: 'RiskAssessment.prediction[0].probabilityRange',
    },
  },
  {
    description: 'a contained resource with a version (dom-4)',
    resource: observation({
      contained: [{ resourceType: 'Patient', id: 'p1', meta: { versionId: '2' } }],
      subject: { reference: '#p1' },
    }),
    valid: observation({ contained: [{ resourceType: 'Patient', id: 'p1' }], subject: { reference: '#p1' } }),
    expected: { severity: 'error', rule: 'fhir-invariant', location: 'Observation' },
  },
  {
    description: 'a contained resource with a security label (dom-5)',
    resource: observation({
      contained: [
        {
          resourceType: 'Patient',
          id: 'p1',
          meta: {
            security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
          },
        },
      ],
      subject: { reference: '#p1' },
    }),
    valid: observation({ contained: [{ resourceType: 'Patient', id: 'p1' }], subject: { reference: '#p1' } }),
    expected: { severity: 'error', rule: 'fhir-invariant', location: 'Observation' },
  },
  {
    description: 'an unknown modifier extension',
    resource: {
      resourceType: 'Patient',
      modifierExtension: [{ url: 'http://unknown.test/x', valueBoolean: true }],
    },
    valid: { resourceType: 'Patient', active: true },
    expected: {
      severity: 'error',
      rule: 'fhir-unknown-modifier-extension',
      location: 'Patient.modifierExtension[0]',
    },
  },
  {
    description: 'a _given list longer than given',
    resource: {
      resourceType: 'Patient',
      name: [{ given: ['Ann'], _given: [null, { extension: [{ url: DAR, valueCode: 'unknown' }] }] }],
    },
    valid: {
      resourceType: 'Patient',
      name: [{ given: ['Ann', null], _given: [null, { extension: [{ url: DAR, valueCode: 'unknown' }] }] }],
    },
    expected: { severity: 'error', rule: 'fhir-primitive-list-length', location: 'Patient.name[0].given' },
  },
  {
    description: 'a complex element holding only an id (ele-1)',
    resource: { resourceType: 'Patient', name: [{ id: 'n1' }] },
    valid: { resourceType: 'Patient', name: [{ id: 'n1', family: 'Lee' }] },
    expected: { severity: 'error', rule: 'fhir-empty', location: 'Patient.name[0]' },
  },
  {
    description: 'a primitive holding only an id and no value (ele-1)',
    resource: { resourceType: 'Patient', _birthDate: { id: 'b1' } },
    valid: { resourceType: 'Patient', birthDate: '2000-01-01', _birthDate: { id: 'b1' } },
    expected: { severity: 'error', rule: 'fhir-empty', location: 'Patient.birthDate' },
  },
  {
    description: 'a code outside the required binding of data-absent-reason',
    resource: { resourceType: 'Patient', _birthDate: { extension: [{ url: DAR, valueCode: 'forgotten' }] } },
    valid: { resourceType: 'Patient', _birthDate: { extension: [{ url: DAR, valueCode: 'unknown' }] } },
    expected: {
      severity: 'error',
      rule: 'fhir-code-not-in-value-set',
      location: 'Patient.birthDate.extension[0].valueCode',
    },
  },
];

const shape = (i: { severity: string; rule: string; location: string }) => ({
  severity: i.severity,
  rule: i.rule,
  location: i.location,
});

describe('base R4 edge cases', () => {
  it.each(CASES)('$description: one finding; its valid twin none', async ({ resource, valid, expected }) => {
    expect((await session.validate(resource)).issues.map(shape)).toEqual([expected]);
    expect((await session.validate(valid)).issues.map(shape)).toEqual([]);
  });

  it('accepts a contained resource with narrative: R4 has no dom-1 (STU3 had)', async () => {
    const withText = observation({
      contained: [{ resourceType: 'Patient', id: 'p1', text: NARRATIVE }],
      subject: { reference: '#p1' },
    });
    expect((await session.validate(withText)).issues.map(shape)).toEqual([]);
  });

  it('keeps an unknown modifier extension an error when unknown extensions are warnings', async () => {
    const patient = {
      resourceType: 'Patient',
      modifierExtension: [{ url: 'http://unknown.test/x', valueBoolean: true }],
    };
    const plain = {
      resourceType: 'Patient',
      extension: [{ url: 'http://unknown.test/x', valueBoolean: true }],
    };
    expect((await lenient.validate(patient)).issues.map((i) => [i.severity, i.rule])).toEqual([
      ['error', 'fhir-unknown-modifier-extension'],
    ]);
    expect((await lenient.validate(plain)).issues.map((i) => [i.severity, i.rule])).toEqual([
      ['warning', 'fhir-unknown-extension'],
    ]);
  });
});
