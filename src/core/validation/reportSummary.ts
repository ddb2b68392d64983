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
import { issueInput } from './issueWords.ts';

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

/** The problems the summary names: errors first, then by how often (the report's own order). */
export function topProblems(report: Report, n = TOP_PROBLEMS): ReportIssue[] {
  return report.issues.slice(0, n);
}

/** One accepted problem (waiver) as the summary lists it: every part a text, absent when not given. */
export interface WaiverLine {
  /** the rule and where: "contract.required on patient_id" */
  what: string;
  rationale?: string;
  owner?: string;
  expires?: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * The report's accepted problems, when it lists any (`waivers`, an optional field of the report):
 * read defensively — a report without them, or with entries of another shape, gives what it can
 * and never fails the summary.
 */
export function reportWaivers(report: Report): WaiverLine[] {
  const waivers = (report as { waivers?: unknown }).waivers;
  if (!Array.isArray(waivers)) return [];
  const lines: WaiverLine[] = [];
  for (const waiver of waivers) {
    if (typeof waiver !== 'object' || waiver === null) continue;
    const w = waiver as Record<string, unknown>;
    const rule = text(w.rule);
    const where = text(w.column) ?? text(w.location) ?? text(w.extension) ?? text(w.url);
    const input = text(w.input) ?? text(w.file);
    const what = [rule ?? 'a problem', where ? `on ${where}` : '', input ? `in ${input}` : '']
      .filter(Boolean)
      .join(' ');
    const line: WaiverLine = { what };
    const rationale = text(w.rationale) ?? text(w.reason);
    const owner = text(w.owner);
    const expires = text(w.expires) ?? text(w.expiresAt) ?? text(w.expiry);
    if (rationale !== undefined) line.rationale = rationale;
    if (owner !== undefined) line.owner = owner;
    if (expires !== undefined) line.expires = expires;
    lines.push(line);
  }
  return lines;
}
