/**
 * The words of a validation issue, once for every place that shows one: the screen, the CLI
 * summary, the report's CSV and printable page, and the export of every failing row. A problem
 * read on screen and in a file handed on is then worded the same.
 *
 * Where a column contract gives a column its own `title` and `description`, the issue carries
 * them (`buildReport` copies them from the contract) and these words use them: the column by its
 * title, and what the contract expects in its own description.
 *
 * Shares are of records affected, never of occurrences: "43 of 43 records (100 %)". An issue
 * that does not say how many records it touched (a FHIR element repeated in one resource, a
 * warning) is told as a number of times, with no share.
 */
import { listWords } from '../../formats/listWords.ts';
import type { IssueExample, Report, ReportIssue } from '../../formats/report.ts';

/** How the engine words a pattern a cell does not match (contract plan/checks/pattern.ts), before the pattern. */
const PATTERN_MESSAGE = 'must match the pattern ';
/** The same, in words: staff read it; few read a regular expression. */
const PATTERN_IN_WORDS = 'is not written in the agreed layout';

/** The parts of an issue its words are made of. */
type IssueWordsSource = Pick<ReportIssue, 'rule' | 'location' | 'message' | 'title' | 'description'>;

/** The pattern of a pattern issue (shown beside its words in the details), else undefined. */
export function issuePattern(issue: IssueWordsSource): string | undefined {
  return issue.message?.startsWith(PATTERN_MESSAGE) ? issue.message.slice(PATTERN_MESSAGE.length) : undefined;
}

/** What is wrong: "is required but empty", "is not written in the agreed layout". */
export function issueWhat(issue: IssueWordsSource): string {
  return issuePattern(issue) !== undefined ? PATTERN_IN_WORDS : (issue.message ?? issue.rule);
}

/** Rules of a whole file (it has no record, no header either, or is not text), not of one of its rows. */
const WHOLE_FILE_RULES: ReadonlySet<string> = new Set([
  'csv.empty-file',
  'csv.no-records',
  'csv.not-text',
  'csv.not-in-encoding',
]);

/**
 * Where: the column by the contract's title ("Date of birth (birth_date)"), by its name, or
 * "whole row" ("whole file" for a file with no record — "whole file lab.csv" given its `file`, as
 * every problem of a whole file is named in exports — "JSON text" for a FHIR file's own text).
 */
export function issueWhere(issue: IssueWordsSource, fhir = false, file?: string): string {
  const wholeFile = file === undefined ? 'whole file' : `whole file ${file}`;
  const location =
    issue.location || (fhir ? 'JSON text' : WHOLE_FILE_RULES.has(issue.rule) ? wholeFile : 'whole row');
  return issue.title !== undefined && issue.title.toLowerCase() !== location.toLowerCase()
    ? `${issue.title} (${location})`
    : location;
}

/** The contract's own description of what it expects, as a sentence, when it gives one. */
export function issueExpected(issue: IssueWordsSource): string | undefined {
  return issue.description === undefined ? undefined : `The agreed layout says: ${issue.description}`;
}

/**
 * The issue in one line, as exports write it: "Date of birth (birth_date): is required but
 * empty. The agreed layout says: …".
 */
