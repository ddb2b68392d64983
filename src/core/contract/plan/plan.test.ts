/**
 * The plan and ajv agree: for the demo contracts and for generated contracts, on
 * generated rows, plan-valid ⇔ ajv-valid, and the plan's failures are ajv's errors (same rule,
 * same column). Where a contract uses what the plan cannot express, the plan says so (the column
 * or the whole row "needs full validation") instead of guessing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleContract } from '../../../../tests/migration/sources.ts';
import { compileColumnContract } from '../columnContract.ts';
import { contractRuleId } from './checks/index.ts';
import { compilePlan } from './compilePlan.ts';
import {
  CELL_FAILS,
  CELL_NEEDS_FULL,
  createPlanRunner,
  type PlanRunner,
  ROW_INVALID,
  ROW_NEEDS_FULL,
  ROW_VALID,
} from './runPlan.ts';

/** Cells that probe coercion, formats, patterns and lengths. */
const cell = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '1',
    '0',
    '-0',
    '01',
    '1.5',
    '1e3',
    '1E+2',
    ' 1',
    '+1',
    '.5',
    '1.',
    'NaN',
    'Infinity',
    '1e400',
  ),
  fc.constantFrom('true', 'false', 'True', 'null'),
  fc.constantFrom(
    '2024-02-29',
    '2023-02-29',
    '2023-02-30',
    '1999-12-31',
    '11/09/1938',
    '20.09.2017',
    '2024-7-1',
  ),
  fc.constantFrom(
    'a@b.co',
    'margaret.kim.example.org',
    'x@y',
    'P000123',
    'E0000001',
    'I10',
    '401.9',
    'NKDA',
    'M',
    'F',
    'X',
  ),
  fc.constantFrom(
    '2024-01-01T10:00:00Z',
    '10:00:00Z',
    'http://example.test/a',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.constantFrom('Zoë', '😀😀', ' lead', 'trail ', '=SUM(1)', 'a\nb'),
  fc.stringMatching(/^[0-9A-Za-z .\-/@]{0,12}$/),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 100000 }).map(String),
);

/** The row's verdict from its cells' verdicts, as validateCsv's fast path reads them. */
function cellVerdict(runner: PlanRunner, fields: readonly string[]): number {
  let bits = runner.rowVerdict;
  runner.columns.forEach((column, i) => {
    const text = fields[i];
    bits |= text === undefined || text === '' ? column.empty : column.of(text);
  });
  return bits & CELL_NEEDS_FULL ? ROW_NEEDS_FULL : bits & CELL_FAILS ? ROW_INVALID : ROW_VALID;
}

const compiledContracts = new WeakMap<object, ReturnType<typeof compileColumnContract>>();

