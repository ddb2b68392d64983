/**
 * Frictionless Table Schema → JSON Schema, checked on the schemas of the frictionless-py fixtures
 * (tests/fixtures/external/frictionless-py, MIT, see its NOTICE): the converted row schema,
 * validated with ajv over the fixture's CSV, finds the errors frictionless-py's own tests expect
 * (`expected.json`), and the cross-row parts it returns beside the schema (unique, primary key,
 * foreign keys) find the rest. Then a table of conversions for each type and constraint.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { numberCharsOf } from '../contract/index.ts';
import { tableRowObject, tableSchemaChecks, tableSchemaToJsonSchema } from './tableSchema.ts';

const fixture = (file: string) => readFileSync(externalFixture('frictionless-py', file), 'utf8');

interface ExpectedCase {
  id: string;
  file: string;
  schema?: string;
  schemaInline?: unknown;
  options?: { limitErrors?: number };
  expect?: [number | null, number | null, string][];
}

/** frictionless-py's error types this module is responsible for (the rest are the CSV reader's). */
const SCHEMA_ERRORS = new Set([
  'type-error',
  'constraint-error',
  'unique-error',
  'primary-key',
  'foreign-key',
]);

function validator(schema: Record<string, unknown>) {
  // coerceTypes: the column contract checks numbers and booleans in cell text by coercion
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Errors as frictionless-py reports them: [row (header = 1), field number, type]. */
function frictionlessErrors(
  testCase: ExpectedCase,
  tableSchema: unknown,
): [number | null, number | null, string][] {
  const converted = tableSchemaToJsonSchema(tableSchema);
  if (!converted.ok) throw new Error(JSON.stringify(converted.problems));
  const parsed = Papa.parse<string[]>(fixture(testCase.file), { skipEmptyLines: false });
  const [header = [], ...rows] = parsed.data;
  const validate = validator(converted.schema);
  const missing = new Set(converted.missingValues);
  const errors: [number | null, number | null, string][] = [];
  const seen = new Map<string, Map<string, number>>();
  const keysById = new Set<string>();
  const position = (name: string) => header.indexOf(name) + 1;
  rows.forEach((cells, i) => {
    const rowNumber = i + 2;
    if (cells.every((cell) => cell === '')) return; // a blank row: the CSV reader's error
    const row = tableRowObject(header, cells, missing);
    if (!validate(row)) {
      for (const error of validate.errors ?? []) {
        const name =
          error.keyword === 'required'
            ? String((error.params as { missingProperty: string }).missingProperty)
            : error.instancePath.slice(1);
        errors.push([
          rowNumber,
          position(name),
          error.keyword === 'type' ? 'type-error' : 'constraint-error',
        ]);
      }
    }
    for (const name of converted.unique) {
      const values = seen.get(name) ?? new Map<string, number>();
      seen.set(name, values);
      const value = row[name];
      if (value === undefined) continue;
      if (values.has(value)) errors.push([rowNumber, position(name), 'unique-error']);
      else values.set(value, rowNumber);
    }
    if (converted.primaryKey.length > 0) {
      const key = JSON.stringify(converted.primaryKey.map((name) => row[name]));
      if (keysById.has(key)) errors.push([rowNumber, null, 'primary-key']);
      keysById.add(key);
    }
  });
  for (const fk of converted.foreignKeys) {
    if (fk.reference.resource !== '') continue;
    const targets = new Set(
      rows.map((cells) => JSON.stringify(fk.reference.fields.map((name) => cells[header.indexOf(name)]))),
    );
    rows.forEach((cells, i) => {
      const values = fk.fields.map((name) => cells[header.indexOf(name)] ?? '');
      if (values.every((v) => missing.has(v))) return;
      if (!targets.has(JSON.stringify(values))) errors.push([i + 2, null, 'foreign-key']);
    });
  }
  errors.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 99) - (b[1] ?? 99));
  return testCase.options?.limitErrors ? errors.slice(0, testCase.options.limitErrors) : errors;
}

const expected = (JSON.parse(fixture('expected.json')) as { cases: ExpectedCase[] }).cases;
const schemaCases = expected.filter((c) => c.schema !== undefined || c.schemaInline !== undefined);

