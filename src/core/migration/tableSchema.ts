/**
 * Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/) → a column contract
 * (JSON Schema of rows) plus the keys it declares, so a data team's existing Table Schema works as
 * a target (issue 8: "a JSON Schema the user uploads, a Frictionless Table Schema"). Pure, no code
 * generation.
 *
 * Covered: field types string, integer, number, boolean (true/false), date, datetime, time, year;
 * constraints required, minLength, maxLength, minimum, maximum, pattern (anchored, as the spec
 * says), enum, unique; `primaryKey` and single-column `foreignKeys` (to other resources or to this
 * one). Not covered (reported in `unsupported`, never silently dropped): other types (e.g.
 * geopoint), `format` values other than default/email/uri, custom `missingValues`,
 * `trueValues`/`falseValues`, `bareNumber`, multi-column keys.
 */

/** A Table Schema field (the parts read here). */
interface TableField {
  name?: unknown;
  type?: unknown;
  format?: unknown;
  constraints?: Record<string, unknown>;
}

/** The result of {@link tableSchemaToContract}. */
export interface ConvertedTableSchema {
  contract: Record<string, unknown>;
  /** columns whose values must be unique (primaryKey and `unique` constraints) */
  keys: string[];
  /** single-column foreign keys; `resource` "" is this table */
  foreignKeys: { column: string; resource: string; targetColumn: string }[];
  /** JSON Pointers into the Table Schema of what could not be converted */
  unsupported: string[];
}

/** True for a JSON value that looks like a Table Schema: an object with a `fields` array. */
export function isTableSchema(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { fields?: unknown }).fields) &&
    !('properties' in value)
  );
}

const TYPES: Record<string, Record<string, unknown>> = {
  string: { type: 'string' },
  any: {},
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  time: { type: 'string', format: 'time' },
  year: { type: 'integer' },
};

const STRING_FORMATS: Record<string, string> = { email: 'email', uri: 'uri' };

function list(value: unknown): string[] {
  return typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string')
      : [];
}

/** Converts a Table Schema into a column contract and its keys (see the file header). */
export function tableSchemaToContract(schema: Record<string, unknown>): ConvertedTableSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  const keys: string[] = [];
  const unsupported: string[] = [];
  const fields = (schema.fields as TableField[]) ?? [];
  fields.forEach((field, i) => {
    if (typeof field.name !== 'string') {
      unsupported.push(`/fields/${i}/name`);
      return;
    }
    const type = typeof field.type === 'string' ? field.type : 'string';
    const base = TYPES[type];
    if (!base) unsupported.push(`/fields/${i}/type`);
    const property: Record<string, unknown> = { ...(base ?? {}) };
    if (typeof field.format === 'string' && field.format !== 'default') {
      const format = STRING_FORMATS[field.format];
      if (format && type === 'string') property.format = format;
      else unsupported.push(`/fields/${i}/format`);
    }
    for (const [name, value] of Object.entries(field.constraints ?? {})) {
      switch (name) {
        case 'required':
          if (value === true) required.push(field.name);
          break;
        case 'unique':
          if (value === true) keys.push(field.name);
          break;
        case 'pattern':
          if (typeof value === 'string') property.pattern = `^(?:${value})$`;
          break;
        case 'minLength':
        case 'maxLength':
        case 'minimum':
        case 'maximum':
        case 'enum':
          property[name] = value;
          break;
        default:
          unsupported.push(`/fields/${i}/constraints/${name}`);
      }
    }
    properties[field.name] = property;
  });
  const primary = list(schema.primaryKey);
  if (primary.length === 1) {
    if (!keys.includes(primary[0] as string)) keys.push(primary[0] as string);
    if (!required.includes(primary[0] as string)) required.push(primary[0] as string);
  } else if (primary.length > 1) unsupported.push('/primaryKey');
  const foreignKeys: ConvertedTableSchema['foreignKeys'] = [];
  const declared = Array.isArray(schema.foreignKeys) ? schema.foreignKeys : [];
  declared.forEach((fk: { fields?: unknown; reference?: { resource?: unknown; fields?: unknown } }, i) => {
    const from = list(fk.fields);
    const to = list(fk.reference?.fields);
    if (from.length !== 1 || to.length !== 1 || typeof fk.reference?.resource !== 'string') {
      unsupported.push(`/foreignKeys/${i}`);
      return;
    }
    foreignKeys.push({
      column: from[0] as string,
      resource: fk.reference.resource,
      targetColumn: to[0] as string,
    });
  });
  for (const key of ['missingValues', 'trueValues', 'falseValues'])
    if (key in schema) unsupported.push(`/${key}`);
  const contract: Record<string, unknown> = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties,
  };
  if (required.length > 0) contract.required = required;
  return { contract, keys, foreignKeys, unsupported };
}
