/**
 * The source cells a finding on a mapped record comes from, so the failing-row drill-down can mark
 * them: a row that fails because the new record's `birthDate` is invalid has its
 * `birth_date` cell marked, the cell the data lead can correct.
 *
 * A finding of a mapped row is one of (fhir/mappedRows.ts, schemaRows.ts):
 * - a transform failure or an empty required target (`mapping.<op>`, `mapping.required`), grouped
 *   at its source column(s) (`"first + last"` for a concat), or at its target path when only a
 *   constant fills it;
 * - a finding of the target: `target.<keyword>` at a record path without list positions
 *   (`name.given`), or `fhir-*` at a FHIRPath-style location (`Patient.name.given`).
 *
 * The run groups findings without list positions, and a mapping may fill several list items
 * (`name.given[0]` from `first_name`, `name.given[1]` from `middle_name`): without the row's exact
 * trace, every column filling the location is marked. The run's own trace of this row (a report
 * example: its `column` and `path`) is exact and wins when the caller has it.
 *
 * Constraint: pure and cheap (the page runs it per issue group, not per row); no FHIR or ajv
 * module is imported, so the page's bundle stays free of them.
 */
import type { Mapping } from '../../formats/mapping.ts';

/** Rule-id prefixes of the findings of mapped rows (`REQUIRED_RULE`, `transformRule`, `targetRuleId`, FHIR_RULES). */
const MAPPED_RULE_PREFIXES = ['mapping.', 'target.', 'fhir-'] as const;

/** How source columns are joined in a finding's location and column (traceColumn.ts, compileMapping.ts). */
const COLUMN_JOIN = ' + ';

/** A finding of one mapped row, as the report groups it, with the run's exact trace when known. */
export interface MappedFinding {
  rule: string;
  /** the issue group's location: source column(s), or a target path without list positions */
  location: string;
  /** the source column(s) the run traced this row's finding to (a report example), " + "-joined */
  column?: string | undefined;
  /** the exact target path of this row's finding (a report example), e.g. `name.given[1]` */
  path?: string | undefined;
}

/** A source cell to mark, and the field of the new record it fills. */
export interface FindingCell {
  /** position in the file's header */
  column: number;
  /** the target the mapping fills from this cell, as findings name it (`birthDate`, `Patient.birthDate`) */
  target: string;
}

/** Whether `rule` is a finding of a mapped row (not of the column contract or the file). */
export function isMappedRule(rule: string): boolean {
  return MAPPED_RULE_PREFIXES.some((prefix) => rule.startsWith(prefix));
}

/** `name[0].given[1]` → `name.given` (how findings are grouped). */
function withoutPositions(path: string): string {
  return path.replace(/\[\d+\]/g, '');
}

/** Whether `path` is `ancestor` or inside it (`name.given` inside `name`). */
function atOrBelow(path: string, ancestor: string): boolean {
  if (path === ancestor) return true;
  return path.startsWith(ancestor) && (path[ancestor.length] === '.' || path[ancestor.length] === '[');
}

/** The fields that read source columns, with their columns' header positions. */
function sourceFields(mapping: Mapping, header: readonly string[]) {
  const fields: { target: string; columns: number[] }[] = [];
  for (const field of mapping.fields) {
    if (field.from === undefined) continue;
    const names = Array.isArray(field.from) ? field.from : [field.from];
    const columns = names.map((name) => header.indexOf(name)).filter((c) => c >= 0);
    if (columns.length > 0) fields.push({ target: field.target, columns });
  }
  return fields;
}

/** Header positions of a " + "-joined column list, or undefined unless every name is a column. */
function columnsNamed(text: string, header: readonly string[]): number[] | undefined {
  if (text === '') return undefined;
  const whole = header.indexOf(text);
  if (whole >= 0) return [whole];
  const positions = text.split(COLUMN_JOIN).map((name) => header.indexOf(name));
  return positions.every((p) => p >= 0) ? positions : undefined;
}

/**
 * The source cells of `finding` in a row of the file `header` describes, mapped by `mapping`:
 * one per column, in mapping order. Empty for a finding that is not a mapped row's, one on the
 * whole record (no location), or one on a value only constants fill.
 */
export function mappedFindingCells(
  mapping: Mapping,
  header: readonly string[],
  finding: MappedFinding,
): FindingCell[] {
  if (!isMappedRule(finding.rule)) return [];
  const prefix = mapping.target.type === 'fhir' ? `${mapping.target.resourceType}.` : '';
  const fields = sourceFields(mapping, header);
  const cells: FindingCell[] = [];
  const add = (column: number, target: string) => {
    if (!cells.some((cell) => cell.column === column)) cells.push({ column, target: `${prefix}${target}` });
  };
  /** the target a traced column fills (the one at the finding's place when it fills several) */
  const targetOf = (column: number, near: string): string => {
    const reading = fields.filter((f) => f.columns.includes(column));
    const at = reading.find((f) => atOrBelow(withoutPositions(f.target), near)) ?? reading[0];
    return at?.target ?? near;
  };

  const inRecord = (path: string): string | undefined =>
    prefix === '' ? path : path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
  const near = withoutPositions(inRecord(finding.path ?? finding.location) ?? '');

  // the run's trace of this row, or a transform failure grouped at its column(s)
  const traced =
    (finding.column !== undefined ? columnsNamed(finding.column, header) : undefined) ??
    (finding.rule.startsWith('mapping.') ? columnsNamed(finding.location, header) : undefined);
  if (traced) {
    for (const column of traced) add(column, targetOf(column, near));
    return cells;
  }

  if (near === '') return cells;
  // the fields placed at the location or above it (a finding inside a value) …
  for (const field of fields) {
    if (atOrBelow(near, withoutPositions(field.target)))
      for (const column of field.columns) add(column, field.target);
  }
  if (cells.length > 0) return cells;
  // … else every field below it (a finding on a group, such as an invariant of `name`)
  for (const field of fields) {
    if (atOrBelow(withoutPositions(field.target), near))
      for (const column of field.columns) add(column, field.target);
  }
  return cells;
}
