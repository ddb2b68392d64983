/**
 * Waivers limited to rows, on issues with more occurrences than a report lists as examples: the
 * pass counts, per (rule, column), the occurrences inside each waiver's rows, so the waiver accepts
 * exactly those; the occurrences outside still fail, and the report says how many.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import type { RowRange, Waiver } from '../../formats/waivers.ts';
import { compileColumnContract, compilePlan } from '../contract/index.ts';
import {
  applyWaivers,
  buildReport,
  detectLayout,
  failingErrors,
  judgeRun,
  rowSetWatches,
  validateInputs,
} from './index.ts';
import { createIssueTally, MAX_EXAMPLES } from './issueTally.ts';

const TODAY = '2026-11-24';

function waiver(fields: Partial<Waiver>): Waiver {
  return {
    id: 'w-rows',
    rule: 'contract.required',
    column: 'birth_date',
    rationale: 'walk-in patients registered in the first weeks',
    owner: 'Dana Whitfield',
    expires: '2099-12-31',
    ...fields,
  };
}

describe('the tally counts occurrences inside each watched row set', () => {
  const table: { name: string; rows: number[]; ranges: RowRange[]; inside: number }[] = [
    // 50 occurrences, rows 1..50: more than the examples kept
    { name: 'all inside', rows: range(1, 50), ranges: [{ from: 1, to: 50 }], inside: 50 },
    { name: 'the first 30', rows: range(1, 50), ranges: [{ from: 1, to: 30 }], inside: 30 },
    // inside the ranges only beyond the examples: row 45..50 are not among the first 20
    { name: 'only past the examples', rows: range(1, 50), ranges: [{ from: 45, to: 60 }], inside: 6 },
    {
      name: 'two ranges',
      rows: range(1, 50),
      ranges: [
        { from: 2, to: 2 },
        { from: 40, to: 49 },
      ],
      inside: 11,
    },
    { name: 'none inside', rows: range(1, 50), ranges: [{ from: 100, to: 200 }], inside: 0 },
  ];
  it.each(table)('$name', ({ rows, ranges, inside }) => {
    const tally = createIssueTally([
      { waiver: 'w', rule: 'contract.required', location: 'birth_date', rows: ranges },
    ]);
    for (const row of rows) tally.add('contract.required', 'error', 'birth_date', { row }, {});
    // another column and another rule are not watched
    tally.add('contract.required', 'error', 'sex', { row: 1 }, {});
    tally.add('contract.pattern', 'error', 'birth_date', { row: 1 }, {});
    const [watched, column, rule] = tally.entries();
    expect(watched?.examples).toHaveLength(MAX_EXAMPLES);
    expect(watched?.withinRows).toEqual({ w: inside });
    expect(column?.withinRows).toBeUndefined();
    expect(rule?.withinRows).toBeUndefined();
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** An issue of 50 occurrences (rows 1..50), its first 20 listed, `inside` counted in w-rows' rows. */
function counted(inside: number | undefined): ReportIssue {
  return {
    rule: 'contract.required',
    severity: 'error',
    location: 'birth_date',
    count: 50,
    records: 50,
    examples: range(1, MAX_EXAMPLES).map((row) => ({ row })),
    ...(inside !== undefined ? { withinRows: [{ waiver: 'w-rows', count: inside }] } : {}),
  };
}

