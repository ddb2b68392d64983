/**
 * The drill-down's marks for mapped findings, per failing row: only the groups holding the row
 * mark it, a report example of the row narrows a grouped path to its exact column, and a cell's
 * words name the column and the field of the new record (and the contract, when it breaks both).
 */
import { describe, expect, it } from 'vitest';
import { mappingOf } from '../../core/mapping/index.ts';
import { createIssueRows } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { cellProblem, mappedCells, mappedGroups } from './mappedCells.ts';

const HEADER = ['mrn', 'first_name', 'middle_name', 'phone', 'sex', 'note'];
const MAPPING = mappingOf([
  { target: 'mrn', from: 'mrn' },
  { target: 'name.given[0]', from: 'first_name' },
  { target: 'name.given[1]', from: 'middle_name' },
  { target: 'phone', from: 'phone' },
  { target: 'sex', from: 'sex' },
]);

// failing rows (positions 0..3) are file rows 10, 20, 30, 40
const ROWS = [10, 20, 30, 40];
const collector = createIssueRows();
collector.add('contract.pattern', 'phone', 0);
collector.add('target.pattern', 'phone', 0);
collector.add('target.pattern', 'name.given', 1);
collector.add('target.pattern', 'name.given', 2);
collector.add('mapping.codeMap', 'sex', 2);
const INDEX = { input: 'patients.csv', header: HEADER, issues: collector.state().groups };

function report(examples: { row: number; column?: string; path?: string; input?: string }[]): Report {
  return {
    issues: [{ rule: 'target.pattern', location: 'name.given', severity: 'error', count: 2, examples }],
  } as unknown as Report;
}

const cellsOf = (marked: Map<number, string[]>) =>
  Object.fromEntries([...marked].map(([c, targets]) => [HEADER[c], targets]));

describe('the cells mapped findings mark in a failing row', () => {
  const cases = [
    {
      description: 'a row of one target finding: its column, not the contract’s group',
      position: 0,
      examples: [],
      expected: { phone: ['phone'] },
    },
    {
      description: 'a grouped path without the row’s trace: every column filling it',
      position: 1,
      examples: [],
      expected: { first_name: ['name.given[0]'], middle_name: ['name.given[1]'] },
    },
    {
      description: 'a report example of the row: exactly its column',
      position: 1,
      examples: [{ row: 20, column: 'middle_name', path: 'name.given[1]' }],
      expected: { middle_name: ['name.given[1]'] },
    },
    {
      description: 'an example of another row or another file changes nothing',
      position: 1,
      examples: [
        { row: 30, column: 'middle_name', path: 'name.given[1]' },
        { row: 20, column: 'middle_name', path: 'name.given[1]', input: 'other.csv' },
      ],
      expected: { first_name: ['name.given[0]'], middle_name: ['name.given[1]'] },
    },
    {
      description: 'two findings in one row: both columns',
      position: 2,
      examples: [{ row: 30, column: 'first_name', path: 'name.given[0]' }],
      expected: { first_name: ['name.given[0]'], sex: ['sex'] },
    },
    { description: 'a row no mapped finding holds: nothing', position: 3, examples: [], expected: {} },
  ];
  it.each(cases)('$description', ({ position, examples, expected }) => {
    const groups = mappedGroups(INDEX, MAPPING, report(examples));
    expect(cellsOf(mappedCells(groups, MAPPING, HEADER, position, ROWS[position] as number))).toEqual(
      expected,
    );
  });

  it('marks nothing without a mapping', () => {
    expect(mappedGroups(INDEX, undefined, undefined)).toEqual([]);
    const groups = mappedGroups(INDEX, MAPPING, undefined);
    expect(mappedCells(groups, undefined, HEADER, 0, 10).size).toBe(0);
  });
});

describe('what a marked cell says', () => {
  const cases = [
    { contract: true, targets: undefined, expected: 'problem in phone' },
    {
      contract: false,
      targets: ['phone'],
      expected: 'problem in phone: it does not make a valid phone in the new record',
    },
    {
      contract: true,
      targets: ['Patient.telecom[0].value', 'Patient.telecom[1].value'],
      expected:
        'problem in phone: it breaks the column contract, and it does not make a valid Patient.telecom[0].value or Patient.telecom[1].value in the new record',
    },
  ];
  it.each(cases)('$expected', ({ contract, targets, expected }) => {
    expect(cellProblem('phone', contract, targets)).toBe(expected);
  });
});
