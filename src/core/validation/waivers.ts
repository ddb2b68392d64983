/**
 * Accepted issues (waivers) applied to a report. A waiver accepts the issues of its rule at its
 * column — or naming its FHIR extension URL — in its input and rows, until its expiry day. An
 * accepted issue stays in the report, marked with the waiver's id (`acceptedBy`), but its errors no
 * longer fail the run; an expired waiver accepts nothing and the report says it expired.
 * docs/decisions/0026-waiver-semantics.md.
 *
 * A waiver limited to rows that the run knew of before reading the file has its occurrences
 * counted inside its rows, over every occurrence (`issues[].withinRows`): it accepts exactly those.
 * An issue with occurrences both inside and outside is split in two (`splitBy`): the part inside,
 * accepted, and the part outside, which still fails and is counted as the waiver's `outside`.
 * Otherwise a waiver limited to an input or to rows accepts an issue only when every occurrence is
 * known to lie there: a report keeps the first examples of an issue, so an issue with more
 * occurrences than examples cannot show it and is not accepted (counted as `partial`). Nothing is
 * accepted on a guess.
 *
 * Pure: the caller passes the day (YYYY-MM-DD) the waivers are judged on.
 */
import type { Report, ReportIssue, ReportWaiver } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { crossFileErrors } from './buildReport.ts';
import { inRows, type RowSetWatch } from './issueTally.ts';

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

