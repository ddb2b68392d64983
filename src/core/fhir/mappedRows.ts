/**
 * A CSV mapping whose target is an R4 resource type (`target: { type: "fhir", resourceType }`):
 * each row is mapped by the mapping engine and the record, as that resource, goes through the
 * FHIR layers — structure, cardinality, values, extensions, invariants, bindings and the
 * references that can resolve inside one resource — as one {@link RowCheckFactory} of the CSV
 * engine, in the same single pass as the column contract.
 *
 * What a row's issues look like (all in the same `preflight.report/v1`):
 * - A transform failure or an empty required target (`mapping.<op>`, `mapping.required`) stays
 *   where the user can fix it: grouped by its source column, with the row, the column and the
 *   target's FHIRPath (`path`). The value is then absent from the record, so the FHIR
 *   `fhir-required` it would cause at the same path is not reported a second time (one cause, one
 *   issue).
 * - A FHIR finding is grouped by its FHIRPath without list positions (`Patient.name.family`), and
 *   each example has the row, the exact path (`Patient.name[0].family`) and the source column
 *   the mapping traces that path back to (through {@link CompiledMapping.placeLastRow}, so a list
 *   the engine closed up still points at the right column), the mapping field that wrote it and
 *   its transform steps in words. A finding on an element filled by constants only has the field
 *   but no column. A finding on an element the record lacks (a missing required element) names
 *   the field that would have to fill it and left it empty on this row (`unfilled: "empty"`,
 *   with the columns it reads), or says that no field writes it (`unfilled: "no-field"`).
 *
 * Constraints:
 * - Synchronous per row (the CSV engine checks rows as the parser steps them): everything is
 *   loaded first by {@link prepareMappedFhirCheck} — the digest, the structure module of the
 *   target type (and of the types of nested resources the mapping writes as constants) and,
 *   with the invariants layer, FHIRPath.js.
 * - Loaded through a {@link FhirModuleLoader}: in the browser only the validator worker imports
 *   this module (dynamically, so neither the page nor the worker's first script carries FHIR).
 */
import type { FieldMapping, Mapping } from '../../formats/mapping.ts';
import {
  type CompiledMapping,
  compileMapping,
  describeTransform,
  type MappingProblem,
  MappingUnusableError,
  type PreparedMappedCheck,
  traceField,
} from '../mapping/index.ts';
import {
  inputProblemText,
  MappingCompileError,
  notFhirTargetProblem,
  type RowCheckFactory,
  type RowIssue,
} from '../validation/index.ts';
import { createInvariantChecker } from './invariants.ts';
import { FHIR_LAYERS } from './rules.ts';
import { groupLocation } from './run.ts';
import type { StructureValidator } from './structure.ts';
import {
  createFhirValidator,
  type FhirModuleLoader,
  type FhirValidator,
  type FhirValidatorEnv,
  type FhirValidatorOptions,
} from './validator.ts';

// re-exported from the engine's shared modules (mapped rows to a JSON Schema use them too)
export { traceColumn } from '../mapping/index.ts';
export { MappingCompileError } from '../validation/index.ts';

/**
 * The R4 resource type a mapping targets, or undefined when its target is not FHIR (a JSON
 * Schema). The name is as the mapping writes it; {@link prepareMappedFhirCheck} refuses one that is
 * not an R4 resource type.
 */
export function mappedFhirTarget(mapping: Pick<Mapping, 'target'>): string | undefined {
  return mapping.target.type === 'fhir' ? mapping.target.resourceType : undefined;
}

/** The mapping's target is not an R4 resource type (or not FHIR at all). */
export class NotFhirTargetError extends Error {
  override name = 'NotFhirTargetError';
  constructor(
    readonly mappingId: string,
    /** the target as the mapping writes it (empty when it is not FHIR) */
    readonly target: string,
  ) {
    super(`the mapping "${mappingId}" does not map to an R4 resource type`);
  }
}

/** A prepared check: the row check factory and what the report says about the target. */
interface MappedFhirCheck {
  /** the R4 resource type each row becomes */
  resourceType: string;
  /** the mapping's id and version, for the report's `mapping` */
  mapping: { id: string; version: number };
  /** the CSV engine's row check (`ValidateCsvOptions.rowCheck`) */
  rowCheck: RowCheckFactory;
}

/**
 * Element names whose value names a nested resource's type (`contained[0].resourceType`): their
 * constants tell which structure modules to load ahead.
 */
const RESOURCE_TYPE_LEAF = /(^|\.)resourceType$/;

/**
 * The row check of a run's mapping to an R4 resource type ({@link prepareMappedFhirCheck}), with
 * what the report says of its target; `mappingName` names the mapping in the message of a target
 * that is not an R4 resource type.
 *
 * @throws {MappingUnusableError} when the target is not an R4 resource type
 */
export async function prepareFhirTarget(
  mapping: Mapping,
  mappingName: string,
  loader: FhirModuleLoader,
  options: FhirValidatorOptions,
): Promise<PreparedMappedCheck> {
  try {
    const check = await prepareMappedFhirCheck(mapping, loader, options);
    return {
      rowCheck: check.rowCheck,
      target: { type: 'fhir', resourceType: check.resourceType },
      mapping: check.mapping,
    };
  } catch (error) {
    if ((error as Error)?.name !== 'NotFhirTargetError') throw error;
    const target = mappedFhirTarget(mapping) ?? '';
    throw new MappingUnusableError(
      inputProblemText(notFhirTargetProblem(`mapping "${mappingName}"`, target, mappingName)),
    );
  }
}

