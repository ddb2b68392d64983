/**
 * Rehearsals compared: a validation run against the previous run of the same files. Each problem
 * is keyed by its file, rule and location (the column, or the FHIR location), and is fixed, new,
 * still failing or worse (more occurrences than before). The files of the two runs are paired by
 * what stays the same across drops — the project dataset each was checked as, else its contract,
 * else its name, else its contract and file name in another folder (a dated drop), else its kind when one file with neither is left on each side (every new drop of an
 * extract is usually named differently) — so a fix in one file and a regression in another that
 * share a column name are one fixed and one new problem, not one "still failing".
 * docs/decisions/0025-rehearsal-comparison-key.md, 0163-rehearsals-per-file-and-file-text-on-terminals.md.
 *
 * A pair of reports in which some problem cannot be placed in one file (a report saved before
 * issues named their file: several inputs and an issue with no `input` and no example naming
 * one, or a FHIR issue whose examples lie in several files) is compared as before, by rule and
 * location alone, so old saved reports still compare.
 *
 * Problems across records and files are compared the same way, under their engine rule ids:
 * repeated keys (`crossfile.duplicate-key`, the records beyond the first of their key) and
 * identifiers with differing demographics (`crossfile.conflicting-demographics`, the keys) at
 * the key column, and references to missing records (`crossfile.orphan-reference`) at the
 * referring column — so a new repeated MRN is "new", not only a higher total in the trend.
 *
 * A comparison reads a run's files and tallied problems ({@link RehearsalRun}): a whole report
 * gives them, and so does a summary shared with a team server that kept them
 * (src/core/teamRecords/sharedRehearsals.ts), so two members' runs of a shared project compare as their reports would.
 *
 * Pure: reports in, data out.
 */
import type {
  ComparisonStatus,
  Report,
  ReportComparison,
  ReportInput,
  ReportIssue,
} from '../../formats/report.ts';
import { describeContractRule } from '../contract/index.ts';
import { crossFileErrors } from './buildReport.ts';
import { issueInput } from './issueWords.ts';
import { ENGINE_RULE_LIST, ENGINE_RULES, type EngineRule } from './rules/index.ts';

type Entry = ReportComparison['entries'][number];

/** The comparison key of an issue: its rule and location. */
function comparisonKey(issue: Pick<ReportIssue, 'rule' | 'location'>): string {
  return `${issue.rule}\u0000${issue.location}`;
}

const ORDER: Record<ComparisonStatus, number> = { new: 0, worse: 1, 'still-failing': 2, fixed: 3 };

/** What a problem is compared by: its rule, location and severity. */
type Problem = Pick<ReportIssue, 'rule' | 'location' | 'severity'>;

/** A problem of one run with its occurrences, and the input it lies in when the key has files. */
interface Tallied {
  issue: Problem;
  count: number;
  input?: string;
}

/**
 * The input an issue lies in, by name ({@link issueInput}: the issue's own `input`, else the one
 * input its examples name), else the only input of a run of one file; undefined when it cannot
 * be told.
 */
function problemFile(report: Report, issue: ReportIssue): string | undefined {
  return issueInput(report, issue).file ?? (report.inputs.length === 1 ? report.inputs[0]?.name : undefined);
}

/**
 * The last segment of an input's name: drops kept in dated folders (`2026-11-20/patients.csv`,
 * `2026-11-27/patients.csv`) are the same file. Either separator, as a name given on Windows keeps
 * its backslashes.
 */
function fileName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/**
 * Ways two inputs of consecutive runs are the same file, tried in order: the same project dataset,
 * the same contract, the same name, the same contract (or none) and file name in another folder,
 * and last the same kind for files with neither (one such file of a kind left on each side: a drop
 * under another name with no contract).
 */
const SAME_FILE: readonly ((a: RunInput, b: RunInput) => boolean)[] = [
  (a, b) => a.dataset !== undefined && a.dataset === b.dataset,
  (a, b) => a.schema !== undefined && a.schema === b.schema,
  (a, b) => a.name === b.name,
  (a, b) => a.schema === b.schema && fileName(a.name) === fileName(b.name),
  (a, b) =>
    a.kind !== undefined &&
    a.kind === b.kind &&
    [a, b].every((i) => i.dataset === undefined && i.schema === undefined),
];

/**
 * Each input of `previous` and `current` by name, mapped to the name of its file in the
 * comparison key: two inputs are paired when one way of {@link SAME_FILE} pairs each with the
 * other alone. An input left unpaired is a file of its own run only (its problems are all fixed,
 * or all new).
 */
