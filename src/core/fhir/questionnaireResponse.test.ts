/**
 * QuestionnaireResponses against their Questionnaires, on HL7's validator test cases (Brian
 * Postlethwaite's questionnaire suite in FHIR/fhir-test-cases): each response is put in one
 * collection Bundle with its Questionnaire (the Java validator is given the Questionnaire as a
 * supporting file; here it must be in the same file) and the verdict on the response is compared
 * with the Java validator's stored outcome. A case that needs what is not checked offline is
 * skipped by name with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { usCoreExamples } from '../../../tests/fixtures/usCorePackage.ts';
import { generatedModules } from './generatedModules.ts';
import { type FhirIssue, IssueSink } from './issues.ts';
import { checkQuestionnaireResponse } from './questionnaireResponse.ts';
import { FHIR_LAYERS } from './rules.ts';
import { ucumUnits } from './units.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const SUITE = ['fhir-test-cases', 'validator', 'questionnaire', 'brianpos'];
const read = (...path: string[]) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', ...path), 'utf8')) as Record<
    string,
    unknown
  >;

const ATTACHMENT = 'an attachment whose stated size differs from its data is not checked';
const TERMINOLOGY = 'needs a terminology server (an answerValueSet the Java validator expands remotely)';
const QUESTIONNAIRE_STATUS = 'the Questionnaire’s own status and effective period are not judged';
const REFERENCE = 'the targets of reference answers are not resolved or typed against the item';

/** Cases whose Java verdict needs what is not checked here, each with the reason. */
const KNOWN_GAPS: Record<string, string> = {
  'attachment-inconsistent-size-qr': ATTACHMENT,
  'choice-invalid-value-set-async-qr': TERMINOLOGY,
  'questionnaire-draft-qr': QUESTIONNAIRE_STATUS,
  'questionnaire-inactive-end-qr': QUESTIONNAIRE_STATUS,
  'questionnaire-inactive-start-qr': QUESTIONNAIRE_STATUS,
  'questionnaire-retired-qr': QUESTIONNAIRE_STATUS,
  'choice-async-qr': TERMINOLOGY,
  'choice-gender-coding-async-qr': TERMINOLOGY,
  'open-choice-gender-coding-async-qr': TERMINOLOGY,
  'string-with-coding-async-qr': TERMINOLOGY,
  'reference-invalid-resource-type-qr': REFERENCE,
  'reference-invalid-url-qr': REFERENCE,
  'reference-unconstrained-resource-type-qr': REFERENCE,
  'questionnaire-not-resolved-qr':
    'its Questionnaire is absent on purpose (scored through `fhir validate` by the hl7-cases harness)',
};

