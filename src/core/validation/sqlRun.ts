/**
 * The SQL engine's execution of a run's plan ({@link planRun}): each file loaded as a table, the
 * structure problems from the lines the engine rejected, the contract's checks as SQL with their
 * first failing rows and cells, every column's profile by the default profiler, then duplicate
 * keys, conflicting demographics and orphan references across files; {@link sqlReport} makes the
 * same `preflight.report/v1` the streaming engine makes. The engine ({@link SqlTables}) runs the
 * SQL (the CLI's PostgreSQL engine); this file decides what the report says, and lists issues, rows
 * and examples in the streaming engine's order so the two reports agree.
 *
 * Constraints:
 * - A file that is not text in its encoding is one fatal problem on it and nothing else (no table,
 *   no keys, no references into it), as the streaming engine reports it (refusedInput.ts).
 * - Values reach the report only as examples, duplicate keys and cells, never with `redact`; they
 *   never appear in an error's message.
 */

import type { Project } from '../../formats/project.ts';
import type {
  ColumnProfile,
  ConflictingRecords,
  DuplicateKey,
  IssueExample,
  Report,
  ReportInput,
  ReportIssue,
} from '../../formats/report.ts';
import {
  compareHeader,
  compilePlan,
  expectedHeaderOf,
  missingValuesOf,
  type PlanCheck,
  ruleOf,
  type ValidationPlan,
} from '../contract/index.ts';
import type { CsvLayout, TextDecodeError } from '../csv/index.ts';
import { createAccount } from '../readerAccount/index.ts';
import type { SqlCheck } from '../sql/index.ts';
import { reportProfile } from './buildReport.ts';
import { chosenDemographicsOf, savedMappingOf } from './checkSets.ts';
import { accountColumns } from './columnAccount.ts';
import type { ProfileState } from './columnProfile.ts';
import type { HeaderMismatch } from './headerChecks.ts';
import type { ColumnWords } from './issueWords.ts';
import { contractColumnWords } from './issueWords.ts';
import { MAX_DUPLICATE_GROUPS } from './keySet.ts';
import { refusedInputMessage, stoppedAtOf } from './refusedInput.ts';
import {
  assembleReport,
  createIssueList,
  type IssueList,
  layoutFields,
  type ReportBody,
} from './reportAssembly.ts';
import { reportValue } from './reportValue.ts';
import { ENGINE_RULES } from './rules/index.ts';
import type { RunContract, RunPlan } from './runPlan.ts';
import { UnknownColumnError } from './validateCsv.ts';

/** One rule × column count of an input, with its first failing rows. */
export interface SqlCheckResult extends SqlCheck {
  failing: number;
  rows: number[];
  /** the filled cells at `rows` */
  cells: Map<number, string>;
}

export interface SqlDuplicate {
  key: string;
  count: number;
  rows: number[];
}

export interface SqlOrphans {
  count: number;
  examples: { row: number; value: string }[];
}

/** A key whose records' demographic cells differ (compared with its first record). */
export interface SqlConflict {
  key: string;
  firstRow: number;
  /** per demographic column (in the order asked): the first later row that differs, or undefined */
  differs: (number | undefined)[];
}

/** A CSV line the engine rejected, for the report's structure issues. */
export interface SqlReject {
  line: number;
  /** byte position of the line's start, when the engine gives it */
  byte?: number;
  /** the engine's error type (e.g. TOO MANY COLUMNS), never the line's text */
  kind: string;
  /** the column the engine names (the first missing one) */
  column?: string;
  /** an extra cell's text (for the report's examples only) */
  value?: string;
}

/** The blank lines a loader skipped: their count, and the data row after each of the first ones. */
export interface SqlBlankLines {
  count: number;
  rows: readonly number[];
}

/** How to read a CSV file (what the default engine's sniffer found); absent: the engine's own sniffing. */
export interface SqlCsvLayout {
  delimiter?: string;
  quote?: string;
  /** the engine's name: utf-8, utf-16 or latin-1 */
  encoding?: string;
  /** the header's names: read as given, every column text */
  columns?: readonly string[];
  /** the record terminator the default engine's sniffer found */
  lineEnding?: '\r\n' | '\n' | '\r';
}

