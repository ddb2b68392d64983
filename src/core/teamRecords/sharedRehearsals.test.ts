/**
 * A shared project's rehearsals from the summaries members shared: a comparison made from two
 * summaries is the one made from the two reports (per file: a rule and column in one file never
 * matches the same in another), the trend counts the same errors, every member's runs form one
 * series with who ran each, runs not shared yet are said so, and a summary that kept no problems
 * is said to be why there is no comparison.
 */
import { describe, expect, it } from 'vitest';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import { compareReports, compareRuns, isComparable, runErrors } from '../validation/index.ts';
import {
  compareLatest,
  datedAfterReceipt,
  type ReportSummary,
  rehearsalHistory,
  reportSummaryOf,
  runOfSummary,
  type SharedRunSummary,
} from './index.ts';

const inFile = (input: string, rule: string, location: string, count: number): ReportIssue => ({
  rule,
  severity: 'error',
  location,
  count,
  message: `${location} failed ${rule}`,
  examples: [{ input, row: 2, column: location }],
});

/** A run of `files` ([name, contract?]) with `issues` and, optionally, repeated keys per file. */
function run(
  id: string,
  at: string,
  files: [string, string?][],
  issues: ReportIssue[],
  repeated: [string, number][] = [],
): Report & { id: string } {
  const errors = issues.reduce((n, i) => n + i.count, 0);
  return {
    ...fixtureReport(id, at),
    inputs: files.map(([name, schema]) => ({
      name,
      kind: 'csv',
      records: 50,
      ...(schema ? { schema } : {}),
    })),
    summary: { records: 50 * files.length, valid: 40, invalid: 10, errors, warnings: 0 },
    issues,
    crossFile: {
      duplicateKeys: [],
      orphanReferences: [],
      duplicateTotals: repeated.map(([input, records]) => ({
        input,
        column: 'id',
        keys: records,
        records,
        conflictingKeys: 0,
      })),
    },
  };
}

const TWO_FILES: [string, string?][] = [
  ['patients.csv', 'urn:p'],
  ['visits.csv', 'urn:v'],
];

const pairs: { description: string; previous: Report & { id: string }; current: Report & { id: string } }[] =
  [
    {
      description: 'a fix in one file and a regression in another that share a column',
      previous: run('r1', '2026-03-01T09:00:00Z', TWO_FILES, [
        inFile('patients.csv', 'contract.required', 'status', 3),
      ]),
      current: run('r2', '2026-03-08T09:00:00Z', TWO_FILES, [
        inFile('visits.csv', 'contract.required', 'status', 3),
      ]),
    },
    {
      description: 'drops renamed under their contracts, worse in one and still failing in the other',
      previous: run(
        'r1',
        '2026-03-01T09:00:00Z',
        [
          ['patients-jan.csv', 'urn:p'],
          ['visits-jan.csv', 'urn:v'],
        ],
        [inFile('patients-jan.csv', 'a', 'status', 2), inFile('visits-jan.csv', 'a', 'status', 4)],
      ),
      current: run(
        'r2',
        '2026-03-08T09:00:00Z',
        [
          ['patients-feb.csv', 'urn:p'],
          ['visits-feb.csv', 'urn:v'],
        ],
        [inFile('patients-feb.csv', 'a', 'status', 5), inFile('visits-feb.csv', 'a', 'status', 1)],
      ),
    },
    {
      description: 'repeated keys that moved from one file to the other',
      previous: run('r1', '2026-03-01T09:00:00Z', TWO_FILES, [], [['patients.csv', 2]]),
      current: run('r2', '2026-03-08T09:00:00Z', TWO_FILES, [], [['visits.csv', 2]]),
    },
    {
      description: 'a run of one file',
      previous: run(
        'r1',
        '2026-03-01T09:00:00Z',
        [['patients.csv']],
        [inFile('patients.csv', 'a', 'dob', 1)],
      ),
      current: run('r2', '2026-03-08T09:00:00Z', [['patients.csv']], [inFile('patients.csv', 'b', 'dob', 1)]),
    },
  ];

const summarised = (report: Report & { id: string }) => runOfSummary(reportSummaryOf(report));
const shape = (c: ReturnType<typeof compareReports>) =>
  c.entries.map((e) => `${e.status} ${e.input ?? '-'} ${e.rule} ${e.location} ${e.previous}→${e.current}`);

describe('a comparison made from shared summaries', () => {
  it.each(pairs)('is the one made from the reports: $description', ({ previous, current }) => {
    const [before, now] = [summarised(previous), summarised(current)];
    if (!isComparable(before) || !isComparable(now)) throw new Error('a summary kept no problems');
    expect(compareRuns(before, now)).toEqual(compareReports(previous, current));
    expect([before.errors, now.errors]).toEqual([runErrors(previous), runErrors(current)]);
  });

  it('keeps a rule and column in one file apart from the same in another', () => {
    const { previous, current } = pairs[0] as (typeof pairs)[number];
    const before = summarised(previous);
    const now = summarised(current);
    if (!isComparable(before) || !isComparable(now)) throw new Error('a summary kept no problems');
    expect(shape(compareRuns(before, now))).toEqual([
      'new visits.csv contract.required status 0→3',
      'fixed patients.csv contract.required status 3→0',
    ]);
  });
});

