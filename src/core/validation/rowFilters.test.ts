/**
 * The drill-down's filters beyond one issue: which the report offers per input (rows with errors,
 * rows with warnings, each cross-file finding with the rows it names), and the union of issue
 * groups that lists the rows with errors without re-reading the file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { createIssueRows, type IssueRowGroup } from './issueRows.ts';
import { errorGroups, rowFilters, unionPositions } from './rowFilters.ts';

const report: Report = {
  format: 'preflight.report/v1',
  generatedAt: '2026-01-02T03:04:05Z',
  tool: { name: 'preflight', version: '1.0.0' },
  inputs: [
    { name: 'patients.csv', kind: 'csv', records: 50, valid: 45, invalid: 5 },
    { name: 'encounters.csv', kind: 'csv', records: 90, valid: 88, invalid: 2 },
  ],
  summary: { records: 140, valid: 133, invalid: 7, errors: 9, warnings: 4 },
  issues: [
    {
      rule: 'contract.pattern',
      severity: 'error',
      location: 'phone',
      count: 5,
      examples: [{ input: 'patients.csv', row: 3, column: 'phone', value: 'x' }],
    },
    {
      rule: 'fhir-unknown-extension',
      severity: 'warning',
      location: 'Patient.extension',
      count: 3,
      examples: [
        { input: 'patients.csv', row: 9, column: 'pharmacy' },
        { input: 'patients.csv', row: 4, column: 'pharmacy' },
      ],
    },
    {
      rule: 'csv.mixed-line-endings',
      severity: 'warning',
      location: '',
      count: 1,
      examples: [{ input: 'patients.csv', row: 4 }],
    },
    {
      rule: 'contract.required',
      severity: 'error',
      location: 'encounter_date',
      count: 2,
      examples: [{ input: 'encounters.csv', row: 7, column: 'encounter_date' }],
    },
  ],
  profiles: [],
  crossFile: {
    duplicateKeys: [
      { input: 'patients.csv', column: 'mrn', key: '1', count: 2, rows: [12, 30] },
      { input: 'patients.csv', column: 'mrn', key: '2', count: 3, rows: [2, 40] },
      { input: 'encounters.csv', column: 'encounter_id', count: 2, rows: [5, 6] },
    ],
    orphanReferences: [
      {
        input: 'encounters.csv',
        column: 'patient_id',
        target: 'patients.csv#patient_id',
        count: 37,
        examples: [{ row: 8, column: 'patient_id', value: 'P9' }],
      },
    ],
    conflictingRecords: [
      { input: 'patients.csv', column: 'mrn', key: '1', count: 2, rows: [30, 12], columns: ['sex'] },
    ],
    duplicateTotals: [
      { input: 'patients.csv', column: 'mrn', keys: 2, records: 3, conflictingKeys: 1 },
      { input: 'encounters.csv', column: 'encounter_id', keys: 1500, records: 1500, conflictingKeys: 0 },
    ],
  },
  timings: { startedAt: '2026-01-02T03:04:00Z', totalMs: 5 },
};

describe('rowFilters', () => {
  it('offers errors and warnings per input, then each cross-file finding with its rows', () => {
    const filters = rowFilters(report, ['patients.csv', 'encounters.csv']);
    expect(
      filters.map((f) => {
        const rows = 'rows' in f ? ` rows ${f.rows.join(' ')}` : '';
        const extra =
          f.kind === 'orphans'
            ? ` ${f.target}#${f.targetColumn} ×${f.count}`
            : f.kind === 'warnings'
              ? ` ×${f.count}`
              : 'complete' in f
                ? ` ${f.complete ? 'complete' : 'first ones'}`
                : '';
        return `${f.kind} ${f.input}${'column' in f ? ` ${f.column}` : ''}${rows}${extra}`;
      }),
    ).toEqual([
      'errors patients.csv',
      // the warnings' example rows, once each, ascending; all 4 warnings counted
      'warnings patients.csv rows 4 9 ×4',
      'errors encounters.csv',
      // a key with 3 records lists 2 rows: the list is the report's first rows
      'duplicates patients.csv mrn rows 2 12 30 40 first ones',
      // 1,500 repeated keys, 1 listed
      'duplicates encounters.csv encounter_id rows 5 6 first ones',
      'conflicts patients.csv mrn rows 12 30 complete',
      'orphans encounters.csv patient_id patients.csv#patient_id ×37',
    ]);
    expect(filters.map((f) => f.label)).toContain(
      'References to missing records: encounters.csv, column patient_id, not found in patients.csv',
    );
    expect(new Set(filters.map((f) => f.id)).size).toBe(filters.length);
  });

  it('offers nothing for files not at hand (an orphan filter needs both files)', () => {
    expect(rowFilters(report, ['encounters.csv']).map((f) => f.kind)).toEqual(['errors', 'duplicates']);
    expect(rowFilters(report, [])).toEqual([]);
  });
});

function group(rule: string, location: string, positions: number[]): IssueRowGroup {
  const rows = createIssueRows();
  for (const p of positions) rows.add(rule, location, p);
  return rows.state().groups[0] as IssueRowGroup;
}

describe('rows with errors', () => {
  it('are the union of the error groups, each position once and ascending', () => {
    const groups = [
      group('contract.pattern', 'phone', [0, 3, 7]),
      group('fhir-unknown-extension', 'Patient.extension', [1, 2]),
      group('csv.missing-cell', 'email', [3, 8]),
    ];
    const errors = errorGroups(report, groups);
    // the warning group is left out; a group the report does not name is an engine row error
    expect(errors.map((g) => g.rule)).toEqual(['contract.pattern', 'csv.missing-cell']);
    expect([...unionPositions(errors, 9)]).toEqual([0, 3, 7, 8]);
  });

  it('the union equals the set of positions for lists and bitsets alike (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.array(fc.nat(2999), { maxLength: 400 }), { maxLength: 6 }),
        (failingCount, sets) => {
          const groups = sets.map((positions, i) =>
            group(
              `r${i}`,
              '',
              [...new Set(positions.filter((p) => p < failingCount))].sort((a, b) => a - b),
            ),
          );
          const expected = [...new Set(sets.flat().filter((p) => p < failingCount))].sort((a, b) => a - b);
          expect([...unionPositions(groups.filter(Boolean), failingCount)]).toEqual(expected);
        },
      ),
    );
  });
});