function pairFiles(
  previous: Pick<RehearsalRun, 'inputs'>,
  current: Pick<RehearsalRun, 'inputs'>,
): [Map<string, string>, Map<string, string>] {
  const before = new Map<string, string>();
  const now = new Map<string, string>();
  let left = [...previous.inputs];
  let right = [...current.inputs];
  for (const same of SAME_FILE) {
    for (const a of left) {
      const matches = right.filter((b) => same(a, b));
      const [b] = matches;
      if (b === undefined || matches.length > 1 || left.filter((x) => same(x, b)).length > 1) continue;
      before.set(a.name, `file:${before.size}`);
      now.set(b.name, `file:${before.size - 1}`);
    }
    left = left.filter((a) => !before.has(a.name));
    right = right.filter((b) => !now.has(b.name));
  }
  for (const a of left) before.set(a.name, `previous:${a.name}`);
  for (const b of right) now.set(b.name, `current:${b.name}`);
  return [before, now];
}

/** A problem of one run as listed, with the input it lies in when it can be told. */
export interface RunProblem {
  issue: Problem;
  count: number;
  /** the input's name; undefined when the run cannot tell which file it lies in */
  input: string | undefined;
}

/**
 * Each problem of `report` as rule, location, severity, count and, when known, its input: the
 * problems across records and files under their engine rules. What a comparison reads of a run,
 * and what a shared summary keeps of it (no message, no example).
 */
export function runProblems(report: Report): RunProblem[] {
  const out: RunProblem[] = report.issues.map((issue) => ({
    issue: { rule: issue.rule, location: issue.location, severity: issue.severity },
    count: issue.count,
    input: problemFile(report, issue),
  }));
  for (const [rule, location, count, input] of crossRecordProblems(report))
    out.push({ issue: { rule: rule.id, location, severity: rule.severity }, count, input });
  return out;
}

/** The files of a run, as a comparison pairs them (a shared summary may not say a file's kind). */
export type RunInput = Pick<ReportInput, 'name' | 'schema' | 'dataset'> & { kind?: ReportInput['kind'] };

/**
 * What a rehearsal comparison and trend read of a run: its time, files, counts and problems. A
 * whole report gives all of it ({@link runOfReport}); a summary shared with the team server gives
 * what it kept (src/core/teamRecords/sharedRehearsals.ts).
 */
export interface RehearsalRun {
  id?: string;
  generatedAt: string;
  inputs: readonly RunInput[];
  records: number;
  warnings: number;
  /** the run's errors ({@link runErrors}); undefined when what the run kept does not tell them */
  errors: number | undefined;
  /** every problem with its count; undefined when what the run kept does not list them */
  problems: readonly RunProblem[] | undefined;
}

/** A run whose problems and errors are known: one a comparison can be made of. */
export type ComparableRun = RehearsalRun & { errors: number; problems: readonly RunProblem[] };

/** Whether `run` lists its problems and errors, so it can be compared. */
export function isComparable(run: RehearsalRun): run is ComparableRun {
  return run.problems !== undefined && run.errors !== undefined;
}

/** The rehearsal run a whole report is. */
export function runOfReport(report: Report): ComparableRun {
  return {
    ...(report.id === undefined ? {} : { id: report.id }),
    generatedAt: report.generatedAt,
    inputs: report.inputs,
    records: report.summary.records,
    warnings: report.summary.warnings,
    errors: runErrors(report),
    problems: runProblems(report),
  };
}

/**
 * The problems of `report` by comparison key: file (when `files` is given), rule and location.
 * Problems under one key are counted together (a report groups issues by rule and location per
 * file already; a key column of the same name in one file is one place, as a column's issues are).
 */
function tally(listed: readonly RunProblem[], files: Map<string, string> | undefined): Map<string, Tallied> {
  const byKey = new Map<string, Tallied>();
  for (const { issue, count, input } of listed) {
    if (count <= 0) continue;
    const file = files && input !== undefined ? (files.get(input) ?? `unlisted:${input}`) : undefined;
    const key = file === undefined ? comparisonKey(issue) : `${file}\u0000${comparisonKey(issue)}`;
    const seen = byKey.get(key);
    if (seen) seen.count += count;
    else byKey.set(key, { issue, count, ...(files && input !== undefined ? { input } : {}) });
  }
  return byKey;
}

/**
 * The rules of problems across records and files (repeated keys, conflicting details, missing
 * references): a report lists them apart from its issues, and a run's problems ({@link runProblems})
 * list them under these engine rules.
 */
export const ACROSS_RECORD_RULES: ReadonlySet<string> = new Set([
  ENGINE_RULES.duplicateKey.id,
  ENGINE_RULES.conflictingDemographics.id,
  ENGINE_RULES.orphanReference.id,
]);

/**
 * The report's problems across records and files as rule, column and count, counted as the
 * run's errors count them ({@link runErrors}): the totals when the report has them, else its lists.
 */