/** An SQL engine with one table per loaded input: what the run asks of it. */
export interface SqlTables {
  /** loads the run's file `file` (CSV or Parquet) as table `name`; returns its header */
  load(name: string, file: string, csv?: SqlCsvLayout): Promise<string[]>;
  /** an input with no records and the given columns (an empty file); returns no header */
  loadEmpty(name: string, columns: readonly string[]): Promise<string[]>;
  rejects(name: string): Promise<SqlReject[]>;
  /**
   * the blank lines of a file loaded from a CSV, which hold no record: how many, and the data row
   * after each of the first ones (none, or no method: the input had none, or was no CSV file)
   */
  blankLines?(name: string): Promise<SqlBlankLines | undefined>;
  /**
   * A loaded input checked where it lives: its records, blank records, the checks of a plan,
   * the failing records written out and every column's profile (see {@link SqlScanAsk}).
   */
  scan(name: string, ask: SqlScanAsk): Promise<SqlScan>;
  /**
   * The keys of `column` held by more than one record, by first row, and those of them whose
   * records' `demographics` differ. `missing`: texts of the column that mean "no value" (a
   * contract's missingValues): not keys, and empty as demographic cells.
   */
  keys(
    name: string,
    column: string,
    demographics: readonly string[],
    missing?: readonly string[],
  ): Promise<{
    duplicates: SqlDuplicate[];
    conflicts: SqlConflict[];
    /**
     * the keys held more than once and the records beyond each key's first, when `duplicates`
     * lists only the keys a report lists (an engine that counts where the rows are); absent:
     * `duplicates` is every such key
     */
    totals?: {
      keys: number;
      records: number;
      /** keys whose records' demographics differ (absent: those of `conflicts`) */
      conflictingKeys?: number;
    };
  }>;
  /** the columns of a loaded input (without the row number) */
  columns(name: string): Promise<string[]>;
  orphans(
    child: { table: string; column: string },
    parent: { table: string; column: string },
    /** texts of the child's column that mean "no value": not references */
    missing?: readonly string[],
  ): Promise<SqlOrphans>;
}

/** What one read of an input ({@link SqlTables.scan}) is asked. */
export interface SqlScanAsk {
  /** the input's columns in header order: each one profiled, and the cells of a failing record */
  columns: readonly string[];
  /** the plan every record is checked with (blank ones too), and the header it is compiled for */
  check?: { plan: ValidationPlan; header: readonly string[] };
  /** texts meaning "no value" (a contract's missingValues): profiled as empty cells */
  missing: readonly string[];
  /** failing records listed per check (default 20, the report's examples per issue) */
  examples?: number;
  /**
   * where the failing records (blank, or failing a check) are written as a CSV file of their
   * own, header first, in row order, every cell quoted
   */
  failing?: { target: string; layout: { delimiter: string; quote: string; lineEnding: string } };
}

/** What one read of an input found. */
export interface SqlScan {
  /** records (blank ones too), rows the engine rejected not counted */
  records: number;
  /** data rows whose every cell is empty (the first `blanks` of them, or all) */
  blankRows: number[];
  /** records whose every cell is empty, when `blankRows` lists only the first */
  blanks?: number;
  /** the checks over every record (the plan's, spaces before a quote): records not blank failing one, each check's */
  checked?: { invalid: number; checks: SqlCheckResult[] };
  /** the data row of each record written to `failing.target`, in order */
  failingRows?: Uint32Array;
  /** each column's profile, in the order asked, the one the default profiler makes */
  profiles: ProfileState[];
}

/** A file the SQL engine cannot check as asked (a blank or repeated column name, a column named that is not there). */
export class SqlRunError extends Error {
  override name = 'SqlRunError';
}

/**
 * What an SQL engine cannot do of a project's check sets is refused by name, never skipped: a
 * check set's saved mapping (the records it makes would go unchecked) and a layout without a
 * header row. `engine`: its name, and what to do instead (`check the CSV file with the default engine`).
 * @throws SqlRunError naming the file, its check set and what to do
 */
