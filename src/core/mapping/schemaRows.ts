/**
 * A CSV mapping whose target is a JSON Schema (`target: { type: "schema", schema }`: the user's
 * schema, or a Frictionless Table Schema converted by tableSchema.ts): each row is mapped by the
 * mapping engine and the record is validated against the target schema by ajv (all errors), as
 * one {@link RowCheckFactory} of the CSV engine — in the same single pass as the column contract.
 *
 * What a row's issues look like (all in the same `preflight.report/v1`):
 * - A transform failure or an empty required target (`mapping.<op>`, `mapping.required`) stays
 *   where the user can fix it: grouped by its source column, with the row, the column and the
 *   target path (`path`). The value is then absent from the record, so the `target.required` the
 *   schema would add at the same place is not reported a second time (one cause, one issue).
 * - A schema finding has the rule `target.<keyword>` (`target.pattern`, `target.required`, …), is
 *   grouped by its record path without list positions (`name.given`), and each example has the
 *   row, the exact path (`name.given[1]`), the source column the mapping traces that path back to
 *   (through {@link CompiledMapping.placeLastRow}) and the mapped value (redactable). A finding on
 *   a value only constants fill, or on one the mapping does not fill, has no column.
 *
 * Constraints:
 * - Compiling the user's schema generates code (ajv): it happens in Node (the CLI and its range
 *   workers) and, in the browser, only in the validator worker, whose CSP allows it. The page
 *   never imports this module.
 * - Messages are built from the keyword and the schema's own parameters, never from a value of the
 *   record (it may be patient data); values travel in `value` only.
 * - Synchronous per row, and allocation-free for rows that map and validate cleanly.
 */
import type { FormatProblem } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import { compileColumnContract, type RegexChecker } from '../contract/index.ts';
import {
  MappingCompileError,
  type RowChecker,
  type RowCheckFactory,
  type RowIssue,
} from '../validation/index.ts';
import { type CompiledMapping, compileMapping, type MappingProblem } from './compileMapping.ts';
import { traceColumn } from './traceColumn.ts';

/** The prefix of the rule ids of target-schema findings (`target.<keyword>`). */
const TARGET_RULE_PREFIX = 'target.';

/** The rule id of a target-schema finding of ajv keyword `keyword`. */
export function targetRuleId(keyword: string): string {
  return `${TARGET_RULE_PREFIX}${keyword}`;
}

