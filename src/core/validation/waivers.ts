/**
 * Accepted issues (waivers) applied to a report. A waiver accepts the issues of its rule at its
 * column — or naming its FHIR extension URL — in its input and rows, until its expiry day. An
 * accepted issue stays in the report, marked with the waiver's id (`acceptedBy`), but its errors no
 * longer fail the run; an expired waiver accepts nothing and the report says it expired.
 * docs/decisions/0026-waiver-semantics.md.
 *
 * A waiver limited to rows that the run knew of before reading the file has its occurrences
 * counted inside its rows, over every occurrence (`issues[].withinRows`, each occurrence under the
 * first waiver whose rows hold it): it accepts exactly those, while it still has the rows counted.
 * An issue with occurrences both inside and outside is split (`splitBy`): the part inside,
 * accepted, and the part outside, which the later waivers are applied to in turn; what no waiver
 * accepts still fails and is counted as the `outside` of each counted waiver that named it.
 * Otherwise (a waiver recorded, or its rows changed, after the run) a waiver limited to an input or
 * to rows accepts an issue only when every occurrence is known to lie there: a report keeps the
 * first examples of an issue, so an issue with more occurrences than examples cannot show it and
 * is not accepted (counted as `partial`). Nothing is accepted on a guess.
 *
 * Pure: the caller passes the day (YYYY-MM-DD) the waivers are judged on.
 */
import type { Report, ReportDerivedIssue, ReportIssue, ReportWaiver } from '../../formats/report.ts';
import type { RowRange, Waiver } from '../../formats/waivers.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { crossFileErrors } from './buildReport.ts';
import { inRows, type RowSetWatch } from './issueTally.ts';
import { indexSteps, type WaiverIndex } from './waiverIndex.ts';

/** Error severities: they fail a run. */
const ERRORS = new Set<ReportIssue['severity']>(['fatal', 'error']);

/** Whether a waiver has expired on `today` (YYYY-MM-DD): it applies through its expiry day. */
export function waiverExpired(waiver: Pick<Waiver, 'expires'>, today: string): boolean {
  return today > waiver.expires;
}

/** The day of a date as YYYY-MM-DD on the local calendar (waivers expire by the user's day). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * An input's file name without its folders: the app names an input by its file name, the CLI by
 * the path as typed (`./drops/patients.csv`), and a waiver limited to an input names it either way.
 */
function inputFileName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/**
 * Whether two input names are the same file (by file name, see {@link inputFileName}): a waiver of
 * `A/p.ndjson` holds `B/p.ndjson` too, which {@link waiverFiles} lets the summary show.
 */
function sameInput(a: string | undefined, b: string): boolean {
  return a !== undefined && inputFileName(a) === inputFileName(b);
}

/** The input of an example: its own, or the report's only one. */
function inputOf(report: Report, input: string | undefined): string | undefined {
  return input ?? (report.inputs.length === 1 ? report.inputs[0]?.name : undefined);
}

/** Whether an example lies in the waiver's input and rows. */
function exampleInScope(report: Report, waiver: Waiver, e: ReportIssue['examples'][number]): boolean {
  const input = inputOf(report, e.input);
  if (waiver.input !== undefined && !sameInput(input, waiver.input)) return false;
  // a waiver limited to rows holds row 1 of a whole JSON file only when it names the file
  return (
    waiver.rows === undefined ||
    (e.row !== undefined &&
      waiver.rows.some((r) => e.row !== undefined && e.row >= r.from && e.row <= r.to) &&
      (waiver.input !== undefined || !wholeJson(report, input)))
  );
}

/**
 * Whether `issue` is known to be of another input than the waiver's: the run said so, or every
 * occurrence is listed and none is of the waiver's input. Such a problem is not the waiver's at
 * all, so it is not counted as one it accepted only in part.
 */
function ofAnotherInput(report: Report, waiver: Waiver, issue: ReportIssue): boolean {
  const named = waiver.input;
  if (named === undefined) return false;
  const file = issueFile(report, issue);
  if (file !== undefined) return !sameInput(file, named);
  return (
    issue.examples.length >= issue.count &&
    !issue.examples.some((e) => sameInput(inputOf(report, e.input), named))
  );
}

