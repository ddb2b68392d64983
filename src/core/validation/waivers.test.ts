import { describe, expect, it } from 'vitest';
import { loadReport, type Report, type ReportIssue } from '../../formats/report.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import type { Waiver } from '../../formats/waivers.ts';
import {
  acceptedErrors,
  applyWaivers,
  describeWaivers,
  failingErrors,
  namesUrl,
  validWithWaivers,
} from './index.ts';
import { judgeRun } from './reportSummary.ts';

const EXT = 'http://example.org/fhir/StructureDefinition/patient-religion';

function waiver(fields: Partial<Waiver>): Waiver {
  return {
    id: 'w1',
    rule: 'contract-required',
    column: 'birth_date',
    rationale: 'the old system never held it for walk-ins',
    owner: 'Dana Whitfield',
    expires: '2026-06-30',
    ...fields,
  };
}

function report(issues: ReportIssue[], inputs = ['patients.csv']): Report {
  return {
    ...fixtureReport(),
    inputs: inputs.map((name) => ({ name, kind: 'csv' as const, records: 100 })),
    summary: {
      records: 100 * inputs.length,
      valid: 95,
      invalid: 5 + 100 * (inputs.length - 1),
      errors: 5,
      warnings: 0,
    },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues,
  };
}

const required: ReportIssue = {
  rule: 'contract-required',
  severity: 'error',
  location: 'birth_date',
  count: 3,
  examples: [{ row: 4 }, { row: 9 }, { row: 12 }],
};
const extension: ReportIssue = {
  rule: 'fhir-unknown-extension',
  severity: 'error',
  location: 'Patient.extension',
  message: `the extension ${EXT} is not defined`,
  count: 2,
  examples: [{ row: 1 }, { row: 2 }],
};