/** The target schema cannot be used: it does not compile (problems with JSON Pointers into it). */
export class TargetSchemaError extends Error {
  override name = 'TargetSchemaError';
  constructor(
    /** the schema as the mapping names it (a path or an `$id`), or its file */
    readonly schemaName: string,
    readonly problems: readonly FormatProblem[],
  ) {
    super(
      `the target schema "${schemaName}" does not compile: ${problems
        .slice(0, 3)
        .map((p) => `${p.path || '/'}: ${p.message}`)
        .join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
    );
  }
}

/** A prepared check: the row check factory and what the report says about the target. */
interface MappedSchemaCheck {
  /** the target as the mapping names it (the report's `target.schema`) */
  schema: string;
  /** the mapping's id and version, for the report's `mapping` */
  mapping: { id: string; version: number };
  /** the CSV engine's row check (`ValidateCsvOptions.rowCheck`) */
  rowCheck: RowCheckFactory;
}

/** Options of {@link prepareMappedSchemaCheck}. */
interface MappedSchemaOptions {
  /** how errors name the schema (default: the mapping's `target.schema`) */
  schemaName?: string;
  /** judges the schema's patterns for catastrophic backtracking (`regexCheckerFor` loads it) */
  regexChecker?: RegexChecker;
}

/** The schema validator as ajv compiles it (errors of the last call). */
interface AjvValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Keywords whose branches' own errors ajv also reports: the place gets one finding, the keyword's. */
const ALTERNATIVES = new Set(['anyOf', 'oneOf']);
/** Keywords ajv reports beside the errors that explain them (`if`: the `then`/`else` errors). */
const CONSEQUENCES = new Set(['if']);

/**
 * ajv's errors without the ones that repeat a cause: the branch errors under an `anyOf`/`oneOf`
 * error (contradictory by nature: "must be text", "must be a number"), and an `if` error beside
 * the `then`/`else` errors that say what is missing.
 */
function causes(errors: readonly AjvError[]): AjvError[] {
  const alternatives = errors.filter((e) => ALTERNATIVES.has(e.keyword)).map((e) => `${e.schemaPath}/`);
  return errors.filter(
    (e) => !CONSEQUENCES.has(e.keyword) && !alternatives.some((at) => e.schemaPath.startsWith(at)),
  );
}

/**
 * Compiles `schema` (the mapping's target, in any draft ajv supports; 2020-12 without `$schema`)
 * and returns the row check of `mapping` against it.
 *
 * @throws {TargetSchemaError} when the schema does not compile; a `TypeError` when the mapping's
 *   target is not a schema (a programming error: FHIR targets go to
 *   `src/core/fhir/mappedRows.ts`).
 */
export function prepareMappedSchemaCheck(
  mapping: Mapping,
  schema: Readonly<Record<string, unknown>>,
  options: MappedSchemaOptions = {},
): MappedSchemaCheck {
  if (mapping.target.type !== 'schema') throw new TypeError('the mapping does not map to a JSON Schema');
  const name = options.schemaName ?? mapping.target.schema;
  const compiled = compileColumnContract(schema, {
    subject: 'target schema',
    ...(options.regexChecker ? { regexChecker: options.regexChecker } : {}),
  });
  if (!compiled.ok) throw new TargetSchemaError(name, compiled.problems);
  const validate = compiled.validate as AjvValidator;
  return {
    schema: mapping.target.schema,
    mapping: { id: mapping.id, version: mapping.version },
    rowCheck: (header) => {
      const result = compileMapping(mapping, header);
      if (!result.ok) throw new MappingCompileError(mapping.id, result.problems);
      return mappedSchemaChecker(result.compiled, validate);
    },
  };
}

const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/** The checker of one input: map, validate, trace. */
function mappedSchemaChecker(compiled: CompiledMapping, validate: AjvValidator): RowChecker {
  return (row, cells) => {
    const { record, problems } = compiled.mapRow(cells, row);
    const valid = validate(record);
    if (problems.length === 0 && valid) return NO_ISSUES;
    const issues: RowIssue[] = problems.map(mappingIssue);
    if (valid) return issues;
    const failed = problems.map((p) => p.target);
    const placements = compiled.placeLastRow();
    for (const error of causes(validate.errors ?? [])) {
      const segments = pathSegments(record, error.instancePath);
      const named = namedProperty(error);
      if (named !== undefined) segments.push(named);
      const path = formatPath(segments);
      // one cause, one issue: a value the mapping could not make is already reported
      if (error.keyword === 'required' && failed.some((target) => within(target, path))) continue;
      const found: RowIssue = {
        rule: targetRuleId(error.keyword),
        severity: 'error',
        code: codeOf(error.keyword),
        location: path.replace(/\[\d+\]/g, ''),
        message: messageOf(error.keyword, error.params),
      };
      if (path !== '') found.path = path;
      const column =
        path === '' ? undefined : (traceColumn(placements, path, '') ?? fieldColumn(compiled, path));
      if (column !== undefined) found.column = column;
      if (error.keyword !== 'required') {
        const value = scalarAt(record, segments);
        if (value !== undefined) found.value = value;
      }
      issues.push(found);
    }
    return issues;
  };
}

/**
 * The column(s) the mapping reads for `path` when the record holds no value there (a field the
 * schema requires, left empty in this row): the fields whose target is `path` or inside it, in
 * mapping order, joined by " + ".
 */
function fieldColumn(compiled: CompiledMapping, path: string): string | undefined {
  const columns: string[] = [];
  for (const [target, positions] of compiled.columnsByTarget) {
    if (!within(target, path)) continue;
    for (const p of positions) {
      const column = compiled.header[p];
      if (column !== undefined && !columns.includes(column)) columns.push(column);
    }
  }
  return columns.length > 0 ? columns.join(' + ') : undefined;
}

function mappingIssue(problem: MappingProblem): RowIssue {
  const issue: RowIssue = {
    rule: problem.rule,
    severity: problem.severity,
    code: problem.code,
    location: problem.column ?? problem.target,
    message: problem.message,
    path: problem.target,
  };
  if (problem.column !== undefined) issue.column = problem.column;
  if (problem.value !== undefined) issue.value = problem.value;
  return issue;
}

/** Whether target path `target` is `path` or inside it (`name[0].given[0]` within `name[0].given`). */
function within(target: string, path: string): boolean {
  if (target === path) return true;
  if (path === '') return true;
  return target.startsWith(path) && (target[path.length] === '.' || target[path.length] === '[');
}

type Segment = string | number;

/** The record path of an ajv `instancePath` (a JSON Pointer): list positions where the record has lists. */
function pathSegments(record: unknown, pointer: string): Segment[] {
  const segments: Segment[] = [];
  if (pointer === '') return segments;
  let node: unknown = record;
  for (const raw of pointer.slice(1).split('/')) {
    const name = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^\d+$/.test(name)) {
      segments.push(Number(name));
      node = node[Number(name)];
    } else {
      segments.push(name);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[name] : undefined;
    }
  }
  return segments;
}

/** The property an error is about when ajv reports it at the parent (a missing or extra property). */
function namedProperty(error: { keyword: string; params: Record<string, unknown> }): string | undefined {
  const p = error.params;
  const name =
    error.keyword === 'required' || error.keyword === 'dependentRequired' || error.keyword === 'dependencies'
      ? p.missingProperty
      : error.keyword === 'additionalProperties'
        ? p.additionalProperty
        : error.keyword === 'unevaluatedProperties'
          ? p.unevaluatedProperty
          : error.keyword === 'propertyNames'
            ? p.propertyName
            : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** `name[0].given[1]`, as mappings write target paths. */
function formatPath(segments: readonly Segment[]): string {
  let path = '';
  for (const s of segments) path = typeof s === 'number' ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`;
  return path;
}

/** The value at `segments` as text when it is a single value (a string, number or boolean). */
function scalarAt(record: unknown, segments: readonly Segment[]): string | undefined {
  let node: unknown = record;
  for (const s of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
    ? String(node)
    : undefined;
}

function codeOf(keyword: string): string {
  if (keyword === 'required' || keyword === 'dependentRequired' || keyword === 'dependencies')
    return 'required';
  if (keyword === 'additionalProperties' || keyword === 'unevaluatedProperties') return 'structure';
  return 'value';
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a group of fields',
  array: 'a list',
  null: 'null',
};

/**
 * What each keyword's finding says, from the schema's parameters only (never the record's value).
 * Keywords not listed say which rule they break.
 */
const KEYWORD_MESSAGES: Readonly<Record<string, (params: Record<string, unknown>) => string>> = {
  required: () => 'is required by the target schema, but the mapped record has no value here',
  dependentRequired: () => 'is required by the target schema when another field is filled',
  dependencies: () => 'is required by the target schema when another field is filled',
  additionalProperties: () => 'is not a field of the target schema (check the mapping’s target path)',
  unevaluatedProperties: () => 'is not a field of the target schema (check the mapping’s target path)',
  type: (p) =>
    `must be ${String(p.type)
      .split(',')
      .map((t) => TYPE_WORDS[t] ?? t)
      .join(' or ')} in the target schema`,
  enum: () => 'is not one of the values the target schema allows',
  const: () => 'is not the value the target schema requires',
  pattern: (p) => `does not match the target schema’s pattern ${String(p.pattern)}`,
  format: (p) => `is not a valid ${String(p.format)} (format required by the target schema)`,
  minLength: (p) => `is shorter than the ${String(p.limit)} characters the target schema requires`,
  maxLength: (p) => `is longer than the ${String(p.limit)} characters the target schema allows`,
  minimum: (p) => `is below the target schema’s minimum of ${String(p.limit)}`,
  maximum: (p) => `is above the target schema’s maximum of ${String(p.limit)}`,
  exclusiveMinimum: (p) => `must be above ${String(p.limit)} in the target schema`,
  exclusiveMaximum: (p) => `must be below ${String(p.limit)} in the target schema`,
  anyOf: () => 'does not match any of the forms the target schema allows',
  oneOf: (p) =>
    Array.isArray(p.passingSchemas)
      ? 'matches more than one of the forms the target schema allows (it must match exactly one)'
      : 'does not match any of the forms the target schema allows',
  minItems: (p) => `has fewer than the ${String(p.limit)} items the target schema requires`,
  maxItems: (p) => `has more than the ${String(p.limit)} items the target schema allows`,
  multipleOf: (p) => `must be a multiple of ${String(p.multipleOf)} in the target schema`,
};

function messageOf(keyword: string, params: Record<string, unknown>): string {
  // own keys only: a keyword named like an Object method must not find one
  const describe = Object.hasOwn(KEYWORD_MESSAGES, keyword) ? KEYWORD_MESSAGES[keyword] : undefined;
  return describe ? describe(params) : `does not meet the target schema’s "${keyword}" rule`;
}
