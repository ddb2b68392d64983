import { describe, expect, it } from 'vitest';
import type { FhirDigest } from './digest.ts';
import { listFhirTargetFields, MAX_FHIR_DEPTH, unmappedFhirRequired } from './mappingTargets.ts';

/** A digest of a few types, shaped as the build writes it (src/core/migration/fhir/build/digest.ts). */
const digest: FhirDigest = {
  fhirVersion: '4.0.1',
  resourceTypes: ['Observation'],
  types: {
    Observation: {
      kind: 'resource',
      elements: {
        id: { type: 'id' },
        extension: { type: 'Extension', max: -1 },
        contained: { type: 'Resource', max: -1 },
        status: { type: 'code' },
        code: { type: 'CodeableConcept' },
        valueQuantity: { type: 'Quantity', choice: 'value' },
        valueString: { type: 'string', choice: 'value' },
        note: { type: 'Annotation', max: -1 },
      },
      required: [
        { name: 'status', min: 1, names: ['status'], path: 'Observation.status' },
        { name: 'code', min: 1, names: ['code'], path: 'Observation.code' },
      ],
    },
    CodeableConcept: {
      kind: 'complex',
      elements: { id: { type: 'string' }, coding: { type: 'Coding', max: -1 }, text: { type: 'string' } },
      required: [],
    },
    Coding: {
      kind: 'complex',
      elements: { system: { type: 'uri' }, code: { type: 'code' }, display: { type: 'string' } },
      required: [],
    },
    Quantity: {
      kind: 'complex',
      elements: { value: { type: 'decimal' }, unit: { type: 'string' } },
      required: [],
    },
    Annotation: {
      kind: 'complex',
      elements: { text: { type: 'markdown' } },
      required: [{ name: 'text', min: 1, names: ['text'], path: 'Annotation.text' }],
    },
    code: { kind: 'primitive', elements: {}, required: [] },
  },
  valueSets: {},
  extensions: {},
  invariants: {},
};

describe('FHIR target fields for the mapping editor', () => {
  it('lists element paths with [0] on repeating elements, leaving out extensions and nested resources', () => {
    const fields = listFhirTargetFields(digest, 'Observation');
    expect(fields.map((f) => f.path)).toEqual([
      'id',
      'status',
      'code',
      'code.coding[0]',
      'code.coding[0].system',
      'code.coding[0].code',
      'code.coding[0].display',
      'code.text',
      'valueQuantity',
      'valueQuantity.value',
      'valueQuantity.unit',
      'valueString',
      'note[0]',
      'note[0].text',
    ]);
    expect(fields.find((f) => f.path === 'status')?.required).toBe(true);
    expect(fields.find((f) => f.path === 'note[0].text')?.required).toBe(true);
    expect(MAX_FHIR_DEPTH).toBeGreaterThanOrEqual(3);
  });

  it('knows no fields of a type that is not a resource', () => {
    expect(listFhirTargetFields(digest, 'Coding')).toEqual([]);
    expect(listFhirTargetFields(digest, 'Nope')).toEqual([]);
  });

  it.each([
    { description: 'nothing mapped', targets: [], expected: ['status', 'code'] },
    { description: 'code filled deep inside', targets: ['code.coding[0].code'], expected: ['status'] },
    { description: 'all filled', targets: ['status', 'code.text'], expected: [] },
  ])('names the required elements left empty: $description', ({ targets, expected }) => {
    expect(unmappedFhirRequired(digest, 'Observation', targets)).toEqual(expected);
  });
});
