/**
 * The invariants of the R4 datatypes (and the narrative's txt-2), each with a resource that holds
 * and one that breaks it: the broken one gives exactly one issue, that invariant at the element of
 * the datatype, and the valid one none. They hold wherever the datatype is used.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

// example.org extensions in the rows are test data
const session = await createFhirSession(generatedModules, { allowExampleUrls: true });
const UCUM = 'http://unitsofmeasure.org';

const observation = (more: Record<string, unknown>) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'weight' },
  ...more,
});
const mg = (value: number) => ({ value, system: UCUM, code: 'mg' });
const timing = (repeat: Record<string, unknown>) => observation({ effectiveTiming: { repeat } });
const withExtension = (value: Record<string, unknown>) => ({
  resourceType: 'Patient',
  extension: [{ url: 'http://example.org/fhir/x', ...value }],
});
const library = (dataRequirement: Record<string, unknown>) => ({
  resourceType: 'Library',
  status: 'draft',
  // coded: a text-only type breaks its extensible binding (a warning, as the Java validator gives)
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/library-type', code: 'logic-library' }] },
  dataRequirement: [{ type: 'Patient', ...dataRequirement }],
});
const planAction = (action: Record<string, unknown>) => ({
  resourceType: 'PlanDefinition',
  status: 'draft',
  action: [{ title: 'a', ...action }],
});

interface Row {
  key: string;
  valid: unknown;
  invalid: unknown;
  /** where the broken invariant is reported */
  location: string;
}

