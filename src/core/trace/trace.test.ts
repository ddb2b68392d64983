/**
 * The trace's rules as tables: which names match, what is suggested (and what a decision takes
 * off the list), and what a failing issue is used by, with its cases an hour and weight.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataDictionary, DictionaryLink, DictionaryTarget } from '../../formats/dataDictionary.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Project } from '../../formats/project.ts';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { flow, step, workflow } from '../workflow/index.ts';
import {
  applyDictionaryChange,
  createTraceIndex,
  dataItems,
  dictionaryCandidates,
  failingShare,
  failingWeight,
  namesMatch,
  suggestLinks,
  unlinkedItems,
  usedByLine,
  usedByWeight,
  withUsedBy,
} from './index.ts';

describe('namesMatch', () => {
  const cases: Array<{ description: string; a: string; b: string; expected: boolean }> = [
    { description: 'a plural item and a coded column', a: 'allergies', b: 'allergy_code', expected: true },
    {
      description: 'an item and a FHIR element',
      a: 'allergies',
      b: 'AllergyIntolerance.code',
      expected: true,
    },
    { description: 'a grouped item and a bare column', a: 'demographics.phone', b: 'phone', expected: true },
    { description: 'dob and birth date', a: 'demographics.dob', b: 'birth_date', expected: true },
    { description: 'camelCase and snake_case', a: 'birthDate', b: 'birth_date', expected: true },
    {
      description: 'two items of one group',
      a: 'insurance.payer',
      b: 'insurance_member_id',
      expected: false,
    },
    { description: 'generic words only', a: 'code', b: 'diagnosis_code', expected: false },
    { description: '"diagnosis" is not a plural', a: 'order.diagnosis', b: 'diagnosis_code', expected: true },
    { description: 'unrelated', a: 'vitals.bp', b: 'postal_code', expected: false },
  ];
  it.each(cases)('$description', ({ a, b, expected }) => {
    expect(namesMatch(a, b)).toBe(expected);
    expect(namesMatch(b, a)).toBe(expected);
  });
});

const lanes = [
  { id: 'ma', name: 'Medical assistant', staff: 2 },
  { id: 'doc', name: 'Physician', staff: 1 },
];

/** A planned intake: every case enters allergies; 30 % go on to the physician, who reads them. */
const planned = {
  ...workflow(
    lanes,
    [
      step('start', 'ma', 0, { kind: 'start' }),
      step('enter', 'ma', 2, { enters: ['allergies', 'demographics.dob'], label: 'Enter allergies' }),
      step('triage', 'ma', 0, { kind: 'decision' }),
      step('see', 'doc', 5, { enters: ['allergies'] }),
      step('end', 'ma', 0, { kind: 'end' }),
    ],
    [
      flow('start', 'enter'),
      flow('enter', 'triage'),
      flow('triage', 'see', 0.3),
      flow('triage', 'end', 0.7),
      flow('see', 'end'),
    ],
    20,
  ),
  id: 'intake-future',
  name: 'Intake (planned)',
  state: 'future' as const,
  baseline: 'intake-current',
};

/** The current intake, replaced by the planned one: its steps do not count. */
const current = {
  ...workflow(lanes, [step('paper', 'ma', 3, { kind: 'start', enters: ['allergies'] })], [], 20),
  id: 'intake-current',
  name: 'Intake (today)',
};

const mapping: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'm',
  name: 'Patients to FHIR',
  version: 1,
  source: 'patients.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'id',
  fields: [{ target: 'birthDate', from: 'birth_date' }],
};

function project(): Project {
  return {
    meta: {
      id: 'p',
      name: 'p',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
      settings: {
        trainingRecord: { roles: [{ role: 'medical assistant', staff: 6, trained: 4 }], support: [] },
      },
    },
    workflows: [current, planned],
    mappings: [mapping],
    samplePlans: [],
    reports: [],
    datasets: [
      {
        id: 'pts',
        name: 'patients.csv',
        kind: 'csv',
        bytes: 1,
        columns: ['id', 'allergy_code', 'birth_date'],
        origin: { type: 'file' },
      },
      {
        id: 'enc',
        name: 'encounters.csv',
        kind: 'csv',
        bytes: 1,
        columns: ['id', 'allergy_code'],
        origin: { type: 'file' },
      },
    ],
    schemas: [],
  };
}

const column = (dataset: string, name: string): DictionaryTarget => ({
  kind: 'column',
  dataset,
  column: name,
});
const confirm = (item: string, target: DictionaryTarget): DictionaryLink => ({
  item,
  target,
  decision: 'confirmed',
});
const issue = (location: string, extra: Partial<ReportIssue> = {}): ReportIssue => ({
  rule: 'contract.required',
  severity: 'error',
  location,
  count: 3,
  examples: [],
  ...extra,
});
const report = (issues: ReportIssue[]): Report =>
  ({
    format: 'preflight.report/v1',
    inputs: [
      { name: 'patients.csv', kind: 'csv', records: 10, dataset: 'pts' },
      { name: 'encounters.csv', kind: 'csv', records: 10 },
    ],
    issues,
  }) as unknown as Report;

