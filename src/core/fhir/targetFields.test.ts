/**
 * An R4 resource type as a mapping target, from the digest: the fields offered to the mapping
 * editor, and coverage (required elements left out, targets R4 does not have there) as tables of
 * positive and negative cases; the demo mapping is fully covered.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FieldMapping, loadMapping } from '../../formats/mapping.ts';
import { generatedModules } from './generatedModules.ts';
import { checkFhirTargetCoverage, fhirResourceTypes, listFhirTargetFields } from './targetFields.ts';

const digest = await generatedModules.digest();
const to = (resourceType: string, targets: string[]) => ({
  target: { type: 'fhir' as const, resourceType },
  fields: targets.map((target): FieldMapping => ({ target, from: 'x' })),
});

describe('listFhirTargetFields', () => {
  it('offers the elements of Patient by mapping path, with type, required and allowed codes', () => {
    const { fields, truncated } = listFhirTargetFields(digest, 'Patient');
    expect(truncated).toBe(false);
    const byPath = new Map(fields.map((f) => [f.path, f]));
    expect(byPath.get('gender')).toEqual({
      path: 'gender',
      required: false,
      type: 'code',
      description: 'code, one of: female, male, other, unknown',
    });
    for (const p of [
      'id',
      'birthDate',
      'name[].family',
      'name[].given[]',
      'identifier[].type.coding[].code',
      'contact[].name.family',
      'deceasedBoolean',
    ])
      expect(byPath.has(p), p).toBe(true);
    // never offered: extensions, contained resources, element ids below the resource
    for (const p of ['extension[]', 'contained[]', 'name[].id', 'name[].extension[]'])
      expect(byPath.has(p), p).toBe(false);
  });

  it.each([
    { type: 'Observation', required: ['status', 'code'] },
    { type: 'Encounter', required: ['status', 'class'] },
    { type: 'Patient', required: [] },
  ])('marks the required elements of $type', ({ type, required }) => {
    const top = listFhirTargetFields(digest, type).fields.filter((f) => f.required && !f.path.includes('.'));
    expect(top.map((f) => f.path)).toEqual(required);
  });

  it('stops at the depth asked, and lists nothing for a name that is not an R4 resource type', () => {
    const shallow = listFhirTargetFields(digest, 'Patient', 0).fields;
    expect(shallow.every((f) => !f.path.includes('.'))).toBe(true);
    expect(listFhirTargetFields(digest, 'Patients')).toEqual({ fields: [], truncated: false });
    expect(fhirResourceTypes(digest)).toContain('MedicationRequest');
    expect(fhirResourceTypes(digest)).toHaveLength(digest.resourceTypes.length);
  });
});

describe('checkFhirTargetCoverage', () => {
  it.each([
    {
      description: 'a complete Observation',
      type: 'Observation',
      targets: ['status', 'code.text'],
      unmapped: [],
      undeclared: [],
    },
    {
      description: 'Observation without status',
      type: 'Observation',
      targets: ['code.text', 'valueQuantity.value'],
      unmapped: ['status'],
      undeclared: [],
    },
    {
      description: 'a filled component needs its own code',
      type: 'Observation',
      targets: ['status', 'code.text', 'component[0].valueQuantity.value', 'component[1].code.text'],
      unmapped: ['component[0].code'],
      undeclared: [],
    },
    {
      description: 'a required choice group',
      type: 'MedicationRequest',
      targets: ['status', 'intent', 'subject.reference'],
      unmapped: ['medication[x]'],
      undeclared: [],
    },
    {
      description: 'a choice group filled by one of its names',
      type: 'MedicationRequest',
      targets: ['status', 'intent', 'subject.reference', 'medicationCodeableConcept.text'],
      unmapped: [],
      undeclared: [],
    },
    {
      description: 'names R4 does not have there, or shapes it does not allow',
      type: 'Patient',
      targets: ['nickname', 'name.family', 'gender[0]', 'birthDate.year', 'name[0].given', 'name[0].family'],
      unmapped: [],
      undeclared: ['nickname', 'name.family', 'gender[0]', 'birthDate.year', 'name[0].given'],
    },
    {
      description: 'not an R4 resource type',
      type: 'Patients',
      targets: ['gender'],
      unmapped: [],
      undeclared: ['gender'],
    },
  ])('$description', ({ type, targets, unmapped, undeclared }) => {
    expect(checkFhirTargetCoverage(to(type, targets), digest)).toEqual({
      unmappedRequired: unmapped,
      undeclaredTargets: undeclared,
    });
  });

  it('finds nothing missing or wrong in the demo mapping', () => {
    const file = path.resolve(import.meta.dirname, '../../../samples/mappings/patients-to-fhir-patient.json');
    const loaded = loadMapping(JSON.parse(readFileSync(file, 'utf8')));
    if (!loaded.ok) throw new Error('the demo mapping does not load');
    expect(checkFhirTargetCoverage(loaded.value, digest)).toEqual({
      unmappedRequired: [],
      undeclaredTargets: [],
    });
  });
});