/** Characters that can end a URL quoted in a message or location. */
const URL_END = /[\s"'()[\]<>,;]/;

/** Whether `text` names `url` as a whole (not as the start of a longer URL). */
export function namesUrl(text: string | undefined, url: string): boolean {
  if (!text) return false;
  let at = text.indexOf(url);
  while (at >= 0) {
    const next = text[at + url.length];
    if (next === undefined || URL_END.test(next)) return true;
    at = text.indexOf(url, at + 1);
  }
  return false;
}

/** Whether a waiver is about an issue: same rule, and its column or extension URL. */
export function waiverNames(waiver: Waiver, issue: ReportIssue): boolean {
  if (waiver.rule !== issue.rule) return false;
  if (waiver.extension !== undefined)
    return namesUrl(issue.location, waiver.extension) || namesUrl(issue.message, waiver.extension);
  return waiver.column === issue.location;
}

/** The input of an example: its own, or the report's only one. */
function inputOf(report: Report, input: string | undefined): string | undefined {
  return input ?? (report.inputs.length === 1 ? report.inputs[0]?.name : undefined);
}

/** Whether every occurrence of `issue` is known to lie in the waiver's input and rows. */
function withinScope(report: Report, waiver: Waiver, issue: ReportIssue): boolean {
  const inputOk = (input: string | undefined) =>
    waiver.input === undefined || inputOf(report, input) === waiver.input;
  const rowOk = (row: number | undefined) =>
    waiver.rows === undefined || (row !== undefined && waiver.rows.some((r) => row >= r.from && row <= r.to));
  if (!issue.examples.every((e) => inputOk(e.input) && rowOk(e.row))) return false;
  if (waiver.rows !== undefined) return issue.examples.length >= issue.count;
  if (waiver.input === undefined) return true;
  // every occurrence is in that input when the report has only it, or when every one is listed
  return (
    (report.inputs.length === 1 && report.inputs[0]?.name === waiver.input) ||
    issue.examples.length >= issue.count
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
    (w.input === undefined || w.input === input)
      ? [{ waiver: w.id, rule: w.rule, location: w.column, rows: w.rows }]
      : [],
  );
}

/**
 * The issues as the run found them: the two parts of an issue split by an earlier application
 * (`splitBy`: the part inside its rows, then the part outside, next to each other) joined again,
 * examples back in row order.
 */
function joinSplit(issues: readonly ReportIssue[]): ReportIssue[] {
  const out: ReportIssue[] = [];
  for (let at = 0; at < issues.length; at++) {
    const { acceptedBy: _a, splitBy, ...bare } = issues[at] as ReportIssue;
    const next = issues[at + 1];
    if (
      splitBy === undefined ||
      next === undefined ||
      next.splitBy !== splitBy ||
      next.acceptedBy !== undefined ||
      next.rule !== bare.rule ||
      next.location !== bare.location
    ) {
      out.push(bare);
      continue;
    }
    at++;
    const joined: ReportIssue = {
      ...bare,
      count: bare.count + next.count,
      examples: [...bare.examples, ...next.examples].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    };
    if (bare.records !== undefined && next.records !== undefined)
      joined.records = bare.records + next.records;
    else delete joined.records;
    out.push(joined);
  }
  return out;
}

/** Occurrences of `issue` the run counted inside the waiver's rows (undefined: not counted). */
function countedWithin(issue: ReportIssue, waiver: Waiver): number | undefined {
  return issue.withinRows?.find((w) => w.waiver === waiver.id)?.count;
}

/**
 * `issue` split by a waiver's rows: the part inside them (accepted by it) and the part outside,
 * each with the examples that lie there. Records are kept only when each record holds one
 * occurrence (records = count), where each part's records are its count.
 */
function splitIssue(issue: ReportIssue, waiver: Waiver, inside: number): [ReportIssue, ReportIssue] {
  const rows = waiver.rows ?? [];
  const within = (row: number | undefined) => row !== undefined && inRows(row, rows);
  const part = (count: number, examples: ReportIssue['examples']): ReportIssue => {
    const p: ReportIssue = { ...issue, count, examples, splitBy: waiver.id };
    if (issue.records === issue.count) p.records = count;
    else delete p.records;
    return p;
  };
  return [
    {
      ...part(
        inside,
        issue.examples.filter((e) => within(e.row)),
      ),
      acceptedBy: waiver.id,
    },
    part(
      issue.count - inside,
      issue.examples.filter((e) => !within(e.row)),
    ),
  ];
}

/**
 * `report` with `waivers` applied on `today` (YYYY-MM-DD): each issue a waiver accepts carries
 * its id in `acceptedBy` (the first waiver in list order that accepts it), and `waivers` lists
 * every waiver with its status and what it accepted. An issue a waiver's counted rows hold only
 * in part is split (see the file header). Marks and splits from an earlier application are
 * replaced. With no waivers, the report comes back without a `waivers` field.
 */
export function applyWaivers(report: Report, waivers: readonly Waiver[], today: string): Report {
  const stats = waivers.map(
    (waiver): ReportWaiver => ({
      waiver,
      status: waiverExpired(waiver, today) ? 'expired' : 'active',
      issues: 0,
      occurrences: 0,
    }),
  );
  const issues = joinSplit(report.issues).flatMap((issue): ReportIssue[] => {
    for (const stat of stats) {
      if (stat.status !== 'active' || !waiverNames(stat.waiver, issue)) continue;
      const inside = stat.waiver.rows !== undefined ? countedWithin(issue, stat.waiver) : undefined;
      if (inside !== undefined && inputInScope(report, stat.waiver, issue)) {
        // every occurrence was counted: exactly those inside its rows are accepted
        if (inside === 0) {
          stat.outside = (stat.outside ?? 0) + issue.count;
          continue;
        }
        stat.issues++;
        stat.occurrences += inside;
        if (inside >= issue.count) return [{ ...issue, acceptedBy: stat.waiver.id }];
        stat.outside = (stat.outside ?? 0) + issue.count - inside;
        return splitIssue(issue, stat.waiver, inside);
      }
      if (!withinScope(report, stat.waiver, issue)) {
        stat.partial = (stat.partial ?? 0) + 1;
        continue;
      }
      stat.issues++;
      stat.occurrences += issue.count;
      return [{ ...issue, acceptedBy: stat.waiver.id }];
    }
    return [issue];
  });
  const { waivers: _old, ...rest } = report;
  return stats.length > 0 ? { ...rest, issues, waivers: stats } : { ...rest, issues };
}

/** Whether an issue is of the waiver's input (any, when it names none). */
function inputInScope(report: Report, waiver: Waiver, issue: ReportIssue): boolean {
  if (waiver.input === undefined) return true;
  const inputs = new Set(issue.examples.map((e) => inputOf(report, e.input)));
  if (issue.examples.length === 0)
    return report.inputs.length === 1 && report.inputs[0]?.name === waiver.input;
  return inputs.size === 1 && inputs.has(waiver.input);
}

/** The waiver that accepts `issue` in `report`, with its status there (undefined: none). */
export function acceptingWaiver(report: Report, issue: ReportIssue): ReportWaiver | undefined {
  if (issue.acceptedBy === undefined) return undefined;
  return report.waivers?.find((w) => w.waiver.id === issue.acceptedBy && w.status === 'active');
}

/**
 * Whether a waiver in force for this report accepts `issue`: its mark names a waiver the report
 * lists as active. A mark left by a waiver that has since expired accepts nothing.
 */
export function isAccepted(report: Report, issue: ReportIssue): boolean {
  return acceptingWaiver(report, issue) !== undefined;
}

/** Error occurrences in the rows that a waiver accepted. */
export function acceptedErrors(report: Report): number {
  return report.issues
    .filter((i) => ERRORS.has(i.severity) && isAccepted(report, i))
    .reduce((n, i) => n + i.count, 0);
}

/**
 * The errors that fail a run: error occurrences no waiver accepted, plus the problems across
 * records and files (repeated keys, missing references: no waiver applies to them). A run fails
 * (the CLI's exit 1) when this is above 0.
 */
export function failingErrors(report: Report): number {
  const rows = report.issues
    .filter((i) => ERRORS.has(i.severity) && !isAccepted(report, i))
    .reduce((n, i) => n + i.count, 0);
  return rows + crossFileErrors(report);
}

/**
 * An input's records and valid records once accepted problems count as accepted: a record is
 * still invalid only through a problem no waiver accepted. A report does not say which record
 * holds which problem, so the records still invalid are bounded from above — by the input's
 * invalid records and by the occurrences of its errors no waiver accepted (plus its problems across
 * records and files) — and the valid count never claims more than the report shows. Null when the
 * report does not count the input's records.
 */
export function validWithWaivers(
  report: Report,
  inputName: string,
): { records: number; valid: number; accepted: number } | null {
  const input = report.inputs.find((i) => i.name === inputName);
  if (!input) return null;
  const counts =
    input.valid !== undefined
      ? { records: input.records, valid: input.valid }
      : report.inputs.length === 1
        ? { records: report.summary.records, valid: report.summary.valid }
        : null;
  if (!counts) return null;
  const touches = (issue: ReportIssue) => {
    // an issue with no example could be in any input: counted against each (never too few)
    if (issue.examples.length === 0) return true;
    return issue.examples.some((e) => inputOf(report, e.input) === inputName);
  };
  const errors = report.issues.filter((i) => ERRORS.has(i.severity) && touches(i));
  const accepted = errors.filter((i) => isAccepted(report, i)).reduce((n, i) => n + i.count, 0);
  if (accepted === 0) return { ...counts, accepted: 0 };
  const unaccepted = errors.filter((i) => !isAccepted(report, i)).reduce((n, i) => n + i.count, 0);
  const cross = crossFileErrorsOf(report, inputName);
  const invalid = counts.records - counts.valid;
  const stillInvalid = Math.min(invalid, unaccepted + cross);
  return { records: counts.records, valid: counts.records - stillInvalid, accepted };
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