export function refuseUnrunnableOnSql(
  project: Project,
  plan: RunPlan,
  engine: { name: string; instead: string },
): void {
  for (const { bound: b } of plan.files) {
    const set = b?.binding.checkSet;
    if (!b || !set) continue;
    const mapping = savedMappingOf(project, set);
    if (mapping)
      throw new SqlRunError(
        `${b.file} is bound to the check set "${set.name}", whose saved mapping "${mapping.name}" also checks the records it makes; the ${engine.name} engine does not run mappings, so those records would not be checked: ${engine.instead} to check them`,
      );
    if (!b.layout.header)
      throw new SqlRunError(
        `${b.file} is bound to the check set "${set.name}", which reads it without a header row; the ${engine.name} engine needs one: ${engine.instead}`,
      );
  }
}

/** A CSV input as the default engine's reader found it: its layout, header and whether it is text. */
export interface SqlInputLayout {
  layout: CsvLayout;
  header: string[] | undefined;
  bytes: number;
  /** not text in its encoding: how far it was read */
  refused?: TextDecodeError;
}

/** One file's failing records, written out by the engine: the file, in row order, and their rows. */
export interface SqlFailingPart {
  /** the input, as named in the report */
  file: string;
  /** the CSV file the engine wrote: the header, then the failing records */
  target: string;
  /** the input's row of each record in `target` */
  rows: Uint32Array;
  layout: CsvLayout;
  /** the contract its rows were checked with (none when its header did not fit) */
  contract?: RunContract;
}

/** What {@link runSqlChecks} is asked. */
interface SqlRun {
  files: readonly string[];
  plan: RunPlan;
  /** each CSV input's layout (Parquet files have none) */
  layouts: ReadonlyMap<string, SqlInputLayout>;
  redact: boolean;
  continueOnHeaderMismatch: boolean;
  /** `--demographics`: the columns compared between records sharing a key */
  demographics?: string;
  /** whether a file's failing records are written out (for an export or waivers limited to rows) */
  wantsFailingRecords: (file: string) => boolean;
  /** where the i-th file's failing records are written */
  failingTarget: (index: number) => Promise<string>;
  /** failing records listed per check (default 20, the report's examples per issue) */
  examples?: number;
}

/** What a run found, before the report is made of it ({@link sqlReport}). */
export type SqlRunResult = ReportBody & {
  headerMismatches: HeaderMismatch[];
  failingParts: SqlFailingPart[];
};

/** The table name of the i-th input (never the file's name: names reach SQL only as quoted data). */
const tableOf = (index: number) => `input_${index}`;

/** What a report says of a CSV input's layout, as the default engine says it. */
function sniffedFields(sniffed: { layout: CsvLayout; bytes: number }): Partial<ReportInput> {
  return { bytes: sniffed.bytes, ...layoutFields({ ...sniffed.layout, header: true }) };
}

/** What the run's plan says of each file: its contract, its name in the report, its "no value" texts. */
interface RunFacts {
  run: SqlRun;
  contracts: ReadonlyMap<string, RunContract>;
  /** a contract's name in the report: its $id or title, else its name in the project or its file */
  schemaOf(file: string, read: RunContract): string | undefined;
  notCheckedOf: ReadonlyMap<string, readonly string[]>;
  /** a file's texts for "no value" (its Table Schema's missingValues): not keys, not references */
  missingOf(file: string): readonly string[];
}

/** What the run has found so far, file by file. */
interface RunTally {
  issues: IssueList;
  inputs: ReportInput[];
  profiles: ColumnProfile[];
  /** headers that do not fit their contracts, compared before any row (as the default engine does) */
  headerMismatches: HeaderMismatch[];
  /** with --failing-rows: each file's failing records as the engine wrote them out */
  failingParts: SqlFailingPart[];
  /**
   * inputs that are not text: no table, so no keys, and no references into them (every one would
   * look like an orphan); the default engine leaves them out the same way
   */
  refusedFiles: Set<string>;
  summary: Report['summary'];
  several: boolean;
}

/** One file of the run: its place, name and what the default engine's reader found of it. */
interface RunFile {
  index: number;
  file: string;
  sniffed: SqlInputLayout | undefined;
  /** its contract's own words for its columns */
  words: Record<string, ColumnWords>;
}

/** An issue of `rule` (one of the engine's own rules) on `where` of a file, as the default engine words it. */
function engineIssue(
  tally: RunTally,
  at: RunFile,
  rule: (typeof ENGINE_RULES)[keyof typeof ENGINE_RULES],
  location: string,
  message: string = rule.message,
): ReportIssue {
  return tally.issues.of(
    at.index,
    rule.id,
    location,
    () => ({ rule: rule.id, severity: rule.severity, code: rule.code, location, message }),
    at.words,
  );
}