const cases = readdirSync(externalFixture(...SUITE))
  .filter((f) => f.endsWith('-qr.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** The errors of the Java validator's stored outcome, as `expression: text`. */
function javaErrors(name: string): string[] {
  const outcome = read('outcomes', 'java', `R4.${name}-base.json`) as {
    issue?: { severity: string; expression?: string[]; details?: { text?: string } }[];
  };
  return (outcome.issue ?? [])
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
}

async function ours(name: string): Promise<FhirIssue[]> {
  const response = read('questionnaire', 'brianpos', `${name}.json`);
  const questionnaire = read('questionnaire', 'brianpos', `${name.slice(0, -'-qr'.length)}-q.json`);
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [{ resource: questionnaire }, { resource: response }],
  };
  const { issues } = await session.validate(bundle);
  return issues.filter((i) => i.location.startsWith('Bundle.entry[1].resource'));
}

describe('QuestionnaireResponse against its Questionnaire: HL7 questionnaire cases', () => {
  it('has the suite’s 71 R4 cases', () => {
    expect(cases).toHaveLength(71);
    for (const name of Object.keys(KNOWN_GAPS)) expect(cases).toContain(name);
  });

  for (const name of cases) {
    it.skipIf(name in KNOWN_GAPS)(`${name}: the Java validator’s verdict`, async () => {
      const java = javaErrors(name);
      const found = (await ours(name)).filter((i) => i.severity === 'error' || i.severity === 'fatal');
      expect(
        found.length > 0,
        `ours: ${found.map((i) => `${i.rule} at ${i.location}: ${i.message}`).join('; ') || 'no errors'}; Java: ${java.join('; ') || 'no errors'}`,
      ).toBe(java.length > 0);
    });
  }

  it('says a response whose Questionnaire is not in the file is not checked against it', async () => {
    const { issues } = await session.validate(read('questionnaire', 'brianpos', 'integer-qr.json'));
    expect(issues.filter((i) => i.rule === 'fhir-questionnaire-not-checked').map((i) => i.location)).toEqual([
      'QuestionnaireResponse.questionnaire',
    ]);
  });
});

describe('US Core 6.1.0’s QuestionnaireResponse examples with their Questionnaires', async () => {
  const examples = await usCoreExamples();
  const questionnaires = new Map(
    examples
      .filter((e) => e.resource.resourceType === 'Questionnaire')
      .map((e) => [e.resource.url as string, e.resource]),
  );
  const pairs = examples
    .filter((e) => e.resource.resourceType === 'QuestionnaireResponse')
    .flatMap((e) => {
      const q = questionnaires.get(String(e.resource.questionnaire).split('|')[0] as string);
      return q ? [{ name: e.name, response: e.resource, questionnaire: q }] : [];
    });
  const inBundle = (questionnaire: unknown, response: unknown) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [{ resource: questionnaire }, { resource: response }],
  });

  it('pairs the three examples whose Questionnaire the package ships', () => {
    expect(pairs.map((p) => p.name)).toEqual([
      'QuestionnaireResponse-hunger-vital-sign-example.json',
      'QuestionnaireResponse-phq-9-example.json',
      'QuestionnaireResponse-prapare-example.json',
    ]);
  });

  it('finds nothing wrong in them (no false alarm on real answers, enableWhen included)', async () => {
    for (const { response, questionnaire } of pairs) {
      const { issues } = await session.validate(inBundle(questionnaire, response));
      expect(issues.filter((i) => i.rule.startsWith('fhir-questionnaire'))).toEqual([]);
    }
  });

  it('finds an answer moved to an unknown linkId, an answer of the wrong type, a required item left', async () => {
    const pair = pairs.find((p) => p.name.includes('phq-9')) as (typeof pairs)[number];
    const response = structuredClone(pair.response) as {
      item: { linkId: string; answer?: Record<string, unknown>[] }[];
    };
    const answered = response.item.findIndex((i) => (i.answer?.length ?? 0) > 0);
    const wrongType = response.item[answered] as { answer: Record<string, unknown>[] };
    wrongType.answer = [{ valueBoolean: true }];
    (response.item[answered + 1] as { linkId: string }).linkId = 'no-such-item';
    const { issues } = await session.validate(inBundle(pair.questionnaire, response));
    expect(issues.filter((i) => i.rule === 'fhir-questionnaire-answer').map((i) => i.location)).toEqual([
      `Bundle.entry[1].resource.item[${answered}].answer[0].valueBoolean`,
      `Bundle.entry[1].resource.item[${answered + 1}].linkId`,
      // the item whose linkId was changed is required, and now unanswered
      'Bundle.entry[1].resource',
    ]);
  });
});

describe('minValue and maxValue of an item', () => {
  const limited = (type: string, key: string, min: unknown, max: unknown) => ({
    resourceType: 'Questionnaire',
    item: [
      {
        linkId: 'q',
        type,
        extension: [
          { url: 'http://hl7.org/fhir/StructureDefinition/minValue', [key]: min },
          { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', [key]: max },
        ],
      },
    ],
  });
  const findings = (questionnaire: Record<string, unknown>, key: string, value: unknown): string[] => {
    const sink = new IssueSink(new Set(FHIR_LAYERS));
    const response = {
      resourceType: 'QuestionnaireResponse',
      item: [{ linkId: 'q', answer: [{ [key]: value }] }],
    };
    checkQuestionnaireResponse(response, questionnaire, 'QuestionnaireResponse', sink);
    return sink.issues.map((i) => i.message.replace(/ \S+$/, ''));
  };

  it('reports a number outside its limits, one finding per limit broken, and nothing inside', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), (a, b, value) => {
        const [min, max] = [Math.min(a, b), Math.max(a, b)];
        const found = findings(limited('integer', 'valueInteger', min, max), 'valueInteger', value);
        expect(found).toEqual([
          ...(value < min ? ["The answer to q is below the item's minimum"] : []),
          ...(value > max ? ["The answer to q is above the item's maximum"] : []),
        ]);
      }),
    );
  });

  it('orders dates by their text, a more precise one after its prefix', () => {
    const q = limited('dateTime', 'valueDateTime', '2020', '2022-06');
    expect(findings(q, 'valueDateTime', '2020')).toEqual([]);
    expect(findings(q, 'valueDateTime', '2022-06-30')).toEqual([
      "The answer to q is above the item's maximum",
    ]);
    expect(findings(q, 'valueDateTime', '1998')).toEqual(["The answer to q is below the item's minimum"]);
    // a time of day is not weighed against a limit (time zones): no finding rather than a wrong one
    expect(findings(q, 'valueDateTime', '2023-01-01T10:00:00Z')).toEqual([]);
  });
});

