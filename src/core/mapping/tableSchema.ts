/**
 * Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/, v1, plus the v2
 * `exclusiveMinimum`/`exclusiveMaximum` constraints) → an equivalent JSON Schema (2020-12) of one
 * row, so a data team's existing Frictionless descriptors work as Preflight targets and column
 * contracts.
 *
 * The row schema describes a row as the column contract sees it: an object of
 * column name → value, **missing values removed** (a cell equal to one of `missingValues`, `""` by
 * default, is absent, so `required` catches it), numbers and booleans checked by type (the
 * column-contract engine coerces cell text; mapped records hold real numbers).
 *
 * | Table Schema | JSON Schema |
 * |---|---|
 * | `string` (`format` email / uri / uuid / binary) | `string` (`format` email / uri / uuid; binary: `contentEncoding: base64`) |
 * | `integer`, `number`, `boolean`, `object`, `array`, `any` | the same type (`any`: no type) |
 * | `date`, `datetime`, `time`, `duration` (default format) | `string` with `format` date, date-time, time, duration |
 * | `date`, `datetime`, `time` with a `strptime` layout (`%m/%d/%Y`) or `any` | `string` with the layout's exact `pattern` (tableSchemaLayouts.ts), named in words in `$comment` for messages |
 * | `year` / `yearmonth` | `integer` / `string` with pattern `YYYY-MM` |
 * | `decimalChar` / `groupChar` of a number or integer | a root `$comment` line the plan reads back: cells read with them (contract/notChecked.ts) |
 * | `required` (and every `primaryKey` field) | `required` |
 * | `pattern` (XML Schema style, whole value) | `pattern` anchored `^(?:…)$` |
 * | `enum`, `minLength`/`maxLength`, `minimum`/`maximum` | the same keywords (lists and objects: `minItems`… / `minProperties`…) |
 *
 * What one row's JSON Schema cannot say is returned beside it, never dropped silently: `unique`
 * fields and the `primaryKey` (cross-row checks), `foreignKeys` (cross-file), `missingValues`
 * (applied before the check), and `notes` for what is not expressed (a date layout with a directive
 * Preflight does not read, `bareNumber: false`, custom `trueValues`, a minimum on a date,
 * geo types): the CLI and `preflight check` list them as not checked.
 */

import { escapePointerSegment, type FormatProblem, isPlainObject } from '../../formats/loading.ts';
import { LAYOUT_COMMENT, NUMBER_LINE, type NumberChars } from '../contract/index.ts';

/** Whether `value` can be a number's decimal mark or thousands separator: one character, not part of a plain number. */
function isNumberChar(value: unknown): value is string {
  return typeof value === 'string' && value.length === 1 && !/[0-9+\-eE]/.test(value);
}

import {
  ANY_DATE_LAYOUTS,
  ANY_TIME_LAYOUTS,
  anyOfLayouts,
  type LayoutPattern,
  layoutExample,
  layoutPattern,
} from './tableSchemaLayouts.ts';

/** A temporal `format` in words for messages: "%m/%d/%Y, e.g. 01/31/2024". */
function layoutInWords(type: string, format: string): string {
  if (format !== 'any') {
    const layout = format.replace(/^fmt:/, '');
    return `${layout}, e.g. ${layoutExample(layout)}`;
  }
  if (type === 'time') return 'a time of day, e.g. 14:30, 14:30:00 or 2:30 PM';
  const dates = '2024-01-31, 01/31/2024, 31.01.2024 or 31 Jan 2024';
  return type === 'date' ? `a date, e.g. ${dates}` : `a date and time, e.g. 2024-01-31T14:30:00`;
}

/** A foreign key of a Table Schema, with `fields` always as a list. */
interface TableForeignKey {
  fields: string[];
  /** `resource: ""` refers to the same table */
  reference: { resource: string; fields: string[] };
}

/** Something of the Table Schema that the row's JSON Schema does not express. */
interface TableSchemaNote {
  /** JSON Pointer into the Table Schema */
  path: string;
  message: string;
}

