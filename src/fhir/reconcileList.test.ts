import { describe, expect, it } from 'vitest';
import { restoreCsvCell } from '../core/csv/index.ts';
import type { CountWithExamples, ReconcileExample, ReconcileResult } from './reconcile.ts';
import { filterLines, reconcileCsv, reconcileExport, reconcileLines, valueWords } from './reconcileList.ts';

const tally = (...examples: ReconcileExample[]): CountWithExamples => ({ count: examples.length, examples });

function result(overrides: Partial<ReconcileResult> = {}): ReconcileResult {
  return {
    identifierSystem: 'urn:mrn',
    extract: { records: 10, withoutIdentifier: 0, duplicates: tally() },
    server: { records: 9, withoutIdentifier: 0, duplicates: tally() },
    matched: 7,
    missingOnServer: tally(),
    extraOnServer: tally(),
    mismatches: { name: tally(), birthDate: tally(), gender: tally() },
    ...overrides,
  };
}

const sample = result({
  missingOnServer: tally({ identifier: 'M9', row: 9 }, { identifier: 'M2', row: 2 }),
  extraOnServer: tally({ identifier: 'X2', id: 's2' }, { identifier: 'X1', id: 's1' }),
  mismatches: {
    name: tally({ identifier: 'A5', row: 5, id: 'p5', values: { file: 'Smith|Ann', server: '=Smyth|Ann' } }),
    birthDate: tally({ identifier: 'A5', row: 5, id: 'p5', values: { file: '1980-01-02' } }),
    gender: tally({ identifier: '=HYPERLINK("x")', row: 7, id: 'p7' }),
  },
  extract: { records: 10, withoutIdentifier: 0, duplicates: tally({ identifier: 'A5', row: 8 }) },
});

describe('reconcileLines', () => {
  it('lists every patient in the file’s row order, server-only ones last by identifier', () => {
    expect(reconcileLines(sample).map((l) => `${l.problem}:${l.identifier}`)).toEqual([
      'missing-on-server:M2',
      'name-differs:A5',
      'birthDate-differs:A5',
      'gender-differs:=HYPERLINK("x")',
      'repeated-in-file:A5',
      'missing-on-server:M9',
      'extra-on-server:X1',
      'extra-on-server:X2',
    ]);
  });

  it('refuses a result that kept fewer examples than it counted', () => {
    const cut = result({ missingOnServer: { count: 3, examples: [{ identifier: 'M1', row: 1 }] } });
    expect(() => reconcileLines(cut)).toThrow(/1 of 3/);
  });
});

describe('filterLines', () => {
  const lines = reconcileLines(sample);
  it.each([
    { problem: undefined, search: '', expected: 8 },
    { problem: 'missing-on-server' as const, search: '', expected: 2 },
    { problem: undefined, search: 'a5', expected: 3 },
    { problem: 'name-differs' as const, search: ' A5 ', expected: 1 },
    { problem: 'extra-on-server' as const, search: 'M', expected: 0 },
  ])('$problem and "$search" keep $expected', ({ problem, search, expected }) => {
    expect(filterLines(lines, problem, search)).toHaveLength(expected);
  });
});

describe('reconcileCsv', () => {
  it('writes one line per problem, with formulas neutralised and read back unchanged', () => {
    const csv = reconcileCsv(reconcileLines(sample));
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('problem,description,identifier,file_row,server_id,file_value,server_value');
    expect(rows).toHaveLength(9);
    expect(rows[2]).toBe('name-differs,Name differs,A5,5,p5,"Smith, Ann","\'=Smyth, Ann"');
    expect(rows[3]).toBe('birthDate-differs,Birth date differs,A5,5,p5,1980-01-02,');
    const formula = rows.find((r) => r.startsWith('gender-differs')) ?? '';
    expect(formula).toBe(`gender-differs,Sex differs,"'=HYPERLINK(""x"")",7,p7,,`);
    expect(restoreCsvCell('\'=HYPERLINK("x")')).toBe('=HYPERLINK("x")');
    expect(rows.at(-1)).toBe('extra-on-server,On the server but not in the file,X2,,s2,,');
  });

  it('leaves every value out when asked, keeping identifiers, rows and record ids', () => {
    const csv = reconcileCsv(reconcileLines(sample), { hideValues: true });
    expect(csv).not.toMatch(/Smith|Smyth|1980/);
    expect(csv.split('\r\n')[2]).toBe('name-differs,Name differs,A5,5,p5,,');
  });
});

describe('reconcileExport', () => {
  it('carries the counts and every line', () => {
    const json = reconcileExport(sample, {
      generatedAt: '2026-11-24T12:00:00.000Z',
      server: 'http://127.0.0.1:8080',
      file: 'patients.csv',
    });
    expect(json.counts).toEqual({
      'missing-on-server': 2,
      'extra-on-server': 2,
      'name-differs': 1,
      'birthDate-differs': 1,
      'gender-differs': 1,
      'repeated-in-file': 1,
      'repeated-on-server': 0,
    });
    expect(json.lines).toHaveLength(8);
    expect(json.matched).toBe(7);
    expect(json.valuesHidden).toBe(false);
    expect(json.lines.find((l) => l.problem === 'name-differs')).toMatchObject({
      file: 'Smith, Ann',
      server: '=Smyth, Ann',
    });
    const hidden = reconcileExport(sample, { generatedAt: '', server: '', file: '' }, { hideValues: true });
    expect(hidden.valuesHidden).toBe(true);
    expect(JSON.stringify(hidden.lines)).not.toMatch(/Smith|Smyth|1980/);
  });
});

describe('valueWords', () => {
  it.each([
    { problem: 'name-differs' as const, value: 'Smith|Ann Marie', expected: 'Smith, Ann Marie' },
    { problem: 'name-differs' as const, value: '|Ann', expected: 'Ann' },
    { problem: 'name-differs' as const, value: 'Smith|', expected: 'Smith' },
    { problem: 'birthDate-differs' as const, value: '1980|01', expected: '1980|01' },
  ])('$value as $expected', ({ problem, value, expected }) => {
    expect(valueWords(problem, value)).toBe(expected);
  });
});
