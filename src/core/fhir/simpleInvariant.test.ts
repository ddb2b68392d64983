/**
 * Simple invariants answered on the JSON agree with FHIRPath.js (the engine they stand in for) on
 * every expression and value below, including the empty results, the choices, `ofType()`,
 * `where()`, number comparisons and `is`; expressions of another kind do not compile here, so
 * FHIRPath answers them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirDigest } from './digest.ts';
import { generatedModules, loadFhirPathEngine } from './generatedModules.ts';
import type { FhirPathEngine } from './invariants.ts';
import { compileSimpleInvariant, type TypeElements, UNKNOWN } from './simpleInvariant.ts';

let digest: FhirDigest;
let engine: FhirPathEngine;
let elements: TypeElements;
beforeAll(async () => {
  digest = await generatedModules.digest();
  engine = await loadFhirPathEngine();
  elements = (type) => digest.types[type]?.elements;
});

const UCUM = 'http://unitsofmeasure.org';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
/** [FHIRPath base path, the digest's type, the value] */
const NODES: [string, string, unknown][] = [
  ['Observation', 'Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' } }],
  [
    'Observation',
    'Observation',
    { resourceType: 'Observation', status: 'final', valueQuantity: { value: 1, system: UCUM, code: 'mg' } },
  ],
  [
    'Observation',
    'Observation',
    { resourceType: 'Observation', status: 'preliminary', valueQuantity: { value: 1, system: 'urn:x' } },
  ],
  [
    'Observation',
    'Observation',
    {
      resourceType: 'Observation',
      status: 'final',
      valueString: 'high',
      hasMember: [{ reference: 'Observation/1' }],
    },
  ],
  [
    'Observation',
    'Observation',
    {
      resourceType: 'Observation',
      _status: { extension: [{ url: 'urn:x', valueString: 'y' }] },
      dataAbsentReason: { text: 'x' },
    },
  ],
  [
    'Observation',
    'Observation',
    {
      resourceType: 'Observation',
      status: 'final',
      component: [{ code: { text: 'a' } }],
      effectiveDateTime: '2020',
    },
  ],
  ['Observation.valueQuantity', 'Quantity', { value: 1, system: UCUM, code: 'mg' }],
  [
    'Observation.valueCodeableConcept',
    'CodeableConcept',
    { coding: [{ system: 'http://snomed.info/sct', code: '1' }] },
  ],
  ['Observation.effectiveDateTime', 'dateTime', '1999-07'],
  ['Observation.effectiveDateTime', 'dateTime', '1999-07-02'],
  ['Observation.effectiveInstant', 'instant', '1999-07-02T10:00:00Z'],
  ['Observation.effectivePeriod', 'Period', { start: '1999' }],
  [
    'PractitionerRole',
    'PractitionerRole',
    { resourceType: 'PractitionerRole', telecom: [{ system: 'phone', value: '1' }] },
  ],
  ['PractitionerRole', 'PractitionerRole', { resourceType: 'PractitionerRole', active: false }],
  ['Patient.name', 'HumanName', { family: 'Lee' }],
  ['Patient.name', 'HumanName', { text: 'Lee' }],
  ['Patient.contact', 'Patient.contact', { name: { family: 'Lee' } }],
  [
    'Patient.name',
    'HumanName',
    {
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
      ],
    },
  ],
  [
    'Patient.name',
    'HumanName',
    {
      given: ['Ann'],
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
      ],
    },
  ],
  ['Patient.name', 'HumanName', { _family: { extension: [{ url: 'urn:x', valueString: 'y' }] } }],
  ['Condition', 'Condition', { resourceType: 'Condition', subject: { reference: 'Patient/1' } }],
  ['Condition', 'Condition', { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'active' }] } }],
  [
    'Condition',
    'Condition',
    {
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] },
      verificationStatus: { coding: [{ system: VER_STATUS, code: 'confirmed' }] },
      abatementDateTime: '2020',
    },
  ],
  [
    'Condition',
    'Condition',
    {
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: CLINICAL, code: 'resolved' }] },
      verificationStatus: {
        coding: [
          { system: 'urn:other', code: 'x' },
          { system: VER_STATUS, code: 'entered-in-error' },
        ],
      },
      abatementString: 'long ago',
    },
  ],
  [
    'Condition',
    'Condition',
    {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [
          { system: CLINICAL, code: 'remission' },
          { system: CLINICAL, code: 'inactive' },
        ],
      },
      verificationStatus: { coding: [{ code: 'entered-in-error' }] },
    },
  ],
  [
    'Condition',
    'Condition',
    {
      resourceType: 'Condition',
      verificationStatus: { coding: [{ system: VER_STATUS, code: 'entered-in-error' }] },
      abatementAge: { value: 3 },
    },
  ],
  [
    'Condition',
    'Condition',
    {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ _system: { extension: [{ url: 'urn:x', valueString: 'y' }] }, code: 'resolved' }],
      },
      abatementDateTime: '2020',
    },
  ],
  ['Timing.repeat', 'Timing.repeat', { period: 1, periodUnit: 'd' }],
  ['Timing.repeat', 'Timing.repeat', { period: 0 }],
  ['Timing.repeat', 'Timing.repeat', { period: -0.5, periodUnit: 'h' }],
  ['Timing.repeat', 'Timing.repeat', { _period: { extension: [{ url: 'urn:x', valueString: 'y' }] } }],
  ['Timing.repeat', 'Timing.repeat', { frequency: 2, count: 3, countMax: 5 }],
  ['Timing.repeat', 'Timing.repeat', { duration: 10.5, durationUnit: 'min', offset: 30 }],
  ['Coverage', 'Coverage', { resourceType: 'Coverage', subscriberId: 'A1' }],
  [
    'Coverage',
    'Coverage',
    {
      resourceType: 'Coverage',
      identifier: [
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MB' }] } },
      ],
    },
  ],
  ['Goal.target', 'Goal.target', { measure: { text: 'x' }, detailQuantity: { value: 1 } }],
  ['Goal.target', 'Goal.target', { measure: { text: 'x' } }],
  [
    'Observation',
    'Observation',
    {
      resourceType: 'Observation',
      status: 'final',
      contained: [{ resourceType: 'Patient', meta: { versionId: '1' } }],
      component: [{ code: { text: 'a' } }, { code: { text: 'b' } }],
    },
  ],
  [
    'Observation',
    'Observation',
    {
      resourceType: 'Observation',
      status: 'amended',
      contained: [{ resourceType: 'Patient', contained: [{ resourceType: 'Patient' }] }],
      valueQuantity: { value: 1, code: 'MG' },
    },
  ],
  ['Observation', 'Observation', { resourceType: 'Observation', contained: [{ resourceType: 'Patient' }] }],
  ['Patient.name', 'HumanName', { family: 'Lee\nLi' }],
  ['PractitionerRole', 'PractitionerRole', { resourceType: 'PractitionerRole', active: true }],
  [
    'PractitionerRole',
    'PractitionerRole',
    {
      resourceType: 'PractitionerRole',
      telecom: [{ value: '1' }, { value: '2' }],
      identifier: [{ value: 'a' }],
    },
  ],
];