describe('frictionless-py fixtures with a Table Schema', () => {
  it('has the three cases with a schema', () => {
    expect(schemaCases.map((c) => c.id)).toEqual([
      'schema-type-constraint-limit3',
      'unique-and-primary-key',
      'self-foreign-key',
    ]);
  });

  it.each(schemaCases)('$id: finds the errors frictionless-py expects', (testCase) => {
    const tableSchema = testCase.schema ? JSON.parse(fixture(testCase.schema)) : testCase.schemaInline;
    const want = (testCase.expect ?? []).filter(([, , type]) => SCHEMA_ERRORS.has(type));
    expect(frictionlessErrors(testCase, tableSchema)).toEqual(want);
  });

  it('converts schema-valid.json field by field', () => {
    const converted = tableSchemaToJsonSchema(JSON.parse(fixture('data/schema-valid.json')));
    expect(converted).toEqual({
      ok: true,
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          id: { title: 'ID', description: 'The id.', type: 'integer' },
          name: { title: 'Name', description: 'The name.', type: 'string' },
          age: { title: 'Age', description: 'The age.', type: 'integer' },
        },
        required: ['id', 'name', 'age'],
      },
      missingValues: [''],
      unique: [],
      primaryKey: ['id'],
      foreignKeys: [],
      notes: [],
    });
  });

  it('converts unique-field.json: unique noted, primary key required', () => {
    const converted = tableSchemaToJsonSchema(JSON.parse(fixture('data/unique-field.json')));
    expect(converted).toMatchObject({
      ok: true,
      unique: ['id'],
      primaryKey: ['id'],
      schema: { required: ['id'] },
    });
  });
});

interface Conversion {
  description: string;
  field: Record<string, unknown>;
  property?: Record<string, unknown>;
  required?: boolean;
  note?: RegExp;
  /** the number characters recorded for the plan, by column */
  numberChars?: Record<string, { decimal: string; group?: string }>;
}