/** {@link tableSchemaToJsonSchema}'s result. */
type TableSchemaConversion =
  | {
      ok: true;
      /** JSON Schema (2020-12) of one row with missing values removed */
      schema: Record<string, unknown>;
      /** cell texts that mean "no value" (default `[""]`) */
      missingValues: string[];
      /** fields whose values must be unique across rows */
      unique: string[];
      /** the primary key's fields (unique together, each required) */
      primaryKey: string[];
      foreignKeys: TableForeignKey[];
      notes: TableSchemaNote[];
    }
  | { ok: false; problems: FormatProblem[] };

const DEFAULT_MISSING_VALUES = [''];

/** The regular expression of a temporal field's non-default `format` (`any`, a strptime layout). */
function temporalLayout(type: string, format: string): LayoutPattern {
  if (format === 'any') {
    if (type === 'date') return { pattern: anyOfLayouts(ANY_DATE_LAYOUTS) };
    if (type === 'time') return { pattern: anyOfLayouts(ANY_TIME_LAYOUTS) };
    if (type === 'datetime') {
      const date = anyOfLayouts(ANY_DATE_LAYOUTS).slice(1, -1);
      const time = anyOfLayouts(ANY_TIME_LAYOUTS).slice(1, -1);
      return { pattern: `^(?:${date}(?:T|\\s)${time}(?:Z|[+-][0-9]{2}:?[0-5][0-9])?)$` };
    }
    return { unsupported: `"any", which is not defined for ${type}` };
  }
  if (type === 'duration') return { unsupported: 'a layout, which durations do not have' };
  // "fmt:" is Table Schema v1.0's prefix of a strptime layout, since dropped
  return layoutPattern(format.replace(/^fmt:/, ''));
}
const STRING_FORMATS: Readonly<Record<string, string>> = { email: 'email', uri: 'uri', uuid: 'uuid' };
const TEMPORAL_FORMATS: Readonly<Record<string, string>> = {
  date: 'date',
  datetime: 'date-time',
  time: 'time',
  duration: 'duration',
};
const TEMPORAL_TYPES = new Set(['date', 'datetime', 'time', 'year', 'yearmonth', 'duration']);
const NUMERIC_TYPES = new Set(['integer', 'number', 'year']);
const DEFAULT_TRUE = ['true', 'True', 'TRUE', '1'];
const DEFAULT_FALSE = ['false', 'False', 'FALSE', '0'];
const YEARMONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
const KNOWN_TYPES = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
]);

function asList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a === undefined || (a.length === b.length && a.every((v, i) => v === b[i]));
}

/**
 * True when `value` is a Frictionless Table Schema: an object with a `fields` list and no JSON
 * Schema `properties` (the one test the CLI and the app share). Pure; never throws.
 */
export function isTableSchema(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Array.isArray(value.fields) && !('properties' in value);
}

/**
 * Converts a Frictionless Table Schema (parsed JSON) to a row JSON Schema plus what the row schema
 * cannot express (see the file header). Never throws; an unusable descriptor gives problems with
 * JSON Pointers into it (messages name no value from it).
 */
