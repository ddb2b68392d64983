/**
 * The one-page summary of a validation report, as the printable page opens with it and a data
 * lead hands it on: what was checked, whether each file passed, the top problems, the accepted
 * problems (waivers) when the report lists any, and each file's SHA-256 fingerprint.
 *
 * A file passes when none of its records has an error that no waiver in force accepted, no such
 * error sits in its header, and no check across records and files (repeated keys, missing
 * references, conflicting details) found one in it. Warnings do not fail a file.
 *
 * {@link judgeRun} is the one verdict of a run: the screen, the printable page, the CLI's summary
 * line and exit code, and the readiness gate all read it, so they never disagree.
 */
import { listWords } from '../../formats/listWords.ts';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { formatIssueCount, issueInput } from './issueWords.ts';
import { acceptedErrors, acceptingWaiver, errorOccurrences, validWithWaivers } from './waivers.ts';

/** Problems the summary lists. */
const TOP_PROBLEMS = 5;

/** One file's line of the summary. */
interface InputVerdict {
  name: string;
  records: number;
  /** records with at least one error no waiver in force accepted */
  invalid: number;
  /** errors in the file no waiver accepted: its issues' errors and its findings across records and files */
  errors: number;
  /** error occurrences in the file that a waiver in force accepted */
  accepted: number;
  /** findings across records and files in the file (no waiver applies to them) */
  crossFile: number;
  passed: boolean;
  sha256?: string;
  /** the contract it was checked against */
  schema?: string;
}

/** Rules that refuse a whole file as not text, or not in its encoding (nothing of it was checked). */
const NOT_TEXT_RULES: ReadonlySet<string> = new Set([
  'csv.not-text',
  'csv.not-in-encoding',
  'fhir-not-text',
  'fhir-not-utf8',
]);

/** The inputs refused as not text, or not in their encoding, in the report's order. */
function notTextInputs(report: Report): string[] {
  const names = new Set<string>();
  for (const issue of report.issues) {
    if (!NOT_TEXT_RULES.has(issue.rule)) continue;
    const { file } = issueInput(report, issue);
    if (file !== undefined) names.add(file);
    for (const e of issue.examples) if (e.input !== undefined) names.add(e.input);
  }
  return report.inputs.filter((i) => names.has(i.name)).map((i) => i.name);
}

/** Each input of the report with its verdict, accepted problems (waivers in force) set aside. */
export function inputVerdicts(report: Report): InputVerdict[] {
  const errors = new Map<string, number>();
  const add = (input: string | undefined, n: number) => {
    if (input !== undefined && n > 0) errors.set(input, (errors.get(input) ?? 0) + n);
  };
  for (const issue of report.issues) {
    // an error folded under an accepted root cause still counts unless a waiver accepts it too
    const { unaccepted } = errorOccurrences(report, issue);
    if (unaccepted === 0) continue;
    const { file } = issueInput(report, issue);
    if (file !== undefined) add(file, unaccepted);
    else {
      // examples from several files: each file named by an example has the problem
      for (const input of new Set(issue.examples.map((e) => e.input))) add(input, 1);
    }
  }
  const cross = new Map<string, number>();
  const across = (input: string, n: number) => {
    add(input, n);
    if (n > 0) cross.set(input, (cross.get(input) ?? 0) + n);
  };
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals } = report.crossFile;
  if (duplicateTotals) for (const d of duplicateTotals) across(d.input, d.records + d.conflictingKeys);
  else for (const d of duplicateKeys) across(d.input, d.count - 1);
  for (const o of orphanReferences) across(o.input, o.count);
  if (!duplicateTotals) for (const c of conflictingRecords) across(c.input, 1);
  return report.inputs.map((input) => {
    const n = errors.get(input.name) ?? 0;
    // with accepted problems, the records still invalid are those a problem not accepted can hold
    const counts = validWithWaivers(report, input.name);
    const invalid =
      counts && (counts.accepted > 0 || counts.acceptedUnplaced)
        ? counts.records - counts.valid
        : (input.invalid ?? 0);
    const verdict: InputVerdict = {
      name: input.name,
      records: input.records,
      invalid,
      errors: n,
      accepted: counts?.accepted ?? 0,
      crossFile: cross.get(input.name) ?? 0,
      passed: n === 0 && invalid === 0,
    };
    if (input.sha256 !== undefined) verdict.sha256 = input.sha256;
    if (input.schema !== undefined) verdict.schema = input.schema;
    return verdict;
  });
}

