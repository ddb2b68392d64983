/**
 * Rehearsals compared: a validation run against the previous run of the same files. Each problem
 * is keyed by its rule and location (the column, or the FHIR location) — not by file name, since
 * every new drop of an extract is usually named differently — and is fixed, new, still failing
 * or worse (more occurrences than before). docs/decisions/0025-rehearsal-comparison-key.md.
 *
 * Problems across records and files are compared the same way, under their engine rule ids:
 * repeated keys (`crossfile.duplicate-key`, the records beyond the first of their key) and
 * identifiers with differing demographics (`crossfile.conflicting-demographics`, the keys) at
 * the key column, and references to missing records (`crossfile.orphan-reference`) at the
 * referring column — so a new repeated MRN is "new", not only a higher total in the trend.
 *
 * Pure: reports in, data out.
 */
import type { ComparisonStatus, Report, ReportComparison, ReportIssue } from '../../formats/report.ts';
import { crossFileErrors } from './buildReport.ts';
import { ENGINE_RULE_LIST, ENGINE_RULES, type EngineRule } from './rules/index.ts';

type Entry = ReportComparison['entries'][number];

/** The comparison key of an issue: its rule and location. */
export function comparisonKey(issue: Pick<ReportIssue, 'rule' | 'location'>): string {
  return `${issue.rule}\u0000${issue.location}`;
}

const ORDER: Record<ComparisonStatus, number> = { new: 0, worse: 1, 'still-failing': 2, fixed: 3 };

/** What a problem is compared by: its rule, location and severity. */
type Problem = Pick<ReportIssue, 'rule' | 'location' | 'severity'>;

function tally(report: Report): Map<string, { issue: Problem; count: number }> {
  const byKey = new Map<string, { issue: Problem; count: number }>();
  const add = (issue: Problem, count: number) => {
    if (count <= 0) return;
    const key = comparisonKey(issue);
    const seen = byKey.get(key);
    // a report groups issues by rule and location already; counted together should one repeat
    // (and a key column of the same name in two files is one place, as a column's issues are)
    if (seen) seen.count += count;
    else byKey.set(key, { issue, count });
  };
  for (const issue of report.issues) add(issue, issue.count);
  for (const [rule, location, count] of crossRecordProblems(report))
    add({ rule: rule.id, location, severity: rule.severity }, count);
  return byKey;
}

/**
 * The report's problems across records and files as rule, column and count, counted as the
 * run's errors count them ({@link runErrors}): the totals when the report has them, else its lists.
 */
function crossRecordProblems(report: Report): [EngineRule, string, number][] {
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals } = report.crossFile;
  const out: [EngineRule, string, number][] = [];
  if (duplicateTotals) {
    for (const d of duplicateTotals) {
      out.push([ENGINE_RULES.duplicateKey, d.column ?? '', d.records]);
      out.push([ENGINE_RULES.conflictingDemographics, d.column ?? '', d.conflictingKeys]);
    }
  } else {
    for (const d of duplicateKeys) out.push([ENGINE_RULES.duplicateKey, d.column ?? '', d.count - 1]);
    for (const c of conflictingRecords) out.push([ENGINE_RULES.conflictingDemographics, c.column, 1]);
  }
  for (const o of orphanReferences) out.push([ENGINE_RULES.orphanReference, o.column, o.count]);
  return out;
}

/** Every problem of `previous` and `current` with how it changed, worst first. */
export function compareReports(previous: Report, current: Report): ReportComparison {
  const before = tally(previous);
  const now = tally(current);
  const entries: Entry[] = [];
  for (const [key, { issue, count }] of now) {
    const old = before.get(key)?.count ?? 0;
    const status: ComparisonStatus = old === 0 ? 'new' : count > old ? 'worse' : 'still-failing';
    entries.push({
      rule: issue.rule,
      location: issue.location,
      severity: issue.severity,
      status,
      previous: old,
      current: count,
    });
  }
  for (const [key, { issue, count }] of before) {
    if (now.has(key)) continue;
    entries.push({
      rule: issue.rule,
      location: issue.location,
      severity: issue.severity,
      status: 'fixed',
      previous: count,
      current: 0,
    });
  }
  entries.sort(
    (a, b) =>
      ORDER[a.status] - ORDER[b.status] ||
      Math.max(b.current, b.previous) - Math.max(a.current, a.previous) ||
      a.rule.localeCompare(b.rule) ||
      a.location.localeCompare(b.location),
  );
  const counts = { fixed: 0, new: 0, stillFailing: 0, worse: 0 };
  for (const e of entries) {
    if (e.status === 'still-failing') counts.stillFailing++;
    else counts[e.status]++;
  }
  return {
    previous: {
      ...(previous.id !== undefined ? { id: previous.id } : {}),
      generatedAt: previous.generatedAt,
      records: previous.summary.records,
      errors: runErrors(previous),
      warnings: previous.summary.warnings,
    },
    counts,
    entries,
  };
}

/**
 * What a compared problem says, in words: its message in the first of `reports` that has it as an
 * issue, else its engine rule's (problems across records and files have no issue), else its rule id.
 */
export function comparisonMessage(
  entry: Pick<Entry, 'rule' | 'location'>,
  reports: readonly (Report | undefined)[],
): string {
  const key = comparisonKey(entry);
  const issue = reports.flatMap((r) => r?.issues ?? []).find((i) => comparisonKey(i) === key);
  return issue?.message ?? ENGINE_RULE_LIST.find((r) => r.id === entry.rule)?.message ?? entry.rule;
}

/** The errors of a run: error occurrences in the rows plus problems across records and files. */
export function runErrors(report: Report): number {
  return report.summary.errors + crossFileErrors(report);
}

/**
 * Which files a run checked, as one key: the runs of a project with the same key are rehearsals
 * of one check. Each input counts by its contract when it had one (a new drop of
 * `patients.csv` may be called `patients-march.csv`), else by its name, with its kind.
 */
export function rehearsalKey(report: Report): string {
  return report.inputs
    .map((input) => `${input.kind}:${input.schema ?? input.name}`)
    .sort()
    .join('\n');
}

/**
 * The rehearsals of `current`'s check among `reports`, oldest first, ending with `current` (when it
 * is among them, by id or by being the same object). Only reports made no later than `current`.
 */
export function rehearsalsOf(reports: readonly Report[], current: Report): Report[] {
  const key = rehearsalKey(current);
  const at = Date.parse(current.generatedAt);
  return reports
    .filter((r) => r === current || (rehearsalKey(r) === key && Date.parse(r.generatedAt) <= at))
    .sort((a, b) => Date.parse(a.generatedAt) - Date.parse(b.generatedAt));
}

/** The rehearsal before `current` among `reports` (see {@link rehearsalsOf}), or null for the first. */
export function previousRehearsal(reports: readonly Report[], current: Report): Report | null {
  const series = rehearsalsOf(reports, current).filter(
    (r) => r !== current && (current.id === undefined || r.id !== current.id),
  );
  return series[series.length - 1] ?? null;
}
