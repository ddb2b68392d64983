import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import {
  closestHeader,
  compareHeader,
  describeHeaderProblem,
  type ExpectedHeader,
  expectedHeaderOf,
  type HeaderProblem,
  headerMessage,
  looksRenamed,
  withHeaderIssues,
} from './index.ts';

const STRICT: ExpectedHeader = {
  columns: ['patient_id', 'first_name', 'last_name', 'birth_date'],
  required: ['patient_id', 'birth_date'],
  extraAllowed: false,
};

/** A problem as "rule kind? label|field @position severity", short enough for a table. */
function short(p: HeaderProblem): string {
  const name =
    p.rule === 'missing-label' ? p.field : p.kind === 'renamed' ? `${p.label}→${p.field}` : p.label;
  return `${p.rule}${p.kind ? `/${p.kind}` : ''} ${name}${p.position ? `@${p.position}` : ''} ${p.severity}`;
}

describe('compareHeader', () => {
  const table: {
    description: string;
    expected?: ExpectedHeader;
    header: string[];
    exact: boolean;
    fits: boolean;
    problems: string[];
  }[] = [
    {
      description: 'the same columns in the same order',
      header: ['patient_id', 'first_name', 'last_name', 'birth_date'],
      exact: true,
      fits: true,
      problems: [],
    },
    {
      description: 'a required column missing is an error, an optional one a warning',
      header: ['first_name', 'last_name'],
      exact: false,
      fits: false,
      problems: ['missing-label patient_id error', 'missing-label birth_date error'],
    },
    {
      description: 'an optional column missing only: still fits',
      header: ['patient_id', 'first_name', 'birth_date'],
      exact: false,
      fits: true,
      problems: ['missing-label last_name warning'],
    },
    {
      description: 'an extra column when the contract refuses others',
      header: ['patient_id', 'first_name', 'last_name', 'birth_date', 'Id'],
      exact: false,
      fits: false,
      problems: ['extra-label Id@5 error'],
    },
    {
      description: 'an extra column when the contract allows others',
      expected: { ...STRICT, extraAllowed: true },
      header: ['patient_id', 'first_name', 'last_name', 'birth_date', 'Id'],
      exact: false,
      fits: true,
      problems: ['extra-label Id@5 warning'],
    },
    {
      description: 'a blank and a repeated column name',
      header: ['patient_id', '', 'first_name', 'last_name', 'birth_date', 'first_name'],
      exact: false,
      fits: false,
      problems: ['blank-label @2 error', 'duplicate-label first_name@6 error'],
    },
    {
      description: 'renamed-looking columns: other case and spacing, and a typo',
      header: ['Patient ID', 'frist_name', 'last_name', 'birth_date'],
      exact: false,
      fits: false,
      problems: [
        'incorrect-label/renamed Patient ID→patient_id@1 error',
        'incorrect-label/renamed frist_name→first_name@2 error',
      ],
    },
    {
      description: 'reordered columns are a warning: rows are checked by name',
      header: ['patient_id', 'last_name', 'first_name', 'birth_date'],
      exact: false,
      fits: true,
      problems: ['incorrect-label/moved first_name@3 warning'],
    },
    {
      description: 'a differently shaped file of the same name (Synthea patients.csv)',
      header: ['Id', 'BIRTHDATE', 'FIRST', 'LAST'],
      exact: false,
      fits: false,
      problems: [
        'extra-label Id@1 error',
        'incorrect-label/renamed BIRTHDATE→birth_date@2 error',
        'extra-label FIRST@3 error',
        'extra-label LAST@4 error',
        'missing-label patient_id error',
        'missing-label first_name warning',
        'missing-label last_name warning',
      ],
    },
  ];
  it.each(table)('$description', ({ expected = STRICT, header, exact, fits, problems }) => {
    const comparison = compareHeader(expected, header);
    expect(comparison.problems.map(short)).toEqual(problems);
    expect(comparison.exact).toBe(exact);
    expect(comparison.fits).toBe(fits);
  });

  it('scores the exact header 1, nothing shared 0, and a close header in between', () => {
    expect(compareHeader(STRICT, [...STRICT.columns]).score).toBe(1);
    expect(compareHeader(STRICT, ['a', 'b']).score).toBe(0);
    const close = compareHeader(STRICT, ['patient_id', 'first_name', 'last_name']).score;
    expect(close).toBeGreaterThan(0.5);
    expect(close).toBeLessThan(1);
  });
});