/** Executes a run's plan on an SQL engine (see the file header). */
export async function runSqlChecks(tables: SqlTables, run: SqlRun): Promise<SqlRunResult> {
  const { plan, files } = run;
  const contracts = new Map(
    plan.files.flatMap((f) => (f.contract ? [[f.file, f.contract.read] as const] : [])),
  );
  const facts: RunFacts = {
    run,
    contracts,
    schemaOf: (file, read) =>
      compilePlan(read.contract).contract ?? plan.files.find((f) => f.file === file)?.contract?.id,
    notCheckedOf: new Map(
      plan.files.flatMap((f) => (f.notChecked.length > 0 ? [[f.file, f.notChecked] as const] : [])),
    ),
    missingOf: (file) => {
      const planned = contracts.get(file);
      return planned ? missingValuesOf(planned.contract) : [];
    },
  };
  const tally: RunTally = {
    issues: createIssueList(run.redact),
    inputs: [],
    profiles: [],
    headerMismatches: [],
    failingParts: [],
    refusedFiles: new Set(),
    summary: { records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 },
    several: files.length > 1,
  };
  for (const [index, file] of files.entries()) {
    const contracted = contracts.get(file);
    const at: RunFile = {
      index,
      file,
      sniffed: run.layouts.get(file),
      words: contracted ? contractColumnWords(contracted.contract) : {},
    };
    if (at.sniffed?.refused) tallyRefused(facts, tally, at, at.sniffed.refused);
    else await tallyTable(tables, facts, tally, at);
  }
  return {
    inputs: tally.inputs,
    summary: tally.summary,
    // in the order met: the report lists them in its order (reportAssembly.ts)
    issues: tally.issues.issues(),
    profiles: tally.profiles,
    crossFile: await crossFileOf(tables, facts, tally.refusedFiles),
    headerMismatches: tally.headerMismatches,
    failingParts: tally.failingParts,
  };
}

/**
 * A file that is not text (or not in its encoding): one fatal problem on the file, nothing else of
 * it — no rows, profiles or keys — as the default engine reports it (refusedInput.ts).
 */
function tallyRefused(facts: RunFacts, tally: RunTally, at: RunFile, refused: TextDecodeError): void {
  const { file, sniffed } = at;
  const read = facts.contracts.get(file);
  const comparison =
    read && sniffed?.header !== undefined && sniffed.bytes > 0
      ? compareHeader(expectedHeaderOf(read.contract), sniffed.header)
      : undefined;
  if (comparison && comparison.problems.length > 0)
    tally.headerMismatches.push({
      input: file,
      comparison,
      rowsChecked: comparison.fits || facts.run.continueOnHeaderMismatch,
    });
  const rule = refused.binary ? ENGINE_RULES.notText : ENGINE_RULES.notInEncoding;
  const issue = engineIssue(tally, at, rule, '', refusedInputMessage(file, refused));
  issue.count++;
  tally.summary.errors++;
  issue.examples.push(tally.several ? { input: file } : {});
  const input: ReportInput = {
    name: file,
    kind: 'csv',
    ...(sniffed ? sniffedFields(sniffed) : {}),
    records: 0,
    valid: 0,
    invalid: 0,
    stoppedAt: stoppedAtOf(refused),
  };
  if (read) input.schema = facts.schemaOf(file, read);
  const notChecked = facts.notCheckedOf.get(file);
  if (notChecked) input.notChecked = [...notChecked];
  tally.inputs.push(input);
  tally.refusedFiles.add(file);
}

/** How the engine is to read a CSV file: the default engine's sniffed layout and header. */
function csvLayoutOf(file: string, sniffed: SqlInputLayout | undefined): SqlCsvLayout | undefined {
  if (!sniffed) return undefined;
  const names = sniffed.header ?? [];
  if (new Set(names).size !== names.length || names.some((h) => h === ''))
    throw new SqlRunError(
      `"${file}" has a blank or repeated column name in its header: use the default engine`,
    );
  return {
    delimiter: sniffed.layout.delimiter,
    quote: sniffed.layout.quote,
    encoding: 'utf-8',
    columns: names,
    lineEnding: sniffed.layout.lineEnding,
  };
}