describe('quantity answers against their limits and units', () => {
  const UCUM = 'http://unitsofmeasure.org';
  const kg = (value: number) => ({ value, unit: 'kg', system: UCUM, code: 'kg' });
  const questionnaire = (extension: unknown[]) => ({
    resourceType: 'Questionnaire',
    item: [{ linkId: 'q', type: 'quantity', extension }],
  });
  const findings = (
    q: Record<string, unknown>,
    quantity: unknown,
    judge?: () => boolean | undefined,
    converter: 'ucum' | 'none' = 'ucum',
  ) => {
    const sink = new IssueSink(new Set(FHIR_LAYERS));
    const response = {
      resourceType: 'QuestionnaireResponse',
      item: [{ linkId: 'q', answer: [{ valueQuantity: quantity }] }],
    };
    const convert = converter === 'ucum' ? ucumUnits.convert : undefined;
    checkQuestionnaireResponse(response, q, 'QuestionnaireResponse', sink, judge, convert);
    return sink.issues.map((i) => `${i.rule}: ${i.message}`);
  };
  const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-';

  it('compares a quantity with a limit in the same coded unit, one finding per limit broken', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), (a, b, value) => {
        const [min, max] = [Math.min(a, b), Math.max(a, b)];
        const q = questionnaire([
          { url: `${SDC}minQuantity`, valueQuantity: kg(min) },
          { url: `${SDC}maxQuantity`, valueQuantity: kg(max) },
        ]);
        expect(findings(q, kg(value)).length).toBe((value < min ? 1 : 0) + (value > max ? 1 : 0));
      }),
    );
  });

  it('converts a quantity in another UCUM unit to compare it with a limit', () => {
    const km = (value: number) => ({ value, unit: 'km', system: UCUM, code: 'km' });
    const q = questionnaire([
      { url: `${SDC}minQuantity`, valueQuantity: km(5) },
      { url: `${SDC}maxQuantity`, valueQuantity: km(50) },
    ]);
    const metres = (value: number) => ({ value, unit: 'm', system: UCUM, code: 'm' });
    expect(findings(q, metres(10000))).toEqual([]);
    expect(findings(q, metres(5000))).toEqual([]);
    expect(findings(q, metres(4999))).toEqual([
      "fhir-questionnaire-answer: The answer to q is below the item's minimum quantity 5 km",
    ]);
    expect(findings(q, metres(60000))).toEqual([
      "fhir-questionnaire-answer: The answer to q is above the item's maximum quantity 50 km",
    ]);
    // 50 Cel is 122 [degF] after a conversion that does not land on it exactly: not above
    const fahrenheit = questionnaire([
      { url: `${SDC}maxQuantity`, valueQuantity: { value: 122, system: UCUM, code: '[degF]' } },
    ]);
    expect(findings(fahrenheit, { value: 50, system: UCUM, code: 'Cel' })).toEqual([]);
    // without the converter, units that differ are not held against the answer
    expect(findings(q, metres(4999), undefined, 'none')).toEqual([]);
  });

  it('says a quantity in a UCUM unit of another kind cannot be compared with a limit', () => {
    const q = questionnaire([{ url: `${SDC}minQuantity`, valueQuantity: kg(5) }]);
    expect(findings(q, { value: 10, system: UCUM, code: '[mi_i]' })).toEqual([
      "fhir-questionnaire-answer: The answer to q cannot be compared with the item's minimum quantity 5 kg: its unit [mi_i] measures something else",
    ]);
    // a unit that is not UCUM, or of another system, is not judged
    expect(findings(q, { value: 10, system: UCUM, code: 'furlongs' })).toEqual([]);
    expect(findings(q, { value: 10, system: 'http://clinic.test/units', code: 'lb' })).toEqual([]);
  });

  it('says a limit cannot be applied to a quantity without a coded unit', () => {
    const q = questionnaire([{ url: `${SDC}minQuantity`, valueQuantity: kg(5) }]);
    expect(findings(q, { value: 10, unit: 'Kg' })).toEqual([
      "fhir-questionnaire-answer: The answer to q cannot be compared with the item's minimum quantity: a unit code (system and code) is missing",
    ]);
  });

  it('holds a unit to the unit options, and says a unit value set the engine cannot judge not checked', () => {
    const options = questionnaire([
      {
        url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption',
        valueCoding: { system: UCUM, code: 'km' },
      },
    ]);
    expect(findings(options, kg(1))).toEqual([
      "fhir-questionnaire-answer: The unit of the answer to q is not one of the item's unit options (km)",
    ]);
    const unitSet = questionnaire([
      {
        url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet',
        valueCanonical: 'http://clinic.test/vs/units',
      },
    ]);
    expect(findings(unitSet, kg(1), () => false)).toEqual([
      "fhir-questionnaire-answer: The unit of the answer to q is not in the item's unit value set http://clinic.test/vs/units",
    ]);
    expect(findings(unitSet, kg(1), () => undefined).map((f) => f.split(':')[0])).toEqual([
      'fhir-questionnaire-not-checked',
    ]);
  });
});