/** The verdict of a run, with the accepted problems of the waivers in force set aside. */
interface RunJudgement {
  /** false when any reason below fails it, or any file failed */
  passed: boolean;
  /** error occurrences in records that no waiver in force accepted */
  errors: number;
  /** error occurrences that a waiver in force accepted (an expired one accepts nothing) */
  accepted: number;
  /** records repeating a key seen before */
  repeats: number;
  /** references to a record that is not there */
  orphans: number;
  /** identifiers with different demographics */
  conflicts: number;
  /** inputs with no records (empty, or only a header) */
  empty: string[];
  /** whether the inputs with no records fail the run (the CLI's `--fail-on-empty`) */
  failOnEmpty: boolean;
  /** records still invalid once accepted problems count as accepted */
  invalid: number;
  /** each input's verdict */
  inputs: InputVerdict[];
}

/**
 * The one verdict of a run. It fails on errors in records that no waiver in force accepted, on
 * the findings across records and files (no waiver applies to them), on a file that failed and,
 * with `failOnEmpty`, on an input with no records. Waivers count only as the report lists them
 * (`applyWaivers` on the day of judging): a mark of an expired waiver accepts nothing.
 */
export function judgeRun(report: Report, options: { failOnEmpty?: boolean } = {}): RunJudgement {
  const { duplicateKeys, duplicateTotals, orphanReferences, conflictingRecords = [] } = report.crossFile;
  const repeats = duplicateTotals
    ? duplicateTotals.reduce((n, d) => n + d.records, 0)
    : duplicateKeys.reduce((n, d) => n + d.count - 1, 0);
  const conflicts = duplicateTotals
    ? duplicateTotals.reduce((n, d) => n + d.conflictingKeys, 0)
    : conflictingRecords.length;
  const orphans = orphanReferences.reduce((n, o) => n + o.count, 0);
  const accepted = acceptedErrors(report);
  const errors = Math.max(0, report.summary.errors - accepted);
  const inputs = inputVerdicts(report);
  // a file refused as not text has no records either, but it is not an empty extract
  const refused = new Set(notTextInputs(report));
  const empty = report.inputs
    .filter((i) => i.kind === 'csv' && i.records === 0 && !refused.has(i.name))
    .map((i) => i.name);
  const failOnEmpty = options.failOnEmpty === true;
  const passed =
    errors === 0 &&
    repeats + orphans + conflicts === 0 &&
    !(failOnEmpty && empty.length > 0) &&
    inputs.every((v) => v.passed);
  const invalid = inputs.reduce((n, v) => n + v.invalid, 0);
  return { passed, errors, accepted, repeats, orphans, conflicts, empty, failOnEmpty, invalid, inputs };
}

/**
 * The run's outcome in one or two sentences, as the screen and the printable page open with it:
 * how many files failed, or that every file passed — and, when a file has no record (empty, or
 * only a header), that it passed only because there was nothing in it to fail.
 */
export function runOutcome(report: Report): string {
  const judged = judgeRun(report);
  const refused = notTextInputs(report);
  const verdicts = judged.inputs;
  const failed = verdicts.filter((v) => !v.passed).length;
  const s = report.summary;
  const files = `${formatIssueCount(failed)} of ${formatIssueCount(verdicts.length)} file${verdicts.length === 1 ? '' : 's'} failed`;
  const accepted =
    judged.accepted > 0
      ? `no errors apart from ${formatIssueCount(judged.accepted)} accepted (see the accepted issues).`
      : 'no errors.';
  const outcome = judged.passed
    ? `Every file passed: ${accepted}`
    : failed === 0
      ? // errors the report does not tie to one file
        `The check failed: ${formatIssueCount(judged.errors)} error${judged.errors === 1 ? '' : 's'} not tied to one file.`
      : judged.invalid > 0
        ? `${files}: ${formatIssueCount(judged.invalid)} of ${formatIssueCount(s.records)} records have errors.`
        : judged.repeats + judged.orphans + judged.conflicts === 0 && refused.length > 0
          ? `${files}.`
          : // only checks across records and files failed (repeated keys, missing references…)
            `${files}: no record has an error of its own, but the checks across records and files found problems.`;
  // a file that is not text is said apart: it could not be read to its end
  const notText =
    refused.length === 0
      ? outcome
      : `${outcome} ${listWords(refused)} ${refused.length === 1 ? 'is' : 'are'} not text (or not in ${refused.length === 1 ? 'its' : 'their'} encoding) and could not be read: see the problem on ${refused.length === 1 ? 'it' : 'each'}.`;
  const empty = judged.empty;
  if (empty.length === 0) return notText;
  const names = listWords(empty);
  return `${notText} ${names} ${empty.length === 1 ? 'has' : 'have'} no records (empty, or only a header): an empty extract usually means the export failed, so check ${empty.length === 1 ? 'it' : 'them'} before relying on this result.`;
}