/** One file loaded as a table and read once: its records, checks, failing records and profiles. */
async function tallyTable(tables: SqlTables, facts: RunFacts, tally: RunTally, at: RunFile): Promise<void> {
  const { run, contracts } = facts;
  const { plan: runPlan } = run;
  const { index, file, sniffed } = at;
  const table = tableOf(index);
  const csv = csvLayoutOf(file, sniffed);
  // an empty file (no header, no rows): an empty table with the columns keys and links name,
  // so a reference into it finds no record, as with the default engine
  const empty = sniffed !== undefined && (sniffed.header ?? []).length === 0;
  const named = [
    ...runPlan.keys.filter((k) => k.file === undefined || k.file === file).map((k) => k.column),
    ...runPlan.links.filter((l) => l.input === file).map((l) => l.column),
    ...runPlan.links.filter((l) => l.target === file).map((l) => l.targetColumn),
  ];
  const header = empty ? await tables.loadEmpty(table, named) : await tables.load(table, file, csv);
  const read = contracts.get(file);
  const comparison = read && !empty ? compareHeader(expectedHeaderOf(read.contract), header) : undefined;
  const rowsChecked = comparison === undefined || comparison.fits || run.continueOnHeaderMismatch;
  const checkedWith = read && rowsChecked && !empty ? read : undefined;
  const plan = checkedWith ? compilePlan(checkedWith.contract) : undefined;
  // the failing records, written out by the engine for the export (see exportFailingRows) and for
  // counting the waivers limited to rows of this file (see countRowWaivers)
  const failingLayout: CsvLayout = {
    encoding: 'utf-8',
    delimiter: sniffed?.layout.delimiter ?? ',',
    quote: sniffed?.layout.quote ?? '"',
    header: true,
    lineEnding: sniffed?.layout.lineEnding ?? '\n',
  };
  const target = run.wantsFailingRecords(file) && !empty ? await run.failingTarget(index) : undefined;
  const scanned = await tables.scan(table, {
    columns: empty ? [] : header,
    ...(plan ? { check: { plan, header } } : {}),
    missing: facts.missingOf(file),
    ...(run.examples === undefined ? {} : { examples: run.examples }),
    ...(target === undefined ? {} : { failing: { target, layout: failingLayout } }),
  });
  const rejects = await tables.rejects(table);
  const rejectedRows = new Set(rejects.map((r) => r.line - 1));
  const input: ReportInput = { name: file, kind: 'csv', records: scanned.records + rejectedRows.size };
  if (sniffed) Object.assign(input, sniffedFields(sniffed));
  tallyRejects(tally, at, rejects, header.length);
  tallyBlankLines(tally, at, await tables.blankLines?.(table));
  const blanks = tallyBlanks(tally, at, scanned);
  if (input.records === 0) {
    // no records (an empty file, or only a header): the default engine's warning, so a failed
    // export is not a pass
    const issue = engineIssue(tally, at, empty ? ENGINE_RULES.emptyFile : ENGINE_RULES.noRecords, '');
    issue.count++;
    tally.summary.warnings++;
    issue.examples.push(tally.several ? { input: file } : {});
  }
  let invalid = rejectedRows.size + blanks;
  if (comparison && comparison.problems.length > 0)
    tally.headerMismatches.push({ input: file, comparison, rowsChecked });
  if (read) input.schema = facts.schemaOf(file, read);
  if (scanned.checked) {
    invalid += scanned.checked.invalid;
    tallyChecks(facts, tally, at, plan, scanned.checked.checks);
  }
  if (target !== undefined)
    tally.failingParts.push({
      file,
      target,
      rows: scanned.failingRows ?? new Uint32Array(0),
      layout: failingLayout,
      ...(checkedWith ? { contract: checkedWith } : {}),
    });
  // every column's profile, as the default engine's profiler makes it
  for (const state of scanned.profiles) tally.profiles.push(reportProfile(file, state, run.redact));
  input.invalid = invalid;
  input.valid = input.records - invalid;
  const notChecked = facts.notCheckedOf.get(file);
  if (notChecked) input.notChecked = [...notChecked];
  // every column of the header used or said not checked, as the default engine accounts for them
  const account = createAccount('csv');
  accountColumns(header, { ...(plan ? { plan } : {}), keys: named }, account);
  const notRead = account.finish().lines;
  if (notRead.length > 0) input.notRead = notRead;
  tally.summary.records += input.records;
  tally.summary.invalid += invalid;
  tally.summary.valid += input.valid;
  tally.inputs.push(input);
}

