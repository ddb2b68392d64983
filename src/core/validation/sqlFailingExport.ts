/**
 * "Export every failing row" (`--failing-rows`) written where the data lives: PostgreSQL gives
 * each failing record's lines of the export, in the export's exact text (failingRowsExport.ts,
 * byte for byte the default engine's), and the caller only writes them out. No record's cells
 * are judged or re-read here: per record the client receives the text it writes.
 *
 * Per input, two queries (src/core/sql failingLines.ts): each problem's first row, which orders a
 * record's lines as the default engine's issue groups are ordered (by first row, then in the
 * order the default engine's pass meets them in a record), then the lines in row order through
 * the engine's stream, a batch at a time.
 *
 * The words of a problem a failing record has that the SQL engine's report does not hold are
 * the default engine's (its rule's message, the contract's column words), as the report of the
 * default engine's pass would word them.
 */

import type { Report, ReportIssue } from '../../formats/report.ts';
import type { ValidationPlan } from '../contract/index.ts';
import { failingGroupsSql, failingLinesSql } from '../sql/index.ts';
import { type FailingRowsFormat, failingLineTexts, failingRowsHeader } from './failingRowsExport.ts';
import { contractColumnWords, issueInput } from './issueWords.ts';
import { ENGINE_RULES } from './rules/index.ts';
import { type SqlRow, type SqlValues, sqlCount } from './sqlTables.ts';
import { contractMessage } from './validateCsv.ts';

/** One input of the export, as loaded on the server. */
export interface SqlExportInput {
  /** the input as the report names it */
  file: string;
  /** the relation with every record, `preflight_row` and the cells as text */
  relation: string;
  /** each part's relation when the input is sharded */
  parts?: readonly string[];
  header: readonly string[];
  /** the plan its records were checked with (none: its header did not fit, or no contract) */
  plan?: ValidationPlan;
  /** the contract itself, for the words of a column */
  schema?: unknown;
}

/** How the export's queries run. */
interface SqlExportExecutor {
  rows(sql: string): Promise<SqlRow[]>;
  stream<T>(sql: string, consume: (batches: AsyncIterable<SqlValues[]>) => Promise<T>): Promise<T>;
}

/** The words of a problem the report does not hold, as the default engine's pass tallies them. */
function unheldIssue(input: SqlExportInput, rule: string, location: string): ReportIssue {
  const engine = [ENGINE_RULES.blankRow, ENGINE_RULES.spaceBeforeQuote].find((r) => r.id === rule);
  const said = engine
    ? { code: undefined, message: engine.message }
    : contractMessage(
        rule,
        input.plan?.columns.find((c) => c.column === location),
      );
  const column = location === '' ? undefined : contractColumnWords(input.schema)[location];
  return {
    rule,
    severity: engine?.severity ?? 'error',
    location,
    count: 1,
    examples: [{ input: input.file }],
    message: said.message,
    ...(said.code === undefined ? {} : { code: said.code }),
    ...(column?.title === undefined ? {} : { title: column.title }),
    ...(column?.description === undefined ? {} : { description: column.description }),
  };
}

/**
 * Writes the export of every failing record of `inputs` through `write` (awaited before the next
 * batch: the caller's back-pressure), the CSV header first; returns the records written.
 */
export async function writeSqlFailingRows(
  inputs: readonly SqlExportInput[],
  sql: SqlExportExecutor,
  options: { format: FailingRowsFormat; report: Report; redact: boolean },
  write: (text: string) => Promise<void>,
): Promise<number> {
  const { format, report, redact } = options;
  const header = failingRowsHeader(format);
  if (header !== '') await write(header);
  let records = 0;
  for (const input of inputs) {
    const found = failingGroupsSql({
      relation: input.relation,
      header: input.header,
      ...(input.parts ? { parts: input.parts } : {}),
      ...(input.plan ? { plan: input.plan } : {}),
    });
    const [firsts] = await sql.rows(found.sql);
    const present = found.groups
      .map((group, i) => ({ group, i, first: firsts?.[`m${i}`] }))
      .filter((g) => g.first !== null && g.first !== undefined)
      // issue groups in order of first occurrence: by first row, then within a record
      .sort((a, b) => sqlCount(a.first) - sqlCount(b.first) || a.i - b.i);
    const held = (rule: string, location: string) =>
      report.issues.some(
        (issue) =>
          issue.rule === rule &&
          issue.location === location &&
          (report.inputs.length <= 1 || issueInput(report, issue).file === input.file),
      );
    if (present.length === 0) continue;
    const unheld = present
      .filter(({ group }) => !held(group.rule, group.location))
      .map(({ group }) => unheldIssue(input, group.rule, group.location));
    const worded = unheld.length === 0 ? report : { ...report, issues: [...report.issues, ...unheld] };
    const textOf = failingLineTexts(worded, input.file, input.header, format, redact);
    const query = failingLinesSql(
      found,
      input.relation,
      input.header,
      present.map(({ group, i }) => ({ group: i, text: textOf(group.rule, group.location) })),
    );
    records += await sql.stream(query, async (batches) => {
      let n = 0;
      for await (const batch of batches) {
        let text = '';
        for (const record of batch) text += record[0] as string;
        n += batch.length;
        await write(text);
      }
      return n;
    });
  }
  return records;
}