describe('applyWaivers', () => {
  const cases: {
    name: string;
    issues: ReportIssue[];
    waivers: Waiver[];
    accepted: (string | undefined)[];
    status?: string[];
    partial?: number;
  }[] = [
    { name: 'rule and column accept the issue', issues: [required], waivers: [waiver({})], accepted: ['w1'] },
    {
      name: 'another column is not accepted',
      issues: [required],
      waivers: [waiver({ column: 'sex' })],
      accepted: [undefined],
    },
    {
      name: 'another rule on the column is not accepted',
      issues: [required],
      waivers: [waiver({ rule: 'contract-pattern' })],
      accepted: [undefined],
    },
    {
      name: 'an expired waiver accepts nothing and says it expired',
      issues: [required],
      waivers: [waiver({ expires: '2026-04-30' })],
      accepted: [undefined],
      status: ['expired'],
    },
    {
      name: 'a waiver applies through its expiry day',
      issues: [required],
      waivers: [waiver({ expires: '2026-05-01' })],
      accepted: ['w1'],
      status: ['active'],
    },
    {
      name: 'an extension URL named in the message accepts that issue',
      issues: [extension],
      waivers: [waiver({ rule: 'fhir-unknown-extension', column: undefined, extension: EXT })],
      accepted: ['w1'],
    },
    {
      name: 'a URL that only starts the named one does not',
      issues: [extension],
      waivers: [waiver({ rule: 'fhir-unknown-extension', column: undefined, extension: EXT.slice(0, -3) })],
      accepted: [undefined],
    },
    {
      name: 'rows covering every occurrence accept the issue',
      issues: [required],
      waivers: [
        waiver({
          rows: [
            { from: 1, to: 10 },
            { from: 12, to: 12 },
          ],
        }),
      ],
      accepted: ['w1'],
    },
    {
      name: 'rows missing one occurrence accept nothing (partial)',
      issues: [required],
      waivers: [waiver({ rows: [{ from: 1, to: 10 }] })],
      accepted: [undefined],
      partial: 1,
    },
    {
      name: 'rows cannot cover occurrences the report does not list',
      issues: [{ ...required, count: 40 }],
      waivers: [waiver({ rows: [{ from: 1, to: 1000 }] })],
      accepted: [undefined],
      partial: 1,
    },
    {
      name: 'the first waiver that applies is named',
      issues: [required],
      waivers: [waiver({ id: 'old', expires: '2026-01-01' }), waiver({ id: 'a' }), waiver({ id: 'b' })],
      accepted: ['a'],
      status: ['expired', 'active', 'active'],
    },
  ];
  it.each(cases)('$name', ({ issues, waivers, accepted, status, partial }) => {
    const applied = applyWaivers(report(issues), waivers, '2026-05-01');
    expect(applied.issues.map((i) => i.acceptedBy)).toEqual(accepted);
    if (status) expect(applied.waivers?.map((w) => w.status)).toEqual(status);
    if (partial !== undefined) expect(applied.waivers?.[0]?.partial).toBe(partial);
    // what it writes is a valid report
    expect(loadReport(applied).ok).toBe(true);
  });

  it('a waiver for one input accepts only issues known to be there', () => {
    const two = ['patients.csv', 'visits.csv'];
    const listed = { ...required, examples: required.examples.map((e) => ({ ...e, input: 'patients.csv' })) };
    const scoped = [waiver({ input: 'patients.csv' })];
    expect(applyWaivers(report([listed], two), scoped, '2026-05-01').issues[0]?.acceptedBy).toBe('w1');
    // more occurrences than examples in a run of two FHIR files, whose problems are grouped across
    // the files: some may be in the other file
    const unlisted = { ...listed, count: 50 };
    const fhir = (r: Report): Report => ({
      ...r,
      inputs: r.inputs.map((i) => ({ ...i, kind: 'ndjson' as const })),
    });
    expect(
      applyWaivers(fhir(report([unlisted], two)), scoped, '2026-05-01').issues[0]?.acceptedBy,
    ).toBeUndefined();
    // a CSV file's problems come from its own pass: all of them are in the file its examples name
    expect(applyWaivers(report([unlisted], two), scoped, '2026-05-01').issues[0]?.acceptedBy).toBe('w1');
    // with one file in the run, every occurrence is in it
    expect(applyWaivers(report([unlisted]), scoped, '2026-05-01').issues[0]?.acceptedBy).toBe('w1');
  });

  it('a problem known to be of another file is not counted as one the waiver accepted in part', () => {
    const two = ['patients.csv', 'visits.csv'];
    const inPatients = (count: number) => ({
      ...required,
      count,
      examples: required.examples.map((e) => ({ ...e, input: 'patients.csv' })),
    });
    const forVisits = [waiver({ input: 'visits.csv' })];
    const partial = (issue: ReportIssue, kind: 'csv' | 'ndjson') => {
      const r = report([issue], two);
      const applied = applyWaivers(
        { ...r, inputs: r.inputs.map((i) => ({ ...i, kind })) },
        forVisits,
        '2026-05-01',
      );
      expect(applied.issues[0]?.acceptedBy).toBeUndefined();
      return applied.waivers?.[0]?.partial;
    };
    // every occurrence listed, all in the other file; or a CSV file's problem, from its own pass
    expect(partial(inPatients(required.examples.length), 'csv')).toBeUndefined();
    expect(partial(inPatients(50), 'csv')).toBeUndefined();
    expect(partial(inPatients(required.examples.length), 'ndjson')).toBeUndefined();
    // grouped across two FHIR files with occurrences not listed: some may be the waiver's
    expect(partial(inPatients(50), 'ndjson')).toBe(1);
  });

  it('replaces an earlier application and counts what each waiver accepted', () => {
    const once = applyWaivers(report([required, extension]), [waiver({})], '2026-05-01');
    expect(once.waivers).toEqual([{ waiver: waiver({}), status: 'active', issues: 1, occurrences: 3 }]);
    const later = applyWaivers(once, [waiver({})], '2026-07-01');
    expect(later.issues.map((i) => i.acceptedBy)).toEqual([undefined, undefined]);
    expect(applyWaivers(once, [], '2026-05-01')).not.toHaveProperty('waivers');
  });
});

