/**
 * The failing records an SQL engine writes out, read by the default engine's pass: it counts the
 * waivers limited to rows as the default engine counts them, and lists each failing row's
 * problems for the export, so both come out as the default engine's own run makes them
 * (docs/decisions/0079-duckdb-failing-rows-through-the-default-pass.md, kept for PostgreSQL).
 */

import type { Report, ReportIssue } from '../../formats/report.ts';
import type { ValidationPlan } from '../contract/index.ts';
import type { FailingRowsInput } from './failingRowsExport.ts';
import type { RowSetWatch } from './issueTally.ts';
import { contractColumnWords, issueInput } from './issueWords.ts';
import type { RunContract } from './runPlan.ts';
import { withRunExtras } from './runSteps.ts';
import { type SqlFailingPart, type SqlRunResult, type SqlTables, sqlReport } from './sqlRun.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  type FullRowValidator,
  validateCsv,
} from './validateCsv.ts';
import type { InputRunner } from './validateInputs.ts';

/** The range of positions in ascending `rows` whose value lies in [from, to] (1-based, maybe empty). */
function positionsWithin(rows: Uint32Array, from: number, to: number): { from: number; to: number } {
  const firstAtLeast = (value: number) => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((rows[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { from: firstAtLeast(from) + 1, to: firstAtLeast(to + 1) };
}

/** The default engine's pass over one file's failing records: the file it read, and what it found. */
interface FailingPass {
  /** the failing records' file, named as the input (the export reads the cells again from it) */
  source: CsvSource;
  result: CsvValidationResult;
}

/** The passes over the failing records of a run, each made when first asked (see {@link createFailingPasses}). */
interface FailingPasses {
  passOf(part: SqlFailingPart): Promise<FailingPass>;
  /**
   * The pass for its last reader (the export): no longer kept once taken, so each file's pass
   * goes as soon as its rows are in the export's input (its file stays open until `close`)
   */
  take(part: SqlFailingPart): Promise<FailingPass>;
  /** closes the files of the passes kept for the export */
  close(): Promise<void>;
}

/**
 * The default engine's passes over the failing records the SQL engine wrote ({@link SqlFailingPart}): one
 * pass per file, with its contract compiled once, made for whichever asks first — the count of the
 * waivers limited to rows ({@link countRowWaivers}) or the export ({@link failingRowInputs}).
 * A file with such waivers in force is read with their rows (`rowSets`, as the records' rows):
 * they add only the counts (`withinRows`), and the issues, failing rows and their groups are those
 * of a pass without them, so the export takes the same pass. With `keep` (an export follows) each
 * pass is kept, its file open, until {@link FailingPasses.close}; without, it is dropped once read.
 * A pass runs when first asked, so a file with waivers is read before the report is written and
 * another only for the export.
 */
function createFailingPasses(
  watchesOf: (file: string) => RowSetWatch[],
  /** opens a written file of failing records (closed once its pass is read, or by `close`) */
  open: (target: string) => Promise<{ source: CsvSource; close: () => Promise<void> }>,
  /** the contract compiled for the default engine's pass */
  compile: (
    contract: RunContract,
    name: string,
  ) => Promise<{ plan: ValidationPlan; validate?: FullRowValidator }>,
  keep: boolean,
  /** the default engine's pass over one file (the CLI's `validateCsv`) */
  run: InputRunner = validateCsv,
): FailingPasses {
  const kept = new Map<SqlFailingPart, FailingPass>();
  const closers: (() => Promise<void>)[] = [];
  return {
    async passOf(part) {
      const known = kept.get(part);
      if (known) return known;
      const opened = await open(part.target);
      try {
        const source = { ...opened.source, name: part.file };
        const compiled = part.contract
          ? await compile(part.contract, part.contract.savedName ?? part.file)
          : undefined;
        const watches = watchesOf(part.file);
        const result = await run(source, {
          layout: part.layout,
          profile: false,
          ...(compiled ? { plan: compiled.plan } : {}),
          ...(compiled?.validate ? { fullValidator: compiled.validate } : {}),
          // each waiver's rows as the failing records' rows (the default engine's pass counts in those)
          ...(watches.length > 0
            ? {
                rowSets: watches.map((w) => ({
                  ...w,
                  rows: w.rows.flatMap((r) => {
                    const at = positionsWithin(part.rows, r.from, r.to);
                    return at.from <= at.to ? [at] : [];
                  }),
                })),
              }
            : {}),
        });
        const pass = { source, result };
        if (keep) kept.set(part, pass);
        return pass;
      } finally {
        if (keep) closers.push(opened.close);
        else await opened.close();
      }
    },
    async take(part) {
      const pass = await this.passOf(part);
      kept.delete(part);
      return pass;
    },
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

/**
 * Counts the occurrences inside the rows of each waiver limited to rows (`watchesOf` a file), as
 * the default engine's pass counts them (issueTally.ts), into `report`'s issues (`withinRows`).
 * The SQL engine's failing records of the file (its {@link SqlFailingPart}) are read by the default engine's
 * pass, its rows being the input's rows of those records in order, so a waiver's rows are the
 * records between the first and the last of its rows there. A count is given to an issue only when
 * that pass found the problem as often as the SQL engine did: it then counted every occurrence. Otherwise
 * (a problem of blank lines or rejected records, which the failing records do not hold) the issue
 * keeps no count and the waiver's id is returned, to be said. Returns the waivers not counted.
 */
export async function countRowWaivers(
  report: Report,
  parts: readonly SqlFailingPart[],
  watchesOf: (file: string) => RowSetWatch[],
  passes: FailingPasses,
): Promise<string[]> {
  const uncounted = new Set<string>();
  for (const part of parts) {
    const watches = watchesOf(part.file);
    if (watches.length === 0) continue;
    const { result } = await passes.passOf(part);
    for (const issue of report.issues) {
      if (issueInput(report, issue).file !== part.file) continue;
      const named = watches.filter((w) => w.rule === issue.rule && w.location === issue.location);
      if (named.length === 0) continue;
      const entry = result.issues.find((e) => e.rule === issue.rule && e.location === issue.location);
      if (entry?.withinRows === undefined || entry.count !== issue.count) {
        for (const w of named) uncounted.add(w.waiver);
        continue;
      }
      // the rows counted are the waivers' own rows, as the report records them
      issue.withinRows = entry.withinRows.map((w, k) => ({
        waiver: w.waiver,
        count: w.count,
        rows: (named[k] as RowSetWatch).rows.map((r) => ({ from: r.from, to: r.to })),
        ...((named[k] as RowSetWatch).input === undefined ? {} : { input: (named[k] as RowSetWatch).input }),
      }));
      // as the default engine's report: a part split off may list no example of its file
      if (report.inputs.length > 1) issue.input = part.file;
    }
  }
  return [...uncounted];
}

/**
 * The export of every failing row (`--failing-rows`), in the words and lines of the default
 * engine's export: its inputs, and the report with the words of problems the SQL engine does not hold.
 * The SQL engine finds the failing records and writes them out ({@link SqlTables.writeFailingRecords});
 * the default engine's pass reads that small file with the same contract (the pass that counted
 * the file's waivers limited to rows, when it has some), so each row's problems are found, grouped
 * and ordered as the default engine's own run finds them, and the core's export
 * (failingRowsExport.ts) reads the cells again from it: the same file, formula-injection safe,
 * streamed in batches. Rows are the input's rows, not the small file's.
 */
export async function failingRowInputs(
  parts: readonly SqlFailingPart[],
  passes: FailingPasses,
  report: Report,
): Promise<{ inputs: FailingRowsInput[]; report: Report }> {
  const inputs: FailingRowsInput[] = [];
  // the words of problems the SQL engine's report does not hold (a rejected record's
  // contract checks, which the SQL engine does not run): as the default engine's report words them
  const extra: ReportIssue[] = [];
  for (const part of parts) {
    const { source, result } = await passes.take(part);
    const words = part.contract ? contractColumnWords(part.contract.contract) : {};
    for (const entry of result.issues) {
      const held = report.issues.some(
        (issue) =>
          issue.rule === entry.rule &&
          issue.location === entry.location &&
          issueInput(report, issue).file === part.file,
      );
      if (held || entry.message === undefined) continue;
      const issue: ReportIssue = {
        rule: entry.rule,
        severity: entry.severity,
        location: entry.location,
        count: entry.count,
        examples: [{ input: part.file }],
        message: entry.message,
        ...(entry.code === undefined ? {} : { code: entry.code }),
      };
      const column = entry.location === '' ? undefined : words[entry.location];
      if (column?.title !== undefined) issue.title = column.title;
      if (column?.description !== undefined) issue.description = column.description;
      extra.push(issue);
    }
    // the failing records' rows made the input's rows in place: the pass is not read again
    const { count, rows } = result.failingRows;
    for (let k = 0; k < count; k++) rows[k] = part.rows[(rows[k] as number) - 1] as number;
    inputs.push({
      source,
      layout: part.layout,
      header: result.header,
      rows,
      offsets: result.failingRows.offsets,
      count,
      groups: result.issueRows.groups,
    });
  }
  return { inputs, report: { ...report, issues: [...report.issues, ...extra] } };
}

/** What {@link finishSqlRun} is given besides what the SQL run found. */
interface SqlRunFinish {
  /** what the report says of the run besides its findings (`sqlReport`'s) */
  meta: Parameters<typeof sqlReport>[1];
  /** the check set each input was checked as (with a project) */
  checkSets?: ReadonlyMap<string, string>;
  /** the waivers limited to rows in force for a file */
  watchesOf: (file: string) => RowSetWatch[];
  /** opens a written file of failing records */
  open: (target: string) => Promise<{ source: CsvSource; close: () => Promise<void> }>;
  /** the contract compiled for the default engine's pass */
  compile: (
    contract: RunContract,
    name: string,
  ) => Promise<{ plan: ValidationPlan; validate?: FullRowValidator }>;
  /** whether every problem of the failing rows is exported after (`--failing-rows`) */
  failingRows: boolean;
  /** the default engine's pass over one file */
  run?: InputRunner;
}

/**
 * An SQL engine's run made a report, the same on every SQL engine: the findings
 * ({@link sqlReport}), the waivers limited to rows counted by the default engine's pass over the
 * failing records the engine wrote ({@link countRowWaivers}), then the header differences and the
 * check sets (`withRunExtras`). `failingRowInputs` gives the export of every failing row, and
 * `close` closes the passes kept for it. `uncounted`: the waivers limited to rows not counted.
 */
export async function finishSqlRun(
  found: SqlRunResult,
  finish: SqlRunFinish,
): Promise<{
  report: Report;
  uncounted: string[];
  failingRowInputs: (report: Report) => ReturnType<typeof failingRowInputs>;
  close: () => Promise<void>;
}> {
  const plain = sqlReport(found, finish.meta);
  const passes = createFailingPasses(
    finish.watchesOf,
    finish.open,
    finish.compile,
    finish.failingRows,
    finish.run ?? validateCsv,
  );
  try {
    const uncounted = await countRowWaivers(plain, found.failingParts, finish.watchesOf, passes);
    const report = withRunExtras(plain, {
      headers: found.headerMismatches,
      ...(finish.checkSets ? { checkSets: finish.checkSets } : {}),
    });
    return {
      report,
      uncounted,
      failingRowInputs: (rehearsed) => failingRowInputs(found.failingParts, passes, rehearsed),
      close: () => passes.close(),
    };
  } catch (error) {
    await passes.close();
    throw error;
  }
}
