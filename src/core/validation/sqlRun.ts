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
import {
  type ColumnProfile,
  type ConflictingRecords,
  type DuplicateKey,
  type IssueExample,
  type OrphanReference,
  REPORT_FORMAT,
  type Report,
  type ReportInput,
  type ReportIssue,
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
  /** the plan the records that are not blank are checked with, and the header it is compiled for */
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
  /** the plan's checks over the records that are not blank: those failing one, and each check's */
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
export type SqlRunResult = Pick<Report, 'inputs' | 'summary' | 'issues' | 'profiles' | 'crossFile'> & {
  headerMismatches: HeaderMismatch[];
  failingParts: SqlFailingPart[];
};

/** Examples kept per issue (as the default engine keeps). */
const EXAMPLES = 20;

/** Severity order for listing issues (as the default engine's report lists them). */
const SEVERITY_ORDER = { fatal: 0, error: 1, warning: 2, information: 3 } as const;

/** The table name of the i-th input (never the file's name: names reach SQL only as quoted data). */
const tableOf = (index: number) => `input_${index}`;

/** What a report says of a CSV input's layout, as the default engine says it. */
function layoutFields(sniffed: { layout: CsvLayout; bytes: number }): Partial<ReportInput> {
  return {
    bytes: sniffed.bytes,
    encoding: sniffed.layout.encoding,
    delimiter: sniffed.layout.delimiter,
    quote: sniffed.layout.quote,
    lineEnding: ({ '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR' } as const)[sniffed.layout.lineEnding],
    header: true,
  };
}

/** Executes a run's plan on an SQL engine (see the file header). */
export async function runSqlChecks(tables: SqlTables, run: SqlRun): Promise<SqlRunResult> {
  const { plan, files } = run;
  const { keys, links } = plan;
  const contracts = new Map(
    plan.files.flatMap((f) => (f.contract ? [[f.file, f.contract.read] as const] : [])),
  );
  // a contract's name in the report: its $id or title, else its name in the project or its file
  const schemaOf = (file: string, read: RunContract) =>
    compilePlan(read.contract).contract ?? plan.files.find((f) => f.file === file)?.contract?.id;
  const notCheckedOf = new Map(
    plan.files.flatMap((f) => (f.notChecked.length > 0 ? [[f.file, f.notChecked] as const] : [])),
  );
  // a file's texts for "no value" (its Table Schema's missingValues): not keys, not references
  const missingOf = (file: string) => {
    const planned = contracts.get(file);
    return planned ? missingValuesOf(planned.contract) : [];
  };
  const inputs: ReportInput[] = [];
  const profiles: ColumnProfile[] = [];
  // headers that do not fit their contracts, compared before any row (as the default engine does)
  const headerMismatches: HeaderMismatch[] = [];
  const issues = new Map<string, ReportIssue>();
  const several = files.length > 1;
  const summary = { records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
  let wordsOfFile: Record<string, ColumnWords> = {};
  let fileIndex = 0;
  // with --failing-rows: each file's failing records as the engine wrote them out
  const failingParts: SqlFailingPart[] = [];
  // inputs that are not text: no table, so no keys, and no references into them (every one
  // would look like an orphan); the default engine leaves them out the same way
  const refusedFiles = new Set<string>();
  // one issue per file, rule and place, as the default engine lists them: the same rule on the
  // same column of two files is two issues, each with its own count and examples
  const issueOf = (rule: string, column: string, make: () => Omit<ReportIssue, 'count' | 'examples'>) => {
    const id = `${fileIndex}\u0000${rule}\u0000${column}`;
    let issue = issues.get(id);
    if (!issue) {
      issue = { ...make(), count: 0, examples: [] };
      // the contract's own title and description of the column, as the default engine words it
      const words = column === '' ? undefined : wordsOfFile[column];
      if (words?.title !== undefined) issue.title = words.title;
      if (words?.description !== undefined) issue.description = words.description;
      issues.set(id, issue);
    }
    return issue;
  };
  for (const [index, file] of files.entries()) {
    fileIndex = index;
    const table = tableOf(index);
    const contracted = contracts.get(file);
    wordsOfFile = contracted ? contractColumnWords(contracted.contract) : {};
    const sniffed = run.layouts.get(file);
    if (sniffed?.refused) {
      // not text (or not in its encoding): one fatal problem on the file, nothing else of it —
      // no rows, profiles or keys — as the default engine reports it (refusedInput.ts)
      const read = contracts.get(file);
      const comparison =
        read && sniffed.header !== undefined && sniffed.bytes > 0
          ? compareHeader(expectedHeaderOf(read.contract), sniffed.header)
          : undefined;
      if (comparison && comparison.problems.length > 0)
        headerMismatches.push({
          input: file,
          comparison,
          rowsChecked: comparison.fits || run.continueOnHeaderMismatch,
        });
      const rule = sniffed.refused.binary ? ENGINE_RULES.notText : ENGINE_RULES.notInEncoding;
      const issue = issueOf(rule.id, '', () => ({
        rule: rule.id,
        severity: rule.severity,
        code: rule.code,
        location: '',
        message: refusedInputMessage(file, sniffed.refused as TextDecodeError),
      }));
      issue.count++;
      summary.errors++;
      issue.examples.push(several ? { input: file } : {});
      const input: ReportInput = {
        name: file,
        kind: 'csv',
        ...layoutFields(sniffed),
        records: 0,
        valid: 0,
        invalid: 0,
        stoppedAt: stoppedAtOf(sniffed.refused),
      };
      if (read) input.schema = schemaOf(file, read);
      const notChecked = notCheckedOf.get(file);
      if (notChecked) input.notChecked = notChecked;
      inputs.push(input);
      refusedFiles.add(file);
      continue;
    }
    let csv: SqlCsvLayout | undefined;
    if (sniffed) {
      const names = sniffed.header ?? [];
      if (new Set(names).size !== names.length || names.some((h) => h === ''))
        throw new SqlRunError(
          `"${file}" has a blank or repeated column name in its header: use the default engine`,
        );
      csv = {
        delimiter: sniffed.layout.delimiter,
        quote: sniffed.layout.quote,
        encoding: 'utf-8',
        columns: names,
        lineEnding: sniffed.layout.lineEnding,
      };
    }
    // an empty file (no header, no rows): an empty table with the columns keys and links name,
    // so a reference into it finds no record, as with the default engine
    const empty = sniffed !== undefined && (sniffed.header ?? []).length === 0;
    const named = [
      ...keys.filter((k) => k.file === undefined || k.file === file).map((k) => k.column),
      ...links.filter((l) => l.input === file).map((l) => l.column),
      ...links.filter((l) => l.target === file).map((l) => l.targetColumn),
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
    // one read of the input: its records, the checks, the failing records and the profiles
    const scanned = await tables.scan(table, {
      columns: empty ? [] : header,
      ...(plan ? { check: { plan, header } } : {}),
      missing: missingOf(file),
      ...(run.examples === undefined ? {} : { examples: run.examples }),
      ...(target === undefined ? {} : { failing: { target, layout: failingLayout } }),
    });
    const accepted = scanned.records;
    const rejects = await tables.rejects(table);
    const rejectedRows = new Set(rejects.map((r) => r.line - 1));
    const input: ReportInput = { name: file, kind: 'csv', records: accepted + rejectedRows.size };
    if (sniffed) Object.assign(input, layoutFields(sniffed));
    // a line the engine rejected is a structure problem of its record; located as the default
    // engine locates it (an extra cell by its column number, a missing one by its column)
    let extraOfLine = { line: 0, k: 0 };
    // each issue's records: a line counted once per issue (its rejects come in line order)
    const lastLineOf = new Map<object, number>();
    for (const reject of rejects) {
      let rule: (typeof ENGINE_RULES)[keyof typeof ENGINE_RULES] = ENGINE_RULES.unterminatedQuote;
      let location = '';
      const example: IssueExample = { row: reject.line - 1 };
      if (reject.kind === 'TOO MANY COLUMNS') {
        rule = ENGINE_RULES.extraCells;
        extraOfLine =
          extraOfLine.line === reject.line
            ? { line: reject.line, k: extraOfLine.k + 1 }
            : { line: reject.line, k: 1 };
        location = `column ${header.length + extraOfLine.k}`;
        if (!run.redact && reject.value !== undefined) example.value = reportValue(reject.value);
      } else if (reject.kind === 'MISSING COLUMNS') {
        rule = ENGINE_RULES.missingCells;
        location = reject.column ?? '';
        if (reject.column !== undefined) example.column = reject.column;
      } else {
        if (reject.kind === 'UNQUOTED VALUE') rule = ENGINE_RULES.malformedQuotes;
        // a problem the default engine's reader found (no byte) is its record's, as it reports it
        if (reject.byte !== undefined) example.column = `line ${reject.line}, byte ${reject.byte}`;
      }
      const issue = issueOf(rule.id, location, () => ({
        rule: rule.id,
        severity: rule.severity,
        code: rule.code,
        location,
        message: rule.message,
      }));
      issue.count++;
      summary.errors++;
      if (lastLineOf.get(issue) !== reject.line) {
        lastLineOf.set(issue, reject.line);
        issue.records = (issue.records ?? 0) + 1;
      }
      if (several) example.input = file;
      if (issue.examples.length < EXAMPLES) issue.examples.push(example);
    }
    const { blankRows } = scanned;
    const blanks = scanned.blanks ?? blankRows.length;
    if (blanks > 0) {
      const rule = ENGINE_RULES.blankRow;
      const issue = issueOf(rule.id, '', () => ({
        rule: rule.id,
        severity: rule.severity,
        code: rule.code,
        location: '',
        message: rule.message,
      }));
      issue.count += blanks;
      if (rule.severity === 'error') summary.errors += blanks;
      else summary.warnings += blanks;
      for (const row of blankRows) {
        const example: IssueExample = { row };
        if (several) example.input = file;
        if (issue.examples.length < EXAMPLES) issue.examples.push(example);
      }
    }
    if (input.records === 0) {
      // no records (an empty file, or only a header): the default engine's warning, so a failed
      // export is not a pass
      const rule = empty ? ENGINE_RULES.emptyFile : ENGINE_RULES.noRecords;
      const issue = issueOf(rule.id, '', () => ({
        rule: rule.id,
        severity: rule.severity,
        code: rule.code,
        location: '',
        message: rule.message,
      }));
      issue.count++;
      summary.warnings++;
      issue.examples.push(several ? { input: file } : {});
    }
    let invalid = rejectedRows.size + blanks;
    if (comparison && comparison.problems.length > 0)
      headerMismatches.push({ input: file, comparison, rowsChecked });
    if (read) input.schema = schemaOf(file, read);
    const { checked } = scanned;
    if (plan && checked) {
      invalid += checked.invalid;
      const checksByColumn = new Map(plan.columns.map((c) => [c.column, c.checks]));
      for (const result of checked.checks) {
        if (result.failing === 0) continue;
        const check = (checksByColumn.get(result.column) ?? []).find(
          (c) => ruleOf(c.kind).id === result.rule,
        );
        const issue = issueOf(result.rule, result.column, () => {
          if (check) {
            const rule = ruleOf(check.kind);
            return {
              rule: rule.id,
              severity: rule.severity,
              code: rule.code,
              location: result.column,
              message: rule.message(check as PlanCheck as never),
            };
          }
          const row = result.rule === 'contract.required' ? 'required' : 'additionalProperties';
          const base = {
            required: { code: 'required', message: 'is required but empty' },
            additionalProperties: {
              code: 'structure',
              message: 'is not a column of the contract, but the cell is filled',
            },
          }[row];
          return {
            rule: result.rule,
            severity: 'error',
            code: base.code,
            location: result.column,
            message: base.message,
          };
        });
        issue.count += result.failing;
        // one failure per record and column: the records are the failures
        issue.records = (issue.records ?? 0) + result.failing;
        summary.errors += result.failing;
        const values = result.cells;
        for (const row of result.rows) {
          if (issue.examples.length >= EXAMPLES) break;
          const example: IssueExample = { row, column: result.column };
          if (several) example.input = file;
          const value = values.get(row);
          // a text meaning "no value" is an empty cell: no value to show, as with the default engine
          const shown = value !== undefined && !missingOf(file).includes(value);
          if (!run.redact && shown) example.value = reportValue(value);
          issue.examples.push(example);
        }
      }
    }
    if (target !== undefined)
      failingParts.push({
        file,
        target,
        rows: scanned.failingRows ?? new Uint32Array(0),
        layout: failingLayout,
        ...(checkedWith ? { contract: checkedWith } : {}),
      });
    // every column's profile, as the default engine's profiler makes it
    for (const state of scanned.profiles) profiles.push(reportProfile(file, state, run.redact));
    input.invalid = invalid;
    input.valid = input.records - invalid;
    const notChecked = notCheckedOf.get(file);
    if (notChecked) input.notChecked = notChecked;
    // every column of the header used or said not checked, as the default engine accounts for them
    const account = createAccount('csv');
    accountColumns(header, { ...(plan ? { plan } : {}), keys: named }, account);
    const notRead = account.finish().lines;
    if (notRead.length > 0) input.notRead = notRead;
    summary.records += input.records;
    summary.invalid += invalid;
    summary.valid += input.valid;
    inputs.push(input);
  }

  // cross-file: duplicate keys per key column, orphan references per link
  // the demographic columns compared for a key: --demographics, else those chosen in the app for
  // the file's check set, else the usual names the file has
  const demographicsOption = run.demographics;
  const { savedDemographics } = plan;
  const demographicsOf = (columns: readonly string[], file: string, column: string) => {
    if (demographicsOption === undefined)
      return chosenDemographicsOf(columns, column, savedDemographics.get(file));
    const named = demographicsOption
      .split(',')
      .map((d) => d.trim())
      .slice(0, 4);
    for (const d of named)
      if (!columns.includes(d)) throw new UnknownColumnError(file, d, 'a demographic column');
    return named;
  };
  const duplicateKeys: DuplicateKey[] = [];
  const conflictingRecords: ConflictingRecords[] = [];
  const duplicateTotals: NonNullable<Report['crossFile']['duplicateTotals']> = [];
  const keyed = new Set<string>();
  for (const key of keys) {
    for (const [index, file] of files.entries()) {
      if ((key.file !== undefined && key.file !== file) || refusedFiles.has(file)) continue;
      const id = `${file}\u0000${key.column}`;
      if (keyed.has(id)) continue;
      keyed.add(id);
      if (!(await tables.columns(tableOf(index))).includes(key.column))
        throw new UnknownColumnError(file, key.column, 'a key');
      const demographics = demographicsOf(await tables.columns(tableOf(index)), file, key.column);
      // duplicate keys and conflicting demographics from one count of the keys
      const held = await tables.keys(tableOf(index), key.column, demographics, missingOf(file));
      const groups = held.duplicates;
      if (groups.length === 0) continue;
      // each later record of a key compared with its first: the columns that differ, in the
      // order the records that differ come (as the default engine lists them)
      const conflicts = new Map<string, string[]>();
      if (demographics.length > 0) {
        for (const conflict of held.conflicts) {
          const columns = conflict.differs
            .flatMap((row, i) => (row === undefined ? [] : [{ row, column: demographics[i] as string }]))
            .sort((a, b) => a.row - b.row)
            .map((c) => c.column);
          conflicts.set(conflict.key, columns);
        }
      }
      duplicateTotals.push({
        input: file,
        column: key.column,
        keys: held.totals?.keys ?? groups.length,
        records: held.totals?.records ?? groups.reduce((n, g) => n + g.count - 1, 0),
        conflictingKeys: held.totals?.conflictingKeys ?? conflicts.size,
      });
      for (const group of listedGroups(groups)) {
        const duplicate: DuplicateKey = {
          input: file,
          column: key.column,
          count: group.count,
          rows: group.rows,
        };
        if (!run.redact) duplicate.key = reportValue(group.key);
        duplicateKeys.push(duplicate);
        const columns = conflicts.get(group.key);
        if (columns) {
          const conflict: ConflictingRecords = {
            input: file,
            column: key.column,
            count: group.count,
            rows: group.rows,
            columns,
          };
          if (!run.redact) conflict.key = reportValue(group.key);
          conflictingRecords.push(conflict);
        }
      }
    }
  }
  const orphanReferences: OrphanReference[] = [];
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
    const found = await tables.orphans(child, parent, missingOf(link.input));
    if (found.count === 0) continue;
    orphanReferences.push({
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
  return {
    inputs,
    summary,
    // errors first, then by count (a stable sort: equal ones in the order they were met), as the
    // default engine lists them
    issues: [...issues.values()].sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count,
    ),
    profiles,
    crossFile: { duplicateKeys, orphanReferences, conflictingRecords, duplicateTotals },
    headerMismatches,
    failingParts,
  };
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

/** The report of an SQL run, with each input's fingerprint and the run's times. */
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
    engine: 'postgres';
  },
): Report {
  const { inputs, summary, issues, profiles, crossFile } = result;
  for (const input of inputs) if (meta.sha256[input.name]) input.sha256 = meta.sha256[input.name];
  const report: Report = {
    format: REPORT_FORMAT,
    generatedAt: meta.generatedAt,
    tool: { name: 'preflight', version: meta.toolVersion },
    inputs,
    summary,
    issues,
    profiles,
    crossFile,
    timings: { startedAt: meta.startedAt, totalMs: meta.totalMs },
    engine: meta.engine,
  };
  if (meta.redact) report.redacted = true;
  const names = new Set(inputs.map((i) => i.schema));
  if (names.size === 1 && inputs.every((i) => i.schema !== undefined))
    report.target = { type: 'schema', schema: [...names][0] as string };
  return report;
}