describe('errors that fail a run', () => {
  it('leaves accepted errors out, keeps warnings and problems across files counting', () => {
    const warning: ReportIssue = { ...required, rule: 'w', severity: 'warning', count: 7 };
    const applied = applyWaivers(report([required, extension, warning]), [waiver({})], '2026-05-01');
    expect(acceptedErrors(applied)).toBe(3);
    expect(failingErrors(applied)).toBe(2);
    const withDuplicates: Report = {
      ...applied,
      crossFile: { duplicateKeys: [{ input: 'patients.csv', count: 2, rows: [1, 2] }], orphanReferences: [] },
    };
    expect(failingErrors(withDuplicates)).toBe(3);
    const all = applyWaivers(report([required]), [waiver({})], '2026-05-01');
    expect(failingErrors(all)).toBe(0);
  });
});

describe('messages folded under a root cause', () => {
  // a document Bundle whose only entry is a Patient with gender "U": bdl-11 is folded under the
  // gender error in the report, and the summary counts both
  const gender: ReportIssue = {
    rule: 'fhir-value-not-allowed',
    severity: 'error',
    location: 'Bundle.entry.resource.gender',
    count: 1,
    examples: [{ row: 1 }],
    derived: [
      {
        rule: 'fhir-invariant',
        severity: 'error',
        location: 'Bundle',
        message: 'bdl-11: A document must have a Composition as the first resource',
        count: 1,
      },
    ],
  };
  const doc: Report = {
    ...report([gender], ['doc.json']),
    inputs: [{ name: 'doc.json', kind: 'csv', records: 1 }],
    summary: { records: 1, valid: 0, invalid: 1, errors: 2, warnings: 0 },
  };
  const legacyGender = waiver({
    id: 'legacy-gender',
    rule: 'fhir-value-not-allowed',
    column: 'Bundle.entry.resource.gender',
  });

  it.each([
    {
      name: 'only the root cause accepted: the follow-on still fails',
      waivers: [legacyGender],
      accepted: 1,
      failing: 1,
      valid: 0,
    },
    {
      name: 'the follow-on accepted too: nothing fails',
      waivers: [legacyGender, waiver({ id: 'no-composition', rule: 'fhir-invariant', column: 'Bundle' })],
      accepted: 2,
      failing: 0,
      valid: 1,
    },
    {
      name: 'the follow-on accepted by a waiver limited to rows: not accepted (its rows are not counted)',
      waivers: [
        legacyGender,
        waiver({
          id: 'no-composition',
          rule: 'fhir-invariant',
          column: 'Bundle',
          rows: [{ from: 1, to: 1 }],
        }),
      ],
      accepted: 1,
      failing: 1,
      valid: 0,
    },
    { name: 'nothing accepted: both fail', waivers: [], accepted: 0, failing: 2, valid: 0 },
  ])('$name', ({ waivers, accepted, failing, valid }) => {
    const applied = applyWaivers(doc, waivers, '2026-05-01');
    expect(acceptedErrors(applied)).toBe(accepted);
    expect(failingErrors(applied)).toBe(failing);
    expect(validWithWaivers(applied, 'doc.json')).toEqual({ records: 1, valid, accepted });
    // the verdict, the input's verdict and the count agree
    const judged = judgeRun(applied);
    expect(judged.errors).toBe(failing);
    expect(judged.passed).toBe(failing === 0);
    expect(judged.inputs[0]?.passed).toBe(failing === 0);
  });

  it('keeps the follow-ons once when a waiver limited to rows splits their root cause', () => {
    const twice: Report = {
      ...doc,
      issues: [
        {
          ...gender,
          count: 2,
          examples: [{ row: 1 }, { row: 2 }],
          withinRows: [{ waiver: 'legacy-gender', count: 1, rows: [{ from: 1, to: 1 }] }],
          derived: [{ ...(gender.derived?.[0] as NonNullable<ReportIssue['derived']>[number]), count: 2 }],
        },
      ],
    };
    const split = applyWaivers(twice, [{ ...legacyGender, rows: [{ from: 1, to: 1 }] }], '2026-05-01');
    expect(split.issues.map((i) => [i.count, i.acceptedBy, i.derived?.[0]?.count])).toEqual([
      [1, 'legacy-gender', undefined],
      [1, undefined, 2],
    ]);
    expect(acceptedErrors(split)).toBe(1);
    expect(failingErrors(split)).toBe(3);
    // applied again without it: joined, the follow-ons kept
    const joined = applyWaivers(split, [], '2026-05-01');
    expect(joined.issues.map((i) => [i.count, i.derived?.[0]?.count])).toEqual([[2, 2]]);
    expect(failingErrors(joined)).toBe(4);
  });
});