/** The problems the summary names: errors first, then by how often (the report's own order). */
export function topProblems(report: Report, n = TOP_PROBLEMS): ReportIssue[] {
  return report.issues.slice(0, n);
}

/** One accepted problem (waiver) as the summary lists it. */
interface WaiverLine {
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
  return (report.waivers ?? []).map(({ waiver, status, issues, occurrences, outside }) => {
    const where = waiver.extension ?? (waiver.column === '' ? 'whole rows' : waiver.column);
    const rows = waiver.rows
      ? `rows ${waiver.rows.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ')}`
      : '';
    const what = [
      waiver.rule,
      where ? `on ${where}` : '',
      waiver.input ? `in ${waiver.input}` : '',
      rows ? `in ${rows}` : '',
    ]
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
          ? `${issues.toLocaleString('en-US')} problem${issues === 1 ? '' : 's'}, ${occurrences.toLocaleString('en-US')} time${occurrences === 1 ? '' : 's'}${outside ? `; ${outside.toLocaleString('en-US')} time${outside === 1 ? '' : 's'} outside its rows, not accepted` : ''}`
          : 'nothing: it had expired',
    };
  });
}

/**
 * One accepted problem in the words every export uses (the printable page's list, the CSV's
 * `waiver` lines): "contract.required on mrn — known gap; owner Dr Lee; until 2026-12-31; accepted
 * 1 problem, 2 times".
 */
export function waiverText(line: WaiverLine): string {
  return `${line.what} — ${line.rationale}; owner ${line.owner}; ${line.active ? 'until' : 'expired'} ${line.expires}; accepted ${line.accepted}`;
}

/**
 * The mark of a problem a waiver in force accepted, as the exports print it beside the problem
 * ("Accepted until 2026-12-31, owner Dr Lee"); undefined when none accepted it (a mark of an
 * expired waiver accepts nothing).
 */
export function acceptedMark(report: Report, issue: ReportIssue): string | undefined {
  const applied = acceptingWaiver(report, issue);
  return applied ? `Accepted until ${applied.waiver.expires}, owner ${applied.waiver.owner}` : undefined;
}

/** What a run did not check, as every view lists it (the screen, the printable page, the CSV). */
interface NotCheckedLines {
  /** the sentence the list opens with */
  intro: string;
  /** each thing not checked: `input` is the file it belongs to (absent: every file of a FHIR run) */
  items: { input?: string; what: string }[];
}

/**
 * What a run did not check (`inputs[].notChecked`), or undefined when everything was checked: for
 * a CSV run each file's lines, for a FHIR run the rules of the specification its files share, each
 * once, and what only some files hold with their file.
 */
export function notCheckedLines(report: Report): NotCheckedLines | undefined {
  const inputs = report.inputs.filter((input) => (input.notChecked?.length ?? 0) > 0);
  if (inputs.length === 0) return undefined;
  if (report.target?.type === 'fhir') {
    // a line every file has (a rule of the specification) is said once; one some files have (the
    // codes of a code system a file holds, counted in it) is said with its file
    const holders = new Map<string, string[]>();
    for (const input of inputs)
      for (const what of input.notChecked ?? []) {
        const names = holders.get(what) ?? [];
        names.push(input.name);
        holders.set(what, names);
      }
    return {
      intro: 'The FHIR specification asks for more than this run checked:',
      items: [...holders].flatMap(([what, names]) =>
        names.length === report.inputs.length || report.inputs.length === 1
          ? [{ what }]
          : names.map((input) => ({ input, what })),
      ),
    };
  }
  return {
    intro: 'The contract asks for more than this run checked:',
    items: inputs.flatMap((input) => (input.notChecked ?? []).map((what) => ({ input: input.name, what }))),
  };
}
