/**
 * Files the mapping editor reads: a target schema (a JSON Schema, or a Frictionless Table Schema
 * converted to one) and a `preflight.mapping/v1` file (validated and migrated by its loader).
 * Messages name the file and the place, never a value from it (values may be patient data).
 */
import { tableSchemaToJsonSchema } from '../../core/mapping/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { SchemaDoc } from '../../formats/project.ts';

/** A schema or mapping is a small JSON file; anything larger was picked by mistake. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

async function readJson(file: File): Promise<{ value: unknown } | { message: string }> {
  if (file.size > MAX_JSON_BYTES)
    return { message: `${file.name} is too large for a schema or mapping file (at most 16 MB).` };
  const decoded = decodeUtf8Strict(new Uint8Array(await file.arrayBuffer()));
  if (!decoded.ok) return { message: `${file.name}: ${decoded.problem.message}. Save it as UTF-8 JSON.` };
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) return { message: `${file.name} is not valid JSON: ${parsed.problem.message}.` };
  return { value: parsed.value };
}

/** Reads a target schema file into a project schema document (id `target:<file name>`). */
export async function readTargetSchema(file: File): Promise<{ doc: SchemaDoc } | { message: string }> {
  const read = await readJson(file);
  if ('message' in read) return read;
  const value = read.value;
  let schema: Record<string, unknown>;
  if (isPlainObject(value) && Array.isArray(value.fields) && !('properties' in value)) {
    const converted = tableSchemaToJsonSchema(value);
    if (!converted.ok)
      return {
        message: `${file.name} is not a usable Table Schema (${converted.problems
          .slice(0, 3)
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}).`,
      };
    schema = converted.schema;
  } else if (isPlainObject(value) && (isPlainObject(value.properties) || typeof value.$ref === 'string')) {
    schema = value;
  } else {
    return {
      message: `${file.name} is not a target schema: it should be a JSON Schema of one record (with "properties") or a Frictionless Table Schema (with "fields").`,
    };
  }
  const title = typeof schema.title === 'string' && schema.title.trim() !== '' ? schema.title : file.name;
  return { doc: { id: `target:${file.name}`, name: title, schema } };
}

/** Reads a `preflight.mapping/v1` file (loader: tag, migrations, schema, semantic checks). */
export async function readMappingFile(file: File): Promise<{ mapping: Mapping } | { message: string }> {
  const read = await readJson(file);
  if ('message' in read) return read;
  const loaded = loadMapping(read.value);
  if (!loaded.ok)
    return {
      message: `${file.name} is not a usable mapping: ${loaded.problems
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