describe('validWithWaivers', () => {
  it('counts records whose errors were all accepted as valid, never more than the report allows', () => {
    // 5 invalid records; 3 occurrences accepted, 2 not: at most 2 records are still invalid
    const applied = applyWaivers(report([required, extension]), [waiver({})], '2026-05-01');
    expect(validWithWaivers(applied, 'patients.csv')).toEqual({ records: 100, valid: 98, accepted: 3 });
    // every error accepted: every record counts as valid
    const all = applyWaivers(report([required]), [waiver({})], '2026-05-01');
    expect(validWithWaivers(all, 'patients.csv')).toEqual({ records: 100, valid: 100, accepted: 3 });
    // nothing accepted: the report's own count
    expect(validWithWaivers(report([required]), 'patients.csv')).toEqual({
      records: 100,
      valid: 95,
      accepted: 0,
    });
    // unaccepted occurrences beyond the invalid records leave the report's count
    const many = applyWaivers(report([required, { ...extension, count: 90 }]), [waiver({})], '2026-05-01');
    expect(validWithWaivers(many, 'patients.csv')?.valid).toBe(95);
    expect(validWithWaivers(all, 'visits.csv')).toBeNull();
  });
});

describe('waivers in words', () => {
  it('lists the waivers in force with owner and expiry, leaving expired ones out', () => {
    const list = [
      waiver({
        rows: [
          { from: 3, to: 3 },
          { from: 10, to: 20 },
        ],
        input: 'patients.csv',
      }),
      waiver({ id: 'w2', expires: '2026-01-01' }),
    ];
    expect(describeWaivers(list, '2026-05-01')).toEqual([
      'contract-required at birth_date (in patients.csv, rows 3, 10–20) — accepted until 2026-06-30, owner Dana Whitfield: the old system never held it for walk-ins',
    ]);
  });

  it.each([
    [`see ${EXT}`, true],
    [`"${EXT}"`, true],
    [`${EXT}-v2`, false],
    [`${EXT}x`, false],
    [undefined, false],
  ])('namesUrl(%s)', (text, expected) => {
    expect(namesUrl(text, EXT)).toBe(expected);
  });
});

