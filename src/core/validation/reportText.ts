/**
 * A run's report in words, as the CLI prints it after any engine: the summary (records, each
 * input, the issues with their first rows, findings across records and files, what was not
 * checked, mixed date styles) and the verdict's line that says what the run's outcome rests on.
 * Words only: the report's values never appear here beyond what its examples already hold.
 */

import { listWords } from '../../formats/listWords.ts';
import type { Report } from '../../formats/report.ts';
import { usedByLine } from '../trace/index.ts';
import { describeMixedDates } from './columnProfile.ts';
import { exampleRow, exampleTrace, issueInput, issueWhat, issueWhere, recordShare } from './issueWords.ts';
import { inputLayoutWords, notReadWords } from './notReadWords.ts';
import { stoppedAtWords } from './refusedInput.ts';
import { judgeRun } from './reportSummary.ts';
import { countingWaivers } from './waivers.ts';

/** What a run's exit code rests on, and the summary's last line that says it in words. */
interface RunVerdict {
  /** the run fails: its exit code is the findings' one */
  fails: boolean;
  line: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * The run's verdict: it fails (exit 1) on errors in records, on findings across records and
 * files (repeated keys, orphan references, one identifier with different demographics) and, with
 * `failOnEmpty`, on an input with no records; the line names each reason, so the summary never
 * reads "0 errors" above a failing exit code.
 */
export function runVerdict(report: Report, failOnEmpty: boolean): RunVerdict {
  // the one verdict of a run: accepted errors (waivers in force) do not fail it
  const judged = judgeRun(report, { failOnEmpty });
  const { errors, accepted, repeats, orphans, conflicts, empty } = judged;
  const reasons: string[] = [];
  if (errors > 0) reasons.push(plural(errors, 'error', 'errors'));
  if (repeats > 0) reasons.push(`${plural(repeats, 'record repeats', 'records repeat')} a key`);
  if (orphans > 0) reasons.push(plural(orphans, 'orphan reference', 'orphan references'));
  if (conflicts > 0)
    reasons.push(`${plural(conflicts, 'identifier', 'identifiers')} with different demographics`);
  if (failOnEmpty && empty.length > 0)
    reasons.push(
      `${plural(empty.length, 'file', 'files')} with no records: ${listWords(empty)} (--fail-on-empty)`,
    );
  if (reasons.length === 0 && !judged.passed) {
    const invalid = judged.inputs.filter((v) => !v.passed);
    reasons.push(`${plural(invalid.length, 'file has', 'files have')} records with errors`);
  }
  if (reasons.length > 0) return { fails: true, line: `Result: fails — ${reasons.join(', ')}` };
  const warnings = report.summary.warnings;
  const withs = [
    ...(accepted > 0 ? [`${plural(accepted, 'accepted error', 'accepted errors')} (waivers)`] : []),
    ...(warnings > 0 ? [plural(warnings, 'warning', 'warnings')] : []),
  ];
  // a file with nothing in it passes only with --fail-on-empty left out: the line says so
  const unfilled =
    empty.length > 0
      ? ` — ${listWords(empty)} ${empty.length === 1 ? 'has' : 'have'} no records (empty or only a header); --fail-on-empty fails the run on ${empty.length === 1 ? 'it' : 'them'}`
      : '';
  return {
    fails: false,
    line: `Result: passes${withs.length > 0 ? ` with ${withs.join(' and ')}` : ''}${unfilled}`,
  };
}

/**
 * Where a mapped record's finding comes from in the mapping, under its issue: one line per exact
 * path and trace among the first examples, with their rows and bytes —
 * `    Patient.birthDate — from column "DOB" (mapping field birthDate): row 2, byte 38; row 3, byte 59`.
 */
function tracedLines(issue: Report['issues'][number]): string[] {
  const rowsByTrace = new Map<string, string[]>();
  for (const e of issue.examples.slice(0, 5)) {
    const trace = exampleTrace(e);
    if (trace === undefined) continue;
    const key = `${e.input ? `${e.input} ` : ''}${e.path ?? issue.location} — ${trace}`;
    const rows = rowsByTrace.get(key) ?? [];
    rows.push(exampleRow(e));
    rowsByTrace.set(key, rows);
  }
  return [...rowsByTrace].map(([key, rows]) => `    ${key}: ${rows.join('; ')}`);
}

/** The human summary of a report; with a verdict, its line ends the summary. */
export function summaryText(report: Report, verdict?: RunVerdict): string {
  const s = report.summary;
  const lines = [
    `${s.records} records: ${s.valid} valid, ${s.invalid} invalid${s.unchecked ? `, ${s.unchecked} not checked` : ''}; ${s.errors} errors, ${s.warnings} warnings`,
  ];
  for (const input of report.inputs) {
    const layout = `${input.name} (${inputLayoutWords(input)})`;
    lines.push(
      `  ${layout}: ${input.stoppedAt ? stoppedAtWords(input.stoppedAt) : `${input.records} records, ${input.invalid ?? 0} invalid${input.unchecked ? `, ${input.unchecked} not checked (its header does not match its contract)` : ''}`}`,
    );
    for (const line of notReadWords(input.notRead ?? [])) lines.push(`    ${line}`);
  }
  if (report.issues.length > 0) {
    lines.push('Issues:');
    for (const issue of report.issues) {
      // an issue of the whole file (no records) has no row to name; a part of an issue split by a
      // waiver's rows is of rows, even with none of its examples kept
      const whole =
        issue.splitBy === undefined &&
        issue.examples.every((e) => e.row === undefined && e.column === undefined);
      const rows = (whole ? [] : issue.examples)
        .slice(0, 5)
        .map(
          (e) =>
            `${e.input ? `${e.input} ` : ''}row ${e.row ?? 'header'}${e.part ? ` (${e.part.file} row ${e.part.row})` : ''}`,
        )
        .join(', ');
      // the words the app shows and the exports write (core issueWords.ts)
      const share =
        issue.records === undefined
          ? ''
          : `, ${recordShare(issue.records, issueInput(report, issue).records)}`;
      // the part no waiver accepted of a split problem: outside the counted rows of each waiver
      const outsideOf =
        issue.acceptedBy || !issue.splitBy ? [] : countingWaivers(report, issue).map((w) => w.waiver.id);
      const mark = issue.acceptedBy
        ? ` (accepted: ${issue.acceptedBy})`
        : issue.splitBy
          ? ` (outside the rows of ${(outsideOf.length > 0 ? outsideOf : [issue.splitBy]).join(', ')})`
          : '';
      // a problem of a whole file names it: in a run of several files "(file)" alone says nothing
      const file = whole ? issueInput(report, issue).file : undefined;
      lines.push(
        `  ${issue.severity} ${issue.rule} ${issue.location || (whole ? (file === undefined ? '(file)' : `(file ${file})`) : '(row)')} × ${issue.count}${share}: ${whole ? '' : `${issueWhere(issue)}: `}${issueWhat(issue)}${rows ? ` (first: ${rows})` : ''}${mark}`,
      );
      lines.push(...tracedLines(issue));
      // what uses its data, through the project's data dictionary (validate --project)
      if (issue.usedBy && issue.usedBy.length > 0) lines.push(`    ${usedByLine(issue.usedBy)}`);
    }
  }
  const { duplicateKeys, orphanReferences, conflictingRecords = [] } = report.crossFile;
  if (duplicateKeys.length + orphanReferences.length + conflictingRecords.length > 0) {
    lines.push('Across records and files:');
    const byColumn = new Map<string, { keys: number; records: number }>();
    for (const d of duplicateKeys) {
      const k = `${d.input} ${d.column ?? ''}`;
      const seen = byColumn.get(k) ?? { keys: 0, records: 0 };
      seen.keys++;
      seen.records += d.count;
      byColumn.set(k, seen);
    }
    for (const [k, v] of byColumn)
      lines.push(`  duplicate keys: ${k}: ${v.keys} keys held by ${v.records} records`);
    for (const o of orphanReferences)
      lines.push(`  orphan references: ${o.input} ${o.column} → ${o.target}: ${o.count}`);
    const conflicts = new Map<string, number>();
    for (const c of conflictingRecords)
      conflicts.set(`${c.input} ${c.column}`, (conflicts.get(`${c.input} ${c.column}`) ?? 0) + 1);
    for (const [k, n] of conflicts)
      lines.push(`  same identifier, different demographics: ${k}: ${n} identifiers`);
  }
  const notChecked = report.inputs.filter((input) => (input.notChecked?.length ?? 0) > 0);
  if (notChecked.length > 0) {
    lines.push('Not checked:');
    for (const input of notChecked)
      for (const what of input.notChecked ?? []) lines.push(`  ${input.name}: ${what}`);
  }
  const mixed = report.profiles
    .map((p) => (p.kinds ? describeMixedDates(p.column, p.kinds) : undefined))
    .filter((t): t is string => t !== undefined);
  if (mixed.length > 0) lines.push('Profiles:', ...mixed.map((m) => `  ${m}`));
  if (verdict) lines.push(verdict.line);
  return lines.join('\n');
}