describe('suggestions', () => {
  const cases: Array<{ description: string; links: DictionaryLink[]; expected: string[] }> = [
    {
      description: 'each item with every column, field and element whose name matches',
      links: [],
      expected: [
        'allergies → patients.csv › allergy_code',
        'allergies → encounters.csv › allergy_code',
        'demographics.dob → patients.csv › birth_date',
        'demographics.dob → Patients to FHIR › birthDate',
        'demographics.dob → Patient.birthDate',
      ],
    },
    {
      description: 'a confirmed or rejected link is not suggested again',
      links: [
        confirm('allergies', column('pts', 'allergy_code')),
        { ...confirm('allergies', column('enc', 'allergy_code')), decision: 'rejected' },
      ],
      expected: [
        'demographics.dob → patients.csv › birth_date',
        'demographics.dob → Patients to FHIR › birthDate',
        'demographics.dob → Patient.birthDate',
      ],
    },
  ];
  it.each(cases)('$description', ({ links, expected }) => {
    const p = project();
    const found = suggestLinks(dataItems(p), dictionaryCandidates(p), { links });
    expect(found.map((s) => `${s.item} → ${s.candidate.label}`)).toEqual(expected);
  });

  it('lists the items nothing confirmed carries, and a change undone is suggested again', () => {
    const p = project();
    const decided = applyDictionaryChange(
      { links: [] },
      {
        type: 'decide',
        item: 'allergies',
        target: column('pts', 'allergy_code'),
        decision: 'confirmed',
        by: 'Data lead',
      },
    );
    expect(unlinkedItems(dataItems(p), decided).map((i) => i.item)).toEqual(['demographics.dob']);
    const undone = applyDictionaryChange(decided, {
      type: 'undo',
      item: 'allergies',
      target: column('pts', 'allergy_code'),
    });
    expect(undone.links).toEqual([]);
    expect(suggestLinks(dataItems(p), dictionaryCandidates(p), undone)).toHaveLength(5);
  });
});

describe('usedBy and weights', () => {
  const cases: Array<{
    description: string;
    links: DictionaryLink[];
    issue: ReportIssue;
    expected: Array<[step: string, role: string, casesPerHour: number]>;
    weight: number;
  }> = [
    {
      description: 'a column: every planned step that uses its item, cases an hour from the visits',
      links: [confirm('allergies', column('pts', 'allergy_code'))],
      issue: issue('allergy_code', { input: 'patients.csv' }),
      expected: [
        ['enter', 'Medical assistant', 20],
        ['see', 'Physician', 6],
      ],
      weight: 26,
    },
    {
      description: 'the same column name in another dataset is not linked',
      links: [confirm('allergies', column('pts', 'allergy_code'))],
      issue: issue('allergy_code', { input: 'encounters.csv' }),
      expected: [],
      weight: 0,
    },
    {
      description: 'a mapping field carries its item to its source column',
      links: [confirm('demographics.dob', { kind: 'field', mapping: 'm', target: 'birthDate' })],
      issue: issue('birth_date', { input: 'patients.csv' }),
      expected: [['enter', 'Medical assistant', 20]],
      weight: 20,
    },
    {
      description: 'and to the FHIR element it writes, a path inside it included',
      links: [confirm('demographics.dob', { kind: 'field', mapping: 'm', target: 'birthDate' })],
      issue: issue('Patient.birthDate.extension', { rule: 'fhir-cardinality' }),
      expected: [['enter', 'Medical assistant', 20]],
      weight: 20,
    },
    {
      description:
        'a column carries its item through the mapping of its dataset to the element its field writes',
      links: [confirm('demographics.dob', column('pts', 'birth_date'))],
      issue: issue('Patient.birthDate', { rule: 'fhir-value' }),
      expected: [['enter', 'Medical assistant', 20]],
      weight: 20,
    },
    {
      description: 'and from a FHIR Bundle, by the path of its examples',
      links: [confirm('demographics.dob', column('pts', 'birth_date'))],
      issue: issue('Bundle.entry[3].resource', {
        rule: 'fhir-value',
        examples: [{ path: 'Patient.birthDate' }],
      }),
      expected: [['enter', 'Medical assistant', 20]],
      weight: 20,
    },
    {
      description: 'a column of a dataset no mapping reads carries nothing to an element',
      links: [confirm('demographics.dob', column('enc', 'allergy_code'))],
      issue: issue('Patient.birthDate', { rule: 'fhir-value' }),
      expected: [],
      weight: 0,
    },
    {
      description: 'an element confirmed by itself',
      links: [confirm('allergies', { kind: 'element', path: 'AllergyIntolerance.code' })],
      issue: issue('AllergyIntolerance.code.coding[0].system', { rule: 'fhir-binding' }),
      expected: [
        ['enter', 'Medical assistant', 20],
        ['see', 'Physician', 6],
      ],
      weight: 26,
    },
    {
      description: 'a warning does not fail: nothing is traced',
      links: [confirm('allergies', column('pts', 'allergy_code'))],
      issue: issue('allergy_code', { input: 'patients.csv', severity: 'warning' }),
      expected: [],
      weight: 0,
    },
    {
      description: 'an accepted issue does not fail: nothing is traced',
      links: [confirm('allergies', column('pts', 'allergy_code'))],
      issue: issue('allergy_code', { input: 'patients.csv', acceptedBy: 'w1' }),
      expected: [],
      weight: 0,
    },
    {
      description: 'a suggestion nobody confirmed links nothing',
      links: [],
      issue: issue('allergy_code', { input: 'patients.csv' }),
      expected: [],
      weight: 0,
    },
  ];
  it.each(cases)('$description', ({ links, issue: found, expected, weight }) => {
    const dictionary: DataDictionary = { links };
    const traced = withUsedBy(report([found]), project(), dictionary);
    const usedBy = traced.issues[0]?.usedBy;
    expect((usedBy ?? []).map((u) => [u.step, u.role, u.casesPerHour])).toEqual(expected);
    expect(usedByWeight(usedBy)).toBe(weight);
  });

  it('names the training of each role, matched by the lane name', () => {
    const links = [confirm('allergies', column('pts', 'allergy_code'))];
    const usedBy = createTraceIndex(project(), { links }).usedBy(
      issue('allergy_code', { input: 'patients.csv' }),
      report([]),
    );
    expect(usedBy.map((u) => u.trained)).toEqual([{ trained: 4, staff: 6 }, undefined]);
    expect(usedByLine(usedBy)).toBe('Used by 2 steps (Medical assistant, Physician) · 26 cases/h');
  });

  it('replaces a usedBy worked out before, and leaves a report nothing depends on as it was', () => {
    const stale = report([issue('allergy_code', { input: 'patients.csv', usedBy: [] })]);
    expect(withUsedBy(stale, project(), { links: [] }).issues[0]).not.toHaveProperty('usedBy');
    const plain = report([issue('allergy_code')]);
    expect(withUsedBy(plain, project(), { links: [] })).toBe(plain);
  });
});