export function tableSchemaToJsonSchema(tableSchema: unknown): TableSchemaConversion {
  const problems: FormatProblem[] = [];
  const notes: TableSchemaNote[] = [];
  if (!isPlainObject(tableSchema) || !Array.isArray(tableSchema.fields)) {
    return {
      ok: false,
      problems: [
        { path: '/fields', code: 'missing-field', message: 'a Table Schema lists its columns in "fields"' },
      ],
    };
  }
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  const unique: string[] = [];
  const names = new Set<string>();
  /** columns whose numbers are written with another decimal mark or a thousands separator */
  const numberChars: Record<string, NumberChars> = {};

  tableSchema.fields.forEach((field: unknown, index) => {
    const at = `/fields/${index}`;
    if (!isPlainObject(field) || typeof field.name !== 'string' || field.name === '') {
      problems.push({
        path: `${at}/name`,
        code: 'missing-field',
        message: 'each field needs a non-empty "name"',
      });
      return;
    }
    const name = field.name;
    if (names.has(name)) {
      problems.push({
        path: `${at}/name`,
        code: 'duplicate-id',
        message: 'an earlier field has the same name',
      });
      return;
    }
    names.add(name);
    const type = field.type === undefined ? 'string' : field.type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      problems.push({ path: `${at}/type`, code: 'not-allowed', message: 'not a Table Schema field type' });
      return;
    }
    const format = typeof field.format === 'string' ? field.format : 'default';
    const out: Record<string, unknown> = {};
    if (typeof field.title === 'string') out.title = field.title;
    if (typeof field.description === 'string') out.description = field.description;

    if (type === 'string') {
      out.type = 'string';
      if (STRING_FORMATS[format]) out.format = STRING_FORMATS[format];
      else if (format === 'binary') out.contentEncoding = 'base64';
    } else if (
      type === 'integer' ||
      type === 'number' ||
      type === 'boolean' ||
      type === 'object' ||
      type === 'array'
    ) {
      out.type = type;
    } else if (type === 'year') {
      out.type = 'integer';
    } else if (type === 'yearmonth') {
      out.type = 'string';
      out.pattern = YEARMONTH_PATTERN;
    } else if (TEMPORAL_FORMATS[type]) {
      out.type = 'string';
      if (format === 'default') out.format = TEMPORAL_FORMATS[type];
      else {
        const layout = temporalLayout(type, format);
        if ('pattern' in layout) {
          out.pattern = layout.pattern;
          // the plan names the layout in messages rather than quote the expression
          out.$comment = `${LAYOUT_COMMENT}${layoutInWords(type, format)}`;
        } else
          notes.push({
            path: `${at}/format`,
            message: `the ${type} format of "${name}" is not checked: it uses ${layout.unsupported}`,
          });
      }
    } else if (type === 'geopoint' || type === 'geojson') {
      notes.push({ path: `${at}/type`, message: `the ${type} values of "${name}" are not checked` });
    }
    if (
      (type === 'number' || type === 'integer') &&
      (field.decimalChar !== undefined || field.groupChar !== undefined)
    ) {
      // "1.234,5": read with its decimal mark and thousands separator (compilePlan, runPlan.ts)
      const decimal = field.decimalChar ?? '.';
      const group = field.groupChar ?? undefined;
      if (!isNumberChar(decimal) || (group !== undefined && (!isNumberChar(group) || group === decimal)))
        notes.push({
          path: at,
          message: `decimalChar and groupChar of "${name}" are not applied: each must be one character other than a digit, a sign or "e", and they must differ`,
        });
      else numberChars[name] = group === undefined ? { decimal } : { decimal, group };
    }
    if ((type === 'number' || type === 'integer') && field.bareNumber === false) {
      notes.push({
        path: `${at}/bareNumber`,
        message: `bareNumber of "${name}" is not applied: its numbers must not have text around them`,
      });
    }
    if (
      type === 'boolean' &&
      !(
        sameList(asList(field.trueValues), DEFAULT_TRUE) && sameList(asList(field.falseValues), DEFAULT_FALSE)
      )
    ) {
      notes.push({
        path: at,
        message: `the trueValues/falseValues of "${name}" are not applied: map them with a boolean transform`,
      });
    }

    const constraints = isPlainObject(field.constraints) ? field.constraints : {};
    const c = (key: string) => `${at}/constraints/${escapePointerSegment(key)}`;
    if (constraints.required === true) required.push(name);
    if (constraints.unique === true) unique.push(name);
    const isText = out.type === 'string';
    const isCollection = type === 'array' || type === 'object';
    for (const [key, listKey, objectKey] of [
      ['minLength', 'minItems', 'minProperties'],
      ['maxLength', 'maxItems', 'maxProperties'],
    ] as const) {
      const value = constraints[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        problems.push({ path: c(key), code: 'wrong-type', message: 'a length is a whole number ≥ 0' });
      } else if (isText) out[key] = value;
      else if (isCollection) out[type === 'array' ? listKey : objectKey] = value;
      else
        notes.push({
          path: c(key),
          message: `${key} of "${name}" is not checked: it does not apply to ${type} fields`,
        });
    }
    for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const value = constraints[key];
      if (value === undefined) continue;
      if (NUMERIC_TYPES.has(type)) {
        const number = typeof value === 'string' ? Number(value) : value;
        if (typeof number !== 'number' || !Number.isFinite(number)) {
          problems.push({
            path: c(key),
            code: 'wrong-type',
            message: `${key} of a ${type} field is a number`,
          });
        } else out[key] = number;
      } else if (TEMPORAL_TYPES.has(type)) {
        notes.push({
          path: c(key),
          message: `${key} of "${name}" is not checked: ${type} values are not compared`,
        });
      } else {
        notes.push({
          path: c(key),
          message: `${key} of "${name}" is not checked: it does not apply to ${type} fields`,
        });
      }
    }
    if (constraints.pattern !== undefined) {
      if (out.pattern !== undefined && typeof constraints.pattern === 'string') {
        notes.push({
          path: c('pattern'),
          message: `the pattern of "${name}" is not checked: its ${type} layout is checked instead`,
        });
      } else if (typeof constraints.pattern !== 'string') {
        problems.push({ path: c('pattern'), code: 'wrong-type', message: 'a pattern is text' });
      } else {
        const anchored = `^(?:${constraints.pattern})$`;
        try {
          new RegExp(anchored, 'u');
          if (isText) out.pattern = anchored;
          else
            notes.push({
              path: c('pattern'),
              message: `the pattern of "${name}" is not checked: it does not apply to ${type} fields`,
            });
        } catch {
          problems.push({
            path: c('pattern'),
            code: 'invalid-regex',
            message: 'not a regular expression Preflight can use (JavaScript syntax with the "u" flag)',
          });
        }
      }
    }
    if (constraints.enum !== undefined) {
      if (!Array.isArray(constraints.enum) || constraints.enum.length === 0) {
        problems.push({ path: c('enum'), code: 'wrong-type', message: 'enum is a non-empty list' });
      } else {
        // a numeric field's enum may be written as text ("1"); compare as numbers, as Frictionless does
        out.enum = NUMERIC_TYPES.has(type)
          ? constraints.enum.map((v) =>
              typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v,
            )
          : constraints.enum;
      }
    }
    // defineProperty: a field named "__proto__" is a field, not the object's prototype
    Object.defineProperty(properties, name, {
      value: out,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });

  const primaryKey = tableSchema.primaryKey === undefined ? [] : asList(tableSchema.primaryKey);
  if (primaryKey === undefined) {
    problems.push({
      path: '/primaryKey',
      code: 'wrong-type',
      message: 'primaryKey is a field name or a list of them',
    });
  } else {
    primaryKey.forEach((name, i) => {
      if (!names.has(name)) {
        problems.push({
          path: `/primaryKey/${i}`,
          code: 'unknown-reference',
          message: 'not the name of a field',
        });
      } else if (!required.includes(name)) required.push(name);
    });
  }

  const foreignKeys: TableForeignKey[] = [];
  if (tableSchema.foreignKeys !== undefined) {
    if (!Array.isArray(tableSchema.foreignKeys)) {
      problems.push({ path: '/foreignKeys', code: 'wrong-type', message: 'foreignKeys is a list' });
    } else {
      tableSchema.foreignKeys.forEach((fk: unknown, i) => {
        const fields = isPlainObject(fk) ? asList(fk.fields) : undefined;
        const reference = isPlainObject(fk) && isPlainObject(fk.reference) ? fk.reference : undefined;
        const refFields = reference ? asList(reference.fields) : undefined;
        if (!fields || !reference || !refFields || fields.length !== refFields.length) {
          problems.push({
            path: `/foreignKeys/${i}`,
            code: 'wrong-form',
            message: 'a foreign key has "fields" and a "reference" with as many "fields"',
          });
          return;
        }
        const unknown = fields.findIndex((name) => !names.has(name));
        if (unknown >= 0) {
          problems.push({
            path: `/foreignKeys/${i}/fields`,
            code: 'unknown-reference',
            message: 'not the name of a field',
          });
          return;
        }
        foreignKeys.push({
          fields,
          reference: {
            resource: typeof reference.resource === 'string' ? reference.resource : '',
            fields: refFields,
          },
        });
      });
    }
  }

  let missingValues = DEFAULT_MISSING_VALUES;
  if (tableSchema.missingValues !== undefined) {
    const list = asList(tableSchema.missingValues);
    if (list === undefined || !Array.isArray(tableSchema.missingValues)) {
      problems.push({
        path: '/missingValues',
        code: 'wrong-type',
        message: 'missingValues is a list of texts',
      });
    } else missingValues = list;
  }

  if (problems.length > 0) return { ok: false, problems };
  const schema: Record<string, unknown> = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
  // carried in the row schema itself (a root `$comment` line the plan reads back): the row is
  // kept as its JSON Schema alone, in the project and the CLI
  if (Object.keys(numberChars).length > 0) schema.$comment = `${NUMBER_LINE}${JSON.stringify(numberChars)}`;
  return {
    ok: true,
    schema,
    missingValues: [...missingValues],
    unique,
    primaryKey: primaryKey ?? [],
    foreignKeys,
    notes,
  };
}