export function issueSentence(issue: IssueWordsSource, fhir = false, file?: string): string {
  const expected = issueExpected(issue);
  return `${issueWhere(issue, fhir, file)}: ${issueWhat(issue)}${expected === undefined ? '' : `. ${expected}`}`;
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** 1234 → "1,234". */
export function formatIssueCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** "43 of 43 records (100 %)", "3 of 12,000 records (< 0.1 %)"; one decimal below 100 %. */
export function recordShare(records: number, total: number): string {
  const of = `${formatIssueCount(records)} of ${formatIssueCount(total)} ${total === 1 ? 'record' : 'records'}`;
  if (total === 0) return of;
  const p = (Math.min(records, total) / total) * 100;
  const fixed = p.toFixed(1);
  const percent =
    p > 0 && p < 0.1 ? '< 0.1' : p === 100 || p === 0 ? String(p) : fixed === '100.0' ? '> 99.9' : fixed;
  return `${of} (${percent} %)`;
}

/**
 * How often, and how much of the records: "1,171 times in 1,171 of 1,171 records (100 %)" when
 * the issue says how many records it touched, else "5,011 times".
 */
export function issueExtent(issue: Pick<ReportIssue, 'count' | 'records'>, total: number): string {
  const times = issueTimes(issue.count);
  return issue.records === undefined ? times : `${times} in ${recordShare(issue.records, total)}`;
}

/** "1 time", "1,171 times". */
export function issueTimes(count: number): string {
  return `${formatIssueCount(count)} ${count === 1 ? 'time' : 'times'}`;
}

/** The input an issue belongs to (its examples' input), and that input's records, when one input. */
export function issueInput(report: Report, issue: ReportIssue): { records: number; file?: string } {
  // the part of a problem outside a waiver's rows may hold no example: the run says its file, or
  // a run of one file holds it
  const named = issue.input !== undefined ? report.inputs.find((i) => i.name === issue.input) : undefined;
  if (named) return { records: named.records, file: named.name };
  const only1 = issue.splitBy !== undefined && issue.examples.length === 0 && report.inputs.length === 1;
  const inputs = new Set(
    only1 ? [report.inputs[0]?.name] : issue.examples.map((e) => e.input ?? report.inputs[0]?.name),
  );
  const only = inputs.size === 1 ? report.inputs.find((i) => inputs.has(i.name)) : undefined;
  return only ? { records: only.records, file: only.name } : { records: report.summary.records };
}

/** A column's own words in a contract: its `title` and `description`, when given. */
export interface ColumnWords {
  title?: string;
  description?: string;
}

/** The `title` and `description` of each column (property) of a contract that gives them. */
export function contractColumnWords(schema: unknown): Record<string, ColumnWords> {
  const words: Record<string, ColumnWords> = {};
  const properties =
    typeof schema === 'object' && schema !== null
      ? (schema as { properties?: unknown }).properties
      : undefined;
  if (typeof properties !== 'object' || properties === null) return words;
  for (const [column, property] of Object.entries(properties)) {
    if (typeof property !== 'object' || property === null) continue;
    const { title, description } = property as { title?: unknown; description?: unknown };
    const own: ColumnWords = {};
    if (typeof title === 'string' && title.trim() !== '') own.title = title.trim();
    if (typeof description === 'string' && description.trim() !== '') own.description = description.trim();
    if (own.title !== undefined || own.description !== undefined) words[column] = own;
  }
  return words;
}

/** `"DOB"`, `"first" and "last"` for a traced column (several joined by " + "). */
function quotedColumns(column: string): string {
  const names = column.split(' + ').map((c) => `"${c}"`);
  return `${names.length === 1 ? 'column' : 'columns'} ${listWords(names)}`;
}

/**
 * Where a finding in a mapped record comes from in the mapping, in words, or undefined when the
 * example is not traced: `from column "DOB" (mapping field birthDate; transform: read a date as
 * MM/DD/YYYY)`, `a fixed value of mapping field identifier[0].system`, `mapping field status
 * left it empty (column "state")`, `no mapping field fills it`. Never a value.
 */
export function exampleTrace(example: IssueExample): string | undefined {
  const { field, column, transform, unfilled } = example;
  if (unfilled === 'no-field') return 'no mapping field fills it';
  if (field === undefined) return undefined;
  const fieldWords = `mapping field ${field}${transform === undefined ? '' : `; transform: ${transform}`}`;
  if (unfilled === 'empty')
    return `${fieldWords} left it empty${column === undefined ? '' : ` (${quotedColumns(column)})`}`;
  return column === undefined
    ? `a fixed value of ${fieldWords}`
    : `from ${quotedColumns(column)} (${fieldWords})`;
}

/** "row 17", "row 17, byte 312": where an example's record is in its file. */
export function exampleRow(example: Pick<IssueExample, 'row' | 'byte'>): string {
  if (example.row === undefined) return 'header';
  return `row ${formatIssueCount(example.row)}${example.byte === undefined ? '' : `, byte ${formatIssueCount(example.byte)}`}`;
}

/**
 * One traced occurrence in a line: `Patient.birthDate: is not a valid date — from column "DOB"
 * (mapping field birthDate), row 17, byte 312`; undefined when the example is not traced.
 */
export function tracedSentence(issue: IssueWordsSource, example: IssueExample): string | undefined {
  const trace = exampleTrace(example);
  if (trace === undefined) return undefined;
  const where = example.path ?? issueWhere(issue);
  const what = issueWhat(issue);
  // a profile's message already starts with its element ("Patient.birthDate: requires …")
  const said = what.startsWith(`${where}: `) || what.startsWith(`${issue.location}: `);
  return `${said ? what : `${where}: ${what}`} — ${trace}, ${exampleRow(example)}`;
}
