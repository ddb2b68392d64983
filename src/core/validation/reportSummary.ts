/**
 * The one-page summary of a validation report, as the printable page opens with it and a data
 * lead hands it on: what was checked, whether each file passed, the top problems, the accepted
 * problems (waivers) when the report lists any, and each file's SHA-256 fingerprint.
 *
 * A file passes when none of its records has an error, no error sits in its header, and no check
 * across records and files (repeated keys, missing references, conflicting details) found one in
 * it. Warnings do not fail a file.
 */
import type { Report, ReportIssue } from '../../formats/report.ts';
import { formatIssueCount, issueInput } from './issueWords.ts';

/** Problems the summary lists. */
export const TOP_PROBLEMS = 5;

/** One file's line of the summary. */
export interface InputVerdict {
  name: string;
  records: number;
  /** records with at least one error */
  invalid: number;
  /** errors in the file: its issues' errors and its findings across records and files */
  errors: number;
  passed: boolean;
  sha256?: string;
  /** the contract it was checked against */
  schema?: string;
}

const FAILING = new Set<ReportIssue['severity']>(['fatal', 'error']);

/** Each input of the report with its verdict. */
export function inputVerdicts(report: Report): InputVerdict[] {
  const errors = new Map<string, number>();
  const add = (input: string | undefined, n: number) => {
    if (input !== undefined && n > 0) errors.set(input, (errors.get(input) ?? 0) + n);
  };
  for (const issue of report.issues) {
    if (!FAILING.has(issue.severity)) continue;
    const { file } = issueInput(report, issue);
    if (file !== undefined) add(file, issue.count);
    else {
      // examples from several files: each file named by an example has the problem
      for (const input of new Set(issue.examples.map((e) => e.input))) add(input, 1);
    }
  }
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals } = report.crossFile;
  if (duplicateTotals) for (const d of duplicateTotals) add(d.input, d.records + d.conflictingKeys);
  else for (const d of duplicateKeys) add(d.input, d.count - 1);
  for (const o of orphanReferences) add(o.input, o.count);
  if (!duplicateTotals) for (const c of conflictingRecords) add(c.input, 1);
  return report.inputs.map((input) => {
    const n = errors.get(input.name) ?? 0;
    const verdict: InputVerdict = {
      name: input.name,
      records: input.records,
      invalid: input.invalid ?? 0,
      errors: n,
      passed: n === 0 && (input.invalid ?? 0) === 0,
    };
    if (input.sha256 !== undefined) verdict.sha256 = input.sha256;
    if (input.schema !== undefined) verdict.schema = input.schema;
    return verdict;
  });
}

/**
 * The run's outcome in one or two sentences, as the screen and the printable page open with it:
 * how many files failed, or that every file passed — and, when a file has no record (empty, or
 * only a header), that it passed only because there was nothing in it to fail.
 */
export function runOutcome(report: Report): string {
  const verdicts = inputVerdicts(report);
  const failed = verdicts.filter((v) => !v.passed).length;
  const s = report.summary;
  const files = `${formatIssueCount(failed)} of ${formatIssueCount(verdicts.length)} file${verdicts.length === 1 ? '' : 's'} failed`;
  const outcome =
    failed === 0
      ? 'Every file passed: no errors.'
      : s.invalid > 0
        ? `${files}: ${formatIssueCount(s.invalid)} of ${formatIssueCount(s.records)} records have errors.`
        : // only checks across records and files failed (repeated keys, missing references…)
          `${files}: no record has an error of its own, but the checks across records and files found problems.`;
  const empty = report.inputs.filter((i) => i.kind === 'csv' && i.records === 0).map((i) => i.name);
  if (empty.length === 0) return outcome;
  const names = empty.length === 1 ? empty[0] : `${empty.slice(0, -1).join(', ')} and ${empty.at(-1)}`;
  return `${outcome} ${names} ${empty.length === 1 ? 'has' : 'have'} no records (empty, or only a header): an empty extract usually means the export failed, so check ${empty.length === 1 ? 'it' : 'them'} before relying on this result.`;
}

/** The problems the summary names: errors first, then by how often (the report's own order). */
export function topProblems(report: Report, n = TOP_PROBLEMS): ReportIssue[] {
  return report.issues.slice(0, n);
}

/** One accepted problem (waiver) as the summary lists it. */
export interface WaiverLine {
  /** the rule and where: "contract.required on patient_id in patients.csv" */
  what: string;
  rationale: string;
  owner: string;
  /** the last day it applies */
  expires: string;
  /** false when its day had passed at the run: it accepted nothing */
  active: boolean;
  /** what it accepted in this run: "2 problems, 40 times" */
  accepted: string;
}

/** The report's accepted problems (`waivers`, an optional field of the report), in its order. */
export function reportWaivers(report: Report): WaiverLine[] {
  return (report.waivers ?? []).map(({ waiver, status, issues, occurrences }) => {
    const where = waiver.extension ?? (waiver.column === '' ? 'whole rows' : waiver.column);
    const what = [waiver.rule, where ? `on ${where}` : '', waiver.input ? `in ${waiver.input}` : '']
      .filter(Boolean)
      .join(' ');
    return {
      what,
      rationale: waiver.rationale,
      owner: waiver.owner,
      expires: waiver.expires,
      active: status === 'active',
      accepted:
        status === 'active'
          ? `${issues.toLocaleString('en-US')} problem${issues === 1 ? '' : 's'}, ${occurrences.toLocaleString('en-US')} time${occurrences === 1 ? '' : 's'}`
          : 'nothing: it had expired',
    };
  });
}