describe('looksRenamed', () => {
  it.each([
    ['patient_id', 'PatientID', true],
    ['birth_date', 'Birth Date', true],
    ['first_name', 'frist_name', true],
    ['sex', 'sec', false],
    ['patient_id', 'Id', false],
    ['mrn', '', false],
  ])('%s / %s → %s', (field, label, expected) => {
    expect(looksRenamed(field, label)).toBe(expected);
  });
});

describe('closestHeader', () => {
  const candidates = [
    { value: 'patients', expected: STRICT },
    { value: 'encounters', expected: { columns: ['encounter_id', 'patient_id', 'encounter_date'] } },
    { value: 'patients-wide', expected: { columns: [...STRICT.columns, 'sex'] } },
  ];
  it.each([
    ['an exact header picks its candidate', [...STRICT.columns, 'sex'], 'patients-wide'],
    ['else the closest', ['encounter_id', 'patient_id', 'encounter_date', 'notes'], 'encounters'],
    ['nothing close: none', ['Id', 'BIRTHDATE', 'FIRST', 'LAST'], undefined],
  ])('%s', (_, header, expected) => {
    expect(closestHeader(header, candidates)?.value).toBe(expected);
  });
});

describe('expectedHeaderOf the demo contract', () => {
  const contract = JSON.parse(
    readFileSync(new URL('../../../samples/contracts/patients.contract.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const expected = expectedHeaderOf(contract);
  const csvHeader = readFileSync(new URL('../../../samples/legacy/patients.csv', import.meta.url), 'utf8')
    .split(/\r?\n/, 1)[0]
    ?.split(',') as string[];

  it('fits the demo extract exactly', () => {
    expect(compareHeader(expected, csvHeader).exact).toBe(true);
  });

  it('words a mismatch in one message for clinic staff', () => {
    const comparison = compareHeader(expected, ['Id', ...csvHeader.slice(1)]);
    expect(headerMessage(comparison)).toBe(
      'The columns do not match the contract (2 problems): column 1 "Id" is not in the contract; "patient_id" is missing (every row needs it).',
    );
    expect(comparison.problems.map(describeHeaderProblem)).toHaveLength(2);
  });
});

describe('withHeaderIssues', () => {
  const report = {
    summary: { records: 3, valid: 3, invalid: 0, errors: 1, warnings: 1 },
    issues: [
      { rule: 'csv.blank-label', severity: 'error', location: 'column 2', count: 1, examples: [] },
      { rule: 'csv.mixed-line-endings', severity: 'warning', location: '', count: 1, examples: [] },
    ],
  } as unknown as Report;
  const comparison = compareHeader(STRICT, ['Patient ID', '', 'first_name', 'birth_date', 'note']);

  it("adds each difference once, errors first, and counts them; blank names are the structure check's", () => {
    const out = withHeaderIssues(report, [{ input: 'p.csv', comparison }]);
    expect(out.issues.map((i) => `${i.severity} ${i.rule} ${i.location}`)).toEqual([
      'error incorrect-label patient_id',
      'error extra-label note',
      'error csv.blank-label column 2',
      'warning missing-label last_name',
      'warning csv.mixed-line-endings ',
    ]);
    expect(out.summary).toMatchObject({ errors: 3, warnings: 2 });
    expect(out.issues[0]?.examples).toEqual([{ input: 'p.csv', column: 'patient_id' }]);
    expect(report.issues).toHaveLength(2);
  });

  it('leaves a report without differences as it is', () => {
    expect(withHeaderIssues(report, [])).toBe(report);
  });

  it('counts the records of a file whose rows were not checked as not checked, never valid', () => {
    const two = {
      ...report,
      summary: { records: 5, valid: 4, invalid: 1, errors: 1, warnings: 1 },
      inputs: [
        { name: 'p.csv', kind: 'csv', records: 3, valid: 2, invalid: 1 },
        { name: 'q.csv', kind: 'csv', records: 2, valid: 2, invalid: 0 },
      ],
    } as unknown as Report;
    const out = withHeaderIssues(two, [{ input: 'p.csv', comparison, rowsChecked: false }]);
    // the row with a structure problem stays invalid; the others were never checked
    expect(out.inputs[0]).toMatchObject({ records: 3, valid: 0, invalid: 1, unchecked: 2 });
    expect(out.inputs[1]).toEqual(two.inputs[1]);
    expect(out.summary).toMatchObject({ records: 5, valid: 2, invalid: 1, unchecked: 2 });
    // checked anyway (--continue-on-header-mismatch): the counts stay as the rows gave them
    const checked = withHeaderIssues(two, [{ input: 'p.csv', comparison, rowsChecked: true }]);
    expect(checked.summary).toMatchObject({ valid: 4, invalid: 1 });
    expect(checked.summary.unchecked).toBeUndefined();
  });
});
