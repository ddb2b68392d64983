/**
 * The cells of a failing row that its mapped findings mark in the drill-down (FailingRowsList.tsx),
 * and what a marked cell says. The run keeps which failing rows each finding holds (its issue
 * groups, as positions in the file's failing rows); the mapping names the source columns it reads
 * for the finding's place (core/mapping/findingCells.ts), and a report example of the
 * row, where the report keeps one, names the exact column.
 */
import type { FailingRowIndex } from '../../../workers/validateApi.ts';
import {
  type FindingCell,
  isMappedRule,
  type MappedFinding,
  mappedFindingCells,
} from '../../core/mapping/index.ts';
import { groupHas, type IssueRowGroup } from '../../core/validation/index.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { IssueExample, Report } from '../../formats/report.ts';

/** A mapped finding's issue group, with the cells it marks and the report's examples of it by row. */
interface MappedGroup {
  group: IssueRowGroup;
  cells: FindingCell[];
  examples: Map<number, IssueExample>;
}

/** The issue groups of `index` that are findings of mapped rows (none without a mapping). */
export function mappedGroups(
  index: Pick<FailingRowIndex, 'input' | 'header' | 'issues'>,
  mapping: Mapping | undefined,
  report: Report | undefined,
): MappedGroup[] {
  if (!mapping) return [];
  return index.issues
    .filter((group) => isMappedRule(group.rule))
    .map((group) => {
      const examples = new Map<number, IssueExample>();
      const issue = report?.issues.find((i) => i.rule === group.rule && i.location === group.location);
      for (const example of issue?.examples ?? [])
        if (example.row !== undefined && (example.input ?? index.input) === index.input)
          examples.set(example.row, example);
      return { group, cells: mappedFindingCells(mapping, index.header, group), examples };
    });
}

/**
 * The cells of the failing row at `position` (row number `row`) that mapped findings mark, with the
 * targets each fills in the new record: the row's own trace (a report example) where the report
 * keeps one, else every column the mapping reads for the finding's place.
 */
export function mappedCells(
  groups: readonly MappedGroup[],
  mapping: Mapping | undefined,
  header: readonly string[],
  position: number,
  row: number,
): Map<number, string[]> {
  const marked = new Map<number, string[]>();
  if (!mapping) return marked;
  for (const { group, cells, examples } of groups) {
    if (!groupHas(group, position)) continue;
    const example = examples.get(row);
    const finding: MappedFinding = { rule: group.rule, location: group.location };
    if (example) {
      finding.column = example.column;
      finding.path = example.path;
    }
    for (const cell of example ? mappedFindingCells(mapping, header, finding) : cells) {
      const targets = marked.get(cell.column) ?? [];
      if (!targets.includes(cell.target)) targets.push(cell.target);
      marked.set(cell.column, targets);
    }
  }
  return marked;
}

/**
 * What a marked cell says, in words for clinic staff (spoken before its value, and as its tooltip):
 * which column, and whether it breaks the column contract, makes a field of the new record
 * invalid, or both.
 */
export function cellProblem(
  column: string,
  contract: boolean,
  targets: readonly string[] | undefined,
): string {
  const mapped =
    targets && targets.length > 0
      ? `it does not make a valid ${targets.join(' or ')} in the new record`
      : undefined;
  if (!mapped) return `problem in ${column}`;
  return contract
    ? `problem in ${column}: it breaks the column contract, and ${mapped}`
    : `problem in ${column}: ${mapped}`;
}