/**
 * The lines the engine rejected, each a structure problem of its record, located as the default
 * engine locates it (an extra cell by its column number, a missing one by its column).
 * `columns`: the header's length.
 */
function tallyRejects(tally: RunTally, at: RunFile, rejects: readonly SqlReject[], columns: number): void {
  let extraOfLine = { line: 0, k: 0 };
  // each issue's records: a line counted once per issue (its rejects come in line order)
  const lastLineOf = new Map<object, number>();
  for (const reject of rejects) {
    let rule: (typeof ENGINE_RULES)[keyof typeof ENGINE_RULES] = ENGINE_RULES.unterminatedQuote;
    let location = '';
    const example: IssueExample = { row: reject.line - 1 };
    let value: string | undefined;
    if (reject.kind === 'TOO MANY COLUMNS') {
      rule = ENGINE_RULES.extraCells;
      extraOfLine =
        extraOfLine.line === reject.line
          ? { line: reject.line, k: extraOfLine.k + 1 }
          : { line: reject.line, k: 1 };
      location = `column ${columns + extraOfLine.k}`;
      value = reject.value;
    } else if (reject.kind === 'MISSING COLUMNS') {
      rule = ENGINE_RULES.missingCells;
      location = reject.column ?? '';
      if (reject.column !== undefined) example.column = reject.column;
    } else {
      if (reject.kind === 'UNQUOTED VALUE') rule = ENGINE_RULES.malformedQuotes;
      // a problem the default engine's reader found (no byte) is its record's, as it reports it
      if (reject.byte !== undefined) example.column = `line ${reject.line}, byte ${reject.byte}`;
    }
    const issue = engineIssue(tally, at, rule, location);
    issue.count++;
    tally.summary.errors++;
    if (lastLineOf.get(issue) !== reject.line) {
      lastLineOf.set(issue, reject.line);
      issue.records = (issue.records ?? 0) + 1;
    }
    if (tally.several) example.input = at.file;
    tally.issues.example(issue, example, value);
  }
}

/** The blank lines of a file (no record), each a warning before its next row, as the default engine's reader says. */
function tallyBlankLines(tally: RunTally, at: RunFile, lines: SqlBlankLines | undefined): void {
  if (lines === undefined || lines.count === 0) return;
  const rule = ENGINE_RULES.blankLine;
  const issue = engineIssue(tally, at, rule, '');
  issue.count += lines.count;
  if (rule.severity === 'error') tally.summary.errors += lines.count;
  else tally.summary.warnings += lines.count;
  for (const row of lines.rows)
    tally.issues.example(issue, tally.several ? { row, input: at.file } : { row });
}

/** The blank records of a file (every cell empty): counted, with their first rows. Returns their count. */
function tallyBlanks(tally: RunTally, at: RunFile, scanned: SqlScan): number {
  const blanks = scanned.blanks ?? scanned.blankRows.length;
  if (blanks === 0) return 0;
  const rule = ENGINE_RULES.blankRow;
  const issue = engineIssue(tally, at, rule, '');
  issue.count += blanks;
  // one blank-row problem per record: its records are its count, as an error's are reported
  if (rule.severity === 'error') {
    tally.summary.errors += blanks;
    issue.records = (issue.records ?? 0) + blanks;
  } else tally.summary.warnings += blanks;
  for (const row of scanned.blankRows)
    tally.issues.example(issue, tally.several ? { row, input: at.file } : { row });
  return blanks;
}

/**
 * The checks that failed on a file (the contract's, and cells with spaces before a quote): each
 * one's count, records and first failing cells.
 */
