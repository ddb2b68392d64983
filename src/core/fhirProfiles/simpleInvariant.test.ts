/**
 * Simple profile invariants answered on the JSON agree with FHIRPath.js (the engine they stand in
 * for) on every expression and value below, including the empty results, the choices, `ofType()`
 * and `is`; expressions of another kind do not compile here, so FHIRPath answers them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FhirDigest, type FhirPathEngine, generatedModules, loadFhirPathEngine } from '../fhir/index.ts';
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
];

describe('simple invariants on the JSON', () => {
  it('agree with FHIRPath.js wherever they answer', () => {
    let answered = 0;
    for (const expression of EXPRESSIONS) {
      const simple = compileSimpleInvariant(expression, elements);
      expect(simple, expression).toBeDefined();
      for (const [base, type, node] of NODES) {
        const mine = simple?.(node, type);
        if (mine === UNKNOWN) continue;
        answered++;
        const theirs = engine.compile(base, expression)?.(node, {}) ?? [];
        const holds = theirs.length === 1 && theirs[0] === true;
        expect(mine === true, `${expression} on ${base} ${JSON.stringify(node)}`).toBe(holds);
      }
    }
    // most pairs are answered here, not handed to FHIRPath
    expect(answered).toBeGreaterThan(EXPRESSIONS.length * NODES.length * 0.8);
  });

  it('does not compile other expressions: FHIRPath answers them', () => {
    for (const expression of [
      "extension.where(url='x').exists()",
      "value.matches('^[0-9]{10}$')",
      'count() > 2',
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
});
