/**
 * Exports of a validation report (`preflight.report/v1`) besides its JSON: a CSV for
 * spreadsheets and a printable HTML page, and the redaction ("hide values") every export can apply.
 *
 * Constraints:
 * - CSV cells are formula-injection safe (core/csv/csvCells.ts, re-exported here).
 * - The HTML escapes every value and loads nothing (no script, no external style): it is opened
 *   from disk, outside the app's CSP.
 * - Redaction follows the format's rule (`checkReportRedaction`): no example value, no profile
 *   top/min/max, no duplicate or conflicting key.
 */

import type { ComparisonStatus, Report, ReportIssue } from '../../formats/report.ts';
import { csvField, neutraliseCsvCell, restoreCsvCell } from '../csv/index.ts';
import { usedByLine } from '../trace/index.ts';
import { describeFhirRun, fhirRunSettings } from './fhirRunOptions.ts';
import {
  exampleRow,
  exampleTrace,
  formatIssueCount,
  issueExpected,
  issueExtent,
  issueInput,
  issueSentence,
  issueWhat,
  issueWhere,
} from './issueWords.ts';
import { notReadWords } from './notReadWords.ts';
import { comparedIssues, comparisonMessage } from './rehearsals.ts';
import {
  acceptedMark,
  inputVerdicts,
  notCheckedLines,
  reportWaivers,
  runOutcome,
  topProblems,
  waiverText,
} from './reportSummary.ts';

/** How each problem changed since the previous run, in words (as on the Migration screen). */
const CHANGE_WORDS: Record<ComparisonStatus, string> = {
  new: 'New',
  worse: 'Worse',
  'still-failing': 'Still failing',
  fixed: 'Fixed',
};

/**
 * What a compared problem says: the current run's words, else its engine rule's (a problem across
 * records and files), else its rule id (a fixed problem).
 */
function comparedProblem(report: Report, entry: { rule: string; location: string; input?: string }): string {
  const [issue] = comparedIssues(report, entry);
  return issue ? issueWhat(issue) : comparisonMessage(entry, []);
}

/** "Compared with the run of …: 1 fixed, 1 new, 1 still failing, 1 worse." (undefined: not compared) */
function comparisonSentence(report: Report): string | undefined {
  const c = report.comparison;
  if (!c) return undefined;
  const n = formatIssueCount;
  return `Compared with the run of ${new Date(c.previous.generatedAt).toUTCString()} (${n(c.previous.errors)} error${c.previous.errors === 1 ? '' : 's'} then, ${n(report.summary.errors)} now): ${n(c.counts.fixed)} fixed, ${n(c.counts.new)} new, ${n(c.counts.stillFailing)} still failing, ${n(c.counts.worse)} worse.`;
}

export { csvField, neutraliseCsvCell, restoreCsvCell };

/** The report without any value that could identify a record, marked `redacted`. */
export function redactReport(report: Report): Report {
  const strip = <T extends { value?: string }>(e: T): Omit<T, 'value'> => {
    const { value: _value, ...rest } = e;
    return rest;
  };
  return {
    ...report,
    issues: report.issues.map((i) => ({ ...i, examples: i.examples.map(strip) })),
    profiles: report.profiles.map(({ top: _top, min: _min, max: _max, ...p }) => p),
    crossFile: {
      duplicateKeys: report.crossFile.duplicateKeys.map(({ key: _key, ...d }) => d),
      orphanReferences: report.crossFile.orphanReferences.map((o) => ({
        ...o,
        examples: o.examples.map(strip),
      })),
      ...(report.crossFile.conflictingRecords
        ? { conflictingRecords: report.crossFile.conflictingRecords.map(({ key: _key, ...c }) => c) }
        : {}),
    },
    redacted: true,
  };
}

/** Columns of the report CSV (one table: each line says what it is in `section`). */
export const REPORT_CSV_COLUMNS = [
  'section',
  'file',
  'rule',
  'severity',
  'column',
  'count',
  'row',
  'value',
  'message',
] as const;

type CsvLine = Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], string | number>>;

/**
 * The report as one CSV table (CRLF line ends, header row): the summary, the accepted problems
 * (waivers), each file and what it did not check, each issue (marked when a waiver accepted it)
 * with its examples, the checks across records and files, and the column profiles. The words of
 * the accepted problems and of what was not checked are the printable page's.
 */