function tallyChecks(
  facts: RunFacts,
  tally: RunTally,
  at: RunFile,
  plan: ValidationPlan | undefined,
  results: readonly SqlCheckResult[],
): void {
  const checksByColumn = new Map((plan?.columns ?? []).map((c) => [c.column, c.checks]));
  const missing = facts.missingOf(at.file);
  for (const result of results) {
    if (result.failing === 0) continue;
    const check = (checksByColumn.get(result.column) ?? []).find((c) => ruleOf(c.kind).id === result.rule);
    const issue =
      result.rule === ENGINE_RULES.spaceBeforeQuote.id
        ? engineIssue(tally, at, ENGINE_RULES.spaceBeforeQuote, result.column)
        : tally.issues.of(
            at.index,
            result.rule,
            result.column,
            () => checkIssueFields(result, check),
            at.words,
          );
    issue.count += result.failing;
    // one failure per record and column: the records are the failures
    issue.records = (issue.records ?? 0) + result.failing;
    tally.summary.errors += result.failing;
    for (const row of result.rows) {
      const example: IssueExample = { row, column: result.column };
      if (tally.several) example.input = at.file;
      const value = result.cells.get(row);
      // a text meaning "no value" is an empty cell: no value to show, as with the default engine
      tally.issues.example(
        issue,
        example,
        value !== undefined && !missing.includes(value) ? value : undefined,
      );
    }
  }
}

/** How the report names a failed check: the plan's rule, or a row rule the plan does not list. */
function checkIssueFields(
  result: SqlCheckResult,
  check: PlanCheck | undefined,
): Omit<ReportIssue, 'count' | 'examples'> {
  if (check) {
    const rule = ruleOf(check.kind);
    return {
      rule: rule.id,
      severity: rule.severity,
      code: rule.code,
      location: result.column,
      message: rule.message(check as never),
    };
  }
  const base =
    result.rule === 'contract.required'
      ? { code: 'required', message: 'is required but empty' }
      : { code: 'structure', message: 'is not a column of the contract, but the cell is filled' };
  return {
    rule: result.rule,
    severity: 'error',
    code: base.code,
    location: result.column,
    message: base.message,
  };
}

/** Cross-file: duplicate keys per key column, orphan references per link. */
async function crossFileOf(
  tables: SqlTables,
  facts: RunFacts,
  refusedFiles: ReadonlySet<string>,
): Promise<Report['crossFile']> {
  const { run } = facts;
  const { files } = run;
  const { keys, links } = run.plan;
  const crossFile: Required<Report['crossFile']> = {
    duplicateKeys: [],
    orphanReferences: [],
    conflictingRecords: [],
    duplicateTotals: [],
  };
  const keyed = new Set<string>();
  for (const key of keys) {
    for (const [index, file] of files.entries()) {
      if ((key.file !== undefined && key.file !== file) || refusedFiles.has(file)) continue;
      const id = `${file}\u0000${key.column}`;
      if (keyed.has(id)) continue;
      keyed.add(id);
      await tallyKey(tables, facts, crossFile, { index, file, column: key.column });
    }
  }
  for (const link of links) {
    if (refusedFiles.has(link.input) || refusedFiles.has(link.target)) continue;
    const child = { table: tableOf(files.indexOf(link.input)), column: link.column };
    const parent = { table: tableOf(files.indexOf(link.target)), column: link.targetColumn };
    for (const [side, file] of [
      [child, link.input],
      [parent, link.target],
    ] as const) {
      if (!(await tables.columns(side.table)).includes(side.column))
        throw new SqlRunError(`${file} has no column "${side.column}" (named in --references) in its header`);
    }
    const found = await tables.orphans(child, parent, facts.missingOf(link.input));
    if (found.count === 0) continue;
    crossFile.orphanReferences.push({
      input: link.input,
      column: link.column,
      target: `${link.target}#${link.targetColumn}`,
      count: found.count,
      examples: found.examples.map((e) =>
        run.redact
          ? { row: e.row, column: link.column }
          : { row: e.row, column: link.column, value: e.value },
      ),
    });
  }
  return crossFile;
}

/**
 * The demographic columns compared for a key: --demographics, else those chosen in the app for
 * the file's check set, else the usual names the file has.
 */
function demographicsOf(run: SqlRun, columns: readonly string[], file: string, column: string): string[] {
  if (run.demographics === undefined)
    return chosenDemographicsOf(columns, column, run.plan.savedDemographics.get(file));
  const named = run.demographics
    .split(',')
    .map((d) => d.trim())
    .slice(0, 4);
  for (const d of named)
    if (!columns.includes(d)) throw new UnknownColumnError(file, d, 'a demographic column');
  return named;
}