/**
 * One CSV row as the object the row schema checks: header name → cell, cells equal to a missing
 * value left out (and cells beyond the header ignored: the CSV checks report extra cells).
 */
export function tableRowObject(
  header: readonly string[],
  cells: readonly string[],
  missingValues: ReadonlySet<string>,
): Record<string, string> {
  const row: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const cell = cells[i];
    if (cell === undefined || missingValues.has(cell)) continue;
    const name = header[i] as string;
    // defineProperty: a column named "__proto__" is a column, not the object's prototype
    Object.defineProperty(row, name, { value: cell, enumerable: true, writable: true, configurable: true });
  }
  return row;
}

/** What a converted Table Schema asks across rows and files, as a run checks it: {@link tableSchemaChecks}. */
interface TableSchemaChecks {
  /** columns checked for repeats: the unique fields and a one-field primary key */
  keys: string[];
  /** the one-field foreign keys (`resource: ""` is the table itself) */
  foreignKeys: { column: string; resource: string; targetColumn: string }[];
  /** what is not checked, in words for staff: the conversion's notes, a primary key or foreign key of several fields */
  notChecked: string[];
}

/**
 * The keys, foreign keys and "not checked" lines of a converted Table Schema: the one place the
 * app and the CLI take them from, so both say the same. A primary key of several fields is not
 * checked for repeats (only one-column keys are); each of its fields is required by the row schema.
 */
export function tableSchemaChecks(
  converted: Extract<TableSchemaConversion, { ok: true }>,
): TableSchemaChecks {
  const notChecked = converted.notes.map((note) => note.message);
  const keys = [...new Set(converted.unique)];
  if (converted.primaryKey.length === 1) {
    const only = converted.primaryKey[0] as string;
    if (!keys.includes(only)) keys.push(only);
  } else if (converted.primaryKey.length > 1)
    notChecked.push(
      `the primary key (${converted.primaryKey.join(', ')}) is not checked for repeats: only one-column keys are (each of its columns is checked as required)`,
    );
  const foreignKeys: TableSchemaChecks['foreignKeys'] = [];
  for (const fk of converted.foreignKeys) {
    if (fk.fields.length === 1 && fk.reference.fields.length === 1)
      foreignKeys.push({
        column: fk.fields[0] as string,
        resource: fk.reference.resource,
        targetColumn: fk.reference.fields[0] as string,
      });
    else
      notChecked.push(
        `the foreign key (${fk.fields.join(', ')}) is not checked: only one-column foreign keys are`,
      );
  }
  return { keys, foreignKeys, notChecked };
}