describe('follow-ons and a waiver limited to one file', () => {
  // a root cause in A.ndjson and B.ndjson (three lines each) with its follow-ons folded under it:
  // the follow-ons are one total across both files, with no row or file of their own
  const w = (id: string, rule: string, input?: string, rows?: Waiver['rows']): Waiver =>
    waiver({
      id,
      rule,
      column: 'Patient.contact',
      expires: '2999-12-31',
      ...(input === undefined ? {} : { input }),
      ...(rows === undefined ? {} : { rows }),
    });
  // each input's records, all invalid; the summary counts the root cause and its follow-ons
  const ndjson = (inputs: Record<string, number>, issue: ReportIssue): Report => {
    const records = Object.values(inputs).reduce((n, r) => n + r, 0);
    return {
      ...report([issue], Object.keys(inputs)),
      inputs: Object.entries(inputs).map(([name, n]) => ({
        name,
        kind: 'ndjson' as const,
        records: n,
        invalid: n,
      })),
      summary: { records, valid: 0, invalid: records, errors: 2 * issue.count, warnings: 0 },
    };
  };
  const root = (examples: ReportIssue['examples'], count: number, extra: Partial<ReportIssue> = {}) => ({
    rule: 'fhir-empty',
    severity: 'error' as const,
    location: 'Patient.contact',
    count,
    examples,
    derived: [
      {
        rule: 'fhir-invariant',
        severity: 'error' as const,
        location: 'Patient.contact',
        message: 'pat-1',
        count,
      },
    ],
    ...extra,
  });
  const rowsOf = (input: string) => [1, 2, 3].map((row) => ({ row, input }));
  const both = root([...rowsOf('A.ndjson'), ...rowsOf('B.ndjson')], 6, {
    withinRows: [
      { waiver: 'w-rows-A', count: 3, rows: [{ from: 1, to: 3 }], input: 'A.ndjson' },
      { waiver: 'w-rows-B', count: 3, rows: [{ from: 1, to: 3 }], input: 'B.ndjson' },
    ],
  });
  const rowsA = w('w-rows-A', 'fhir-empty', 'A.ndjson', [{ from: 1, to: 3 }]);
  const rowsB = w('w-rows-B', 'fhir-empty', 'B.ndjson', [{ from: 1, to: 3 }]);
  const anyRoot = w('w-root', 'fhir-empty');

  it.each<{
    name: string;
    inputs: Record<string, number>;
    issue: ReportIssue;
    waivers: Waiver[];
    failing: number;
  }>([
    {
      name: 'split by rows of each file, follow-ons waived in B only: all 6 follow-ons still fail',
      inputs: { 'A.ndjson': 3, 'B.ndjson': 3 },
      issue: both,
      waivers: [rowsA, rowsB, w('w-follow-B', 'fhir-invariant', 'B.ndjson')],
      failing: 6,
    },
    {
      name: 'across files, only A’s first examples kept, follow-ons waived in A: they still fail',
      inputs: { 'A.ndjson': 14, 'B.ndjson': 14 },
      issue: root(rowsOf('A.ndjson'), 28),
      waivers: [anyRoot, w('w-follow-A', 'fhir-invariant', 'A.ndjson')],
      failing: 28,
    },
    {
      name: 'every occurrence listed and all in A, follow-ons waived in A: accepted',
      inputs: { 'A.ndjson': 3, 'B.ndjson': 0 },
      issue: root(rowsOf('A.ndjson'), 3),
      waivers: [anyRoot, w('w-follow-A', 'fhir-invariant', 'A.ndjson')],
      failing: 0,
    },
    {
      name: 'a report of A only, follow-ons waived in A: accepted',
      inputs: { 'A.ndjson': 28 },
      issue: root([{ row: 1 }], 28),
      waivers: [anyRoot, w('w-follow-A', 'fhir-invariant', 'A.ndjson')],
      failing: 0,
    },
    {
      name: 'split by rows of each file, follow-ons waived in any file: accepted',
      inputs: { 'A.ndjson': 3, 'B.ndjson': 3 },
      issue: both,
      waivers: [rowsA, rowsB, w('w-follow', 'fhir-invariant')],
      failing: 0,
    },
  ])('$name', ({ inputs, issue, waivers, failing }) => {
    const applied = applyWaivers(ndjson(inputs, issue), waivers, '2026-11-25');
    expect(failingErrors(applied)).toBe(failing);
    expect(judgeRun(applied).errors).toBe(failing);
    expect(judgeRun(applied).passed).toBe(failing === 0);
    // the waiver of the follow-ons counts what it accepted: all of them, or none
    const followOns = applied.waivers?.find((s) => s.waiver.rule === 'fhir-invariant');
    expect([followOns?.issues, followOns?.occurrences]).toEqual(failing === 0 ? [1, issue.count] : [0, 0]);
  });
});