/**
 * Loads what the FHIR layers need for `mapping`'s target and returns its row check.
 *
 * @throws {NotFhirTargetError} when the target is not an R4 resource type.
 */
export async function prepareMappedFhirCheck(
  mapping: Mapping,
  loader: FhirModuleLoader,
  options: FhirValidatorOptions = {},
): Promise<MappedFhirCheck> {
  const resourceType = mappedFhirTarget(mapping);
  const layers = new Set(options.layers ?? FHIR_LAYERS);
  const fhirPath = layers.has('invariants') && loader.fhirPath ? loader.fhirPath() : undefined;
  fhirPath?.catch(() => {}); // awaited below; this only keeps a failure from being unhandled meanwhile
  const digest = await loader.digest();
  if (resourceType === undefined || !digest.resourceTypes.includes(resourceType))
    throw new NotFhirTargetError(mapping.id, mappedFhirTarget(mapping) ?? '');
  // nested resources the mapping writes (contained[0].resourceType …): constants name their types;
  // one read from a column could be any type, so every type is loaded then
  const nested = new Set<string>([resourceType]);
  for (const field of mapping.fields) {
    if (!RESOURCE_TYPE_LEAF.test(field.target) || field.target === 'resourceType') continue;
    if (field.from !== undefined) for (const type of digest.resourceTypes) nested.add(type);
    else if (typeof field.const === 'string' && digest.resourceTypes.includes(field.const))
      nested.add(field.const);
  }
  const structures = new Map<string, StructureValidator>();
  if (layers.has('structure')) {
    await Promise.all(
      [...nested].map(async (type) => {
        structures.set(type, await loader.structure(type));
      }),
    );
  }
  const engine = fhirPath ? await fhirPath : undefined;
  // a mapping that writes a code system may write UCUM's: its rows are checked synchronously, so
  // the unit checker loads now (a mapping that writes none never pays for the UCUM tables)
  const writesSystem = mapping.fields.some((f) => f.target.endsWith('.system'));
  const units = layers.has('bindings') && writesSystem && loader.units ? await loader.units() : undefined;
  const env: FhirValidatorEnv = {
    digest,
    structure: (type) => structures.get(type),
    ...(engine ? { invariants: createInvariantChecker(digest, () => engine) } : {}),
    ...(units ? { units: () => units } : {}),
  };
  // a profile factory gets the engine too, or the profiles' own invariants would not run
  const profiles =
    typeof options.profiles === 'function'
      ? options.profiles(digest, engine ? () => engine : undefined)
      : options.profiles;
  const validator = createFhirValidator(env, { ...options, layers, ...(profiles ? { profiles } : {}) });
  return {
    resourceType,
    mapping: { id: mapping.id, version: mapping.version },
    rowCheck: (header) => {
      const compiled = compileMapping(mapping, header);
      if (!compiled.ok) throw new MappingCompileError(mapping.id, compiled.problems);
      return mappedRowChecker(compiled.compiled, mapping.fields, resourceType, validator);
    },
  };
}

/** The checker of one input: map, validate, trace. */
function mappedRowChecker(
  compiled: CompiledMapping,
  fields: readonly FieldMapping[],
  resourceType: string,
  validator: FhirValidator,
) {
  const prefix = `${resourceType}.`;
  return (row: number, cells: readonly string[]): readonly RowIssue[] => {
    const { record, problems } = compiled.mapRow(cells, row);
    // the resource type first, as FHIR JSON writes it; a mapping cannot change it
    const resource: Record<string, unknown> = { resourceType, ...record };
    resource.resourceType = resourceType;
    const result = validator.validate(resource, resourceType);
    if (problems.length === 0 && result.issues.length === 0) return NO_ISSUES;
    const issues: RowIssue[] = problems.map((p) => mappingIssue(p, prefix, fields));
    if (result.issues.length === 0) return issues;
    const failedTargets = new Set(problems.map((p) => `${prefix}${p.target}`));
    const placements = compiled.placeLastRow();
    for (const issue of result.issues) {
      if (issue.rule === 'fhir-required' && failedTargets.has(issue.location)) continue;
      const found: RowIssue = {
        rule: issue.rule,
        severity: issue.severity,
        code: issue.code,
        location: issue.location === '' ? '' : groupLocation(issue.location),
        message: issue.message,
      };
      if (issue.location !== '') found.path = issue.location;
      const trace = traceField(placements, fields, issue.location, prefix);
      if (trace?.column !== undefined) found.column = trace.column;
      if (trace?.field !== undefined) found.field = trace.field;
      if (trace?.transform !== undefined) found.transform = trace.transform;
      if (trace?.unfilled !== undefined) found.unfilled = trace.unfilled;
      if (issue.value !== undefined) found.value = issue.value;
      issues.push(found);
    }
    return issues;
  };
}

const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

function mappingIssue(problem: MappingProblem, prefix: string, fields: readonly FieldMapping[]): RowIssue {
  const issue: RowIssue = {
    rule: problem.rule,
    severity: problem.severity,
    code: problem.code,
    location: problem.column ?? `${prefix}${problem.target}`,
    message: problem.message,
    path: `${prefix}${problem.target}`,
  };
  if (problem.column !== undefined) issue.column = problem.column;
  issue.field = problem.target;
  if (problem.rule === 'mapping.required') issue.unfilled = 'empty';
  const transform = describeTransform(fields.find((f) => f.target === problem.target)?.transform);
  if (transform !== undefined) issue.transform = transform;
  if (problem.value !== undefined) issue.value = problem.value;
  return issue;
}
