/**
 * The validator worker's part of a mapping whose target is a JSON Schema: the row check, compiled
 * here (ajv generates code: only this worker's CSP allows it, see validate.worker.ts) once per
 * mapping and schema and kept for the worker's later files, and the words for a target schema that
 * cannot be used. Kept out of validateApi.ts so the page's bundle carries none of it.
 */

import type { RegexChecker } from '../src/core/contract/index.ts';
import { prepareMappedSchemaCheck, TargetSchemaError } from '../src/core/mapping/index.ts';
import type { RowCheckFactory } from '../src/core/validation/index.ts';
import type { InputProblem, MappedSchemaSpec } from './validateTypes.ts';

export type { MappedSchemaSpec } from './validateTypes.ts';

/** The file's mapping names a target schema the page did not send (not in the project). */
export class MissingTargetSchemaError extends Error {
  override name = 'MissingTargetSchemaError';
  constructor(readonly schema: string) {
    super('the mapping’s target schema was not given');
  }
}

/** Compiled row checks kept per worker (each holds ajv's generated code). */
const MAX_CACHED_CHECKS = 16;

/** Row checks compiled so far, by the spec's text (a structured-cloned spec is a new object per file). */
export type SchemaCheckCache = Map<string, RowCheckFactory>;

/**
 * The row check of a mapping to a target JSON Schema, compiled once per spec and worker.
 *
 * @throws {TargetSchemaError} when the schema does not compile; {@link MissingTargetSchemaError}
 *   when the task carries no schema.
 */
export function mappedSchemaCheck(
  cache: SchemaCheckCache,
  spec: MappedSchemaSpec,
  regexChecker?: RegexChecker,
): RowCheckFactory {
  const target = spec.mapping.target;
  if (target.type !== 'schema') throw new TypeError('not a mapping to a JSON Schema');
  if (!spec.targetSchema) throw new MissingTargetSchemaError(target.schema);
  const key = JSON.stringify(spec);
  let check = cache.get(key);
  if (!check) {
    // a session validates with a few mappings; a bound keeps a long-lived worker from collecting them
    if (cache.size >= MAX_CACHED_CHECKS) cache.clear();
    check = prepareMappedSchemaCheck(spec.mapping, spec.targetSchema.schema, {
      schemaName: spec.targetSchema.name,
      ...(regexChecker ? { regexChecker } : {}),
    }).rowCheck;
    cache.set(key, check);
  }
  return check;
}

/** The problem the user sees for a target schema that cannot be used, or undefined for other errors. */
export function targetSchemaProblemOf(error: unknown, file: string): InputProblem | undefined {
  if (error instanceof TargetSchemaError)
    return {
      file: error.schemaName,
      message: `The target schema "${error.schemaName}" of the mapping cannot be used to check ${file}: ${error.problems
        .slice(0, 3)
        .map((p) => `${p.path || '/'}: ${p.message}`)
        .join('; ')}${error.problems.length > 3 ? ` (and ${error.problems.length - 3} more)` : ''}.`,
      advice:
        'Correct the schema at the places named (in the JSON Schema file) and upload it again in the mapping editor, or choose another target.',
      schemaPaths: error.problems.map((p) => p.path || '/'),
    };
  if (error instanceof MissingTargetSchemaError)
    return {
      file,
      message: `The mapping for ${file} checks its records with the schema "${error.schema}", which is not in this project.`,
      advice:
        'Upload the target schema in the mapping editor ("Upload a target schema"), then validate again.',
    };
  return undefined;
}
