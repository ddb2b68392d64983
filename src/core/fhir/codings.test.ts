/**
 * Codings and units as the HL7 validator checks them against base R4 alone: a display its code
 * system does not give, a code outside an extensible or preferred binding, a unit that is not
 * UCUM; and what is not checked said once per code system, by its own name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notCheckedLines } from '../validation/index.ts';
import { generatedModules } from './generatedModules.ts';
import type { FhirIssue } from './issues.ts';
import { createFhirRun } from './run.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const TIMES = {
  startedAt: '2026-01-01T00:00:00Z',
  generatedAt: '2026-01-01T00:00:01Z',
  totalMs: 1,
  version: '0',
};

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const MARITAL = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';

function condition(display: string, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: CLINICAL, code: 'active', display }] },
    subject: { reference: 'Patient/p1' },
    ...extra,
  };
}

function observation(quantity: Record<string, unknown>) {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'Weight' },
    valueQuantity: { value: 70, ...quantity },
  };
}

const found = (issues: FhirIssue[], rule: string) =>
  issues
    .filter((i) => i.rule === rule)
    .map((i) => ({ location: i.location, message: i.message, value: i.value }));

describe("displays of the code systems R4 ships, as HL7's terminology suite judges them", () => {
  it('is an error on a display the code system does not give, naming the displays it gives', async () => {
    const { issues } = await session.validate(condition('Currently fine'));
    expect(found(issues, 'fhir-code-display-wrong')).toEqual([
      {
        location: 'Condition.clinicalStatus.coding[0].display',
        message:
          'The display is not one the code system ConditionClinicalStatusCodes (http://terminology.hl7.org/CodeSystem/condition-clinical) gives for the code active: expected "Active"',
        value: 'Currently fine',
      },
    ]);
    expect(issues.map((i) => [i.rule, i.severity])).toEqual([['fhir-code-display-wrong', 'error']]);
  });

  it("is an error on a wrong display of a bound Patient.maritalStatus, the record's display never in the words", async () => {
    const { issues } = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { coding: [{ system: MARITAL, code: 'M', display: 'Wed in Vegas' }] },
    });
    expect(issues.map((i) => [i.rule, i.severity, i.location])).toEqual([
      ['fhir-code-display-wrong', 'error', 'Patient.maritalStatus.coding[0].display'],
    ]);
    expect(issues[0]?.message).toContain('expected "Married"');
    expect(issues[0]?.message).not.toContain('Vegas');
  });

  it.each([
    { description: 'the display it gives', display: 'Active' },
    { description: 'that display with spaces around it', display: ' Active ' },
    { description: 'that display in another case', display: 'ACTIVE' },
    { description: 'a designation of the code in another case and spacing', display: 'never  married' },
  ])('accepts $description', async ({ display }) => {
    const resource =
      display === 'never  married'
        ? { resourceType: 'Patient', maritalStatus: { coding: [{ system: MARITAL, code: 'S', display }] } }
        : condition(display);
    const { issues } = await session.validate(resource);
    expect(issues).toEqual([]);
  });

  it("judges the display of a coding that names a version, against R4's version of the code system", async () => {
    const married = { system: MARITAL, version: '2018-08-12', code: 'M' };
    const wrong = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { coding: [{ ...married, display: 'Wed' }] },
    });
    expect(wrong.issues.map((i) => i.rule)).toEqual(['fhir-code-display-wrong']);
    const right = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { coding: [{ ...married, display: 'married' }] },
    });
    expect(right.issues).toEqual([]);
  });

  it('says an empty display once, as empty', async () => {
    const { issues } = await session.validate(condition(''));
    expect(issues.map((i) => i.rule)).toEqual(['fhir-empty']);
  });

  it('passes any display of any R4 code system in any case and spacing, and refuses one that differs in a letter', async () => {
    const digest = await generatedModules.digest();
    const concepts = Object.entries(digest.heldCodeSystems ?? {}).flatMap(([system, cs]) =>
      Object.entries(cs.concepts).flatMap(([code, displays]) =>
        (typeof displays === 'string' ? [displays] : displays)
          .filter((d) => /[a-z]/i.test(d))
          .map((display) => ({ system, code, display })),
      ),
    );
    const respelt = fc.record({
      concept: fc.constantFrom(...concepts),
      upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }),
      pad: fc.constantFrom('', ' ', '  ', '\t'),
    });
    const tagged = (coding: Record<string, string>) => ({
      resourceType: 'Basic',
      code: { text: 'x' },
      meta: { tag: [coding] },
    });
    await fc.assert(
      fc.asyncProperty(respelt, async ({ concept, upper, pad }) => {
        const cased = [...concept.display]
          .map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase()))
          .join('')
          .replace(/ /g, `${pad} `);
        const passes = await session.validate(tagged({ ...concept, display: `${pad}${cased}` }));
        expect(passes.issues.filter((i) => i.rule === 'fhir-code-display-wrong')).toEqual([]);
        const wrong = await session.validate(tagged({ ...concept, display: `${concept.display}Q` }));
        expect(wrong.issues.map((i) => i.rule)).toContain('fhir-code-display-wrong');
      }),
      { numRuns: 200 },
    );
  });

  it('checks a coding wherever it sits (an extension, a Coding element)', async () => {
    const { issues } = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { coding: [{ system: MARITAL, code: 'M', display: 'M' }] },
      meta: {
        security: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
            code: 'R',
            display: 'Secret',
          },
        ],
      },
    });
    expect(found(issues, 'fhir-code-display-wrong').map((i) => i.location)).toEqual([
      'Patient.maritalStatus.coding[0].display',
      'Patient.meta.security[0].display',
    ]);
  });
});

describe('bindings of base R4 without a guide', () => {
  it('warns on a code outside an extensible binding (maritalStatus QQ)', async () => {
    const { issues } = await session.validate({
      resourceType: 'Patient',
      maritalStatus: { coding: [{ system: MARITAL, code: 'QQ' }] },
    });
    const outside = issues.filter((i) => i.rule === 'fhir-code-not-in-value-set-extensible');
    expect(outside.map((i) => [i.severity, i.location, i.value])).toEqual([
      ['warning', 'Patient.maritalStatus', 'QQ'],
    ]);
    expect(outside[0]?.message).toMatch(
      /Marital ?Status.*extensible, so use one of its codes unless none fits/,
    );
  });

  it('gives information on a code outside a preferred binding', async () => {
    const { issues } = await session.validate({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'nope' }] },
      ],
    });
    expect(
      issues
        .filter((i) => i.rule === 'fhir-code-not-in-value-set-preferred')
        .map((i) => [i.severity, i.location]),
    ).toEqual([['information', 'Observation.category[0]']]);
  });

  it('keeps a required binding an error', async () => {
    const { issues } = await session.validate(
      condition('Active', { clinicalStatus: { coding: [{ system: CLINICAL, code: 'gone' }] } }),
    );
    expect(issues.map((i) => [i.rule, i.severity])).toEqual([['fhir-code-not-in-value-set', 'error']]);
  });
});

describe('UCUM units', () => {
  it('is an error on a unit code that is not UCUM, at the code', async () => {
    const { issues } = await session.validate(
      observation({ system: 'http://unitsofmeasure.org', code: 'notaunit' }),
    );
    expect(issues.map((i) => [i.rule, i.severity, i.location, i.value])).toEqual([
      ['fhir-unit-unknown', 'error', 'Observation.valueQuantity.code', 'notaunit'],
    ]);
  });

  it.each(['kg', 'mm[Hg]', '{beats}/min', '10*3/uL', '%'])('accepts %s', async (code) => {
    const { issues } = await session.validate(observation({ system: 'http://unitsofmeasure.org', code }));
    expect(issues).toEqual([]);
  });
});

describe('what is not checked, once per code system', () => {
  it('names SNOMED CT, LOINC and an unknown local system by their own names, with counts', async () => {
    const run = createFhirRun(session);
    const resources = [
      condition('Active', {
        code: {
          coding: [
            { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes' },
            { system: 'http://example.org/local', code: 'zzz' },
          ],
        },
      }),
      {
        resourceType: 'Observation',
        status: 'final',
        code: {
          coding: [
            { system: 'http://loinc.org', code: '29463-7' },
            { system: 'http://snomed.info/sct', code: '27113001' },
          ],
        },
      },
    ];
    await run.addJson(
      'export.json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource })),
      }),
    );
    const [input] = run.report(TIMES).inputs;
    expect(input?.notChecked?.filter((line) => line.includes('displays'))).toEqual([
      '2 codes of SNOMED CT (http://snomed.info/sct): codes and displays not checked: licensed or large, so in no package: a terminology server can check them',
      '1 code of http://example.org/local: codes and displays not checked: neither FHIR R4 nor a loaded package defines this code system: load the package that does (or check the URL for a typo), or a terminology server can check them',
      '1 code of LOINC (http://loinc.org): codes and displays not checked: licensed or large, so in no package: a terminology server can check them',
    ]);
  });

  it('says a count one file holds with that file, and a rule every file shares once', async () => {
    const run = createFhirRun(session);
    const snomed = (code: string) => ({ coding: [{ system: 'http://snomed.info/sct', code }] });
    const lines = async function* (resources: object[]) {
      yield `${resources.map((r) => JSON.stringify(r)).join('\n')}\n`;
    };
    await run.addNdjson('Condition.ndjson', lines([condition('Active', { code: snomed('1') })]));
    await run.addNdjson(
      'Procedure.ndjson',
      lines([
        {
          resourceType: 'Procedure',
          status: 'completed',
          subject: { reference: 'Patient/p' },
          code: snomed('2'),
        },
        {
          resourceType: 'Procedure',
          status: 'completed',
          subject: { reference: 'Patient/p' },
          code: snomed('3'),
        },
      ]),
    );
    const items = notCheckedLines(run.report(TIMES))?.items ?? [];
    expect(
      items.filter((i) => i.what.includes('SNOMED CT')).map((i) => `${i.input}: ${i.what.split(':')[0]}`),
    ).toEqual([
      'Condition.ndjson: 1 code of SNOMED CT (http',
      'Procedure.ndjson: 2 codes of SNOMED CT (http',
    ]);
    expect(items.filter((i) => i.what.includes('dom-3'))).toEqual([]);
  });
});