describe('decimal places and exclusive options', () => {
  const check = (item: Record<string, unknown>, answers: unknown[]) => {
    const sink = new IssueSink(new Set(FHIR_LAYERS));
    const response = { resourceType: 'QuestionnaireResponse', item: [{ linkId: 'q', answer: answers }] };
    checkQuestionnaireResponse(response, { item: [{ linkId: 'q', ...item }] }, 'QuestionnaireResponse', sink);
    return sink.issues.map((i) => `${i.location}: ${i.message}`);
  };
  const places = (max: number) => ({
    type: 'decimal',
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces', valueInteger: max }],
  });

  it('holds a decimal answer to the item’s maximum decimal places', () => {
    expect(check(places(2), [{ valueDecimal: -5.1234 }])).toEqual([
      'QuestionnaireResponse.item[0].answer[0].valueDecimal: The answer to q has more decimal places than the item allows (2)',
    ]);
    expect(check(places(2), [{ valueDecimal: 5.12 }])).toEqual([]);
    expect(check(places(0), [{ valueDecimal: 1e21 }])).toEqual([]);
    expect(check(places(7), [{ valueDecimal: 1.5e-7 }])).toHaveLength(1);
  });

  it('counts the decimal places of any number as its shortest text has them', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 6 }), (whole, digits) => {
        const value = Number((whole / 10 ** digits).toFixed(digits));
        const shortest = String(value).split('.')[1]?.length ?? 0;
        expect(check(places(digits), [{ valueDecimal: value }])).toEqual([]);
        if (shortest > 0) expect(check(places(shortest - 1), [{ valueDecimal: value }])).toHaveLength(1);
      }),
    );
  });

  it('finds an exclusive option chosen together with another answer', () => {
    const option = (code: string, exclusive = false) => ({
      valueCoding: { system: 'http://clinic.test', code },
      ...(exclusive
        ? {
            extension: [
              {
                url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive',
                valueBoolean: true,
              },
            ],
          }
        : {}),
    });
    const item = { type: 'choice', repeats: true, answerOption: [option('a'), option('none', true)] };
    const answer = (code: string) => ({ valueCoding: { system: 'http://clinic.test', code } });
    expect(check(item, [answer('a'), answer('none')])).toEqual([
      'QuestionnaireResponse.item[0].answer[1]: The answer to q is an exclusive option: it cannot be chosen together with other answers',
    ]);
    expect(check(item, [answer('none')])).toEqual([]);
    expect(check(item, [answer('a')])).toEqual([]);
  });
});