function agree(contract: Record<string, unknown>, header: string[], rows: string[][]) {
  const compiled = compiledContracts.get(contract) ?? compileColumnContract(contract);
  compiledContracts.set(contract, compiled);
  if (!compiled.ok) return; // a generated contract ajv refuses is not a contract
  const plan = compilePlan(contract);
  expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  const runner = createPlanRunner(plan, header);
  for (const fields of rows) {
    const verdict = runner.check(fields);
    // cell by cell (each cell's verdict cached per value by the profiles) the plan says the same
    expect(cellVerdict(runner, fields)).toBe(verdict);
    const valid = compiled.validate(runner.rowObject(fields));
    if (verdict === ROW_NEEDS_FULL) continue; // the plan did not guess
    expect(verdict === ROW_VALID).toBe(valid);
    const planned = new Set(runner.failures.map((f) => `${f.rule} ${f.column}`));
    const ajvErrors = new Set(
      (compiled.validate.errors ?? []).map((e) => {
        const column =
          e.keyword === 'required'
            ? (e.params.missingProperty as string)
            : e.keyword === 'additionalProperties'
              ? (e.params.additionalProperty as string)
              : (e.instancePath.split('/')[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
        return `${contractRuleId(e.keyword)} ${column}`;
      }),
    );
    expect(planned).toEqual(ajvErrors);
  }
}

describe('plan ⇔ ajv on the demo contracts', () => {
  for (const file of ['patients.contract.json', 'encounters.contract.json']) {
    it(`agree on generated rows (${file})`, () => {
      const { contract, plan } = sampleContract(file);
      expect(plan.full).toBeUndefined();
      expect(plan.columns.every((c) => c.full === undefined)).toBe(true);
      const header = Object.keys(contract.properties as object);
      fc.assert(
        fc.property(
          fc.array(fc.array(cell, { minLength: header.length - 2, maxLength: header.length + 1 }), {
            maxLength: 20,
          }),
          (rows) => {
            agree(contract, [...header, 'extra'], rows);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

const propertySchema = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('string', 'number', 'integer', 'boolean'),
      fc.constantFrom(['string', 'number'], ['number', 'boolean'], ['integer', 'string']),
    ),
    pattern: fc.constantFrom('^\\d+$', '^[A-Z]', '\\S$', '^(?:NKDA|[a-z]+)$', '^\\d{4}-\\d{2}-\\d{2}$'),
    enum: fc.constantFrom(['M', 'F'], [1, 2, '3'], [true, 'true'], ['', 'a']),
    const: fc.constantFrom('x', 1, true),
    format: fc.constantFrom('date', 'email', 'date-time', 'time', 'uri', 'uuid', 'ipv4', 'int32'),
    minLength: fc.integer({ min: 0, max: 4 }),
    maxLength: fc.integer({ min: 0, max: 6 }),
    minimum: fc.integer({ min: -5, max: 5 }),
    maximum: fc.integer({ min: 0, max: 1000 }),
    exclusiveMinimum: fc.double({ min: -2, max: 2, noNaN: true }),
    exclusiveMaximum: fc.integer({ min: 0, max: 100 }),
    // what the plan cannot express: the column must be marked, not guessed
    multipleOf: fc.constantFrom(2, 0.5),
    anyOf: fc.constant([{ pattern: '^a' }, { pattern: 'b$' }]),
    title: fc.constant('a title'),
  },
  { requiredKeys: [] },
);

describe('plan ⇔ ajv on generated contracts', () => {
  it('agree, or mark what they cannot express', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e f', 'x/y'), { minLength: 1, maxLength: 4 }),
        fc.array(propertySchema, { minLength: 4, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(undefined, false, true),
        fc.array(fc.array(cell, { minLength: 0, maxLength: 5 }), { maxLength: 12 }),
        (names, schemas, required, additional, rows) => {
          const properties = Object.fromEntries(names.map((n, i) => [n, schemas[i]]));
          const contract: Record<string, unknown> = {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            properties,
            required: names.filter((_, i) => required[i]),
          };
          if (additional !== undefined) contract.additionalProperties = additional;
          const plan = compilePlan(contract);
          for (const column of plan.columns) {
            const schema = properties[column.column] as Record<string, unknown>;
            const cannot = 'multipleOf' in schema || 'anyOf' in schema;
            expect(column.full !== undefined).toBe(cannot);
          }
          agree(contract, [...names, 'other'], rows);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives the same verdict cell by cell for headers with repeated, unknown and missing columns', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }),
        fc.array(propertySchema, { minLength: 4, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(undefined, false, true),
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'z'), { maxLength: 6 }),
        fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { maxLength: 12 }),
        (names, schemas, required, additional, header, rows) => {
          const contract: Record<string, unknown> = {
            type: 'object',
            properties: Object.fromEntries(names.map((n, i) => [n, schemas[i]])),
            required: ['z', ...names.filter((_, i) => required[i])],
          };
          if (additional !== undefined) contract.additionalProperties = additional;
          const runner = createPlanRunner(compilePlan(contract), header);
          for (const fields of rows) expect(cellVerdict(runner, fields)).toBe(runner.check(fields));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same verdicts when a date format makes its column’s YYYY-MM-DD pattern redundant', () => {
    const dates = fc.oneof(
      fc.constantFrom('2024-02-29', '2023-02-29', '2023-13-01', '2024-7-1', '٢٠٢٤-01-01', '2024-01-01 ', 'x'),
      fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
      fc.stringMatching(/^[0-9/-]{8,11}$/),
    );
    for (const pattern of [
      '^\\d{4}-\\d{2}-\\d{2}$',
      '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      '^19\\d{2}-\\d{2}-\\d{2}$',
    ]) {
      const contract = { type: 'object', properties: { d: { type: 'string', pattern, format: 'date' } } };
      const runner = createPlanRunner(compilePlan(contract), ['d']);
      expect(runner.columns[0]?.kind).toBe('date:YYYY-MM-DD');
      fc.assert(
        fc.property(fc.array(dates, { minLength: 1, maxLength: 20 }), (cells) => {
          for (const c of cells) agree(contract, ['d'], [[c]]);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('marks root keywords it cannot express: every row needs full validation', () => {
    const contract = { type: 'object', properties: { a: { type: 'string' } }, allOf: [{ required: ['a'] }] };
    const plan = compilePlan(contract);
    expect(plan.full?.reasons).toEqual(['allOf']);
    expect(createPlanRunner(plan, ['a']).check(['x'])).toBe(ROW_NEEDS_FULL);
  });

  it('runs required and closed-contract checks itself', () => {
    const plan = compilePlan({
      type: 'object',
      additionalProperties: false,
      required: ['a', 'z'],
      properties: { a: {} },
    });
    const runner = createPlanRunner(plan, ['a', 'b']);
    expect(runner.check(['1', ''])).toBe(ROW_INVALID);
    expect(runner.failures.map((f) => `${f.rule} ${f.column}`)).toEqual(['contract.required z']);
    expect(runner.check(['', 'x'])).toBe(ROW_INVALID);
    expect(runner.failures.map((f) => `${f.rule} ${f.column}`).sort()).toEqual([
      'contract.additionalProperties b',
      'contract.required a',
      'contract.required z',
    ]);
  });
});

describe('the kinds the plan’s cell verdicts imply (the profile skips classifying accepted cells)', () => {
  const cases: { description: string; schema: Record<string, unknown>; kind: string | undefined }[] = [
    { description: 'an id layout', schema: { type: 'string', pattern: '^P\\d{7}$' }, kind: 'text' },
    { description: 'a date format', schema: { type: 'string', format: 'date' }, kind: 'date:YYYY-MM-DD' },
    {
      description: 'an e-mail format',
      schema: { type: 'string', format: 'email', maxLength: 254 },
      kind: 'email',
    },
    {
      description: 'digits (integer or YYYYMMDD)',
      schema: { type: 'string', pattern: '^\\d{8}$' },
      kind: undefined,
    },
    { description: 'a length only', schema: { type: 'string', maxLength: 10 }, kind: undefined },
    {
      description: 'a coerced column (a number passes a pattern)',
      schema: { type: 'integer', pattern: '^P\\d{7}$' },
      kind: undefined,
    },
  ];
  for (const { description, schema, kind } of cases) {
    it(`${description}: ${kind ?? 'none'}`, () => {
      const plan = compilePlan({ type: 'object', properties: { c: schema } } as never);
      const runner = createPlanRunner(plan, ['c']);
      expect(runner.columns[0]?.kind).toBe(kind);
    });
  }
});