const ROWS: Row[] = [
  {
    key: 'age-1',
    valid: {
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      onsetAge: { value: 30, system: UCUM, code: 'a' },
    },
    invalid: {
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      onsetAge: { value: 30, unit: 'years' },
    },
    location: 'Condition.onsetAge',
  },
  {
    key: 'qty-3',
    valid: observation({ valueQuantity: { value: 70, system: UCUM, code: 'kg' } }),
    invalid: observation({ valueQuantity: { value: 70, code: 'kg' } }),
    location: 'Observation.valueQuantity',
  },
  {
    key: 'att-1',
    valid: { resourceType: 'Patient', photo: [{ contentType: 'image/png', data: 'aGVsbG8=' }] },
    invalid: { resourceType: 'Patient', photo: [{ data: 'aGVsbG8=' }] },
    location: 'Patient.photo[0]',
  },
  {
    key: 'cpt-2',
    valid: { resourceType: 'Patient', telecom: [{ system: 'phone', value: '555 0100' }] },
    invalid: { resourceType: 'Patient', telecom: [{ value: '555 0100' }] },
    location: 'Patient.telecom[0]',
  },
  {
    key: 'cnt-3',
    valid: withExtension({ valueCount: { value: 2, system: UCUM, code: '1' } }),
    invalid: withExtension({ valueCount: { value: 2.5, system: UCUM, code: '1' } }),
    location: 'Patient.extension[0].valueCount',
  },
  {
    key: 'dis-1',
    valid: withExtension({ valueDistance: { value: 2, system: UCUM, code: 'km' } }),
    invalid: withExtension({ valueDistance: { value: 2, unit: 'km' } }),
    location: 'Patient.extension[0].valueDistance',
  },
  {
    key: 'drt-1',
    valid: timing({ boundsDuration: { value: 7, system: UCUM, code: 'd' } }),
    invalid: timing({ boundsDuration: { value: 7, system: 'http://example.org/units', code: 'd' } }),
    location: 'Observation.effectiveTiming.repeat.boundsDuration',
  },
  {
    key: 'drq-1',
    valid: library({ codeFilter: [{ path: 'code' }] }),
    invalid: library({ codeFilter: [{ path: 'code', searchParam: 'code' }] }),
    location: 'Library.dataRequirement[0].codeFilter[0]',
  },
  {
    key: 'drq-2',
    valid: library({ dateFilter: [{ searchParam: 'date' }] }),
    invalid: library({ dateFilter: [{ path: 'onset', searchParam: 'date' }] }),
    location: 'Library.dataRequirement[0].dateFilter[0]',
  },
  {
    key: 'exp-1',
    valid: planAction({
      condition: [{ kind: 'applicability', expression: { language: 'text/fhirpath', expression: 'true' } }],
    }),
    invalid: planAction({
      condition: [{ kind: 'applicability', expression: { language: 'text/fhirpath', name: 'x' } }],
    }),
    location: 'PlanDefinition.action[0].condition[0].expression',
  },
  {
    key: 'rng-2',
    valid: observation({ valueRange: { low: mg(1), high: mg(5) } }),
    invalid: observation({ valueRange: { low: mg(5), high: mg(1) } }),
    location: 'Observation.valueRange',
  },
  {
    key: 'rat-1',
    valid: observation({ valueRatio: { numerator: { value: 1 }, denominator: { value: 2 } } }),
    invalid: observation({ valueRatio: { numerator: { value: 1 } } }),
    location: 'Observation.valueRatio',
  },
  {
    key: 'tim-1',
    valid: timing({ duration: 1, durationUnit: 'h' }),
    invalid: timing({ duration: 1 }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-2',
    valid: timing({ period: 1, periodUnit: 'd' }),
    invalid: timing({ period: 1 }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-4',
    valid: timing({ duration: 0, durationUnit: 'h' }),
    invalid: timing({ duration: -1, durationUnit: 'h' }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-5',
    valid: timing({ period: 0, periodUnit: 'd' }),
    invalid: timing({ period: -1, periodUnit: 'd' }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-6',
    valid: timing({ period: 1, periodMax: 2, periodUnit: 'd' }),
    invalid: timing({ periodMax: 2, periodUnit: 'd' }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-7',
    valid: timing({ duration: 1, durationMax: 2, durationUnit: 'h' }),
    invalid: timing({ durationMax: 2, durationUnit: 'h' }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-8',
    valid: timing({ count: 1, countMax: 2 }),
    invalid: timing({ countMax: 2 }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-9',
    valid: timing({ when: ['ACM'], offset: 30 }),
    invalid: timing({ when: ['CM'], offset: 30 }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'tim-10',
    valid: timing({ timeOfDay: ['08:00:00'] }),
    invalid: timing({ timeOfDay: ['08:00:00'], when: ['MORN'] }),
    location: 'Observation.effectiveTiming.repeat',
  },
  {
    key: 'trd-1',
    valid: planAction({ trigger: [{ type: 'periodic', timingDate: '2024-01-01' }] }),
    invalid: planAction({
      trigger: [{ type: 'periodic', timingDate: '2024-01-01', data: [{ type: 'Patient' }] }],
    }),
    location: 'PlanDefinition.action[0].trigger[0]',
  },
  {
    key: 'trd-2',
    valid: planAction({
      trigger: [
        {
          type: 'data-changed',
          data: [{ type: 'Patient' }],
          condition: { language: 'text/fhirpath', expression: 'true' },
        },
      ],
    }),
    // a named event: without data only trd-2 fails (a data event without data breaks trd-3 too)
    invalid: planAction({
      trigger: [
        {
          type: 'named-event',
          name: 'admission',
          condition: { language: 'text/fhirpath', expression: 'true' },
        },
      ],
    }),
    location: 'PlanDefinition.action[0].trigger[0]',
  },
  {
    key: 'trd-3',
    valid: planAction({ trigger: [{ type: 'named-event', name: 'admission' }] }),
    invalid: planAction({ trigger: [{ type: 'named-event' }] }),
    location: 'PlanDefinition.action[0].trigger[0]',
  },
];

/** A logical model whose second differential element carries `element` (ElementDefinition rules). */
const definition = (element: Record<string, unknown>) => ({
  resourceType: 'StructureDefinition',
  url: 'http://example.org/fhir/StructureDefinition/X',
  name: 'X',
  status: 'draft',
  kind: 'logical',
  abstract: false,
  type: 'X',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Element',
  derivation: 'specialization',
  differential: {
    element: [
      { id: 'X', path: 'X' },
      { id: 'X.a', path: 'X.a', ...element },
    ],
  },
});
const ELEMENT = 'StructureDefinition.differential.element[1]';
const str = [{ code: 'string' }];

/**
 * ElementDefinition's rules, on an element of a StructureDefinition: [key, valid, invalid, where].
 * eld-11 is left out: R4's expression (`type.select(…).exists()`) holds for any element with a type.
 * eld-19's regular expression is not run (invariantCoverage.test.ts).
 */
const ELD: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
  [
    'eld-1',
    { slicing: { rules: 'open', description: 'by code' } },
    { slicing: { rules: 'open' } },
    '.slicing',
  ],
  ['eld-2', { min: 0, max: '1' }, { min: 2, max: '1' }, ''],
  [
    'eld-4',
    { type: [{ code: 'Reference', aggregation: ['contained'] }] },
    { type: [{ code: 'string', aggregation: ['contained'] }] },
    '.type[0]',
  ],
  ['eld-5', { contentReference: '#X.b' }, { contentReference: '#X.b', type: str }, ''],
  ['eld-6', { type: str, fixedString: 'a' }, { type: [...str, { code: 'code' }], fixedString: 'a' }, ''],
  ['eld-7', { type: str, patternString: 'a' }, { type: [...str, { code: 'code' }], patternString: 'a' }, ''],
  ['eld-8', { type: str, fixedString: 'a' }, { type: str, fixedString: 'a', patternString: 'a' }, ''],
  [
    'eld-12',
    { type: [{ code: 'code' }], binding: { strength: 'required', valueSet: 'http://example.org/vs' } },
    { type: [{ code: 'code' }], binding: { strength: 'required', valueSet: 'ftp://example.org/vs' } },
    '.binding',
  ],
  ['eld-13', { type: str }, { type: [...str, ...str] }, ''],
  [
    'eld-14',
    { constraint: [{ key: 'x-1', severity: 'error', human: 'a' }] },
    {
      constraint: [
        { key: 'x-1', severity: 'error', human: 'a' },
        { key: 'x-1', severity: 'error', human: 'b' },
      ],
    },
    '',
  ],
  [
    'eld-15',
    { type: str, defaultValueString: 'a' },
    { type: str, defaultValueString: 'a', meaningWhenMissing: 'b' },
    '',
  ],
  ['eld-16', { sliceName: 'mrn' }, { sliceName: 'an mrn' }, ''],
  [
    'eld-17',
    { type: [{ code: 'Reference', targetProfile: ['http://example.org/p'] }] },
    { type: [{ code: 'string', targetProfile: ['http://example.org/p'] }] },
    '.type[0]',
  ],
  ['eld-18', { isModifier: true, isModifierReason: 'why' }, { isModifier: true }, ''],
  ['eld-22', { sliceName: 'mrn', sliceIsConstraining: true }, { sliceIsConstraining: true }, ''],
];
for (const [key, valid, invalid, where] of ELD)
  ROWS.push({ key, valid: definition(valid), invalid: definition(invalid), location: `${ELEMENT}${where}` });

const issuesOf = async (resource: unknown) =>
  (await session.validate(resource)).issues
    .filter((i) => i.severity !== 'information')
    .map(
      (i) => `${i.rule} @ ${i.location}${i.rule === 'fhir-invariant' ? ` ${i.message.split(':')[0]}` : ''}`,
    );

describe('datatype invariants hold wherever the datatype is used', () => {
  it.each(ROWS)('$key', async ({ key, valid, invalid, location }) => {
    expect(await issuesOf(valid)).toEqual([]);
    expect(await issuesOf(invalid)).toEqual([`fhir-invariant @ ${location} ${key}`]);
  });

  it('txt-2: a narrative <div> with no text is an error; one with text or an image is not', async () => {
    const narrative = (div: string) => ({ resourceType: 'Patient', text: { status: 'generated', div } });
    const xhtml = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;
    expect(await issuesOf(narrative(xhtml('<p>Jane</p>')))).toEqual([]);
    expect(await issuesOf(narrative(xhtml('<img src="#a" alt=""/>')))).toEqual([]);
    expect(await issuesOf(narrative(xhtml('&#160;')))).toEqual([]);
    expect(await issuesOf(narrative(xhtml('<p> </p>')))).toEqual(['fhir-invalid-xhtml @ Patient.text.div']);
  });
});
