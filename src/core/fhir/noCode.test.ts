/**
 * A CodeableConcept with no code on a binding of base R4 that asks for one, as the HL7 Java
 * validator grades it: required an error ("No code provided, and a code is required from the value
 * set"), extensible a warning ("… a code should be provided …"), preferred and example nothing;
 * whether or not Preflight can expand the value set (a text-only jurisdiction is as codeless as a
 * text-only marital status), and on the value of an extension of the specification too.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);

const issuesOf = async (resource: Record<string, unknown>) =>
  (await session.validate(resource)).issues
    .filter((i) => i.severity !== 'information')
    .map((i) => `${i.severity} ${i.rule} @ ${i.location}`);

const condition = (extra: Record<string, unknown>) => ({
  resourceType: 'Condition',
  subject: { reference: 'Patient/p1' },
  ...extra,
});
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

describe('a coded element with no code', () => {
  it('is a warning on an extensible binding: Patient.maritalStatus as text only', async () => {
    const { issues } = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { text: 'married' },
    });
    expect(issues).toEqual([
      {
        rule: 'fhir-code-missing-extensible',
        severity: 'warning',
        code: 'code-invalid',
        location: 'Patient.maritalStatus',
        message:
          'Only text is given, no code: the extensible binding asks for a code from the value set Marital Status Codes (http://hl7.org/fhir/ValueSet/marital-status) unless none fits; add a coding with one of its codes where one fits',
      },
    ]);
  });

  it('is an error on a required binding: Condition.clinicalStatus as text only', async () => {
    const { issues } = await session.validate(condition({ clinicalStatus: { text: 'active' } }));
    expect(issues.map((i) => [i.severity, i.rule, i.location, i.message])).toEqual([
      [
        'error',
        'fhir-code-missing',
        'Condition.clinicalStatus',
        'Only text is given, no code: the binding requires a code from the value set ConditionClinicalStatusCodes (http://hl7.org/fhir/ValueSet/condition-clinical); add a coding with one of its codes',
      ],
    ]);
  });

  it('holds where the value set does not expand offline, in lists and in backbone elements', async () => {
    expect(
      await issuesOf({
        resourceType: 'Library',
        status: 'draft',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/library-type', code: 'logic-library' }],
        },
        jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'NL' }] }, { text: 'Europe' }],
      }),
    ).toEqual(['warning fhir-code-missing-extensible @ Library.jurisdiction[1]']);
    expect(
      await issuesOf({
        resourceType: 'Patient',
        identifier: [{ type: { text: 'MRN' }, value: '1' }],
        contact: [{ relationship: [{ text: 'neighbour' }], name: { text: 'Ann' } }],
      }),
    ).toEqual([
      'warning fhir-code-missing-extensible @ Patient.identifier[0].type',
      'warning fhir-code-missing-extensible @ Patient.contact[0].relationship[0]',
    ]);
  });

  it("holds on a specification extension's value, by the extension's binding", async () => {
    const religion = (value: Record<string, unknown>) => ({
      resourceType: 'Patient',
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/patient-religion', valueCodeableConcept: value },
      ],
    });
    expect(await issuesOf(religion({ text: 'none' }))).toEqual([
      'warning fhir-code-missing-extensible @ Patient.extension[0].valueCodeableConcept',
    ]);
    const mode = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/questionnaireresponse-completionMode',
          valueCodeableConcept: { text: 'typed in' },
        },
      ],
    };
    expect(await issuesOf(mode)).toEqual([
      'error fhir-code-missing @ QuestionnaireResponse.extension[0].valueCodeableConcept',
    ]);
  });

  it('counts a value with only an extension as codeless too (the Java validator has no exception)', async () => {
    const absent = {
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
      ],
    };
    const { issues } = await session.validate(condition({ clinicalStatus: absent }));
    expect(issues.map((i) => `${i.rule} @ ${i.location}: ${i.message.split(':')[0]}`)).toEqual([
      'fhir-code-missing @ Condition.clinicalStatus: No code is given',
    ]);
  });

  it('says nothing where a code is given, or the binding is preferred or an example', async () => {
    // a coding is there: its code is judged by the code checks, not this one
    expect(
      await issuesOf(condition({ clinicalStatus: { coding: [{ system: CLINICAL, code: 'active' }] } })),
    ).toEqual([]);
    // Condition.code is an example binding, Observation.category preferred
    expect(await issuesOf(condition({ code: { text: 'knee pain' } }))).toEqual([]);
    expect(
      await issuesOf({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'weight' },
        category: [{ text: 'vitals' }],
      }),
    ).toEqual([]);
  });

  it('leaves an empty object to its own error', async () => {
    expect(await issuesOf({ resourceType: 'Patient', maritalStatus: {} })).toEqual([
      'error fhir-empty @ Patient.maritalStatus',
    ]);
  });

  it('is off with the bindings layer', async () => {
    const off = await createFhirSession(generatedModules, {
      layers: ['json', 'structure', 'cardinality', 'values', 'extensions', 'invariants', 'references'],
    });
    expect(
      (await off.validate({ resourceType: 'Patient', maritalStatus: { text: 'married' } })).issues,
    ).toEqual([]);
  });
});
