/**
 * The cases the SQL engine's tests run (PostgreSQL in tests/unit): one per
 * plan check kind, each with the failing records per rule and column written out, and the JS
 * engine's counts (createPlanRunner) to compare with.
 */
import { compilePlan, createPlanRunner, withNotChecked } from '../../contract/index.ts';

interface SqlCheckCase {
  name: string;
  contract: Record<string, unknown>;
  header: string[];
  rows: string[][];
  /** rule|column → failing records */
  expected: Record<string, number>;
}

export const one = (property: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: { c: property },
  ...extra,
});
export const column = (cells: string[]) => cells.map((cell) => [cell]);

export const SQL_CHECK_CASES: SqlCheckCase[] = [
  {
    name: 'type integer (coerced as a JSON number)',
    contract: one({ type: 'integer' }),
    header: ['c'],
    rows: column(['1', '1.0', '1.5', 'x', 'true', '', '1e400', '-0', '01', '2e3']),
    expected: { 'contract.type|c': 5 },
  },
  {
    name: 'type boolean',
    contract: one({ type: 'boolean' }),
    header: ['c'],
    rows: column(['true', 'false', 'TRUE', '1']),
    expected: { 'contract.type|c': 2 },
  },
  {
    name: 'type number or boolean',
    contract: one({ type: ['number', 'boolean'] }),
    header: ['c'],
    rows: column(['true', '2.5', 'x', '-1e-3']),
    expected: { 'contract.type|c': 1 },
  },
  {
    name: 'type string is any text',
    contract: one({ type: 'string' }),
    header: ['c'],
    rows: column(['1', 'true', 'x']),
    expected: {},
  },
  {
    name: 'pattern (searched, as JS test)',
    contract: one({ type: 'string', pattern: '^[A-Z]{2}\\d{3}$' }),
    header: ['c'],
    rows: column(['AB123', 'ab123', 'AB1234', '']),
    expected: { 'contract.pattern|c': 2 },
  },
  {
    name: 'pattern skips numbers of a numeric column',
    contract: one({ type: ['integer', 'boolean'], pattern: '^x' }),
    header: ['c'],
    rows: column(['12', 'true', 'xy', 'y']),
    expected: { 'contract.type|c': 2, 'contract.pattern|c': 1 },
  },
  {
    name: 'enum of text',
    contract: one({ enum: ['M', 'F', 'U'] }),
    header: ['c'],
    rows: column(['M', 'X', 'm', 'F']),
    expected: { 'contract.enum|c': 2 },
  },
  {
    name: 'enum of numbers with coercion',
    contract: one({ type: 'integer', enum: [1, 2] }),
    header: ['c'],
    rows: column(['1', '2.0', '3', 'a']),
    expected: { 'contract.type|c': 1, 'contract.enum|c': 2 },
  },
  {
    name: 'const',
    contract: one({ const: 'yes' }),
    header: ['c'],
    rows: column(['yes', 'no', 'Yes']),
    expected: { 'contract.const|c': 2 },
  },
  {
    name: 'lengths in code points',
    contract: one({ type: 'string', minLength: 2, maxLength: 3 }),
    header: ['c'],
    rows: column(['a', 'ab', 'abcd', 'é😀', '😀😀😀😀']),
    expected: { 'contract.minLength|c': 1, 'contract.maxLength|c': 2 },
  },
  {
    name: 'minimum and maximum',
    contract: one({ type: 'number', minimum: 0, maximum: 120 }),
    header: ['c'],
    rows: column(['-1', '0', '120', '121', 'abc', '120.5']),
    expected: { 'contract.type|c': 1, 'contract.minimum|c': 1, 'contract.maximum|c': 2 },
  },
  {
    name: 'exclusive limits',
    contract: one({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 }),
    header: ['c'],
    rows: column(['0', '10', '5', '-3']),
    expected: { 'contract.exclusiveMinimum|c': 2, 'contract.exclusiveMaximum|c': 1 },
  },
  {
    name: 'date format (days that exist, leap years)',
    contract: one({ type: 'string', format: 'date' }),
    header: ['c'],
    rows: column([
      '2024-02-29',
      '2023-02-29',
      '2024-13-01',
      '2024-1-01',
      '0000-01-01',
      '1900-02-29',
      '2000-02-29',
      '2024-04-31',
      '2024-00-10',
    ]),
    expected: { 'contract.format|c': 6 },
  },
  {
    name: 'email format (ajv-formats’ full regex, ASCII case only)',
    contract: one({ type: 'string', format: 'email' }),
    header: ['c'],
    rows: column(['a@b.co', 'A.B@EXAMPLE.ORG', 'a@', 'a@-b.co', 'a b@c.d', 'x@b.c', '\u017f@b.co']),
    expected: { 'contract.format|c': 4 },
  },
  {
    name: 'a leading negative look-ahead, and \\S as JS reads it',
    contract: one({ type: 'string', pattern: '^(?![=+\\-@])\\S(?:.*\\S)?$' }),
    header: ['c'],
    rows: column(['Smith', '=SUM(A1)', ' Smith', 'Smith\u00a0', 'a\rb', '-x', 'O’Brien']),
    expected: { 'contract.pattern|c': 5 },
  },
  {
    name: '\\w and \\b as JS reads them (ASCII letters, whatever the database’s locale)',
    contract: one({ type: 'string', pattern: '^\\w+\\b' }),
    header: ['c'],
    rows: column(['abc', 'é', 'ab cd', '_x', 'ñandú', 'a-']),
    expected: { 'contract.pattern|c': 2 },
  },
  {
    name: '\\B and \\W as JS reads them',
    contract: one({ type: 'string', pattern: 'a\\Bb|\\W{3}' }),
    header: ['c'],
    rows: column(['ab', 'a b', 'xaby', 'aéb', 'ééé']),
    expected: { 'contract.pattern|c': 2 },
  },
  {
    name: 'numbers read as JS reads them (a double: more digits round, beyond its range none)',
    contract: one({ type: 'integer' }),
    header: ['c'],
    rows: column([
      '1.00000000000000000001',
      '1.5',
      '1e308',
      '1.7976931348623158e308',
      '1.7976931348623159e308',
    ]),
    expected: { 'contract.type|c': 2 },
  },
  {
    name: 'required: empty cells are absent',
    contract: one({ type: 'string' }, { required: ['c'] }),
    header: ['c'],
    rows: column(['', 'a', '', 'b']),
    expected: { 'contract.required|c': 2 },
  },
  {
    name: 'a blank record fails the contract as any record does',
    contract: {
      type: 'object',
      required: ['a', 'b'],
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
    },
    header: ['a', 'b'],
    rows: [
      ['x', '1'],
      ['', ''],
      ['y', ''],
      ['', ''],
    ],
    expected: { 'contract.required|a': 2, 'contract.required|b': 3 },
  },
  {
    name: 'a record of "no value" texts only is a blank record',
    contract: withNotChecked(
      {
        type: 'object',
        required: ['a'],
        properties: { a: { type: 'string', minLength: 2 }, b: { type: 'string', maxLength: 1 } },
      },
      { notChecked: [], missingValues: ['N/A', 'NULL'] },
    ),
    header: ['a', 'b'],
    rows: [
      ['xy', 'z'],
      ['N/A', 'NULL'],
      ['N/A', 'zz'],
      ['NULL', ''],
      ['x', 'N/A'],
      ['', 'N/A'],
    ],
    expected: { 'contract.required|a': 4, 'contract.minLength|a': 1, 'contract.maxLength|b': 1 },
  },
  {
    name: 'required column missing from the header fails every record',
    contract: { type: 'object', properties: { c: { type: 'string' } }, required: ['c', 'id'] },
    header: ['c'],
    rows: column(['a', 'b']),
    expected: { 'contract.required|id': 2 },
  },
  {
    name: 'a closed contract refuses filled columns it does not name',
    contract: one({ type: 'string' }, { additionalProperties: false }),
    header: ['c', 'extra'],
    rows: [
      ['a', ''],
      ['b', 'x'],
      ['c', 'y'],
    ],
    expected: { 'contract.additionalProperties|extra': 2 },
  },
];

export function csvText(header: string[], rows: string[][]): string {
  const cell = (text: string) => `"${text.split('"').join('""')}"`;
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** The JS engine's plan: rule|column → failing records, and records with any failure. */
export function jsCounts(contract: unknown, header: string[], rows: string[][]) {
  const runner = createPlanRunner(compilePlan(contract), header);
  const counts: Record<string, number> = {};
  let invalid = 0;
  for (const row of rows) {
    runner.check(row);
    if (runner.failures.length > 0) invalid++;
    for (const f of new Set(runner.failures.map((x) => `${x.rule}|${x.column}`))) {
      counts[f] = (counts[f] ?? 0) + 1;
    }
  }
  return { counts, invalid };
}