/** Whether every occurrence of `issue` is known to lie in the waiver's input and rows. */
function withinScope(report: Report, waiver: Waiver, issue: ReportIssue): boolean {
  if (!issue.examples.every((e) => exampleInScope(report, waiver, e))) return false;
  if (waiver.rows !== undefined) return issue.examples.length >= issue.count;
  if (waiver.input === undefined) return true;
  // every occurrence is in that input when the report has only it, when every one is listed, or
  // when the problem is known to be of that input alone (the run said so, or a CSV file's own pass)
  return (
    (report.inputs.length === 1 && sameInput(report.inputs[0]?.name, waiver.input)) ||
    issue.examples.length >= issue.count ||
    sameInput(issueFile(report, issue), waiver.input)
  );
}

/**
 * The row sets a pass over `input` counts occurrences in: those of the waivers in force on
 * `today` limited to rows, at a column, for that input or any (a waiver naming an extension URL
 * matches messages, which the pass does not group by).
 */
export function rowSetWatches(waivers: readonly Waiver[], input: string, today: string): RowSetWatch[] {
  return waivers.flatMap((w) =>
    w.rows !== undefined &&
    w.column !== undefined &&
    !waiverExpired(w, today) &&
    (w.input === undefined || sameInput(w.input, input))
      ? [
          {
            waiver: w.id,
            rule: w.rule,
            location: w.column,
            rows: w.rows,
            ...(w.input === undefined ? {} : { input: w.input }),
          },
        ]
      : [],
  );
}

/**
 * The waivers a FHIR run counts occurrences for: those in force on `today` limited to rows, at a
 * location or an extension URL, for any input or one. A FHIR run groups its issues across its
 * files, so it is given them all and counts, per issue a waiver names (`waiverNames`), the
 * occurrences in the waiver's input ({@link waiverHoldsInput}) and rows. A record's row is the one
 * the report's examples carry: an NDJSON line, or 1 for a whole JSON file (a Bundle included),
 * which only a waiver naming that file holds.
 */
export function fhirRowSetWaivers(waivers: readonly Waiver[], today: string): Waiver[] {
  return waivers.filter((w) => w.rows !== undefined && !waiverExpired(w, today));
}

/**
 * Whether the waiver's rows may hold rows of `input` (any input, when it names none). Row 1 of a
 * whole JSON file (`whole`: a resource or a Bundle, every entry of it) lies in a waiver's rows only
 * when the waiver names that file: rows written for the lines of an NDJSON file do not accept a
 * whole Bundle of the same run.
 */
export function waiverHoldsInput(waiver: Waiver, input: string, whole = false): boolean {
  return waiver.input === undefined ? !whole : sameInput(waiver.input, input);
}

/** Whether the report's input of that name is a whole JSON file (one record: a resource or a Bundle). */
function wholeJson(report: Report, input: string | undefined): boolean {
  return input !== undefined && report.inputs.find((i) => i.name === input)?.kind === 'fhir-json';
}

/**
 * The issues grouped as the run found them: the parts of an issue split by an earlier application
 * together, in report order. The parts follow each other and share `splitBy`: the first is the
 * part the splitting waiver accepted (`acceptedBy` = `splitBy`), the others are accepted by later
 * waivers or by none.
 */
function splitGroups(issues: readonly ReportIssue[]): ReportIssue[][] {
  const out: ReportIssue[][] = [];
  for (let at = 0; at < issues.length; at++) {
    const first = issues[at] as ReportIssue;
    const group = [first];
    if (first.splitBy !== undefined && first.acceptedBy === first.splitBy) {
      for (let next = issues[at + 1]; next !== undefined; next = issues[at + 1]) {
        if (
          next.splitBy !== first.splitBy ||
          next.acceptedBy === first.splitBy ||
          next.rule !== first.rule ||
          next.location !== first.location
        )
          break;
        at++;
        group.push(next);
      }
    }
    out.push(group);
  }
  return out;
}

/**
 * The issues as the run found them: the parts of an issue split by an earlier application joined
 * again ({@link splitGroups}), examples back in row order.
 */
function joinSplit(issues: readonly ReportIssue[]): ReportIssue[] {
  return splitGroups(issues).map((group) => {
    const { acceptedBy: _a, splitBy: _s, ...bare } = group[0] as ReportIssue;
    let joined: ReportIssue = bare;
    if (group.length === 1 && (group[0] as ReportIssue).splitBy === undefined) return joined;
    // the parts' file is the whole issue's only when every part is of it
    let input = bare.input;
    for (const next of group.slice(1)) {
      if (next.input !== input) input = undefined;
      const records =
        joined.records !== undefined && next.records !== undefined
          ? joined.records + next.records
          : undefined;
      joined = {
        ...joined,
        // the messages folded under a split issue are kept on its part outside the rows
        ...(joined.derived === undefined && next.derived !== undefined ? { derived: next.derived } : {}),
        count: joined.count + next.count,
        examples: [...joined.examples, ...next.examples].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
      };
      if (records !== undefined) joined.records = records;
      else delete joined.records;
    }
    if (input !== undefined) joined.input = input;
    else delete joined.input;
    return joined;
  });
}

