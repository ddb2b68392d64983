/**
 * Tracing a finding in a mapped record back to the source column(s) it came from, through where
 * the mapping placed each value (`CompiledMapping.placeLastRow`: lists closed up, so a
 * finding at `name[0].given[0]` may come from the field written `name[0].given[1]`). Shared by
 * every row check over mapped records (FHIR resources, records of a target JSON Schema).
 */
import type { FieldMapping, Transform } from '../../formats/mapping.ts';
import type { FieldPlacement } from './compileMapping.ts';

/**
 * The source column(s) of a location in the mapped record (`prefix` + a record path, e.g.
 * `Patient.name[0].family` with prefix `Patient.`, or `name[0].family` with prefix ""): the field
 * placed exactly there or at an element above it (a finding inside a value), else every column
 * placed below it (a finding on a group, such as an invariant of `name[0]`), joined by " + ".
 * Undefined when only constants (or nothing) fill it.
 */
export function traceColumn(
  placements: readonly FieldPlacement[],
  location: string,
  prefix: string,
): string | undefined {
  if (!location.startsWith(prefix)) return undefined;
  const path = location.slice(prefix.length);
  for (const placed of placements) {
    if (path === placed.path || isBelow(path, placed.path)) return placed.column;
  }
  const columns: string[] = [];
  for (const placed of placements) {
    if (placed.column !== undefined && isBelow(placed.path, path) && !columns.includes(placed.column))
      columns.push(placed.column);
  }
  return columns.length > 0 ? columns.join(' + ') : undefined;
}

/** Whether `path` is strictly inside `ancestor` (`name[0].family` inside `name[0]` or `name`). */
function isBelow(path: string, ancestor: string): boolean {
  if (path.length <= ancestor.length || !path.startsWith(ancestor)) return false;
  const next = path[ancestor.length];
  return next === '.' || next === '[';
}

/**
 * Where a finding in a mapped record comes from in the mapping: the field that produced the
 * element (its target as the mapping writes it, its source column(s), its transform steps in
 * words), or, for an element the record lacks, the field that would have to produce it (it left
 * the element empty on this row) or that no field does. Never holds a value.
 */
export interface MappingTrace {
  /** the mapping field's target (several joined by " + " for a finding on a group) */
  field?: string;
  /** the source column(s) the field reads (several joined by " + "); absent for a fixed value */
  column?: string;
  /** the field's transform steps, in words ("trim spaces, then read a date as MM/DD/YYYY") */
  transform?: string;
  /** the element is absent: `empty` — `field` left it empty on this row; `no-field` — no field writes it */
  unfilled?: 'empty' | 'no-field';
}

/** The transform steps of a field, in the clinic's words; undefined when it has none. */
export function describeTransform(steps: readonly Transform[] | undefined): string | undefined {
  if (steps === undefined || steps.length === 0) return undefined;
  return steps.map(stepWords).join(', then ');
}

function stepWords(step: Transform): string {
  switch (step.op) {
    case 'trim':
      return 'trim spaces';
    case 'case':
      return `change to ${step.to} case`;
    case 'date':
      // layouts, not values: the mapping's own configuration
      return `read a date as ${step.formats.join(' or ')}`;
    case 'codeMap':
      return 'translate codes';
    case 'number':
      return 'read a number';
    case 'boolean':
      return 'read yes / no';
    case 'split':
      return 'keep one part';
    case 'concat':
      return 'join columns';
    case 'regexReplace':
      return 'find and replace';
  }
}

/**
 * The mapping trace of a location in the mapped record (`prefix` + a record path, as
 * {@link traceColumn}); undefined for a finding on the whole record (`location` is `prefix`
 * without its dot, or outside it). `fields` are the mapping's fields, for their transforms and
 * for the field that would have to fill an absent element.
 */
export function traceField(
  placements: readonly FieldPlacement[],
  fields: readonly FieldMapping[],
  location: string,
  prefix: string,
): MappingTrace | undefined {
  if (!location.startsWith(prefix) || location.length === prefix.length) return undefined;
  const path = location.slice(prefix.length);
  const byTarget = (target: string) => fields.find((f) => f.target === target);
  for (const placed of placements) {
    if (path !== placed.path && !isBelow(path, placed.path)) continue;
    const trace: MappingTrace = { field: placed.target };
    if (placed.column !== undefined) trace.column = placed.column;
    const transform = describeTransform(byTarget(placed.target)?.transform);
    if (transform !== undefined) trace.transform = transform;
    return trace;
  }
  const inside = placements.filter((placed) => isBelow(placed.path, path));
  if (inside.length > 0)
    return joined(
      inside.map((p) => p.target),
      inside.map((p) => p.column),
    );
  // absent from the record: the fields written at or below the same element, list positions aside
  const element = withoutPositions(path);
  const would = fields.filter((f) => {
    const target = withoutPositions(f.target);
    return target === element || isBelow(target, element);
  });
  if (would.length === 0) return { unfilled: 'no-field' };
  return {
    ...joined(
      would.map((f) => f.target),
      would.flatMap((f) => (f.from === undefined ? [] : typeof f.from === 'string' ? [f.from] : f.from)),
    ),
    unfilled: 'empty',
  };
}

function joined(targets: readonly string[], columns: readonly (string | undefined)[]): MappingTrace {
  const trace: MappingTrace = { field: unique(targets).join(' + ') };
  const named = unique(columns.filter((c): c is string => c !== undefined));
  if (named.length > 0) trace.column = named.join(' + ');
  return trace;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function withoutPositions(path: string): string {
  return path.replace(/\[\d+\]/g, '');
}