export function reportCsv(report: Report): string {
  const lines: CsvLine[] = [];
  const s = report.summary;
  lines.push({ section: 'summary', column: 'records', count: s.records });
  lines.push({ section: 'summary', column: 'valid', count: s.valid });
  lines.push({ section: 'summary', column: 'invalid', count: s.invalid });
  // records a header mismatch left unchecked: neither valid nor invalid (absent when none)
  if (s.unchecked) lines.push({ section: 'summary', column: 'not checked', count: s.unchecked });
  lines.push({ section: 'summary', column: 'errors', count: s.errors });
  lines.push({ section: 'summary', column: 'warnings', count: s.warnings });
  // accepted problems: listed when the report carries them (optional field `waivers`)
  for (const [i, w] of reportWaivers(report).entries()) {
    const { waiver } = report.waivers?.[i] ?? {};
    lines.push({
      section: 'accepted problem',
      file: waiver?.input ?? '',
      rule: waiver?.rule ?? '',
      column: waiver?.extension ?? waiver?.column ?? '',
      message: waiverText(w),
    });
  }
  // the comparison with the previous run, when the report carries one (optional field `comparison`)
  if (report.comparison) {
    const { previous, counts, entries } = report.comparison;
    lines.push({
      section: 'comparison',
      column: 'previous run',
      count: previous.errors,
      message: `errors in the run of ${previous.generatedAt}`,
    });
    lines.push({ section: 'comparison', column: 'fixed', count: counts.fixed });
    lines.push({ section: 'comparison', column: 'new', count: counts.new });
    lines.push({ section: 'comparison', column: 'still failing', count: counts.stillFailing });
    lines.push({ section: 'comparison', column: 'worse', count: counts.worse });
    for (const e of entries) {
      lines.push({
        section: 'change',
        ...(e.input === undefined ? {} : { file: e.input }),
        rule: e.rule,
        severity: e.severity,
        column: e.location,
        count: e.current,
        message: `${CHANGE_WORDS[e.status]}: ${e.previous} before, ${e.current} now — ${comparedProblem(report, e)}`,
      });
    }
  }
  // the options of a FHIR run, named as the CLI's options (--skip, --unknown-extensions)
  for (const setting of fhirRunSettings(report.target))
    lines.push({ section: 'setting', column: setting.name, message: setting.value });
  for (const input of report.inputs) {
    lines.push({
      section: 'file',
      file: input.name,
      count: input.records,
      message: `${input.invalid ?? 0} invalid; ${input.fileFormat === 'parquet' ? 'Parquet' : `${input.encoding ?? ''}; delimiter ${input.delimiter === '\t' ? 'tab' : (input.delimiter ?? '')}; ${input.lineEnding ?? ''}`}${input.sha256 === undefined ? '' : `; SHA-256 ${input.sha256}`}`,
    });
  }
  // what each file's reader did not use, or used by a choice (optional field `inputs[].notRead`)
  for (const input of report.inputs)
    for (const line of notReadWords(input.notRead ?? []))
      lines.push({ section: 'not read', file: input.name, message: line });
  // what the run did not check (optional field `inputs[].notChecked`), each line once
  for (const item of notCheckedLines(report)?.items ?? [])
    lines.push({ section: 'not checked', file: item.input ?? '', message: item.what });
  for (const issue of report.issues) {
    lines.push({
      section: 'issue',
      rule: issue.rule,
      severity: issue.severity,
      column: issue.location,
      count: issue.count,
      message: [
        issueSentence(issue, report.target?.type === 'fhir', issueInput(report, issue).file),
        acceptedMark(report, issue),
      ]
        .filter((t) => t !== undefined)
        .join(' — '),
    });
    // messages folded under this issue as their root cause, each counted
    for (const d of issue.derived ?? []) {
      lines.push({
        section: 'follows from issue',
        rule: d.rule,
        severity: d.severity,
        column: d.location,
        count: d.count,
        message: `${d.message ?? d.rule} (follows from ${issue.rule} at ${issue.location || 'the whole file'})`,
      });
    }
    for (const e of issue.examples) {
      lines.push({
        section: 'example',
        file: e.input ?? report.inputs[0]?.name ?? '',
        rule: issue.rule,
        severity: issue.severity,
        column: e.column ?? issue.location,
        row: e.row ?? '',
        value: e.value,
        // a mapped record's finding: where it comes from in the mapping, and where the row starts
        ...(exampleTrace(e) === undefined
          ? {}
          : { message: `${e.path ?? issue.location} — ${exampleTrace(e)}, ${exampleRow(e)}` }),
      });
    }
  }
  for (const d of report.crossFile.duplicateKeys) {
    lines.push({
      section: 'duplicate key',
      file: d.input,
      column: d.column ?? '',
      count: d.count,
      value: d.key,
      message: `rows ${d.rows.join(' ')}`,
    });
  }
  for (const o of report.crossFile.orphanReferences) {
    lines.push({
      section: 'orphan reference',
      file: o.input,
      column: o.column,
      count: o.count,
      message: `not found in ${o.target}`,
    });
    for (const e of o.examples)
      lines.push({
        section: 'orphan example',
        file: o.input,
        column: o.column,
        row: e.row ?? '',
        value: e.value,
      });
  }
  for (const c of report.crossFile.conflictingRecords ?? []) {
    lines.push({
      section: 'conflicting records',
      file: c.input,
      column: c.column,
      count: c.count,
      value: c.key,
      message: `differ in ${c.columns.join(' ')}; rows ${c.rows.join(' ')}`,
    });
  }
  for (const p of report.profiles) {
    lines.push({
      section: 'profile',
      file: p.input,
      column: p.column,
      count: p.count,
      message: [
        `empty ${p.empty}`,
        p.distinct === undefined ? '' : `distinct ${p.approximate ? '~' : ''}${p.distinct}`,
        p.kinds
          ? `kinds ${Object.entries(p.kinds)
              .map(([k, n]) => `${k} ${n}`)
              .join(' ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  const head = REPORT_CSV_COLUMNS.join(',');
  const body = lines.map((line) => REPORT_CSV_COLUMNS.map((c) => csvField(line[c])).join(','));
  return `${[head, ...body].join('\r\n')}\r\n`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

function cells(values: readonly (string | number | undefined)[], tag: 'td' | 'th' = 'td'): string {
  return values.map((v) => `<${tag}>${escapeHtml(v === undefined ? '' : String(v))}</${tag}>`).join('');
}

function table(
  caption: string,
  head: readonly string[],
  rows: readonly (string | number | undefined)[][],
): string {
  if (rows.length === 0) return '';
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cells(r)}</tr>`)
    .join('')}</tbody></table>`;
}

const PRINT_STYLE = [
  'body{font-family:system-ui,sans-serif;color:#1b2430;margin:2rem;line-height:1.4}',
  'table{border-collapse:collapse;margin:0 0 1.5rem;width:100%}',
  'caption{text-align:left;font-weight:600;padding:.25rem 0}',
  'th,td{border:1px solid #d5dbe3;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  '.summary-page{border-bottom:2px solid #1b2430;margin-bottom:1.5rem}',
  '.pass{color:#17603a;font-weight:600}.fail{color:#a4262c;font-weight:600}',
  'code{font-size:.85em;word-break:break-all}',
  '@media print{body{margin:0}table{page-break-inside:auto}tr{page-break-inside:avoid}',
  '.summary-page{page-break-after:always;border-bottom:0}}',
].join('');

/**
 * The one-page summary the printable page opens with (reportSummary.ts): what was checked, each
 * file's verdict and fingerprint, what the run did not check, the top problems, and the accepted
 * problems when the report lists any. Printed, it is a page of its own.
 */
function summaryPage(report: Report): string {
  const s = report.summary;
  const fhir = report.target?.type === 'fhir';
  const verdicts = inputVerdicts(report);
  const contracts = [...new Set(verdicts.map((v) => v.schema).filter((c) => c !== undefined))];
  const against =
    report.target?.type === 'fhir'
      ? 'FHIR R4'
      : contracts.length > 0
        ? `the contract${contracts.length > 1 ? 's' : ''} ${contracts.join(', ')}`
        : 'the structure of the files only (no contract)';
  const what = `${formatIssueCount(verdicts.length)} file${verdicts.length === 1 ? '' : 's'}, ${formatIssueCount(s.records)} record${s.records === 1 ? '' : 's'}, checked against ${against}.`;
  const outcome = runOutcome(report);
  const top = topProblems(report);
  const waivers = reportWaivers(report);
  const fileRows = verdicts
    .map(
      (v) =>
        `<tr><th scope="row">${escapeHtml(v.name)}</th><td class="${v.passed ? 'pass' : 'fail'}">${v.passed ? 'Passed' : 'Failed'}</td><td>${escapeHtml(formatIssueCount(v.records))}</td><td>${escapeHtml(formatIssueCount(v.invalid))}</td><td>${v.sha256 === undefined ? 'not computed' : `<code>${escapeHtml(v.sha256)}</code>`}</td></tr>`,
    )
    .join('');
  const problems =
    top.length === 0
      ? '<p>No problems found in the records.</p>'
      : `<ol>${top
          .map((issue) => {
            const { records, file } = issueInput(report, issue);
            const usedBy = issue.usedBy && issue.usedBy.length > 0 ? `. ${usedByLine(issue.usedBy)}` : '';
            return `<li>${escapeHtml(issueWhere(issue, fhir))}${file && report.inputs.length > 1 ? ` in ${escapeHtml(file)}` : ''}: ${escapeHtml(issueWhat(issue))} — ${escapeHtml(issueExtent(issue, records))}${escapeHtml(usedBy)}</li>`;
          })
          .join(
            '',
          )}</ol>${report.issues.length > top.length ? `<p>${escapeHtml(formatIssueCount(report.issues.length - top.length))} more problems are listed below.</p>` : ''}`;
  // accepted problems: listed when the report carries them (optional field `waivers`)
  const accepted =
    waivers.length === 0
      ? ''
      : `<h3>Accepted problems</h3><ul class="waivers">${waivers
          .map((w) => `<li>${escapeHtml(waiverText(w))}</li>`)
          .join('')}</ul>`;
  // what the run did not check, so a pass is never read as more than it is
  const unchecked = notCheckedLines(report);
  const several = report.inputs.length > 1;
  const notChecked =
    unchecked === undefined
      ? ''
      : `<h3>Not checked</h3><p>${escapeHtml(unchecked.intro)}</p><ul class="not-checked">${unchecked.items
          .map(
            (item) =>
              `<li>${escapeHtml(several && item.input !== undefined ? `${item.input}: ${item.what}` : item.what)}</li>`,
          )
          .join('')}</ul>`;
  const compared = comparisonSentence(report);
  return [
    '<section class="summary-page" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    `<p>${escapeHtml(what)}</p>`,
    `<p><strong>${escapeHtml(outcome)}</strong></p>`,
    compared === undefined ? '' : `<p>${escapeHtml(compared)}</p>`,
    notChecked,
    `<table><caption>Files and their fingerprints (SHA-256 of the bytes checked)</caption><thead><tr>${cells(['File', 'Result', 'Records', 'Records with errors', 'SHA-256'], 'th')}</tr></thead><tbody>${fileRows}</tbody></table>`,
    '<h3>Top problems</h3>',
    problems,
    '<!-- accepted problems (waivers): begin -->',
    accepted,
    '<!-- accepted problems (waivers): end -->',
    '</section>',
  ].join('\n');
}

/** The report as a standalone, printable HTML page (every value escaped; nothing loaded). */
export function reportHtml(report: Report, title = 'Validation report'): string {
  const s = report.summary;
  const fhir = report.target?.type === 'fhir';
  const fhirRun = describeFhirRun(report.target);
  const parts = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Checked ${escapeHtml(new Date(report.generatedAt).toUTCString())} with Preflight ${escapeHtml(report.tool.version)}${report.redacted ? '. Values are hidden.' : '.'}</p>`,
    fhirRun === undefined ? '' : `<p>${escapeHtml(fhirRun)}</p>`,
    summaryPage(report),
    table(
      'Totals',
      s.unchecked
        ? ['Records', 'Valid', 'Invalid', 'Not checked', 'Errors', 'Warnings']
        : ['Records', 'Valid', 'Invalid', 'Errors', 'Warnings'],
      [
        s.unchecked
          ? [s.records, s.valid, s.invalid, s.unchecked, s.errors, s.warnings]
          : [s.records, s.valid, s.invalid, s.errors, s.warnings],
      ],
    ),
    table(
      'Files',
      ['File', 'Records', 'Invalid', 'Encoding', 'Delimiter', 'Line endings', 'Contract'],
      report.inputs.map((i) => [
        i.name,
        i.records,
        i.invalid,
        i.fileFormat === 'parquet' ? 'Parquet' : i.encoding,
        i.delimiter === '\t' ? 'tab' : i.delimiter,
        i.lineEnding,
        i.schema,
      ]),
    ),
    table(
      'Read by a choice, or not read',
      ['File', 'What'],
      report.inputs.flatMap((i) => notReadWords(i.notRead ?? []).map((line) => [i.name, line])),
    ),
    table(
      'Problems',
      ['Severity', 'Where', 'Problem', 'How often', 'First rows'],
      report.issues.map((i) => [
        i.severity,
        issueWhere(i, fhir, issueInput(report, i).file),
        [issueWhat(i), issueExpected(i), followersSentence(i), acceptedMark(report, i)]
          .filter((t) => t !== undefined)
          .join('. '),
        issueExtent(i, issueInput(report, i).records),
        i.examples
          .slice(0, 5)
          .map(
            (e) =>
              `${e.input ? `${e.input} ` : ''}row ${e.row ?? 'header'}${e.value === undefined ? '' : ` “${e.value}”`}${tracedAside(e)}`,
          )
          .join('; '),
      ]),
    ),
    report.comparison
      ? table(
          'Changes since the previous run',
          ['Where', 'Problem', 'Change', 'Before', 'Now'],
          report.comparison.entries.map((e) => [
            `${e.input === undefined ? '' : `${e.input}: `}${e.location || 'whole row'}`,
            comparedProblem(report, e),
            CHANGE_WORDS[e.status],
            e.previous,
            e.current,
          ]),
        )
      : '',
    table(
      'The same key in several records',
      ['File', 'Column', 'Key', 'Records', 'Rows'],
      report.crossFile.duplicateKeys.map((d) => [d.input, d.column, d.key, d.count, d.rows.join(', ')]),
    ),
    table(
      'References to records that are missing',
      ['File', 'Column', 'Looked up in', 'Rows'],
      report.crossFile.orphanReferences.map((o) => [o.input, o.column, o.target, o.count]),
    ),
    table(
      'One identifier, different details',
      ['File', 'Identifier column', 'Identifier', 'Records', 'Differs in'],
      (report.crossFile.conflictingRecords ?? []).map((c) => [
        c.input,
        c.column,
        c.key,
        c.count,
        c.columns.join(', '),
      ]),
    ),
    table(
      'Columns',
      ['File', 'Column', 'Filled', 'Distinct values', 'Kinds of value'],
      report.profiles.map((p) => [
        p.input,
        p.column,
        p.count > 0 ? `${(((p.count - p.empty) / p.count) * 100).toFixed(1)} %` : '',
        p.distinct === undefined ? '' : `${p.approximate ? 'about ' : ''}${p.distinct}`,
        p.kinds
          ? Object.entries(p.kinds)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ')
          : '',
      ]),
    ),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PRINT_STYLE}</style></head><body><main>${parts.join('\n')}</main></body></html>\n`;
}

/** How many messages follow from an issue (folded under it as their root cause), in words. */
function followersSentence(issue: ReportIssue): string | undefined {
  const count = (issue.derived ?? []).reduce((n, d) => n + d.count, 0);
  if (count === 0) return undefined;
  return `${formatIssueCount(count)} more ${count === 1 ? 'message follows' : 'messages follow'} from it and go away when it is fixed`;
}

/** " (Patient.birthDate — from column "DOB" (mapping field birthDate), byte 38)" for a traced example, else "". */
function tracedAside(example: Report['issues'][number]['examples'][number]): string {
  const trace = exampleTrace(example);
  if (trace === undefined) return '';
  return ` (${example.path === undefined ? '' : `${example.path} — `}${trace}${example.byte === undefined ? '' : `, byte ${formatIssueCount(example.byte)}`})`;
}