const CONVERSIONS: Conversion[] = [
  { description: 'string by default', field: { name: 'a' }, property: { type: 'string' } },
  {
    description: 'string email',
    field: { name: 'a', type: 'string', format: 'email' },
    property: { type: 'string', format: 'email' },
  },
  {
    description: 'string uuid',
    field: { name: 'a', format: 'uuid' },
    property: { type: 'string', format: 'uuid' },
  },
  {
    description: 'date ISO',
    field: { name: 'a', type: 'date' },
    property: { type: 'string', format: 'date' },
  },
  {
    description: 'date strptime layout: a pattern named in words',
    field: { name: 'a', type: 'date', format: '%d/%m/%Y' },
    property: {
      type: 'string',
      pattern: expect.stringMatching(/^\^\(\?:/),
      $comment: 'layout: %d/%m/%Y, e.g. 31/01/2024',
    },
  },
  {
    description: 'date layout with an unsupported directive: noted',
    field: { name: 'a', type: 'date', format: '%j/%Y' },
    property: { type: 'string' },
    note: /format of "a" is not checked: it uses the directive %j/,
  },
  {
    description: 'date pattern constraint beside a layout: noted',
    field: { name: 'a', type: 'date', format: '%Y', constraints: { pattern: '19.*' } },
    property: { type: 'string', pattern: '^(?:[0-9]{4})$', $comment: 'layout: %Y, e.g. 2024' },
    note: /pattern of "a" is not checked/,
  },
  {
    description: 'datetime',
    field: { name: 'a', type: 'datetime' },
    property: { type: 'string', format: 'date-time' },
  },
  { description: 'time', field: { name: 'a', type: 'time' }, property: { type: 'string', format: 'time' } },
  { description: 'year', field: { name: 'a', type: 'year' }, property: { type: 'integer' } },
  {
    description: 'yearmonth',
    field: { name: 'a', type: 'yearmonth' },
    property: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
  },
  { description: 'any', field: { name: 'a', type: 'any' }, property: {} },
  {
    description: 'geopoint: noted',
    field: { name: 'a', type: 'geopoint' },
    property: {},
    note: /not checked/,
  },
  {
    description: 'required',
    field: { name: 'a', constraints: { required: true } },
    property: { type: 'string' },
    required: true,
  },
  {
    description: 'pattern anchored',
    field: { name: 'a', constraints: { pattern: '[0-9]{5}|[0-9]{5}-[0-9]{4}' } },
    property: { type: 'string', pattern: '^(?:[0-9]{5}|[0-9]{5}-[0-9]{4})$' },
  },
  {
    description: 'enum',
    field: { name: 'a', constraints: { enum: ['M', 'F'] } },
    property: { type: 'string', enum: ['M', 'F'] },
  },
  {
    description: 'integer enum written as text',
    field: { name: 'a', type: 'integer', constraints: { enum: ['1', 2] } },
    property: { type: 'integer', enum: [1, 2] },
  },
  {
    description: 'number range',
    field: { name: 'a', type: 'number', constraints: { minimum: 0, maximum: 45.5 } },
    property: { type: 'number', minimum: 0, maximum: 45.5 },
  },
  {
    description: 'v2 exclusive range',
    field: { name: 'a', type: 'integer', constraints: { exclusiveMinimum: 0 } },
    property: { type: 'integer', exclusiveMinimum: 0 },
  },
  {
    description: 'string lengths',
    field: { name: 'a', constraints: { minLength: 2, maxLength: 2 } },
    property: { type: 'string', minLength: 2, maxLength: 2 },
  },
  {
    description: 'array lengths',
    field: { name: 'a', type: 'array', constraints: { minLength: 1 } },
    property: { type: 'array', minItems: 1 },
  },
  {
    description: 'date minimum: noted',
    field: { name: 'a', type: 'date', constraints: { minimum: '1900-01-01' } },
    property: { type: 'string', format: 'date' },
    note: /minimum of "a" is not checked: date values are not compared/,
  },
  {
    description: 'group separator: read with it',
    field: { name: 'a', type: 'number', groupChar: ',' },
    property: { type: 'number' },
    numberChars: { a: { decimal: '.', group: ',' } },
  },
  {
    description: 'decimal comma and group point: read with them',
    field: { name: 'a', type: 'integer', decimalChar: ',', groupChar: '.' },
    property: { type: 'integer' },
    numberChars: { a: { decimal: ',', group: '.' } },
  },
  {
    description: 'a decimal mark the same as the group: noted, not applied',
    field: { name: 'a', type: 'number', decimalChar: ',', groupChar: ',' },
    property: { type: 'number' },
    note: /decimalChar and groupChar of "a" are not applied/,
  },
  {
    description: 'numbers with text around them (bareNumber false): noted',
    field: { name: 'a', type: 'number', bareNumber: false },
    property: { type: 'number' },
    note: /bareNumber of "a" is not applied/,
  },
  {
    description: 'custom true values: noted',
    field: { name: 'a', type: 'boolean', trueValues: ['Y'] },
    property: { type: 'boolean' },
    note: /trueValues/,
  },
  {
    description: 'default true values: no note',
    field: { name: 'a', type: 'boolean', trueValues: ['true', 'True', 'TRUE', '1'] },
    property: { type: 'boolean' },
  },
  { description: '__proto__ is a field name', field: { name: '__proto__', type: 'integer' } },
];

describe('Table Schema conversions', () => {
  it.each(CONVERSIONS)('$description', ({ field, property, required, note, numberChars }) => {
    const converted = tableSchemaToJsonSchema({ fields: [field] });
    if (!converted.ok) throw new Error(JSON.stringify(converted.problems));
    const properties = converted.schema.properties as Record<string, unknown>;
    if (property) expect(properties[field.name as string]).toEqual(property);
    else
      expect(Object.getOwnPropertyDescriptor(properties, field.name as string)?.value).toEqual({
        type: 'integer',
      });
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(converted.schema.required).toEqual(required ? [field.name] : undefined);
    if (note)
      expect(converted.notes).toEqual([expect.objectContaining({ message: expect.stringMatching(note) })]);
    else expect(converted.notes).toEqual([]);
    // the number characters travel in the row schema, and the plan reads them back
    expect(numberCharsOf(converted.schema)).toEqual(numberChars ?? {});
    // every converted schema compiles in strict ajv
    expect(() => validator(converted.schema)).not.toThrow();
  });

  it('keeps missingValues and applies them to rows', () => {
    const converted = tableSchemaToJsonSchema({
      fields: [{ name: 'a', constraints: { required: true } }, { name: 'b' }],
      missingValues: ['', 'NA', '-'],
    });
    if (!converted.ok) throw new Error('refused');
    expect(converted.missingValues).toEqual(['', 'NA', '-']);
    const validate = validator(converted.schema);
    const missing = new Set(converted.missingValues);
    expect(validate(tableRowObject(['a', 'b'], ['NA', 'x'], missing))).toBe(false);
    expect(validate(tableRowObject(['a', 'b'], ['x', '-'], missing))).toBe(true);
    expect(tableRowObject(['a', 'b'], ['x', '-'], missing)).toEqual({ a: 'x' });
  });

  const REFUSED: { description: string; schema: unknown; path: string; code: string }[] = [
    { description: 'no fields', schema: {}, path: '/fields', code: 'missing-field' },
    {
      description: 'a field without name',
      schema: { fields: [{ type: 'string' }] },
      path: '/fields/0/name',
      code: 'missing-field',
    },
    {
      description: 'duplicate names',
      schema: { fields: [{ name: 'a' }, { name: 'a' }] },
      path: '/fields/1/name',
      code: 'duplicate-id',
    },
    {
      description: 'unknown type',
      schema: { fields: [{ name: 'a', type: 'text' }] },
      path: '/fields/0/type',
      code: 'not-allowed',
    },
    {
      description: 'bad pattern',
      schema: { fields: [{ name: 'a', constraints: { pattern: '(' } }] },
      path: '/fields/0/constraints/pattern',
      code: 'invalid-regex',
    },
    {
      description: 'primary key of no field',
      schema: { fields: [{ name: 'a' }], primaryKey: ['b'] },
      path: '/primaryKey/0',
      code: 'unknown-reference',
    },
    {
      description: 'foreign key without reference',
      schema: { fields: [{ name: 'a' }], foreignKeys: [{ fields: 'a' }] },
      path: '/foreignKeys/0',
      code: 'wrong-form',
    },
    {
      description: 'missingValues not a list',
      schema: { fields: [{ name: 'a' }], missingValues: 'NA' },
      path: '/missingValues',
      code: 'wrong-type',
    },
  ];
  it.each(REFUSED)('refuses $description', ({ schema, path, code }) => {
    const converted = tableSchemaToJsonSchema(schema);
    expect(converted).toEqual({ ok: false, problems: [expect.objectContaining({ path, code })] });
  });
});

describe('the keys, foreign keys and "not checked" lines the app and the CLI take from a Table Schema', () => {
  const field = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'string', ...extra });
  it.each([
    {
      name: 'a one-field primary key and unique fields are keys, each once',
      schema: {
        fields: [
          field('id', { constraints: { unique: true } }),
          field('mrn', { constraints: { unique: true } }),
        ],
        primaryKey: 'id',
      },
      expected: { keys: ['id', 'mrn'], foreignKeys: [], notChecked: [] },
    },
    {
      name: 'a primary key of several fields is not checked for repeats, in one wording',
      schema: { fields: [field('visit_id'), field('site')], primaryKey: ['visit_id', 'site'] },
      expected: {
        keys: [],
        foreignKeys: [],
        notChecked: [
          'the primary key (visit_id, site) is not checked for repeats: only one-column keys are (each of its columns is checked as required)',
        ],
      },
    },
    {
      name: 'a one-field foreign key is a link; one of several fields is not checked',
      schema: {
        fields: [field('patient_id'), field('a'), field('b')],
        foreignKeys: [
          { fields: 'patient_id', reference: { resource: 'patients', fields: 'patient_id' } },
          { fields: ['a', 'b'], reference: { resource: '', fields: ['a', 'b'] } },
        ],
      },
      expected: {
        keys: [],
        foreignKeys: [{ column: 'patient_id', resource: 'patients', targetColumn: 'patient_id' }],
        notChecked: ['the foreign key (a, b) is not checked: only one-column foreign keys are'],
      },
    },
  ])('$name', ({ schema, expected }) => {
    const converted = tableSchemaToJsonSchema(schema);
    if (!converted.ok) throw new Error('the Table Schema should convert');
    expect(tableSchemaChecks(converted)).toEqual(expected);
  });
});
