/**
 * Tracing a finding in a mapped record back to the source column(s) it came from, through where
 * the mapping placed each value (`CompiledMapping.placeLastRow`: lists closed up, so a
 * finding at `name[0].given[0]` may come from the field written `name[0].given[1]`). Shared by
 * every row check over mapped records (FHIR resources, records of a target JSON Schema).
 */
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
