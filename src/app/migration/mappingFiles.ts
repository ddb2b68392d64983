/**
 * Files the mapping editor reads, once read and parsed as JSON (JsonFileInput): a target schema
 * (a JSON Schema, or a Frictionless Table Schema converted to one) and a `preflight.mapping/v1`
 * file (validated and migrated by its loader). Messages name the file and the place, never a value
 * from it (values may be patient data).
 */
import { tableSchemaToJsonSchema } from '../../core/mapping/index.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { SchemaDoc } from '../../formats/project.ts';

/** A schema or mapping is a small JSON file; anything larger was picked by mistake. */
export const MAX_MAPPING_FILE_BYTES = 16_000_000;

/** A target schema file's JSON as a project schema document (id `target:<file name>`). */
export function targetSchemaFrom(fileName: string, value: unknown): { doc: SchemaDoc } | { message: string } {
  let schema: Record<string, unknown>;
  if (isPlainObject(value) && Array.isArray(value.fields) && !('properties' in value)) {
    const converted = tableSchemaToJsonSchema(value);
    if (!converted.ok)
      return {
        message: `${fileName} is not a usable Table Schema (${converted.problems
          .slice(0, 3)
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}).`,
      };
    schema = converted.schema;
  } else if (isPlainObject(value) && (isPlainObject(value.properties) || typeof value.$ref === 'string')) {
    schema = value;
  } else {
    return {
      message: `${fileName} is not a target schema: it should be a JSON Schema of one record (with "properties") or a Frictionless Table Schema (with "fields").`,
    };
  }
  const title = typeof schema.title === 'string' && schema.title.trim() !== '' ? schema.title : fileName;
  return { doc: { id: `target:${fileName}`, name: title, schema } };
}

/** A `preflight.mapping/v1` file's JSON as a mapping (loader: tag, migrations, schema, semantic checks). */
export function mappingFrom(fileName: string, value: unknown): { mapping: Mapping } | { message: string } {
  const loaded = loadMapping(value);
  if (!loaded.ok)
    return {
      message: `${fileName} is not a usable mapping: ${loaded.problems
        .slice(0, 5)
        .map((p) => `${p.path || '/'} ${p.message}`)
        .join('; ')}.`,
    };
  return { mapping: loaded.value };
}

// the project schema a mapping's schema target names: core's, shared with `validate --project`
export { targetSchemaDoc } from '../../core/validation/index.ts';

/**
 * How a mapping names an uploaded target schema: its `$id` when it has one, else its file name —
 * both also work from the command line (`--schema` by `$id`, or the file next to the mapping).
 */
export function targetReference(doc: SchemaDoc, fileName: string): string {
  return typeof doc.schema.$id === 'string' && doc.schema.$id !== '' ? doc.schema.$id : fileName;
}