const EXPRESSIONS = [
  '(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())',
  "value.ofType(Quantity).system.empty() or value.ofType(Quantity).system = 'http://unitsofmeasure.org'",
  "value.ofType(CodeableConcept).coding.system.empty() or value.ofType(CodeableConcept).coding.system = 'http://snomed.info/sct'",
  "(status='partial' or status='preliminary' or status='final') implies effective.exists()",
  "status != 'final' xor value.exists()",
  'status.hasValue()',
  'telecom or endpoint',
  'active',
  'active.not()',
  '(family.exists() or given.exists()).not()',
  'name.family.exists() and gender.empty()',
  '$this is DateTime implies $this.toString().length() >= 10',
  '$this is dateTime implies $this.toString().length() >= 10',
  'start.exists() implies start.toString().length() > 4',
  // base R4: con-4, con-5, ait-2's shape, tim-4, tim-5, tim-8, gol-1
  "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
  "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code='entered-in-error').empty() or clinicalStatus.empty()",
  "verificationStatus.coding.where(system = 'http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or clinicalStatus.exists()",
  'duration.exists() implies duration >= 0',
  'period.exists() implies period >= 0',
  'countMax.empty() or count.exists()',
  'count > 2',
  'count <= 3 and frequency < 2',
  '(detail.exists() and measure.exists()) or detail.exists().not()',
  // US Core: us-core-18, the Coverage and Immunization invariants
  "(family.exists() or given.exists()) xor extension.where(url='http://hl7.org/fhir/StructureDefinition/data-absent-reason').exists()",
  "identifier.type.coding.where(system='http://terminology.hl7.org/CodeSystem/v2-0203' and code='MB').exists() or subscriberId.exists()",
  "clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical').empty()",
  "clinicalStatus.coding.where(code='resolved').where(system.exists()).exists()",
  "clinicalStatus.coding.where(code='resolved').not()",
  // matches(), count(), trace(), %ucum, a boolean literal, contained resources typed
  "value.ofType(Quantity).code.matches('^[a-z]+$')",
  "name.family.matches('^L')",
  "status.matches('^(final|preliminary)$').not()",
  '(identifier.count() + name.count()) > 0',
  'telecom.count() > 1 implies endpoint.exists()',
  'component.count() <= 1',
  "status.trace('status')='final' implies value.trace('value').exists()",
  'value.ofType(Quantity).code.exists() implies ((value.ofType(Quantity).system = %ucum) and value.ofType(Quantity).value.exists())',
  'active=true or telecom.exists()',
  'active != false',
  'contained.meta.versionId.empty() and contained.contained.empty()',
];

