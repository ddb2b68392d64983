/**
 * The mappings of a validation run, planned once: each file's mapping checked against its header,
 * its row check prepared once per mapping and set on the file's job with the mapping's key, and
 * what the report says of the run's mapped target. The CLI (`validate --mapping`, a check set's
 * saved mapping with `--project`) reads the files and prepares checks in its own way (its range
 * workers prepare them again); the words of a mapping that cannot run are the same everywhere.
 *
 * It lives here, not in core/validation, because it compiles mappings, and this module already
 * imports core/validation.
 *
 * Constraints: messages name mappings, files, schemas and JSON Pointers, never a cell value.
 */

import { isPlainObject } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { isColumnContract, regexCheckerFor } from '../contract/index.ts';
import {
  CLI_CONTROLS,
  type ContractFileProblem,
  type InputJob,
  inputProblemText,
  type MappedInput,
  mappedTarget,
  mappingCompileProblem,
  type RowCheckFactory,
  type RunContract,
  readRecordAt,
  tableSchemaContract,
  withMappingKey,
} from '../validation/index.ts';
import { compileMapping } from './compileMapping.ts';
import { prepareMappedSchemaCheck, TargetSchemaError } from './schemaRows.ts';
import { isTableSchema, tableSchemaChecks, tableSchemaToJsonSchema } from './tableSchema.ts';

/** A mapping that cannot be used with its file (the CLI's exit 2). */
export class MappingUnusableError extends Error {
  override name = 'MappingUnusableError';
}

/** What the report says about the mappings of a run. */
export interface MappedRunInfo {
  /** `{ type: "fhir", resourceType }` or `{ type: "schema", schema }` when every file was mapped to the same target */
  target?: Report['target'];
  /** the mapping, when one mapping was applied to every file */
  mapping?: Report['mapping'];
  /** some file's records were mapped to FHIR and checked by the FHIR layers */
  fhir?: true;
}

/** A prepared row check and what the report says about its target. */
export interface PreparedMappedCheck {
  rowCheck: RowCheckFactory;
  target: NonNullable<Report['target']>;
  mapping: { id: string; version: number };
}

/** A file's mapping, as the caller chose it. */
export interface ChosenMapping {
  mapping: Mapping;
  /** what names it in messages and tells mappings apart: its file, or `saved mapping "name"` */
  name: string;
  /** whether it was given (`--mapping`) rather than the file's check set's saved one */
  given: boolean;
}

/** The header the engine will read for a job (its first record, or "column N" names). */
async function headerOf(job: InputJob): Promise<string[]> {
  const first = (await readRecordAt(job.source, job.layout, 0)) ?? [];
  return job.layout.header ? first : first.map((_, i) => `column ${i + 1}`);
}

/**
 * Checks each file's mapping (`chosen`, by file index) against its header, prepares its row check
 * once per mapping (`prepare`), and sets each mapped job's `rowCheck` and key (a one-column mapping
 * key is checked for duplicates like a key given). `warn` is told what does not stop the run.
 *
 * @throws {MappingUnusableError} for a mapping that cannot run on its file
 */
export async function attachMappedChecks<Chosen extends ChosenMapping>(
  files: readonly string[],
  jobs: readonly InputJob[],
  chosen: readonly (Chosen | undefined)[],
  prepare: (chosen: Chosen) => Promise<PreparedMappedCheck>,
  warn: (message: string) => void,
): Promise<MappedRunInfo> {
  const checks = new Map<string, PreparedMappedCheck>();
  const perFile: (MappedInput | undefined)[] = files.map(() => undefined);
  let fhir = false;
  for (const [i, file] of files.entries()) {
    const choice = chosen[i];
    if (!choice) continue;
    const { mapping, name } = choice;
    const job = jobs[i] as InputJob;
    const compiled = compileMapping(mapping, await headerOf(job));
    if (!compiled.ok) {
      const named = choice.given ? `mapping "${name}"` : name;
      throw new MappingUnusableError(
        inputProblemText(mappingCompileProblem(named, file, compiled.problems, CLI_CONTROLS)),
      );
    }
    for (const warning of compiled.compiled.warnings)
      warn(`mapping "${name}" on "${file}" at ${warning.path}: ${warning.message}`);
    let check = checks.get(name);
    if (!check) {
      check = await prepare(choice);
      checks.set(name, check);
    }
    job.rowCheck = check.rowCheck;
    if (check.target.type === 'fhir') fhir = true;
    perFile[i] = { target: check.target, mapping: check.mapping, key: name };
    if (Array.isArray(mapping.key) && mapping.key.length > 1)
      warn(
        `the key of "${name}" has ${mapping.key.length} columns; duplicate keys are checked for one-column keys only (give one with --key)`,
      );
    else {
      job.keys = withMappingKey(job.keys ?? [], mapping.key);
    }
  }
  return { ...mappedTarget(perFile), ...(fhir ? { fhir: true as const } : {}) };
}

