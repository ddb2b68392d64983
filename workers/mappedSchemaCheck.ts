/**
 * The validator worker's part of a mapping whose target is a JSON Schema: the row check, compiled
 * here (ajv generates code: only this worker's CSP allows it, see validate.worker.ts) once per
 * mapping and schema and kept for the worker's later files (core `createPreparedCache`), and the
 * words for a target schema that cannot be used. Kept out of validateApi.ts so the page's bundle carries none of it.
 */

import type { RegexChecker } from '../src/core/contract/index.ts';
import { prepareMappedSchemaCheck, TargetSchemaError } from '../src/core/mapping/index.ts';
import type { PreparedCache, RowCheckFactory } from '../src/core/validation/index.ts';
import type { InputProblem, MappedSchemaSpec } from './validateTypes.ts';

/** The file's mapping names a target schema the page did not send (not in the project). */
class MissingTargetSchemaError extends Error {
  override name = 'MissingTargetSchemaError';
  constructor(readonly schema: string) {
    super('the mapping’s target schema was not given');
  }
}

/**
 * The row check of a mapping to a target JSON Schema, compiled once per spec and worker (kept in
 * `prepared` by the spec's text).
 *
 * @throws {TargetSchemaError} when the schema does not compile; {@link MissingTargetSchemaError}
 *   when the task carries no schema.
 */
export function mappedSchemaCheck(
  prepared: PreparedCache<RowCheckFactory>,
  spec: MappedSchemaSpec,
  regexChecker?: RegexChecker,
): Promise<RowCheckFactory> {
  const target = spec.mapping.target;
  if (target.type !== 'schema') throw new TypeError('not a mapping to a JSON Schema');
  const schema = spec.targetSchema;
  if (!schema) throw new MissingTargetSchemaError(target.schema);
  return prepared(
    JSON.stringify(spec),
    () =>
      prepareMappedSchemaCheck(spec.mapping, schema.schema, {
        schemaName: schema.name,
        ...(regexChecker ? { regexChecker } : {}),
      }).rowCheck,
  );
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