describe('simple invariants on the JSON', () => {
  it('agree with FHIRPath.js wherever they answer', () => {
    let answered = 0;
    for (const expression of EXPRESSIONS) {
      const simple = compileSimpleInvariant(expression, elements);
      expect(simple, expression).toBeDefined();
      let answeredHere = 0;
      for (const [base, type, node] of NODES) {
        const mine = simple?.(node, type);
        if (mine === UNKNOWN) continue;
        answered++;
        if (mine !== undefined) answeredHere++;
        const theirs = engine.compile(base, expression)?.(node, {}) ?? [];
        const holds = theirs.length === 1 && theirs[0] === true;
        expect(mine === true, `${expression} on ${base} ${JSON.stringify(node)}`).toBe(holds);
      }
      // each expression is answered true or false somewhere: none is left to FHIRPath everywhere
      expect(answeredHere, expression).toBeGreaterThan(0);
    }
    // most pairs are answered here, not handed to FHIRPath
    expect(answered).toBeGreaterThan(EXPRESSIONS.length * NODES.length * 0.6);
  });

  it('agree with FHIRPath.js on every base invariant of their kind, on nodes holding one element each', () => {
    const NUMBERS = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt']);
    let compared = 0;
    for (const [owner, invariants] of Object.entries(digest.invariants)) {
      for (const invariant of invariants) {
        const simple = compileSimpleInvariant(invariant.expression, elements);
        const typeElements = elements(invariant.path);
        if (!simple || !typeElements) continue;
        const run = engine.compile(invariant.path, invariant.expression);
        const resourceType =
          invariant.path === owner && digest.resourceTypes.includes(owner) ? owner : undefined;
        const nodes: Record<string, unknown>[] = [{ ...(resourceType ? { resourceType } : {}), id: 'x' }];
        for (const [name, { type }] of Object.entries(typeElements)) {
          const values: unknown[] =
            type === 'boolean'
              ? [true, false]
              : NUMBERS.has(type)
                ? [1, 0, -1]
                : digest.types[type]?.kind === 'primitive' || /^[a-z]/.test(type)
                  ? ['x']
                  : [{ id: 'x' }];
          for (const value of values)
            nodes.push({ ...(resourceType ? { resourceType } : {}), [name]: value });
        }
        for (const node of nodes) {
          const mine = simple(node, invariant.path);
          if (mine === UNKNOWN) continue;
          let theirs: unknown[];
          try {
            theirs = run?.(node, { resource: node, rootResource: node }) ?? [];
          } catch {
            continue; // FHIRPath.js cannot evaluate it: the layer skips it either way
          }
          const holds = theirs.length === 1 && theirs[0] === true;
          expect(mine === true, `${invariant.key} on ${JSON.stringify(node)}`).toBe(holds);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('does not compile other expressions: FHIRPath answers them', () => {
    for (const expression of [
      "value.matches('^[0-9]{10}$', 'i')",
      "value.matches('(')",
      'count() > 2',
      'telecom.count()',
      'telecom.count() + 1 > 2',
      'period >= 0.5',
      "Appointment.cancelationReason.exists() implies Appointment.status='noshow'",
      'low <= high',
      'where(code.exists())',
      'coding.where(code = %resource.code).exists()',
      'a.b.c(1)',
      "name = 'it''s'",
    ])
      expect(compileSimpleInvariant(expression, elements), expression).toBeUndefined();
  });

  it('answers a list compared with a literal, or used as a boolean, as unknown', () => {
    const node = { resourceType: 'PractitionerRole', telecom: [{ value: '1' }, { value: '2' }] };
    expect(compileSimpleInvariant('telecom or endpoint', elements)?.(node, 'PractitionerRole')).toBe(UNKNOWN);
    expect(compileSimpleInvariant("telecom.value = '1'", elements)?.(node, 'PractitionerRole')).toBe(UNKNOWN);
  });

  it('answers a number compared with a number only on a number of a numeric type', () => {
    const compare = compileSimpleInvariant('period >= 0', elements);
    expect(compare?.({ period: 2 }, 'Timing.repeat')).toBe(true);
    expect(compare?.({ period: -1 }, 'Timing.repeat')).toBe(false);
    expect(compare?.({}, 'Timing.repeat')).toBeUndefined();
    // the base layers report a string where a decimal belongs; FHIRPath answers what is left
    expect(compare?.({ period: '2' }, 'Timing.repeat')).toBe(UNKNOWN);
    expect(
      compileSimpleInvariant('value >= 0', elements)?.({ valueQuantity: { value: 1 } }, 'Extension'),
    ).toBe(UNKNOWN);
  });
});