function crossRecordProblems(report: Report): [EngineRule, string, number, string][] {
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals } = report.crossFile;
  const out: [EngineRule, string, number, string][] = [];
  if (duplicateTotals) {
    for (const d of duplicateTotals) {
      out.push([ENGINE_RULES.duplicateKey, d.column ?? '', d.records, d.input]);
      out.push([ENGINE_RULES.conflictingDemographics, d.column ?? '', d.conflictingKeys, d.input]);
    }
  } else {
    for (const d of duplicateKeys)
      out.push([ENGINE_RULES.duplicateKey, d.column ?? '', d.count - 1, d.input]);
    for (const c of conflictingRecords)
      out.push([ENGINE_RULES.conflictingDemographics, c.column, 1, c.input]);
  }
  for (const o of orphanReferences) out.push([ENGINE_RULES.orphanReference, o.column, o.count, o.input]);
  return out;
}

/**
 * Every problem of `previous` and `current` with how it changed, worst first. When either run
 * checked several files, each entry names the file (`input`: its name in the current run, or in
 * the previous run for a fixed problem), unless some problem could not be placed in one file.
 */
export function compareReports(previous: Report, current: Report): ReportComparison {
  return compareRuns(runOfReport(previous), runOfReport(current));
}

/**
 * {@link compareReports} of two runs as a comparison reads them: whole reports, or summaries that
 * list their problems (the same tallies, so every member of a team compares two runs alike).
 */
export function compareRuns(previous: ComparableRun, current: ComparableRun): ReportComparison {
  const listed = [previous.problems, current.problems] as const;
  const perFile =
    (previous.inputs.length > 1 || current.inputs.length > 1) &&
    listed.every((list) => list.every((p) => p.input !== undefined));
  const [beforeFiles, nowFiles] = pairFiles(previous, current);
  const before = tally(listed[0], perFile ? beforeFiles : undefined);
  const now = tally(listed[1], perFile ? nowFiles : undefined);
  const entries: Entry[] = [];
  for (const [key, { issue, count, input }] of now) {
    const old = before.get(key)?.count ?? 0;
    const status: ComparisonStatus = old === 0 ? 'new' : count > old ? 'worse' : 'still-failing';
    entries.push({
      rule: issue.rule,
      location: issue.location,
      ...(input === undefined ? {} : { input }),
      severity: issue.severity,
      status,
      previous: old,
      current: count,
    });
  }
  for (const [key, { issue, count, input }] of before) {
    if (now.has(key)) continue;
    entries.push({
      rule: issue.rule,
      location: issue.location,
      ...(input === undefined ? {} : { input }),
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
      a.location.localeCompare(b.location) ||
      (a.input ?? '').localeCompare(b.input ?? ''),
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
      records: previous.records,
      errors: previous.errors,
      warnings: previous.warnings,
    },
    counts,
    entries,
  };
}

/**
 * What a compared problem says, in words: its message in the first of `reports` that has it as an
 * issue, else its engine rule's (problems across records and files have no issue; a run shared as
 * a summary keeps no message), else the contract rule's description, else its rule id.
 */
export function comparisonMessage(
  entry: Pick<Entry, 'rule' | 'location' | 'input'>,
  reports: readonly (Report | undefined)[],
): string {
  const issue = reports.flatMap((r) => (r ? comparedIssues(r, entry) : []))[0];
  return (
    issue?.message ??
    ENGINE_RULE_LIST.find((r) => r.id === entry.rule)?.message ??
    (entry.rule.startsWith(CONTRACT_RULE_PREFIX) ? describeContractRule(entry.rule) : entry.rule)
  );
}

/** The prefix of a column contract's rule ids (`contract.format`). */
const CONTRACT_RULE_PREFIX = 'contract.';

/**
 * The issues of `report` a compared problem stands for: those of its rule and location, in its
 * file when the entry names one (an entry of a comparison by rule and location alone names none).
 */
export function comparedIssues(
  report: Report,
  entry: Pick<Entry, 'rule' | 'location' | 'input'>,
): ReportIssue[] {
  const key = comparisonKey(entry);
  return report.issues.filter(
    (i) => comparisonKey(i) === key && (entry.input === undefined || problemFile(report, i) === entry.input),
  );
}

/** The errors of a run: error occurrences in the rows plus problems across records and files. */
export function runErrors(report: Report): number {
  return report.summary.errors + crossFileErrors(report);
}

/**
 * Which files a run checked, as one key: the runs of a project with the same key are rehearsals
 * of one check. Each input counts by its contract when it had one (a new drop of
 * `patients.csv` may be called `patients-march.csv`), else by its file name (the folder of a dated
 * drop aside), with its kind.
 */
export function rehearsalKey(report: Pick<RehearsalRun, 'inputs'>): string {
  return report.inputs
    .map((input) => `${input.kind ?? 'unknown'}:${input.schema ?? fileName(input.name)}`)
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