/**
 * A mapping's target schema as a JSON Schema: a Frictionless Table Schema converted, a JSON object
 * as it is. `name` names the schema, `mappingFile` the mapping.
 *
 * @throws {MappingUnusableError} for a schema that is neither
 */
export function targetSchemaOf(json: unknown, name: string, mappingFile: string): Record<string, unknown> {
  if (isPlainObject(json) && Array.isArray(json.fields) && !('properties' in json)) {
    const converted = tableSchemaToJsonSchema(json);
    if (!converted.ok) {
      const lines = converted.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
      throw new MappingUnusableError(`the target Table Schema "${name}" is not usable:\n${lines.join('\n')}`);
    }
    return converted.schema;
  }
  if (!isPlainObject(json))
    throw new MappingUnusableError(
      `the target schema "${name}" of the mapping "${mappingFile}" is not a JSON Schema (a JSON object) nor a Table Schema ("fields").`,
    );
  return json;
}

/**
 * The row check of a mapping to a target schema (`target`: the schema and its name; `null`: a
 * saved mapping whose schema the project does not hold), compiled by ajv.
 *
 * @throws {MappingUnusableError} for a schema that is missing or does not compile
 */
export async function prepareSchemaTarget(
  mapping: Mapping & { target: { type: 'schema' } },
  mappingName: string,
  target: { name: string; schema: Record<string, unknown> } | null,
): Promise<PreparedMappedCheck> {
  if (target === null)
    throw new MappingUnusableError(
      `the ${mappingName} maps to the schema "${mapping.target.schema}", which the project does not hold: add it in the app and export the project again, or give the mapping with --mapping and its schema with --schema.`,
    );
  let check: ReturnType<typeof prepareMappedSchemaCheck>;
  try {
    check = prepareMappedSchemaCheck(mapping, target.schema, {
      schemaName: target.name,
      regexChecker: await regexCheckerFor(target.schema),
    });
  } catch (error) {
    if (!(error instanceof TargetSchemaError)) throw error;
    const lines = error.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new MappingUnusableError(
      `the target schema "${target.name}" of the mapping "${mappingName}" does not compile:\n${lines.join('\n')}`,
    );
  }
  return {
    rowCheck: check.rowCheck,
    target: { type: 'schema', schema: check.schema },
    mapping: check.mapping,
  };
}

/**
 * A contract file's JSON as a run checks it: a JSON Schema of rows, or a Frictionless Table Schema
 * converted (its unique fields and one-field primary key become keys, its one-field foreign keys
 * references, what is not checked is listed as such). `file` names it in the problem of one that
 * is neither (contractFile.ts reads the file's bytes to this).
 */
export function runContractShape(
  json: unknown,
  file: string,
): { ok: true; contract: RunContract } | { ok: false; problem: ContractFileProblem } {
  const value = json as Record<string, unknown>;
  if (isTableSchema(value)) {
    const converted = tableSchemaToJsonSchema(value);
    if (!converted.ok) {
      const places = converted.problems.map((p) => `${p.path || '/'}: ${p.message}`);
      return {
        ok: false,
        problem: {
          file,
          message: `The Table Schema "${file}" cannot be used: ${places.join('; ')}.`,
          advice:
            'Correct it at the places named, or write the contract as a JSON Schema, then choose it again.',
          paths: converted.problems.map((p) => p.path || '/'),
        },
      };
    }
    const contract = tableSchemaContract(
      converted.schema,
      converted.missingValues,
      tableSchemaChecks(converted),
    );
    return { ok: true, contract };
  }
  if (!isColumnContract(json))
    return {
      ok: false,
      problem: {
        file,
        message: `"${file}" is not a column contract: it is neither a JSON Schema of one row ("type": "object" with "properties") nor a Frictionless Table Schema ("fields").`,
        advice:
          'Choose the contract file itself (JSON with "properties" or "fields"), or ask whoever wrote it for a corrected one.',
      },
    };
  return { ok: true, contract: { contract: json, keys: [], foreignKeys: [], notChecked: [] } };
}