/** One key column of a file: its repeated keys and conflicting demographics, from one count of the keys. */
async function tallyKey(
  tables: SqlTables,
  facts: RunFacts,
  crossFile: Required<Report['crossFile']>,
  { index, file, column }: { index: number; file: string; column: string },
): Promise<void> {
  const { run } = facts;
  const columns = await tables.columns(tableOf(index));
  if (!columns.includes(column)) throw new UnknownColumnError(file, column, 'a key');
  const demographics = demographicsOf(run, columns, file, column);
  const held = await tables.keys(tableOf(index), column, demographics, facts.missingOf(file));
  const groups = held.duplicates;
  if (groups.length === 0) return;
  // each later record of a key compared with its first: the columns that differ, in the order
  // the records that differ come (as the default engine lists them)
  const conflicts = new Map<string, string[]>();
  if (demographics.length > 0) {
    for (const conflict of held.conflicts) {
      const differing = conflict.differs
        .flatMap((row, i) => (row === undefined ? [] : [{ row, column: demographics[i] as string }]))
        .sort((a, b) => a.row - b.row)
        .map((c) => c.column);
      conflicts.set(conflict.key, differing);
    }
  }
  crossFile.duplicateTotals.push({
    input: file,
    column,
    keys: held.totals?.keys ?? groups.length,
    records: held.totals?.records ?? groups.reduce((n, g) => n + g.count - 1, 0),
    conflictingKeys: held.totals?.conflictingKeys ?? conflicts.size,
  });
  for (const group of listedGroups(groups)) {
    const duplicate: DuplicateKey = { input: file, column, count: group.count, rows: group.rows };
    if (!run.redact) duplicate.key = reportValue(group.key);
    crossFile.duplicateKeys.push(duplicate);
    const differing = conflicts.get(group.key);
    if (differing) {
      const conflict: ConflictingRecords = {
        input: file,
        column,
        count: group.count,
        rows: group.rows,
        columns: differing,
      };
      if (!run.redact) conflict.key = reportValue(group.key);
      crossFile.conflictingRecords.push(conflict);
    }
  }
}

/**
 * The duplicate keys a report lists, as the default engine lists them (keySet.ts, keySpill.ts):
 * the {@link MAX_DUPLICATE_GROUPS} keys whose first repeat comes first, in the order of their
 * first rows. `groups` come by first row.
 */
function listedGroups(groups: readonly SqlDuplicate[]): readonly SqlDuplicate[] {
  if (groups.length <= MAX_DUPLICATE_GROUPS) return groups;
  const repeat = (g: SqlDuplicate) => g.rows[1] as number;
  const cutoff = groups.map(repeat).sort((a, b) => a - b)[MAX_DUPLICATE_GROUPS - 1] as number;
  // rows are unique, so no two keys share a first repeat
  return groups.filter((g) => repeat(g) <= cutoff);
}

/**
 * The report of an SQL run, with each input's fingerprint and the run's times: put together by
 * the one report assembly every engine shares (reportAssembly.ts).
 */
export function sqlReport(
  result: SqlRunResult,
  meta: {
    sha256: Readonly<Record<string, string | undefined>>;
    generatedAt: string;
    startedAt: string;
    totalMs: number;
    toolVersion: string;
    redact: boolean;
    /** the engine that ran the SQL */
    engine: 'postgres' | 'trino' | 'snowflake' | 'databricks';
  },
): Report {
  const { inputs } = result;
  for (const input of inputs) {
    const sha256 = meta.sha256[input.name];
    if (sha256) input.sha256 = sha256;
  }
  const names = new Set(inputs.map((i) => i.schema));
  const schema = [...names][0];
  const target: Report['target'] | undefined =
    names.size === 1 && schema !== undefined ? { type: 'schema', schema } : undefined;
  return assembleReport(result, {
    generatedAt: meta.generatedAt,
    startedAt: meta.startedAt,
    totalMs: meta.totalMs,
    toolVersion: meta.toolVersion,
    redact: meta.redact,
    engine: meta.engine,
    ...(target ? { target } : {}),
  });
}
