/**
 * Waivers limited to rows, on issues with more occurrences than a report lists as examples: the
 * pass counts, per (rule, column), the occurrences inside each waiver's rows, so the waiver accepts
 * exactly those; the occurrences outside still fail, and the report says how many.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { loadReport, type Report, type ReportIssue } from '../../formats/report.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import type { RowRange, Waiver } from '../../formats/waivers.ts';
import { compileColumnContract, compilePlan } from '../contract/index.ts';
import {
  applyWaivers,
  buildReport,
  countedWithin,
  detectLayout,
  failingErrors,
  judgeRun,
  rowSetWatches,
  validateInputs,
  waiverFiles,
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
    expect(watched?.withinRows).toEqual([{ waiver: 'w', rows: ranges, count: inside }]);
    expect(column?.withinRows).toBeUndefined();
    expect(rule?.withinRows).toBeUndefined();
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * An issue of 50 occurrences (rows 1..50), its first 20 listed, `inside` counted in w-rows' rows
 * (`rows`: the rows the run counted).
 */
function counted(inside: number | undefined, rows: RowRange[] = [{ from: 1, to: 50 }]): ReportIssue {
  return {
    rule: 'contract.required',
    severity: 'error',
    location: 'birth_date',
    count: 50,
    records: 50,
    examples: range(1, MAX_EXAMPLES).map((row) => ({ row })),
    ...(inside !== undefined ? { withinRows: [{ waiver: 'w-rows', count: inside, rows }] } : {}),
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
    const applied = applyWaivers(reportOf([counted(inside, rows)]), [waiver({ rows })], TODAY);
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
    const original = reportOf([counted(30, [{ from: 1, to: 30 }])]);
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
      ...counted(30, [{ from: 1, to: 30 }]),
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
    expect(issue?.withinRows).toEqual([{ waiver: 'w-rows', count: 30, rows: [{ from: 1, to: 30 }] }]);
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

describe('a waiver whose rows changed after the run is not judged on the count of other rows', () => {
  const table: {
    name: string;
    /** occurrences; the first 20 (rows 100..) listed */
    count: number;
    /** the rows the run counted (undefined: a report that did not record them) */
    counted: RowRange[] | undefined;
    /** the waiver's rows now */
    rows: RowRange[];
    accepted: boolean;
  }[] = [
    {
      name: 'the same rows: the count is used',
      count: 50,
      counted: [{ from: 100, to: 149 }],
      rows: [{ from: 100, to: 149 }],
      accepted: true,
    },
    {
      name: 'the same rows in another order: the count is used',
      count: 50,
      counted: [
        { from: 100, to: 129 },
        { from: 130, to: 149 },
      ],
      rows: [
        { from: 130, to: 149 },
        { from: 100, to: 129 },
      ],
      accepted: true,
    },
    {
      name: 'narrowed to rows 1–10: not accepted, the count was of other rows',
      count: 50,
      counted: [{ from: 100, to: 149 }],
      rows: [{ from: 1, to: 10 }],
      accepted: false,
    },
    {
      name: 'widened: not accepted on the count of fewer rows',
      count: 50,
      counted: [{ from: 100, to: 149 }],
      rows: [{ from: 1, to: 200 }],
      accepted: false,
    },
    {
      name: 'rows counted not recorded: not accepted on the count alone',
      count: 50,
      counted: undefined,
      rows: [{ from: 100, to: 149 }],
      accepted: false,
    },
    {
      name: 'changed, but every occurrence is listed and lies in the new rows: accepted on the examples',
      count: 20,
      counted: [{ from: 100, to: 149 }],
      rows: [{ from: 100, to: 119 }],
      accepted: true,
    },
    {
      name: 'changed, every occurrence listed, some outside the new rows: not accepted',
      count: 20,
      counted: [{ from: 100, to: 149 }],
      rows: [{ from: 100, to: 110 }],
      accepted: false,
    },
  ];
  it.each(table)('$name', ({ name, count, counted: rowsCounted, rows, accepted }) => {
    const issue: ReportIssue = {
      rule: 'contract.required',
      severity: 'error',
      location: 'birth_date',
      count,
      records: count,
      examples: range(100, 100 + Math.min(count, MAX_EXAMPLES) - 1).map((row) => ({ row })),
      withinRows: [{ waiver: 'w-rows', count, ...(rowsCounted ? { rows: rowsCounted } : {}) }],
    };
    const changed = waiver({ rows });
    const applied = applyWaivers(reportOf([issue]), [changed], TODAY);
    expect(applied.issues.map((i) => [i.count, i.acceptedBy])).toEqual([
      [count, accepted ? 'w-rows' : undefined],
    ]);
    expect(failingErrors(applied)).toBe(accepted ? 0 : count);
    expect(applied.waivers?.[0]?.partial).toBe(accepted ? undefined : 1);
    // the screen says to check the file again exactly when the count is not of the rows it has now
    expect(countedWithin(issue, changed) !== undefined).toBe(name.includes('the count is used'));
  });
});

/** The report of a pass over `bad` rows of patients.csv, every birth date empty, watched for `waivers`. */
async function checkedBirthDates(bad: number, waivers: Waiver[], input = 'patients.csv'): Promise<Report> {
  const contract = {
    type: 'object',
    required: ['id', 'birth_date'],
    properties: { id: { type: 'string' }, birth_date: { type: 'string', minLength: 1 } },
  };
  const compiled = compileColumnContract(contract);
  if (!compiled.ok) throw new Error('the contract does not compile');
  const text = `id,birth_date\n${range(1, bad)
    .map((n) => `${n},`)
    .join('\n')}\n`;
  const source = memorySource(input, new TextEncoder().encode(text));
  const results = await validateInputs(
    [
      {
        source,
        layout: await detectLayout(source),
        plan: compilePlan(contract),
        fullValidator: compiled.validate,
        rowSets: rowSetWatches(waivers, input, TODAY),
      },
    ],
    [],
  );
  return buildReport(results, {
    generatedAt: `${TODAY}T10:00:01Z`,
    startedAt: `${TODAY}T10:00:00Z`,
    totalMs: 1000,
    toolVersion: 'test',
  });
}

describe('several waivers on the same rule and column each accept their rows', () => {
  const wk1 = (from: number, to: number) => waiver({ id: 'wk1', rows: [{ from, to }] });
  const wk2 = (from: number, to: number) => waiver({ id: 'wk2', rows: [{ from, to }] });
  const table: {
    name: string;
    bad: number;
    waivers: Waiver[];
    /** the counts the pass recorded, per waiver in order */
    within: [string, number][];
    /** the issue's parts after: count, accepted by */
    parts: [number, string | undefined][];
    /** per waiver: issues, occurrences, outside */
    stats: [number, number, number | undefined][];
  }[] = [
    {
      name: 'two weeks, every bad row in one of them: nothing fails',
      bad: 40,
      waivers: [wk1(1, 20), wk2(21, 40)],
      within: [
        ['wk1', 20],
        ['wk2', 20],
      ],
      parts: [
        [20, 'wk1'],
        [20, 'wk2'],
      ],
      stats: [
        [1, 20, undefined],
        [1, 20, undefined],
      ],
    },
    {
      name: 'two weeks and rows after them: those fail, outside both',
      bad: 50,
      waivers: [wk1(1, 20), wk2(21, 40)],
      within: [
        ['wk1', 20],
        ['wk2', 20],
      ],
      parts: [
        [20, 'wk1'],
        [20, 'wk2'],
        [10, undefined],
      ],
      stats: [
        [1, 20, 10],
        [1, 20, 10],
      ],
    },
    {
      name: 'the later week listed first',
      bad: 50,
      waivers: [wk2(21, 40), wk1(1, 20)],
      within: [
        ['wk2', 20],
        ['wk1', 20],
      ],
      parts: [
        [20, 'wk2'],
        [20, 'wk1'],
        [10, undefined],
      ],
      stats: [
        [1, 20, 10],
        [1, 20, 10],
      ],
    },
    {
      name: 'overlapping rows: each occurrence counted once, under the first',
      bad: 40,
      waivers: [wk1(1, 30), wk2(21, 40)],
      within: [
        ['wk1', 30],
        ['wk2', 10],
      ],
      parts: [
        [30, 'wk1'],
        [10, 'wk2'],
      ],
      stats: [
        [1, 30, undefined],
        [1, 10, undefined],
      ],
    },
    {
      name: 'a later waiver of the whole column accepts the part outside the rows',
      bad: 30,
      waivers: [wk1(1, 20), waiver({ id: 'all' })],
      within: [['wk1', 20]],
      parts: [
        [20, 'wk1'],
        [10, 'all'],
      ],
      stats: [
        [1, 20, undefined],
        [1, 10, undefined],
      ],
    },
  ];
  it.each(table)('$name', async ({ bad, waivers, within, parts, stats }) => {
    const report = await checkedBirthDates(bad, waivers);
    const issue = report.issues.find((i) => i.location === 'birth_date');
    // the rows counted are in the report, and it is still a valid preflight.report/v1
    expect(issue?.withinRows?.map((w) => w.rows)).toEqual(waivers.flatMap((w) => (w.rows ? [w.rows] : [])));
    expect(issue?.withinRows?.map((w) => [w.waiver, w.count])).toEqual(within);
    const applied = applyWaivers(report, waivers, TODAY);
    expect(loadReport(JSON.parse(JSON.stringify(applied))).ok).toBe(true);
    const birthDates = applied.issues.filter((i) => i.location === 'birth_date');
    expect(birthDates.map((i) => [i.count, i.acceptedBy])).toEqual(parts);
    expect(applied.waivers?.map((w) => [w.issues, w.occurrences, w.outside])).toEqual(stats);
    expect(failingErrors(applied)).toBe(bad - parts.reduce((n, [c, by]) => n + (by ? c : 0), 0));
    // every example lies in the rows of the waiver of its part, or outside them all
    for (const part of birthDates) {
      const by = waivers.find((w) => w.id === part.acceptedBy);
      for (const e of part.examples)
        if (by?.rows)
          expect(by.rows.some((r) => (e.row as number) >= r.from && (e.row as number) <= r.to)).toBe(true);
    }
    // applied again, or with none: the same parts, or the issue as the run found it
    expect(applyWaivers(applied, waivers, TODAY)).toEqual(applied);
    expect(applyWaivers(applied, [], TODAY).issues).toEqual(report.issues);
  });
});

describe('a waiver limited to one input names it by file name', () => {
  const table: { name: string; waived: string; checked: string; watched: boolean }[] = [
    { name: 'as typed', waived: 'pts-drop.csv', checked: 'pts-drop.csv', watched: true },
    { name: 'checked as ./', waived: 'pts-drop.csv', checked: './pts-drop.csv', watched: true },
    { name: 'checked in a folder', waived: 'pts-drop.csv', checked: 'sub/pts-drop.csv', watched: true },
    {
      name: 'checked by a Windows path',
      waived: 'pts-drop.csv',
      checked: 'C:\\drops\\pts-drop.csv',
      watched: true,
    },
    {
      name: 'waived with its folder',
      waived: './drops/pts-drop.csv',
      checked: 'pts-drop.csv',
      watched: true,
    },
    { name: 'another file', waived: 'pts-drop.csv', checked: 'old-pts-drop.csv', watched: false },
    {
      name: 'another file in a folder named alike',
      waived: 'pts-drop.csv',
      checked: 'pts-drop.csv/x.csv',
      watched: false,
    },
  ];
  it.each(table)('$name', async ({ waived, checked, watched }) => {
    const waivers = [waiver({ input: waived, rows: [{ from: 1, to: 30 }] })];
    expect(rowSetWatches(waivers, checked, TODAY)).toHaveLength(watched ? 1 : 0);
    const applied = applyWaivers(await checkedBirthDates(50, waivers, checked), waivers, TODAY);
    expect(failingErrors(applied)).toBe(watched ? 20 : 50);
    // judged on the examples too: 10 occurrences, every one listed
    const listed = applyWaivers(await checkedBirthDates(10, [], checked), waivers, TODAY);
    expect(failingErrors(listed)).toBe(watched ? 0 : 10);
    // and in a run of several files, by the file each example names
    const several: Report = {
      ...reportOf([
        { ...counted(undefined), count: 10, examples: range(1, 10).map((row) => ({ row, input: checked })) },
      ]),
      inputs: [
        { name: checked, kind: 'csv', records: 100 },
        { name: 'other.csv', kind: 'csv', records: 100 },
      ],
    };
    expect(failingErrors(applyWaivers(several, waivers, TODAY))).toBe(watched ? 0 : 10);
  });
});

describe('a count of one file’s rows, on a problem seen in several files', () => {
  // 40 occurrences, 20 in each file; 10 of a.ndjson's counted in the waiver's rows
  const issue = (entry: { input?: string }): ReportIssue => ({
    rule: 'contract.required',
    severity: 'error',
    location: 'birth_date',
    count: 40,
    examples: [
      ...range(1, 10).map((row) => ({ input: 'a.ndjson', row })),
      ...range(1, 10).map((row) => ({ input: 'b.ndjson', row })),
    ],
    withinRows: [{ waiver: 'w-rows', count: 10, rows: [{ from: 1, to: 10 }], ...entry }],
  });
  const report = (entry: { input?: string }): Report => ({
    ...fixtureReport(),
    inputs: [
      { name: 'a.ndjson', kind: 'ndjson', records: 20, invalid: 20 },
      { name: 'b.ndjson', kind: 'ndjson', records: 20, invalid: 20 },
    ],
    summary: { records: 40, valid: 0, invalid: 40, errors: 40, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues: [issue(entry)],
  });
  const table: {
    name: string;
    counted: { input?: string };
    input?: string;
    /** the parts: count, accepted by, input said */
    parts: [number, string | undefined, string | undefined][];
  }[] = [
    {
      name: 'the count of the file the waiver names is used: its rows there accepted',
      counted: { input: 'a.ndjson' },
      input: 'a.ndjson',
      parts: [
        [10, 'w-rows', 'a.ndjson'],
        [30, undefined, undefined],
      ],
    },
    {
      name: 'a count that did not record its file is not used for a problem of several files',
      counted: {},
      input: 'a.ndjson',
      parts: [[40, undefined, undefined]],
    },
    {
      name: 'a waiver that now names another file: the count is not its',
      counted: { input: 'a.ndjson' },
      input: 'b.ndjson',
      parts: [[40, undefined, undefined]],
    },
    {
      name: 'a waiver that now names no file: the count of one file is not its',
      counted: { input: 'a.ndjson' },
      parts: [[40, undefined, undefined]],
    },
  ];
  it.each(table)('$name', ({ counted: entry, input, parts }) => {
    const w = waiver({ rows: [{ from: 1, to: 10 }], ...(input === undefined ? {} : { input }) });
    const applied = applyWaivers(report(entry), [w], TODAY);
    expect(applied.issues.map((i) => [i.count, i.acceptedBy, i.input])).toEqual(parts);
    // the accepted part keeps the examples of its file and rows only
    const inside = applied.issues.find((i) => i.acceptedBy !== undefined);
    if (inside) expect(inside.examples.every((e) => e.input === 'a.ndjson' && (e.row ?? 0) <= 10)).toBe(true);
  });
});

describe('the files a waiver accepted occurrences in', () => {
  const SHOE = 'http://clinic.test/fhir/ext/shoe-size';
  const w = (fields: Partial<Waiver>) =>
    waiver({ rule: 'fhir-unknown-extension', column: undefined, extension: SHOE, ...fields });
  const issue = (count: number, inputs: string[], input?: string): ReportIssue => ({
    rule: 'fhir-unknown-extension',
    severity: 'error',
    location: SHOE,
    message: `The extension ${SHOE} is not defined`,
    count,
    examples: inputs.map((name, row) => ({ input: name, row: row + 1 })),
    ...(input === undefined ? {} : { input }),
  });
  const report = (names: string[], issues: ReportIssue[]): Report => ({
    ...fixtureReport(),
    inputs: names.map((name) => ({ name, kind: 'ndjson' as const, records: 10, invalid: 10 })),
    summary: { records: 10 * names.length, valid: 0, invalid: 10 * names.length, errors: 0, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues,
  });
  const table: { name: string; names: string[]; issues: ReportIssue[]; waiver: Waiver; files: string[] }[] = [
    {
      name: 'one file: nothing to tell apart',
      names: ['p.ndjson'],
      issues: [issue(3, ['p.ndjson'])],
      waiver: w({}),
      files: [],
    },
    {
      name: 'a part the run said is of q.ndjson',
      names: ['p.ndjson', 'q.ndjson'],
      issues: [issue(30, ['q.ndjson'], 'q.ndjson')],
      waiver: w({ input: 'q.ndjson', rows: [{ from: 1, to: 30 }] }),
      files: ['q.ndjson'],
    },
    {
      name: 'every occurrence listed, across two files',
      names: ['p.ndjson', 'q.ndjson'],
      issues: [issue(2, ['q.ndjson', 'p.ndjson'])],
      waiver: w({}),
      files: ['p.ndjson', 'q.ndjson'],
    },
    {
      name: 'a waiver of A/p.ndjson holds B/p.ndjson too, by its file name: both said',
      names: ['A/p.ndjson', 'B/p.ndjson', 'q.ndjson'],
      issues: [issue(60, ['A/p.ndjson', 'B/p.ndjson'])],
      waiver: w({ input: 'A/p.ndjson' }),
      files: ['A/p.ndjson', 'B/p.ndjson'],
    },
    {
      name: 'occurrences not all listed, across files, by a waiver of any file: not said',
      names: ['p.ndjson', 'q.ndjson'],
      issues: [issue(60, ['p.ndjson', 'q.ndjson'])],
      waiver: w({}),
      files: [],
    },
  ];
  it.each(table)('$name', ({ names, issues, waiver: accepting, files }) => {
    const marked = issues.map((i) => ({ ...i, acceptedBy: accepting.id }));
    const active: Report = {
      ...report(names, marked),
      waivers: [{ waiver: accepting, status: 'active', issues: marked.length, occurrences: 0 }],
    };
    expect(waiverFiles(active, accepting.id)).toEqual(files);
    // an expired waiver accepts nothing anywhere
    const expired: Report = {
      ...active,
      waivers: [{ waiver: accepting, status: 'expired', issues: 0, occurrences: 0 }],
    };
    expect(waiverFiles(expired, accepting.id)).toEqual([]);
  });
});
