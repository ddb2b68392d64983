/**
 * Which waiver accepts each occurrence of a problem, row by row: what the list of failing rows and
 * "Export every failing row" say beside each row, so the rows of a problem split by a waiver
 * limited to rows (waivers.ts) read as accepted or still failing, as the report counts them.
 *
 * A problem's parts follow each other in the report (`splitBy`): a part accepted by a waiver whose
 * rows the run counted holds the occurrences in those rows and in no earlier waiver's counted rows
 * (`countedWithin`); a part accepted by a waiver without a count (no rows, or all its occurrences
 * known from the examples) holds every occurrence no earlier part holds. A problem accepted whole
 * holds every row. Nothing else is accepted: the rows of a part no waiver accepts still fail.
 *
 * Pure, over the report as judged (`applyWaivers` already applied): an expired waiver's mark
 * accepts nothing, as everywhere else.
 */
import type { Report } from '../../formats/report.ts';
import { forEachPosition, groupHas, type IssueRowGroup } from './issueRows.ts';
import { issueInput } from './issueWords.ts';
import { acceptingWaiver, countedWithin } from './waivers.ts';

/** The waiver that accepts the occurrence of (rule, location) in a row, or undefined (still failing). */
type RowWaiverOf = (rule: string, location: string, row: number) => string | undefined;

/** One accepted part of a problem: its waiver and which rows it holds. */
interface AcceptedPart {
  waiver: string;
  /** whether the part holds the row; undefined: every row no earlier part holds */
  holds?: (row: number) => boolean;
}

/**
 * Which waiver of `report` accepts each occurrence in `input` (see the file header). In a report
 * of one input every issue is of it.
 */
export function rowWaivers(report: Report, input: string): RowWaiverOf {
  const parts = new Map<string, AcceptedPart[]>();
  report.issues.forEach((issue) => {
    // each part of a split problem says its file (`input`) when its examples cannot
    if (report.inputs.length > 1 && issueInput(report, issue).file !== input) return;
    const by = acceptingWaiver(report, issue);
    if (by === undefined) return;
    const key = `${issue.rule}\u0000${issue.location}`;
    const list = parts.get(key) ?? [];
    parts.set(key, list);
    const counted = issue.splitBy !== undefined ? countedWithin(issue, by.waiver, report) : undefined;
    list.push(
      counted === undefined
        ? { waiver: by.waiver.id }
        : { waiver: by.waiver.id, holds: (row) => counted.holds(row, input) },
    );
  });
  return (rule, location, row) => {
    for (const part of parts.get(`${rule}\u0000${location}`) ?? [])
      if (part.holds === undefined || part.holds(row)) return part.waiver;
    return undefined;
  };
}

/** An input's failing rows as the run kept them: numbers and which rows each issue group holds. */
interface WaivedRowsInput {
  input: string;
  /** failing rows (1 = first data row), ascending */
  rows: Uint32Array;
  count: number;
  groups: readonly IssueRowGroup[];
}

/** An input's failing rows split by waivers (positions in its failing rows, ascending). */
export interface WaivedPositions {
  /** rows whose every problem a waiver accepts */
  accepted: Uint32Array;
  /** rows with a problem no waiver accepts */
  failing: Uint32Array;
}

/**
 * The waivers that accept the problems of the failing row at `position`, in its groups' order and
 * once each, and whether one of its problems is accepted by none (the row still fails).
 */
export function rowAcceptance(
  report: Report,
  index: WaivedRowsInput,
): (position: number) => { waivers: string[]; stillFailing: boolean } {
  const waiverOf = rowWaivers(report, index.input);
  return (position) => {
    const row = index.rows[position] as number;
    const waivers: string[] = [];
    let stillFailing = false;
    for (const group of index.groups) {
      if (!groupHas(group, position)) continue;
      const by = waiverOf(group.rule, group.location, row);
      if (by === undefined) stillFailing = true;
      else if (!waivers.includes(by)) waivers.push(by);
    }
    return { waivers, stillFailing };
  };
}

/**
 * An input's failing rows split into those a waiver accepts whole and those that still fail, or
 * undefined when no waiver accepts a problem of the input (nothing to tell apart). One pass over
 * the groups: a byte per failing row while sorting, then the two lists (4 bytes per row).
 */
export function waivedPositions(report: Report, index: WaivedRowsInput): WaivedPositions | undefined {
  const waiverOf = rowWaivers(report, index.input);
  const ACCEPTED = 1;
  const FAILING = 2;
  const state = new Uint8Array(index.count);
  let any = false;
  for (const group of index.groups)
    forEachPosition(group, (position) => {
      if (position >= index.count) return;
      if (waiverOf(group.rule, group.location, index.rows[position] as number) === undefined)
        state[position] = FAILING;
      else {
        any = true;
        if (state[position] !== FAILING) state[position] = ACCEPTED;
      }
    });
  if (!any) return undefined;
  let accepted = 0;
  for (const s of state) if (s === ACCEPTED) accepted++;
  const out: WaivedPositions = {
    accepted: new Uint32Array(accepted),
    failing: new Uint32Array(index.count - accepted),
  };
  let a = 0;
  let f = 0;
  state.forEach((s, position) => {
    if (s === ACCEPTED) out.accepted[a++] = position;
    // a row no group holds fails by an engine's own row error
    else out.failing[f++] = position;
  });
  return out;
}