function reportOf(issues: ReportIssue[]): Report {
  const errors = issues.reduce((n, i) => n + i.count, 0);
  return {
    ...fixtureReport(),
    inputs: [{ name: 'patients.csv', kind: 'csv', records: 100, valid: 100 - errors }],
    summary: { records: 100, valid: 100 - errors, invalid: errors, errors, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues,
  };
}

describe('applyWaivers with the occurrences counted inside a waiver’s rows', () => {
  const table: {
    name: string;
    inside: number | undefined;
    rows: RowRange[];
    /** each issue after: count, accepted by, examples' rows */
    issues: [number, string | undefined, number][];
    failing: number;
    stat: { issues: number; occurrences: number; outside?: number; partial?: number };
  }[] = [
    {
      name: 'every occurrence inside: the whole issue is accepted, beyond the examples',
      inside: 50,
      rows: [{ from: 1, to: 50 }],
      issues: [[50, 'w-rows', 20]],
      failing: 0,
      stat: { issues: 1, occurrences: 50 },
    },
    {
      name: 'some inside: only those are accepted, the rest still fail and are said',
      inside: 30,
      rows: [{ from: 1, to: 30 }],
      issues: [
        [30, 'w-rows', 20],
        [20, undefined, 0],
      ],
      failing: 20,
      stat: { issues: 1, occurrences: 30, outside: 20 },
    },
    {
      name: 'the rows inside split the examples too',
      inside: 11,
      rows: [
        { from: 2, to: 2 },
        { from: 40, to: 49 },
      ],
      issues: [
        [11, 'w-rows', 1],
        [39, undefined, 19],
      ],
      failing: 39,
      stat: { issues: 1, occurrences: 11, outside: 39 },
    },
    {
      name: 'none inside: nothing accepted, every occurrence said outside',
      inside: 0,
      rows: [{ from: 100, to: 200 }],
      issues: [[50, undefined, 20]],
      failing: 50,
      stat: { issues: 0, occurrences: 0, outside: 50 },
    },
    {
      name: 'not counted (the waiver came after the run): not accepted on the examples alone',
      inside: undefined,
      rows: [{ from: 1, to: 50 }],
      issues: [[50, undefined, 20]],
      failing: 50,
      stat: { issues: 0, occurrences: 0, partial: 1 },
    },
  ];
  it.each(table)('$name', ({ inside, rows, issues, failing, stat }) => {
    const applied = applyWaivers(reportOf([counted(inside)]), [waiver({ rows })], TODAY);
    expect(applied.issues.map((i) => [i.count, i.acceptedBy, i.examples.length])).toEqual(issues);
    expect(failingErrors(applied)).toBe(failing);
    expect(judgeRun(applied).passed).toBe(failing === 0);
    const { waiver: _, status, ...counts } = applied.waivers?.[0] ?? { waiver: undefined, status: '' };
    expect(status).toBe('active');
    expect(counts).toEqual(stat);
    // each part keeps only its own examples, and its records as its count
    for (const issue of applied.issues) {
      expect(issue.records).toBe(issue.count);
      if (inside === undefined) continue;
      for (const e of issue.examples)
        expect(rows.some((r) => (e.row as number) >= r.from && (e.row as number) <= r.to)).toBe(
          issue.acceptedBy !== undefined,
        );
    }
  });

  it('applied again, or with other waivers, starts from the issue as the run found it', () => {
    const original = reportOf([counted(30)]);
    const once = applyWaivers(original, [waiver({ rows: [{ from: 1, to: 30 }] })], TODAY);
    expect(once.issues).toHaveLength(2);
    expect(applyWaivers(once, [waiver({ rows: [{ from: 1, to: 30 }] })], TODAY)).toEqual(once);
    // the waiver removed: the two parts are one issue again, as the run reported it
    expect(applyWaivers(once, [], TODAY).issues).toEqual(original.issues);
    // expired: it accepts nothing, and the issue is whole
    const expired = applyWaivers(
      once,
      [waiver({ rows: [{ from: 1, to: 30 }], expires: '2020-01-31' })],
      TODAY,
    );
    expect(expired.issues).toEqual(original.issues);
    expect(failingErrors(expired)).toBe(50);
  });
});

describe('a split problem in a run of several files', () => {
  it('joins again, although the part outside the rows holds no example', () => {
    const inFile = (input: string): ReportIssue => ({
      ...counted(30),
      examples: range(1, MAX_EXAMPLES).map((row) => ({ row, input })),
    });
    const original: Report = {
      ...reportOf([inFile('a.csv'), inFile('b.csv')]),
      inputs: [
        { name: 'a.csv', kind: 'csv', records: 100 },
        { name: 'b.csv', kind: 'csv', records: 100 },
      ],
    };
    const waivers = [waiver({ rows: [{ from: 1, to: 30 }] })];
    const once = applyWaivers(original, waivers, TODAY);
    expect(once.issues.map((i) => [i.count, i.acceptedBy, i.examples.length])).toEqual([
      [30, 'w-rows', 20],
      [20, undefined, 0],
      [30, 'w-rows', 20],
      [20, undefined, 0],
    ]);
    expect(failingErrors(once)).toBe(40);
    expect(applyWaivers(once, waivers, TODAY)).toEqual(once);
    expect(applyWaivers(once, [], TODAY).issues).toEqual(original.issues);
  });
});

describe('the pass counts a row-set waiver’s rows over a whole file', () => {
  it('accepts the empty birth dates of rows 1–30 and fails the 20 after them', async () => {
    const contract = {
      type: 'object',
      required: ['id', 'birth_date'],
      properties: { id: { type: 'string' }, birth_date: { type: 'string', minLength: 1 } },
    };
    const compiled = compileColumnContract(contract);
    if (!compiled.ok) throw new Error('the contract does not compile');
    // 50 rows, every birth date empty: far more occurrences than the 20 examples kept
    const text = `id,birth_date\n${range(1, 50)
      .map((n) => `${n},`)
      .join('\n')}\n`;
    const source = memorySource('patients.csv', new TextEncoder().encode(text));
    const waivers = [waiver({ rows: [{ from: 1, to: 30 }] })];
    const results = await validateInputs(
      [
        {
          source,
          layout: await detectLayout(source),
          plan: compilePlan(contract),
          fullValidator: compiled.validate,
          rowSets: rowSetWatches(waivers, 'patients.csv', TODAY),
        },
      ],
      [],
    );
    const report = buildReport(results, {
      generatedAt: `${TODAY}T10:00:01Z`,
      startedAt: `${TODAY}T10:00:00Z`,
      totalMs: 1000,
      toolVersion: 'test',
    });
    const issue = report.issues.find((i) => i.location === 'birth_date');
    expect(issue?.count).toBe(50);
    expect(issue?.withinRows).toEqual([{ waiver: 'w-rows', count: 30 }]);
    const applied = applyWaivers(report, waivers, TODAY);
    expect(
      applied.issues.filter((i) => i.location === 'birth_date').map((i) => [i.count, i.acceptedBy]),
    ).toEqual([
      [30, 'w-rows'],
      [20, undefined],
    ]);
    expect(failingErrors(applied)).toBe(20);
    expect(applied.waivers?.[0]?.outside).toBe(20);
    // a waiver for another file, or expired, is not watched
    expect(
      rowSetWatches([waiver({ rows: [{ from: 1, to: 2 }], input: 'other.csv' })], 'patients.csv', TODAY),
    ).toEqual([]);
    expect(
      rowSetWatches([waiver({ rows: [{ from: 1, to: 2 }], expires: '2020-01-01' })], 'patients.csv', TODAY),
    ).toEqual([]);
    expect(rowSetWatches([waiver({})], 'patients.csv', TODAY)).toEqual([]);
  });
});