describe('a FHIR file’s records valid with waivers, in a run of several files', () => {
  // a problem grouped across C and D whose kept examples all come from C, and one of D's own
  const gender = (extra: Partial<ReportIssue>): ReportIssue => ({
    rule: 'fhir-value-not-allowed',
    severity: 'error',
    location: 'Patient.gender',
    count: 8,
    examples: [1, 2, 3, 4, 5].map((row) => ({ row, input: 'C.ndjson' })),
    ...extra,
  });
  const birthDate: ReportIssue = {
    rule: 'fhir-invalid-format',
    severity: 'error',
    location: 'Patient.birthDate',
    count: 2,
    examples: [1, 2].map((row) => ({ row, input: 'D.ndjson' })),
  };
  const run = (first: ReportIssue): Report => ({
    ...report([first, birthDate], ['C.ndjson', 'D.ndjson']),
    inputs: [
      { name: 'C.ndjson', kind: 'ndjson', records: 6, invalid: 6 },
      { name: 'D.ndjson', kind: 'ndjson', records: 2, invalid: 2 },
    ],
    summary: { records: 8, valid: 0, invalid: 8, errors: 10, warnings: 0 },
  });
  const bd = waiver({ id: 'w-bd', rule: 'fhir-invalid-format', column: 'Patient.birthDate' });
  const legacy = waiver({ id: 'w-gender', rule: 'fhir-value-not-allowed', column: 'Patient.gender' });

  it.each([
    {
      name: 'a problem whose occurrences in D may be unlisted: D is not called valid',
      issue: gender({}),
      counts: null,
      passed: false,
      waivers: [bd],
    },
    {
      name: 'that problem accepted too: every file valid, the run passes (its files need not be known)',
      issue: gender({}),
      counts: { records: 2, valid: 2, accepted: 2 },
      passed: true,
      waivers: [bd, legacy],
    },
    {
      name: 'the run said the problem is of C: D’s own problem accepted, D valid',
      issue: gender({ input: 'C.ndjson' }),
      counts: { records: 2, valid: 2, accepted: 2 },
      passed: true,
      waivers: [bd],
    },
    {
      name: 'every occurrence listed, all in C: D valid',
      issue: gender({ count: 5 }),
      counts: { records: 2, valid: 2, accepted: 2 },
      passed: true,
      waivers: [bd],
    },
  ])('$name', ({ issue, counts, passed, waivers }) => {
    const applied = applyWaivers(run(issue), waivers, '2026-05-01');
    expect(validWithWaivers(applied, 'D.ndjson')).toEqual(counts);
    expect(judgeRun(applied).inputs.find((v) => v.name === 'D.ndjson')?.passed).toBe(passed);
    // the run's verdict and its count of errors not accepted agree
    expect(judgeRun(applied).passed).toBe(failingErrors(applied) === 0);
  });
});

describe('a waiver limited to one CSV file, not to rows, in a run of two files', () => {
  // each CSV file's problems come from its own pass: 300 occurrences in each, 5 examples kept
  const required = (input: string): ReportIssue => ({
    rule: 'contract.required',
    severity: 'error',
    location: 'birth_date',
    count: 300,
    examples: [1, 2, 3, 4, 5].map((row) => ({ row, input })),
  });
  const run: Report = {
    ...report([required('a.csv'), required('b.csv')], ['a.csv', 'b.csv']),
    inputs: [
      { name: 'a.csv', kind: 'csv', records: 300, valid: 0, invalid: 300 },
      { name: 'b.csv', kind: 'csv', records: 300, valid: 0, invalid: 300 },
    ],
    summary: { records: 600, valid: 0, invalid: 600, errors: 600, warnings: 0 },
  };
  const forA = waiver({ id: 'w-a', rule: 'contract.required', column: 'birth_date', input: 'a.csv' });
  const forB = waiver({ id: 'w-b', rule: 'contract.required', column: 'birth_date', input: 'b.csv' });
  it.each([
    { name: 'a.csv’s waiver: a.csv’s 300 accepted, b.csv’s fail', waivers: [forA], failing: 300 },
    { name: 'both files’ waivers: the run passes', waivers: [forA, forB], failing: 0 },
  ])('$name', ({ waivers, failing }) => {
    const applied = applyWaivers(run, waivers, '2026-05-01');
    expect(failingErrors(applied)).toBe(failing);
    expect(judgeRun(applied).passed).toBe(failing === 0);
    expect(judgeRun(applied).inputs.find((v) => v.name === 'a.csv')?.passed).toBe(true);
  });
});

