/**
 * The drill-down's filters beyond one issue group (issueRows.ts): rows with errors, rows with
 * warnings, and one per cross-file finding of the report (a repeated key, one identifier with
 * different details, references to missing records), each with the words the list shows.
 *
 * How each is listed, never holding rows (memory must not grow with the file):
 * - `errors`: the union of the input's error groups' positions in its failing rows (the run kept
 *   them): {@link unionPositions}, no re-read of the file;
 * - every other filter names rows the run did not keep, so they are found by one pass over the
 *   file on demand (findRows.ts): `rows` the report names (a repeated key's, a conflicting
 *   identifier's, a warning's examples), `orphans` against the referenced input's keys, and
 *   `warnings` through the input's own row check (a mapping to FHIR), which is where row warnings
 *   come from.
 */
import type { IssueSeverity, Report } from '../../formats/report.ts';
import { forEachPosition, type IssueRowGroup } from './issueRows.ts';

/** A filter of the drill-down (see the file header), for one input. */
export type RowFilter =
  | { kind: 'errors'; id: string; input: string; label: string }
  | { kind: 'warnings'; id: string; input: string; label: string; rows: number[]; count: number }
  | {
      kind: 'duplicates' | 'conflicts';
      id: string;
      input: string;
      column: string;
      label: string;
      /** the rows the report names, ascending */
      rows: number[];
      /** false when the report lists only the first rows (keys or rows past its caps) */
      complete: boolean;
    }
  | {
      kind: 'orphans';
      id: string;
      input: string;
      column: string;
      label: string;
      /** the referenced input and column */
      target: string;
      targetColumn: string;
      /** rows with an orphan reference (the report's count) */
      count: number;
    };

const ascendingUnique = (rows: Iterable<number>): number[] => [...new Set(rows)].sort((a, b) => a - b);
const isError = (severity: IssueSeverity) => severity === 'error' || severity === 'fatal';

/** The input an issue's example belongs to (the report's first input when it names none). */
function exampleInput(report: Report, input: string | undefined): string | undefined {
  return input ?? report.inputs[0]?.name;
}

/**
 * Every filter of `report` beyond one issue group, for the inputs in `inputs` (those whose files
 * are at hand), in the order: errors and warnings per input, then the cross-file findings.
 */
export function rowFilters(report: Report, inputs: readonly string[]): RowFilter[] {
  const filters: RowFilter[] = [];
  const here = new Set(inputs);
  for (const input of inputs) {
    const issues = report.issues.filter((i) =>
      i.examples.some((e) => exampleInput(report, e.input) === input),
    );
    if (issues.some((i) => isError(i.severity)))
      filters.push({ kind: 'errors', id: `errors|${input}`, input, label: `Rows with errors in ${input}` });
    const warnings = issues.filter((i) => i.severity === 'warning');
    if (warnings.length > 0) {
      const rows = ascendingUnique(
        warnings
          .flatMap((i) =>
            i.examples.filter((e) => exampleInput(report, e.input) === input && e.row !== undefined),
          )
          .map((e) => e.row as number),
      );
      const count = warnings.reduce((n, i) => n + i.count, 0);
      filters.push({
        kind: 'warnings',
        id: `warnings|${input}`,
        input,
        label: `Rows with warnings in ${input}`,
        rows,
        count,
      });
    }
  }
  const byColumn = <T extends { input: string; column?: string; rows: number[] }>(items: readonly T[]) => {
    const groups = new Map<string, { input: string; column: string; items: T[] }>();
    for (const item of items) {
      if (!here.has(item.input)) continue;
      const column = item.column ?? '*';
      const key = `${item.input}|${column}`;
      const group = groups.get(key) ?? { input: item.input, column, items: [] };
      group.items.push(item);
      groups.set(key, group);
    }
    return [...groups.values()];
  };
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals = [] } = report.crossFile;
  for (const group of byColumn(duplicateKeys)) {
    const total = duplicateTotals.find((t) => t.input === group.input && (t.column ?? '*') === group.column);
    const rows = ascendingUnique(group.items.flatMap((d) => d.rows));
    filters.push({
      kind: 'duplicates',
      id: `duplicates|${group.input}|${group.column}`,
      input: group.input,
      column: group.column,
      label: `Repeated keys in ${group.input}, column ${group.column === '*' ? 'whole row' : group.column}`,
      rows,
      complete:
        (total === undefined || total.keys <= group.items.length) &&
        group.items.every((d) => d.rows.length >= d.count),
    });
  }
  for (const group of byColumn(conflictingRecords)) {
    filters.push({
      kind: 'conflicts',
      id: `conflicts|${group.input}|${group.column}`,
      input: group.input,
      column: group.column,
      label: `One identifier, different details: ${group.input}, column ${group.column}`,
      rows: ascendingUnique(group.items.flatMap((c) => c.rows)),
      complete: group.items.every((c) => c.rows.length >= c.count),
    });
  }
  for (const orphan of orphanReferences) {
    const cut = orphan.target.lastIndexOf('#');
    const target = cut < 0 ? orphan.target : orphan.target.slice(0, cut);
    const targetColumn = cut < 0 ? orphan.column : orphan.target.slice(cut + 1);
    if (!here.has(orphan.input) || !here.has(target)) continue;
    filters.push({
      kind: 'orphans',
      id: `orphans|${orphan.input}|${orphan.column}|${orphan.target}`,
      input: orphan.input,
      column: orphan.column,
      label: `References to missing records: ${orphan.input}, column ${orphan.column}, not found in ${target}`,
      target,
      targetColumn,
      count: orphan.count,
    });
  }
  return filters;
}

/** The issue groups of an input whose report issue has an error severity. */
export function errorGroups(report: Report, groups: readonly IssueRowGroup[]): IssueRowGroup[] {
  const severities = new Map(report.issues.map((i) => [`${i.rule}|${i.location}`, i.severity]));
  return groups.filter((g) => {
    const severity = severities.get(`${g.rule}|${g.location}`);
    // a group the report does not name is one of the engine's row errors (every failing row has one)
    return severity === undefined || isError(severity);
  });
}

/**
 * The positions (in an input's `failingCount` failing rows) held by any of `groups`, ascending and
 * once each: a bitset over the failing rows while merging (1 bit per failing row), then the list.
 */
export function unionPositions(groups: readonly IssueRowGroup[], failingCount: number): Uint32Array {
  const bits = new Uint32Array(Math.ceil(failingCount / 32));
  let count = 0;
  for (const group of groups)
    forEachPosition(group, (p) => {
      if (p >= failingCount) return;
      const word = p >>> 5;
      const mask = 1 << (p & 31);
      if (((bits[word] as number) & mask) === 0) {
        bits[word] = (bits[word] as number) | mask;
        count++;
      }
    });
  const out = new Uint32Array(count);
  let at = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w] as number;
    while (word !== 0) {
      const low = word & -word;
      out[at++] = w * 32 + (31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}
