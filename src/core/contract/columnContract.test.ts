import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_PROBLEM_CODES as CODES,
  compileColumnContract,
  contractDialect,
  contractPatternPlaces,
  isColumnContract,
  MAX_CONTRACT_NESTING,
} from './columnContract.ts';

const CONTRACTS_DIR = new URL('../../../samples/contracts/', import.meta.url);
const D2020 = 'https://json-schema.org/draft/2020-12/schema';
const rowsOf = (properties: Record<string, unknown>) => ({ type: 'object', properties });

describe('isColumnContract', () => {
  const table: { description: string; input: unknown; expected: boolean }[] = [
    { description: 'a 2020-12 schema', input: { $schema: D2020, type: 'string' }, expected: true },
    {
      description: 'a draft-07 schema (http, with "#")',
      input: { $schema: 'http://json-schema.org/draft-07/schema#' },
      expected: true,
    },
    {
      description: 'a draft-04 schema (recognised, refused later)',
      input: { $schema: 'http://json-schema.org/draft-04/schema#' },
      expected: true,
    },
    {
      description: 'an object schema without $schema',
      input: rowsOf({ a: { type: 'string' } }),
      expected: true,
    },
    { description: 'type object without properties', input: { type: 'object' }, expected: false },
    {
      description: 'properties that are not an object',
      input: { type: 'object', properties: [] },
      expected: false,
    },
    {
      description: '$schema of another host',
      input: { $schema: 'https://example.org/schema' },
      expected: false,
    },
    { description: '$schema that is not a URL', input: { $schema: 'json-schema.org' }, expected: false },
    {
      description: 'a Preflight file, even with a $schema',
      input: { format: 'preflight.workflow/v1', $schema: D2020 },
      expected: false,
    },
    {
      description: 'a schema whose "format" keyword is a string format',
      input: { $schema: D2020, type: 'string', format: 'date' },
      expected: true,
    },
    { description: 'a FHIR resource', input: { resourceType: 'Patient' }, expected: false },
    { description: 'a list', input: [rowsOf({})], expected: false },
    { description: 'null', input: null, expected: false },
    { description: 'a string', input: D2020, expected: false },
  ];
  it.each(table)('$description → $expected', ({ input, expected }) => {
    expect(isColumnContract(input)).toBe(expected);
  });
});

describe('contractDialect', () => {
  it.each([
    [{}, '2020-12'],
    [{ $schema: D2020 }, '2020-12'],
    [{ $schema: `${D2020}#` }, '2020-12'],
    [{ $schema: 'https://json-schema.org/draft/2019-09/schema' }, '2019-09'],
    [{ $schema: 'http://json-schema.org/draft-07/schema#' }, 'draft-07'],
    [{ $schema: 'https://json-schema.org/draft-07/schema' }, 'draft-07'],
    [{ $schema: 'http://json-schema.org/draft-04/schema#' }, null],
    [{ $schema: 'https://json-schema.org/draft/next/schema' }, null],
    [{ $schema: 42 }, null],
  ])('%j → %s', (contract, expected) => {
    expect(contractDialect(contract)).toBe(expected);
  });
});