describe('the weight of failing data', () => {
  it('ranks one failing record of many below a quarter of the records, whatever the cases an hour', () => {
    // the demo's case: address_line, 1 problem, used at 20 cases/h; birth_date, 245, at 3 cases/h
    const address = failingWeight([{ casesPerHour: 20 }], failingShare(1, 1000));
    const birth = failingWeight([{ casesPerHour: 1.5 }, { casesPerHour: 1.5 }], failingShare(245, 1000));
    expect([address, birth]).toEqual([0.02, 0.735]);
  });

  it('takes the whole file as failing when its records are not known', () => {
    expect(failingShare(3, undefined)).toBe(1);
    expect(failingShare(3, 0)).toBe(1);
  });

  it('is a share of the cases an hour: never more, and more problems never weigh less', () => {
    const casesPerHour = fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 6 });
    fc.assert(
      fc.property(
        casesPerHour,
        fc.nat(1e6),
        fc.nat(1e6),
        fc.integer({ min: 1, max: 1e6 }),
        (cases, a, b, records) => {
          const usedBy = cases.map((c) => ({ casesPerHour: c }));
          const [fewer, more] = a <= b ? [a, b] : [b, a];
          const share = failingShare(fewer, records);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(1);
          expect(failingShare(more, records)).toBeGreaterThanOrEqual(share);
          expect(failingWeight(usedBy, share)).toBeLessThanOrEqual(usedByWeight(usedBy));
          expect(failingWeight(usedBy, failingShare(more, records))).toBeGreaterThanOrEqual(
            failingWeight(usedBy, share),
          );
        },
      ),
    );
  });
});

describe('FHIR paths through a mapping', () => {
  it('traces an element at any list positions as the element without them', () => {
    const links = [confirm('demographics.dob', column('pts', 'birth_date'))];
    const index = createTraceIndex(project(), { links });
    const plain = index.usedBy(issue('Patient.birthDate', { rule: 'fhir-value' }), report([]));
    expect(plain.map((u) => u.step)).toEqual(['enter']);
    const positions = fc.array(fc.nat(99), { minLength: 2, maxLength: 2 });
    fc.assert(
      fc.property(positions, fc.constantFrom('', '.extension', '.id'), ([i, j], inside) => {
        const at = `Patient[${i}].birthDate[${j}]${inside}`;
        expect(index.usedBy(issue(at, { rule: 'fhir-value' }), report([]))).toEqual(plain);
      }),
    );
  });
});