describe('a problem accepted across FHIR files, its kept examples all from the first', () => {
  // A holds 7 occurrences, B 2; the 5 kept examples are A's: B's records are invalid only
  // through the accepted problem, so B is valid with the waiver, whatever the files' order
  const gender = (first: string, second: string, firstCount: number, secondCount: number): Report => ({
    ...report(
      [
        {
          rule: 'fhir-value-not-allowed',
          severity: 'error',
          location: 'Patient.gender',
          count: firstCount + secondCount,
          examples: [1, 2, 3, 4, 5].slice(0, firstCount).map((row) => ({ row, input: first })),
        },
      ],
      [first, second],
    ),
    inputs: [
      { name: first, kind: 'ndjson', records: firstCount, invalid: firstCount },
      { name: second, kind: 'ndjson', records: secondCount, invalid: secondCount },
    ],
    summary: {
      records: firstCount + secondCount,
      valid: 0,
      invalid: firstCount + secondCount,
      errors: firstCount + secondCount,
      warnings: 0,
    },
  });
  const any = waiver({ id: 'w-g', rule: 'fhir-value-not-allowed', column: 'Patient.gender' });
  const onlyA = waiver({
    id: 'w-a',
    rule: 'fhir-value-not-allowed',
    column: 'Patient.gender',
    input: 'A.ndjson',
  });
  it.each([
    {
      name: 'A first, a waiver of any file: the run passes',
      run: gender('A.ndjson', 'B.ndjson', 7, 2),
      waivers: [any],
      passed: true,
    },
    {
      name: 'B first, a waiver of any file: the run passes',
      run: gender('B.ndjson', 'A.ndjson', 2, 7),
      waivers: [any],
      passed: true,
    },
    {
      name: 'A first, a waiver of A only: B’s occurrences fail',
      run: gender('A.ndjson', 'B.ndjson', 7, 2),
      waivers: [onlyA],
      passed: false,
    },
  ])('$name', ({ run, waivers, passed }) => {
    const applied = applyWaivers(run, waivers, '2026-05-01');
    const judged = judgeRun(applied);
    expect(judged.passed).toBe(passed);
    expect(judged.inputs.every((v) => v.passed)).toBe(passed);
    // the run's verdict and its count of errors not accepted agree
    expect(judged.passed).toBe(failingErrors(applied) === 0);
  });
});

describe('a count that did not record its input, and a waiver now limited to one file', () => {
  // counted when the waiver named no file: rows 1-3 of every file the run read
  const gender = (count: number): ReportIssue => ({
    rule: 'fhir-value-not-allowed',
    severity: 'error',
    location: 'Patient.gender',
    count,
    examples: [1, 2, 3].map((row) => ({ row, input: 'A.ndjson' })),
    withinRows: [{ waiver: 'w-legacy', count, rows: [{ from: 1, to: 3 }] }],
  });
  const narrowed = waiver({
    id: 'w-legacy',
    rule: 'fhir-value-not-allowed',
    column: 'Patient.gender',
    input: 'A.ndjson',
    rows: [{ from: 1, to: 3 }],
  });
  it.each([
    {
      name: 'a run of A and B: the count may hold B’s rows, not used',
      inputs: ['A.ndjson', 'B.ndjson'],
      count: 6,
      failing: 6,
    },
    { name: 'a run of A only: the count is of A, used', inputs: ['A.ndjson'], count: 3, failing: 0 },
  ])('$name', ({ inputs, count, failing }) => {
    const run: Report = {
      ...report([gender(count)], inputs),
      summary: { records: 6, valid: 0, invalid: 6, errors: count, warnings: 0 },
    };
    const applied = applyWaivers(run, [narrowed], '2026-05-01');
    expect(failingErrors(applied)).toBe(failing);
    expect(applied.issues.map((x) => x.acceptedBy)).toEqual([failing === 0 ? 'w-legacy' : undefined]);
  });
});