const shared = (
  report: Report & { id: string },
  by: string,
  summary?: Partial<ReportSummary>,
): SharedRunSummary => ({
  summary: { ...reportSummaryOf(report), ...summary },
  by,
  at: report.generatedAt,
});

describe('the rehearsal history of a shared project', () => {
  const third = run('r3', '2026-03-01T09:00:00Z', TWO_FILES, [
    inFile('patients.csv', 'contract.required', 'status', 3),
  ]);
  const fourth = run('r4', '2026-03-08T09:00:00Z', TWO_FILES, [
    inFile('visits.csv', 'contract.required', 'status', 3),
  ]);
  const fifth = run('r5', '2026-03-15T09:00:00Z', TWO_FILES, []);

  it('puts every member’s runs in one series, each with who ran it, and this browser’s unshared run last', () => {
    // this browser (the data lead's) holds the third run, shared, and the fifth, not shared yet;
    // the fourth was run by another member and is known here by its summary alone
    const [check, ...others] = rehearsalHistory(
      [fifth, third],
      [shared(third, 'Dana Reyes'), shared(fourth, 'Ari Patel')],
    );
    expect(others).toEqual([]);
    expect(
      check?.runs.map((r) => [
        r.run.id,
        r.shared?.by ?? 'not shared',
        r.report === undefined ? 'summary' : 'report',
      ]),
    ).toEqual([
      ['r3', 'Dana Reyes', 'report'],
      ['r4', 'Ari Patel', 'summary'],
      ['r5', 'not shared', 'report'],
    ]);
    expect(check?.runs.map((r) => r.run.errors)).toEqual([3, 3, 0]);
  });

  it('compares another member’s run with this browser’s, per file, as the reports would be', () => {
    const [check] = rehearsalHistory([third], [shared(third, 'Dana Reyes'), shared(fourth, 'Ari Patel')]);
    const latest = compareLatest(check as NonNullable<typeof check>);
    if (!('comparison' in latest)) throw new Error('not compared');
    expect(latest.latest.shared?.by).toBe('Ari Patel');
    expect(latest.comparison).toEqual(compareReports(third, fourth));
  });

  it('every member builds the same history from the same summaries, whatever order they came in', () => {
    const summaries = [shared(third, 'Dana Reyes'), shared(fourth, 'Ari Patel'), shared(fifth, 'Dana Reyes')];
    const strip = (checks: ReturnType<typeof rehearsalHistory>) =>
      checks.map((c) => c.runs.map((r) => [r.run.id, r.run.errors, r.shared?.by]));
    expect(strip(rehearsalHistory([], [...summaries].reverse()))).toEqual(
      strip(rehearsalHistory([third], summaries)),
    );
  });

  it('orders shared runs by when the server received them, not by the date their sharer gave', () => {
    // a member's computer dated the fourth run 2099; the server received it before the fifth
    const ahead = { ...shared(fourth, 'Ari Patel'), at: '2026-03-09T09:00:00Z' };
    ahead.summary = { ...ahead.summary, generatedAt: '2099-01-01T00:00:00Z' };
    const [check] = rehearsalHistory([], [ahead, shared(fifth, 'Dana Reyes'), shared(third, 'Dana Reyes')]);
    expect(check?.runs.map((r) => r.run.id)).toEqual(['r3', 'r4', 'r5']);
    // its own date is kept for what the screen shows, and said to be after its receipt
    expect(check?.runs[1]?.run.generatedAt).toBe('2099-01-01T00:00:00Z');
    expect(datedAfterReceipt('2099-01-01T00:00:00Z', ahead.at)).toBe(true);
    expect(datedAfterReceipt(fifth.generatedAt, '2026-03-15T09:00:01Z')).toBe(false);
    expect(datedAfterReceipt('2099-01-01T00:00:00Z', undefined)).toBe(false);
  });

  it('says which run kept no problems, and why, instead of comparing', () => {
    const { problems: _, ...older } = reportSummaryOf(third);
    const [check] = rehearsalHistory(
      [],
      [
        { summary: older, by: 'Dana Reyes', at: third.generatedAt },
        shared(fourth, 'Ari Patel', { problems: undefined, problemsLeftOut: 2500 }),
      ],
    );
    const latest = compareLatest(check as NonNullable<typeof check>);
    expect('gap' in latest && latest.gap).toEqual({
      runs: ['previous', 'latest'],
      leftOut: { latest: 2500 },
    });
  });

  it('groups a project this browser holds alone by its reports, every run its own', () => {
    const [check] = rehearsalHistory([fourth, third]);
    expect(check?.runs.map((r) => [r.run.id, r.shared])).toEqual([
      ['r3', undefined],
      ['r4', undefined],
    ]);
  });
});