describe('compileColumnContract', () => {
  it.each(readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.json')))(
    'samples/contracts/%s compiles',
    (file) => {
      const contract = JSON.parse(readFileSync(new URL(file, CONTRACTS_DIR), 'utf8')) as unknown;
      expect(isColumnContract(contract)).toBe(true);
      const result = compileColumnContract(contract as Record<string, unknown>);
      expect(result.ok ? { ok: true, dialect: result.dialect } : result).toEqual({
        ok: true,
        dialect: '2020-12',
      });
    },
  );

  it('returns a validator that checks rows (with formats)', () => {
    const result = compileColumnContract({
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...rowsOf({ dob: { type: 'string', format: 'date' } }),
      required: ['dob'],
    });
    if (!result.ok) throw new Error('expected the contract to compile');
    expect(result.dialect).toBe('draft-07');
    expect(result.validate({ dob: '2000-02-29' })).toBe(true);
    expect(result.validate({ dob: '2001-02-29' })).toBe(false);
    expect(result.validate({})).toBe(false);
    expect(result.validate.errors?.[0]).toMatchObject({ keyword: 'required', instancePath: '' });
  });

  it.each([
    { description: 'a valid row', row: { mrn: '12345678', dob: '2000-02-29', sex: 'F' } },
    { description: 'a bad date', row: { mrn: '12345678', dob: '2001-02-29', sex: 'F' } },
    { description: 'a bad pattern and enum', row: { mrn: '1234', dob: '2000-01-01', sex: 'Q' } },
    { description: 'a missing column', row: { dob: '2000-01-01' } },
    { description: 'an unknown column', row: { mrn: '12345678', dob: '2000-01-01', extra: 'x' } },
  ])('a contract compiled as already checked validates $description the same', ({ row }) => {
    const contract = {
      $schema: D2020,
      ...rowsOf({
        mrn: { type: 'string', pattern: '^\\d{8}$' },
        dob: { type: 'string', format: 'date' },
        sex: { enum: ['F', 'M', 'X'] },
      }),
      required: ['mrn', 'dob'],
      additionalProperties: false,
    };
    const checked = compileColumnContract(contract, { checked: true });
    const plain = compileColumnContract(contract);
    if (!checked.ok || !plain.ok) throw new Error('expected the contract to compile');
    expect(checked.validate(row)).toBe(plain.validate(row));
    expect(checked.validate.errors).toEqual(plain.validate.errors);
  });

  it('a contract compiled as already checked still reports what the compiler refuses', () => {
    const result = compileColumnContract(rowsOf({ a: { type: 'string', format: 'no-such-format' } }), {
      checked: true,
    });
    expect(result.ok ? 'compiled' : result.problems.map((p) => p.code)).toEqual([CODES.unknownFormat]);
  });

  const SECRET = 'Jane Q. Patient';
  const failures: {
    description: string;
    input: Record<string, unknown>;
    expected: { path: string; code: string; message?: unknown }[];
  }[] = [
    {
      description: 'a misspelt type',
      input: rowsOf({ a: { type: 'strnig' } }),
      expected: [
        {
          path: '/properties/a/type',
          code: CODES.invalidSchema,
          message:
            '"type" must be one of: "array", "boolean", "integer", "null", "number", "object", "string"',
        },
      ],
    },
    {
      description: 'several meta-schema violations at once',
      input: { ...rowsOf({ a: { type: 'string', minLength: -1 } }), required: SECRET },
      expected: [
        {
          path: '/properties/a/minLength',
          code: CODES.invalidSchema,
          message: '"minLength" must be at least 0',
        },
        { path: '/required', code: CODES.invalidSchema, message: '"required" must be a list' },
      ],
    },
    {
      description: 'a $ref to a missing definition',
      input: { ...rowsOf({ a: { $ref: '#/$defs/nope' } }), $defs: { yes: { type: 'string' } } },
      expected: [
        {
          path: '/properties/a/$ref',
          code: CODES.unresolvedRef,
          message: '"$ref" points to nothing in this contract',
        },
      ],
    },
    {
      description: 'a $ref to another file, under an $id',
      input: { $id: 'urn:example:c', ...rowsOf({ a: { items: { $ref: 'other.json#/x' } } }) },
      expected: [{ path: '/properties/a/items/$ref', code: CODES.unresolvedRef }],
    },
    {
      description: 'a $ref to another file, under a URL $id',
      input: { $id: 'https://example.org/c', ...rowsOf({ a: { $ref: 'other.json' } }) },
      expected: [
        {
          path: '/properties/a/$ref',
          code: CODES.unresolvedRef,
          message: expect.stringContaining('must be self-contained'),
        },
      ],
    },
    {
      description: 'a misspelt keyword',
      input: rowsOf({ a: { type: 'string' }, b: { type: 'string', requred: true } }),
      expected: [{ path: '/properties/b/requred', code: CODES.unknownKeyword }],
    },
    {
      description: 'an unknown format',
      input: rowsOf({ 'date/of birth': { type: 'string', format: 'dat' } }),
      expected: [{ path: '/properties/date~1of birth/format', code: CODES.unknownFormat }],
    },
    {
      description: 'invalid regular expressions, all of them',
      input: { ...rowsOf({ a: { type: 'string', pattern: '(' } }), patternProperties: { '[': {} } },
      expected: [
        { path: '/patternProperties/[', code: CODES.invalidRegex },
        { path: '/properties/a/pattern', code: CODES.invalidRegex },
      ],
    },
    {
      description: 'an unsupported draft',
      input: { $schema: 'http://json-schema.org/draft-04/schema#', ...rowsOf({}) },
      expected: [{ path: '/$schema', code: CODES.unsupportedDraft }],
    },
    {
      description: 'a property NAMED like a keyword is a name, not a typo',
      input: rowsOf({ requred: { type: 'string', pattern: '[' } }),
      expected: [{ path: '/properties/requred/pattern', code: CODES.invalidRegex }],
    },
  ];
  it.each(failures)('refuses $description, with its JSON path', ({ input, expected }) => {
    const result = compileColumnContract(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(expected.map((e) => expect.objectContaining(e)));
    expect(JSON.stringify(result.problems)).not.toContain(SECRET);
  });

  // rowsOf's object and its "properties" are levels 1 and 2, the column level 3
  const nestedNot = (depth: number) => {
    let column: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < depth; i++) column = { not: column };
    return rowsOf({ a: column });
  };

  it.each([MAX_CONTRACT_NESTING - 2, 2_000, 20_000])(
    'refuses a contract nested %i deep with a message, not a crash',
    (depth) => {
      for (const checked of [false, true]) {
        const result = compileColumnContract(nestedNot(depth), { checked });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems).toEqual([
          expect.objectContaining({ message: expect.stringContaining('nested too deeply to check') }),
        ]);
      }
    },
  );

  it('compiles a contract exactly as deep as the limit', () => {
    for (const checked of [false, true]) {
      const result = compileColumnContract(nestedNot(MAX_CONTRACT_NESTING - 3), { checked });
      expect(result.ok ? [] : result.problems).toEqual([]);
    }
  });

  it('refuses a contract whose compiler runs out of stack below the limit, saying it is too deep', () => {
    // a caller already deep in its own stack: recursion to a few thousand frames, then compile
    const deepIn = (frames: number): ReturnType<typeof compileColumnContract> =>
      frames === 0 ? compileColumnContract(nestedNot(MAX_CONTRACT_NESTING - 3)) : deepIn(frames - 1);
    let frames = 1_000;
    let result = deepIn(0);
    // the stack's size is the runtime's: go deeper until the compiler, not this recursion, overflows
    while (result.ok) {
      try {
        result = deepIn(frames);
      } catch (error) {
        if (error instanceof RangeError) break;
        throw error;
      }
      frames += 1_000;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('nested too deeply to check') }),
    ]);
  });

  it('never quotes a value from the contract', () => {
    const result = compileColumnContract(rowsOf({ a: { enum: [SECRET], const: SECRET, type: SECRET } }));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});

describe('contractPatternPlaces', () => {
  it.each([
    {
      description: 'no patterns',
      schema: { type: 'object', properties: { a: { type: 'string' } } },
      places: [],
    },
    {
      description: 'column patterns by column name',
      schema: {
        type: 'object',
        properties: { mrn: { pattern: '^\\d{8}$' }, 'a/b': { pattern: 'x' }, dob: { type: 'string' } },
      },
      places: ['column a/b', 'column mrn'],
    },
    {
      description: 'nested and row-level patterns by pointer',
      schema: {
        patternProperties: { '^x-': {} },
        properties: { list: { items: { pattern: '^(a|aa)+$' } } },
      },
      places: ['/patternProperties', '/properties/list/items/pattern'],
    },
    {
      description: 'a property named "pattern" is a column, not a keyword',
      schema: { properties: { pattern: { type: 'string' } } },
      places: [],
    },
  ])('$description', ({ schema, places }) => {
    expect(contractPatternPlaces(schema)).toEqual(places);
  });
});
