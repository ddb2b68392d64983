/**
 * One verdict of a run, read the same everywhere: the outcome line on screen and on the printable
 * page, the CLI's last summary line and exit code, and the readiness gate agree on every
 * combination of errors, accepted errors (waivers), expired waivers, findings across files and
 * files with no records.
 */
import { describe, expect, it } from 'vitest';
import { assessReadiness } from '../../core/readiness/index.ts';
import { goProject, report as storedReport } from '../../core/readiness/testing/crafted.ts';
import { applyWaivers, judgeRun, reportHtml, runOutcome } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { runVerdict } from './validateOptions.ts';

const TODAY = '2026-11-24';

interface Row {
  description: string;
  /** error occurrences (one per record) in patients.csv's birth_date */
  errors: number;
  /** a waiver accepts them */
  waived: boolean;
  /** the waiver's day has passed */
  expired: boolean;
  /** orphan references in patients.csv */
  orphans: number;
  /** an empty lab.csv is checked beside it */
  empty: boolean;
  passes: boolean;
}

const table: Row[] = [
  { description: 'clean', errors: 0, waived: false, expired: false, orphans: 0, empty: false, passes: true },
  {
    description: 'errors',
    errors: 3,
    waived: false,
    expired: false,
    orphans: 0,
    empty: false,
    passes: false,
  },
  {
    description: 'every error accepted',
    errors: 3,
    waived: true,
    expired: false,
    orphans: 0,
    empty: false,
    passes: true,
  },
  {
    description: 'accepted by an expired waiver',
    errors: 3,
    waived: true,
    expired: true,
    orphans: 0,
    empty: false,
    passes: false,
  },
  {
    description: 'accepted errors and an orphan',
    errors: 3,
    waived: true,
    expired: false,
    orphans: 2,
    empty: false,
    passes: false,
  },
  {
    description: 'an orphan only',
    errors: 0,
    waived: false,
    expired: false,
    orphans: 2,
    empty: false,
    passes: false,
  },
  {
    description: 'accepted errors beside an empty file',
    errors: 3,
    waived: true,
    expired: false,
    orphans: 0,
    empty: true,
    passes: true,
  },
  {
    description: 'errors beside an empty file',
    errors: 3,
    waived: false,
    expired: false,
    orphans: 0,
    empty: true,
    passes: false,
  },
  {
    description: 'an expired waiver with no errors',
    errors: 0,
    waived: true,
    expired: true,
    orphans: 0,
    empty: false,
    passes: true,
  },
];

function run(row: Row): { report: Report; bare: Report; waivers: Waiver[] } {
  const records = 10;
  const stored = storedReport(records - row.errors, records);
  const inputs: Report['inputs'] = [
    {
      ...stored.inputs[0],
      name: 'patients.csv',
      kind: 'csv',
      records,
      valid: records - row.errors,
      invalid: row.errors,
    },
    ...(row.empty ? [{ name: 'lab.csv', kind: 'csv' as const, records: 0, valid: 0, invalid: 0 }] : []),
  ];
  const bare: Report = {
    ...stored,
    inputs,
    issues:
      row.errors > 0
        ? [
            {
              rule: 'contract.required',
              severity: 'error',
              location: 'birth_date',
              message: 'is required but empty',
              count: row.errors,
              examples: [{ input: 'patients.csv', row: 1, column: 'birth_date' }],
            },
          ]
        : [],
    crossFile: {
      duplicateKeys: [],
      orphanReferences:
        row.orphans > 0
          ? [{ input: 'patients.csv', column: 'gp', target: 'gps.csv#id', count: row.orphans, examples: [] }]
          : [],
    },
  };
  const waivers: Waiver[] = row.waived
    ? [
        {
          id: 'w1',
          rule: 'contract.required',
          column: 'birth_date',
          rationale: 'walk-ins have no birth date in the old system',
          owner: 'Dana Whitfield',
          expires: row.expired ? '2026-11-23' : '2026-12-31',
        },
      ]
    : [];
  return { report: waivers.length > 0 ? applyWaivers(bare, waivers, TODAY) : bare, bare, waivers };
}

describe('the run’s one verdict, on screen, in print, in the CLI and in readiness', () => {
  it.each(table)('$description', (row) => {
    const { report, bare, waivers } = run(row);
    expect(judgeRun(report).passed).toBe(row.passes);
    // the screen and the printable page open with the same line
    const outcome = runOutcome(report);
    expect(outcome.startsWith('Every file passed')).toBe(row.passes);
    expect(reportHtml(report, 'Run')).toContain(`<strong>${outcome}</strong>`);
    // the CLI's exit code and its last line
    const verdict = runVerdict(report, false);
    expect(verdict.exit).toBe(row.passes ? 0 : 1);
    expect(verdict.line.startsWith(row.passes ? 'Result: passes' : 'Result: fails')).toBe(true);
    if (row.passes && row.waived && !row.expired && row.errors > 0) {
      expect(outcome).toContain(`apart from ${row.errors} accepted`);
      expect(verdict.line).toContain(`${row.errors} accepted errors (waivers)`);
    }
    // with --fail-on-empty, an empty file fails the run in the CLI
    expect(runVerdict(report, true).exit).toBe(row.passes && !row.empty ? 0 : 1);
    // readiness judges the stored report with the project's waivers on the same day
    const project = goProject();
    const judged: Project = {
      ...project,
      meta: { ...project.meta, settings: { ...project.meta.settings, waivers } },
      reports: [{ ...storedReport(0), ...bare }],
    };
    const readiness = assessReadiness(judged, { today: TODAY });
    const evidence = readiness.phases.find((p) => p.id === 'pre-launch')?.evidence[0];
    // a file that passes reads fully valid; readiness blocks on it exactly when the run fails on it
    if (row.passes) expect(evidence?.startsWith('patients.csv: 100 % valid (10 of 10 records)')).toBe(true);
    const blocked = readiness.reasons.some(
      (r) => r.phase === 'pre-launch' && r.text.startsWith('patients.csv:'),
    );
    expect(blocked).toBe(!row.passes && !(row.empty && row.errors === 0 && row.orphans === 0));
  });
});