/** Whether two row sets are the same rows, as the same ranges in any order. */
function sameRows(a: readonly RowRange[], b: readonly RowRange[]): boolean {
  const key = (rows: readonly RowRange[]) =>
    rows
      .map((r) => `${r.from}-${r.to}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** What a run counted of an issue in a waiver's rows. */
interface CountedWithin {
  /** occurrences in `holds` */
  count: number;
  /**
   * whether an occurrence in this row (of this input, when known) is among those counted: in the
   * entry's rows and input, and in no earlier entry's
   */
  holds: (row: number | undefined, input?: string) => boolean;
  /**
   * the waiver names an input but the run did not record the input it counted in (a report made
   * before counts said their input): the count is of that input only when the issue is
   */
  inputUnrecorded?: true;
}

/**
 * The occurrences of `issue` the run counted inside the waiver's rows — those in its rows and in no
 * earlier entry's rows (each occurrence is counted under the first) — when the run counted the
 * rows the waiver has now. Undefined when it did not: no count, or a waiver whose rows changed
 * after the run (its count is of other rows), or a report that did not record the rows counted.
 */
export function countedWithin(
  issue: ReportIssue,
  waiver: Waiver,
  report?: Report,
): CountedWithin | undefined {
  const entries = issue.withinRows ?? [];
  const index = withinRowsIndex(entries);
  const at = index.at.get(waiver.id) ?? -1;
  const entry = entries[at];
  if (entry === undefined || waiver.rows === undefined) return undefined;
  const rows = entry.rows;
  if (rows === undefined || !sameRows(rows, waiver.rows) || index.unrecorded) return undefined;
  // a count of another input than the waiver now names is not its count
  if (entry.input !== undefined && entry.input !== waiver.input) return undefined;
  // an entry holds an occurrence of its input (any, when it names none; never a whole JSON file's)
  const holdsIn = (e: { rows?: RowRange[]; input?: string }, row: number, input: string | undefined) =>
    inRows(row, e.rows as RowRange[]) &&
    (input === undefined ||
      (e.input === undefined
        ? !(report !== undefined && wholeJson(report, input))
        : sameInput(e.input, input)));
  return {
    count: entry.count,
    holds: (row, input) =>
      row !== undefined &&
      holdsIn(entry, row, input) &&
      !entries.some((e, i) => i < at && holdsIn(e, row, input)),
    ...(entry.input === undefined && waiver.input !== undefined ? { inputUnrecorded: true as const } : {}),
  };
}

/** Where each waiver's count sits in an issue's `withinRows`, and whether one lacks its rows. */
interface WithinRowsIndex {
  /** the first entry of each waiver id */
  at: Map<string, number>;
  /** an entry does not record the rows it counted (a report from before they were recorded) */
  unrecorded: boolean;
}

/**
 * The index of `entries`, made once per list: every waiver of a report looks its count up in each
 * issue it names, which would otherwise cost the square of the number of waivers.
 */
function withinRowsIndex(entries: NonNullable<ReportIssue['withinRows']>): WithinRowsIndex {
  let index = withinRowsIndexes.get(entries);
  if (!index) {
    const at = new Map<string, number>();
    entries.forEach((e, i) => {
      if (!at.has(e.waiver)) at.set(e.waiver, i);
    });
    index = { at, unrecorded: entries.some((e) => e.rows === undefined) };
    withinRowsIndexes.set(entries, index);
  }
  return index;
}
const withinRowsIndexes = new WeakMap<object, WithinRowsIndex>();

/**
 * The input of the occurrences a waiver's rows counted of `issue`: the issue's own when the run
 * said it, else, in a run of several inputs, the one input the waiver names (its rows are counted
 * only there). Empty when neither is known.
 */
function countedInput(report: Report, issue: ReportIssue, waiver: Waiver): { input?: string } {
  if (issue.input !== undefined || report.inputs.length < 2 || waiver.input === undefined) return {};
  const named = report.inputs.filter((i) => sameInput(i.name, waiver.input as string));
  return named.length === 1 ? { input: (named[0] as { name: string }).name } : {};
}

/**
 * `issue` split by a waiver's counted rows: the part inside them (accepted by it) and the part
 * outside, each with the examples that lie there, both marked with the first waiver that split the
 * issue. Records are kept only when each record holds one occurrence (records = count), where each
 * part's records are its count.
 */
function splitIssue(
  report: Report,
  issue: ReportIssue,
  waiver: Waiver,
  counted: CountedWithin,
): [ReportIssue, ReportIssue] {
  const splitBy = issue.splitBy ?? waiver.id;
  const part = (count: number, examples: ReportIssue['examples']): ReportIssue => {
    const p: ReportIssue = { ...issue, count, examples, splitBy };
    if (issue.records === issue.count) p.records = count;
    else delete p.records;
    return p;
  };
  // the messages folded under it are not counted by rows: they stay with the part outside, once
  const { derived: _derived, ...inside } = part(
    counted.count,
    issue.examples.filter((e) => counted.holds(e.row, inputOf(report, e.input))),
  );
  return [
    { ...inside, ...countedInput(report, issue, waiver), acceptedBy: waiver.id },
    part(
      issue.count - counted.count,
      issue.examples.filter((e) => !counted.holds(e.row, inputOf(report, e.input))),
    ),
  ];
}

/**
 * `report` with `waivers` applied on `today` (YYYY-MM-DD): each issue a waiver accepts carries
 * its id in `acceptedBy` (the first waiver in list order that accepts it), and `waivers` lists
 * every waiver with its status and what it accepted. An issue a waiver's counted rows hold only
 * in part is split (see the file header). Marks and splits from an earlier application are
 * replaced. With no waivers, the report comes back without a `waivers` field. One step: for a
 * list of thousands that a stop must be able to end, {@link applyWaiversInSteps}.
 */
export function applyWaivers(report: Report, waivers: readonly Waiver[], today: string): Report {
  const steps = applySteps(report, waivers, today, Number.POSITIVE_INFINITY);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Waivers and problems worked through between two looks at a stop while waivers are applied
 * ({@link applyWaiversInSteps}): a few milliseconds of work on an idle machine.
 */
export const APPLY_STEP = 8_192;

/** Options of {@link applyWaiversInSteps}. */
export interface ApplyInStepsOptions {
  /** looked at between two steps: once aborted, the application ends with JobCancelledError */
  signal?: AbortSignal;
  /** awaited between two steps (default: the next task, so a Node process takes a pending SIGTERM) */
  pause?: () => Promise<void>;
  /** waivers or problems a step (default {@link APPLY_STEP}) */
  step?: number;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * {@link applyWaivers} in steps of {@link APPLY_STEP} waivers or problems, with a pause and a look
 * at `signal` between two: 200,000 waivers take seconds on a loaded machine, and a stop (SIGTERM,
 * Ctrl-C, Cancel) must not wait for them. The report is the one {@link applyWaivers} makes.
 * @throws JobCancelledError once `signal` is aborted.
 */
export async function applyWaiversInSteps(
  report: Report,
  waivers: readonly Waiver[],
  today: string,
  options: ApplyInStepsOptions = {},
): Promise<Report> {
  const pause = options.pause ?? nextTask;
  const steps = applySteps(report, waivers, today, options.step ?? APPLY_STEP);
  for (;;) {
    if (options.signal?.aborted) throw new JobCancelledError();
    const next = steps.next();
    if (next.done) return next.value;
    await pause();
  }
}

/** The work of {@link applyWaivers}, yielding after each `step` waivers or problems. */
function* applySteps(
  report: Report,
  waivers: readonly Waiver[],
  today: string,
  step: number,
): Generator<void, Report> {
  let work = 0;
  const stats: ReportWaiver[] = [];
  for (const waiver of waivers) {
    if (++work >= step) {
      work = 0;
      yield;
    }
    stats.push({
      waiver,
      status: waiverExpired(waiver, today) ? 'expired' : 'active',
      issues: 0,
      occurrences: 0,
    });
  }
  // each issue looks only at the waivers naming it, in list order: indexed once, not scanned per
  // issue (the same index then serves the folded messages below and every reader of the report)
  const index = yield* reportIndexSteps(stats, step);
  const issues: ReportIssue[] = [];
  for (const issue of joinSplit(report.issues)) {
    // the part no waiver has accepted yet, and the waivers that counted it outside their rows
    let rest: ReportIssue | undefined = issue;
    const counters: ReportWaiver[] = [];
    // the parts of an issue keep its rule, location and message: the waivers naming it name each
    for (const stat of index.naming(issue)) {
      if (++work >= step) {
        work = 0;
        yield;
      }
      if (rest === undefined) break;
      if (stat.status !== 'active') continue;
      const counted = stat.waiver.rows !== undefined ? countedWithin(rest, stat.waiver, report) : undefined;
      // a count records the input it was of; one that does not may be of every input (its waiver
      // named none at run time), so it is used only in a report of that one input
      if (
        counted !== undefined &&
        (!counted.inputUnrecorded || (report.inputs.length === 1 && inputInScope(report, stat.waiver, issue)))
      ) {
        // every occurrence was counted: exactly those inside its rows are accepted
        counters.push(stat);
        if (counted.count === 0) continue;
        stat.issues++;
        stat.occurrences += Math.min(counted.count, rest.count);
        if (counted.count >= rest.count) {
          issues.push({ ...rest, ...countedInput(report, rest, stat.waiver), acceptedBy: stat.waiver.id });
          rest = undefined;
          continue;
        }
        const [inside, outside] = splitIssue(report, rest, stat.waiver, counted);
        issues.push(inside);
        // the later waivers are applied to the part outside
        rest = outside;
        continue;
      }
      if (!withinScope(report, stat.waiver, rest)) {
        if (!ofAnotherInput(report, stat.waiver, rest)) stat.partial = (stat.partial ?? 0) + 1;
        continue;
      }
      stat.issues++;
      stat.occurrences += rest.count;
      issues.push({ ...rest, acceptedBy: stat.waiver.id });
      rest = undefined;
    }
    if (rest !== undefined) {
      issues.push(rest);
      for (const stat of counters) stat.outside = (stat.outside ?? 0) + rest.count;
    }
  }
  const { waivers: _old, ...rest } = report;
  if (stats.length === 0) return { ...rest, issues };
  const applied: Report = { ...rest, issues, waivers: stats };
  // a message folded under a root cause is accepted in its own right: counted under its waiver
  for (const issue of issues) {
    if (++work >= step) {
      work = 0;
      yield;
    }
    for (const d of issue.derived ?? []) {
      const stat = derivedWaiver(applied, issue, d);
      if (stat === undefined) continue;
      stat.issues++;
      stat.occurrences += d.count;
    }
  }
  return applied;
}

/** Whether an issue is of the waiver's input (any, when it names none). */
function inputInScope(report: Report, waiver: Waiver, issue: ReportIssue): boolean {
  const named = waiver.input;
  if (named === undefined) return true;
  if (issue.examples.length === 0)
    return report.inputs.length === 1 && sameInput(report.inputs[0]?.name, named);
  return issue.examples.every((e) => sameInput(inputOf(report, e.input), named));
}

/** The waiver that accepts `issue` in `report`, with its status there (undefined: none). */
export function acceptingWaiver(report: Report, issue: ReportIssue): ReportWaiver | undefined {
  if (issue.acceptedBy === undefined || report.waivers === undefined) return undefined;
  // indexed once per list: a report may mark thousands of issues among 200,000 waivers
  let active = activeWaivers.get(report.waivers);
  if (!active) {
    active = new Map();
    for (const w of report.waivers)
      if (w.status === 'active' && !active.has(w.waiver.id)) active.set(w.waiver.id, w);
    activeWaivers.set(report.waivers, active);
  }
  return active.get(issue.acceptedBy);
}
const activeWaivers = new WeakMap<object, Map<string, ReportWaiver>>();

/**
 * Whether a waiver in force for this report accepts `issue`: its mark names a waiver the report
 * lists as active. A mark left by a waiver that has since expired accepts nothing.
 */
function isAccepted(report: Report, issue: ReportIssue): boolean {
  return acceptingWaiver(report, issue) !== undefined;
}

/**
 * Whether a waiver in force accepts `derived`, a message folded under `issue`: one naming its own
 * rule and location (or extension URL), not limited to rows (the folded messages are counted in
 * total, not by row, so rows cannot be known to hold them), and, when it names an input, only when
 * the whole root problem is known to lie there ({@link derivedInInput}). A waiver of the root cause
 * alone does not: fixing the cause may not clear what follows from it, so a follow-on is accepted
 * only when it is accepted in its own right.
 */
export function acceptsDerived(report: Report, issue: ReportIssue, derived: ReportDerivedIssue): boolean {
  return derivedWaiver(report, issue, derived) !== undefined;
}

/** The first waiver in force that accepts `derived`, folded under `issue` (see {@link acceptsDerived}). */
function derivedWaiver(
  report: Report,
  issue: ReportIssue,
  derived: ReportDerivedIssue,
): ReportWaiver | undefined {
  if (report.waivers === undefined) return undefined;
  return reportIndex(report.waivers)
    .naming(derived)
    .find(
      (w) =>
        w.status === 'active' &&
        w.waiver.rows === undefined &&
        (w.waiver.input === undefined || derivedInInput(report, issue, w.waiver.input)),
    );
}

/**
 * A report's waivers indexed once per list, by what they name ({@link indexWaivers}) and by id:
 * every problem, every folded message and every waiver line of a report looks its waivers up, which
 * a scan of 200,000 waivers each time would make hours.
 */
interface ReportWaiverIndex extends WaiverIndex<ReportWaiver> {
  /** positions in the list of each waiver id */
  byId: Map<string, number[]>;
}

function reportIndex(waivers: readonly ReportWaiver[]): ReportWaiverIndex {
  const steps = reportIndexSteps(waivers, Number.POSITIVE_INFINITY);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** {@link reportIndex} as steps of `step` waivers (kept for the list, as the one-step index is). */
function* reportIndexSteps(
  waivers: readonly ReportWaiver[],
  step: number,
): Generator<void, ReportWaiverIndex> {
  const known = reportIndexes.get(waivers);
  if (known) return known;
  const byId = new Map<string, number[]>();
  for (let at = 0; at < waivers.length; at++) {
    if (at > 0 && at % step === 0) yield;
    const id = (waivers[at] as ReportWaiver).waiver.id;
    const list = byId.get(id);
    if (list) list.push(at);
    else byId.set(id, [at]);
  }
  const index = { ...(yield* indexSteps(waivers, (w) => w.waiver, step)), byId };
  reportIndexes.set(waivers, index);
  return index;
}
const reportIndexes = new WeakMap<object, ReportWaiverIndex>();

/**
 * The waivers in force whose rows the run counted in `issue` as they are now (`countedWithin`), in
 * the report's order: those a part of a split problem that no waiver accepted lies outside of.
 * Looked up from the issue's counts, not by a scan of every waiver.
 */
export function countingWaivers(report: Report, issue: ReportIssue): ReportWaiver[] {
  const waivers = report.waivers;
  if (waivers === undefined || issue.withinRows === undefined) return [];
  const { byId } = reportIndex(waivers);
  const at = new Set<number>();
  for (const entry of issue.withinRows) for (const i of byId.get(entry.waiver) ?? []) at.add(i);
  return [...at]
    .sort((a, b) => a - b)
    .map((i) => waivers[i] as ReportWaiver)
    .filter((w) => w.status === 'active' && countedWithin(issue, w.waiver) !== undefined);
}

/**
 * Whether every follow-on folded under `issue` is known to lie in the input `named`. A follow-on is
 * one total across the run's files, with no row or file of its own, so it is of that input only
 * when the whole root problem is: the report has only that input, or every occurrence of the root
 * problem — each part of it split by a waiver's rows, joined — is of that input (a part whose run
 * said its file, or whose every occurrence is listed). A problem across files never is.
 */
function derivedInInput(report: Report, issue: ReportIssue, named: string): boolean {
  if (report.inputs.length === 1) return sameInput(report.inputs[0]?.name, named);
  const parts = groupOfIssue(report.issues).get(issue) ?? [issue];
  return parts.every((part) =>
    part.input !== undefined
      ? sameInput(part.input, named)
      : part.examples.length >= part.count &&
        part.examples.every((e) => sameInput(inputOf(report, e.input), named)),
  );
}

/** The parts of each split problem, by each of its parts ({@link splitGroups}), made once per list. */
function groupOfIssue(issues: readonly ReportIssue[]): Map<ReportIssue, ReportIssue[]> {
  let groups = issueGroups.get(issues);
  if (!groups) {
    groups = new Map();
    for (const group of splitGroups(issues)) for (const part of group) groups.set(part, group);
    issueGroups.set(issues, groups);
  }
  return groups;
}
const issueGroups = new WeakMap<object, Map<ReportIssue, ReportIssue[]>>();

/**
 * The inputs (in the report's order) whose occurrences the waiver `id` accepts, when a report of
 * several inputs knows the file of every problem it accepts; empty otherwise (one input, none
 * accepted, or a problem accepted across files whose examples cannot show them all).
 */
export function waiverFiles(report: Report, id: string): string[] {
  if (report.inputs.length < 2) return [];
  return everyWaiverFiles(report).get(id) ?? [];
}

/**
 * {@link waiverFiles} of every waiver of the report, from one pass over its problems (a report
 * lists each waiver's files: a pass per waiver would cost their number times the problems'). Made
 * once per report.
 */
function everyWaiverFiles(report: Report): Map<string, string[]> {
  const cached = waiverFilesOf.get(report);
  if (cached) return cached;
  const files = new Map<string, Set<string> | 'unknown'>();
  for (const issue of report.issues) {
    const id = issue.acceptedBy;
    if (id === undefined || !isAccepted(report, issue)) continue;
    let found = files.get(id);
    if (found === 'unknown') continue;
    if (found === undefined) {
      found = new Set();
      files.set(id, found);
    }
    const file = issueFile(report, issue);
    if (file !== undefined) {
      found.add(file);
      continue;
    }
    const shown = new Set(issue.examples.map((e) => inputOf(report, e.input)));
    // every occurrence listed: the files of its examples
    if (issue.examples.length >= issue.count) {
      for (const name of shown) if (name !== undefined) found.add(name);
      continue;
    }
    // a problem across files accepted by a waiver of one file name: the inputs of that name (a
    // file is named by its name), when each shows an example
    const named = waiverById(report, id)?.input;
    const candidates =
      named === undefined ? [] : report.inputs.filter((i) => sameInput(i.name, named)).map((i) => i.name);
    if (named === undefined || !candidates.every((name) => shown.has(name))) {
      files.set(id, 'unknown');
      continue;
    }
    for (const name of candidates) found.add(name);
  }
  const out = new Map<string, string[]>();
  for (const [id, found] of files)
    if (found !== 'unknown')
      out.set(
        id,
        report.inputs.filter((i) => found.has(i.name)).map((i) => i.name),
      );
  waiverFilesOf.set(report, out);
  return out;
}
const waiverFilesOf = new WeakMap<Report, Map<string, string[]>>();

/** The waiver `id` as the report first lists it. */
function waiverById(report: Report, id: string): Waiver | undefined {
  if (report.waivers === undefined) return undefined;
  const at = reportIndex(report.waivers).byId.get(id)?.[0];
  return at === undefined ? undefined : report.waivers[at]?.waiver;
}

/** The one input of a problem: the one the run said, or that of every example when all are of one. */
function issueFile(report: Report, issue: ReportIssue): string | undefined {
  if (issue.input !== undefined) return issue.input;
  const inputs = new Set(issue.examples.map((e) => inputOf(report, e.input)));
  const [only] = inputs;
  // every occurrence is listed, or the problem is of one file's pass (a CSV file)
  const known =
    issue.examples.length >= issue.count || report.inputs.find((i) => i.name === only)?.kind === 'csv';
  return inputs.size === 1 && only !== undefined && known ? only : undefined;
}

/**
 * The error occurrences of `issue` and of the messages folded under it (`derived`, which the
 * summary counts too), split into those a waiver in force accepts and the rest.
 */
export function errorOccurrences(
  report: Report,
  issue: ReportIssue,
): { accepted: number; unaccepted: number } {
  let accepted = 0;
  let unaccepted = 0;
  if (ERRORS.has(issue.severity)) {
    if (isAccepted(report, issue)) accepted += issue.count;
    else unaccepted += issue.count;
  }
  for (const d of issue.derived ?? []) {
    if (!ERRORS.has(d.severity)) continue;
    if (acceptsDerived(report, issue, d)) accepted += d.count;
    else unaccepted += d.count;
  }
  return { accepted, unaccepted };
}

/** Error occurrences that a waiver accepted, in the rows and folded under them. */
export function acceptedErrors(report: Report): number {
  return report.issues.reduce((n, i) => n + errorOccurrences(report, i).accepted, 0);
}

/**
 * The errors that fail a run: error occurrences no waiver accepted — a message folded under an
 * accepted root cause included, unless a waiver accepts it too — plus the problems across records
 * and files (repeated keys, missing references: no waiver applies to them). A run fails (the
 * CLI's exit 1) when this is above 0.
 */
export function failingErrors(report: Report): number {
  const rows = report.issues.reduce((n, i) => n + errorOccurrences(report, i).unaccepted, 0);
  return rows + crossFileErrors(report);
}

/**
 * An input's records and valid records once accepted problems count as accepted: a record is
 * still invalid only through a problem no waiver accepted. A report does not say which record
 * holds which problem, so the records still invalid are bounded from above — by the input's
 * invalid records and by the occurrences of its errors no waiver accepted (a message folded under
 * an accepted root cause among them unless a waiver accepts it too; plus its problems across
 * records and files) — and the valid count never claims more than the report shows. Null when the
 * report does not count the input's records. `acceptedUnplaced`: none of the accepted occurrences
 * can be placed in this input, but a problem accepted across files may hold some of its records
 * (every problem no waiver accepted being placed, the bound still holds).
 */
export function validWithWaivers(
  report: Report,
  inputName: string,
): { records: number; valid: number; accepted: number; acceptedUnplaced?: true } | null {
  const input = report.inputs.find((i) => i.name === inputName);
  if (!input) return null;
  // records not checked against the contract (a header that did not match) are neither valid nor
  // invalid: the counts are of the records checked
  const counts =
    input.valid !== undefined
      ? { records: input.records - (input.unchecked ?? 0), valid: input.valid }
      : input.invalid !== undefined
        ? // a FHIR file counts its invalid records; in a run of several files only when the file
          // of each error no waiver accepted is known (a problem is grouped across files, and its
          // kept examples may all come from one: charged to it alone, another file would be
          // called valid on a guess; an accepted one makes no record invalid wherever it lies)
          report.inputs.length === 1 ||
          report.issues.every((i) => errorOccurrences(report, i).unaccepted === 0 || fileKnown(i))
          ? { records: input.records, valid: input.records - input.invalid }
          : null
        : report.inputs.length === 1
          ? { records: report.summary.records - (report.summary.unchecked ?? 0), valid: report.summary.valid }
          : null;
  if (!counts) return null;
  const touches = (issue: ReportIssue) => {
    // an issue with no example could be in any input: counted against each (never too few)
    if (issue.examples.length === 0) return true;
    return issue.examples.some((e) => inputOf(report, e.input) === inputName);
  };
  let accepted = 0;
  let unaccepted = 0;
  // an accepted problem grouped across files whose kept examples name other files may still
  // hold some of this input's invalid records
  let acceptedUnplaced = false;
  for (const issue of report.issues) {
    const n = errorOccurrences(report, issue);
    if (!touches(issue)) {
      if (n.accepted > 0 && !fileKnown(issue)) acceptedUnplaced = true;
      continue;
    }
    accepted += n.accepted;
    unaccepted += n.unaccepted;
  }
  if (accepted === 0 && !acceptedUnplaced) return { ...counts, accepted: 0 };
  const cross = crossFileErrorsOf(report, inputName);
  const invalid = counts.records - counts.valid;
  const stillInvalid = Math.min(invalid, unaccepted + cross);
  const valid = { records: counts.records, valid: counts.records - stillInvalid, accepted };
  return acceptedUnplaced && accepted === 0 ? { ...valid, acceptedUnplaced: true } : valid;
}

/** Whether the file of every occurrence of `issue` is known: the run said it, or every one is listed. */
function fileKnown(issue: ReportIssue): boolean {
  return issue.input !== undefined || issue.examples.length >= issue.count;
}

/** The problems across records and files of one input (as {@link crossFileErrors} counts them). */
function crossFileErrorsOf(report: Report, input: string): number {
  const only: Report = {
    ...report,
    crossFile: {
      duplicateKeys: report.crossFile.duplicateKeys.filter((d) => d.input === input),
      orphanReferences: report.crossFile.orphanReferences.filter((o) => o.input === input),
      conflictingRecords: (report.crossFile.conflictingRecords ?? []).filter((c) => c.input === input),
      ...(report.crossFile.duplicateTotals
        ? { duplicateTotals: report.crossFile.duplicateTotals.filter((d) => d.input === input) }
        : {}),
    },
  };
  return crossFileErrors(only);
}

/**
 * The waivers in force on `today`, for a sign-off or a report: each active one with what it
 * covers, in words for staff ("fhir-unknown-extension at http://… — accepted until 2026-12-31,
 * owner Dr Lee: …"). Expired ones are left out.
 */
export function describeWaivers(waivers: readonly Waiver[], today: string): string[] {
  return waivers.filter((w) => !waiverExpired(w, today)).map(describeWaiver);
}

/** One waiver in words (see {@link describeWaivers}). */
export function describeWaiver(waiver: Waiver): string {
  const where =
    waiver.extension !== undefined
      ? `extension ${waiver.extension}`
      : waiver.column
        ? waiver.column
        : 'whole row';
  const scope = [
    waiver.input !== undefined ? `in ${waiver.input}` : '',
    waiver.rows !== undefined
      ? `rows ${waiver.rows.map((r) => (r.from === r.to ? r.from : `${r.from}–${r.to}`)).join(', ')}`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${waiver.rule} at ${where}${scope ? ` (${scope})` : ''} — accepted until ${waiver.expires}, owner ${waiver.owner}: ${waiver.rationale}`;
}
