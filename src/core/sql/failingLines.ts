/**
 * "Export every failing row" written by PostgreSQL where the data lives: the SQL that gives, for
 * one input, each failing record's lines of the export (one per problem, as
 * failingRowsExport.ts writes them), in row order, so the client only passes the text on.
 *
 * A record's problems are the ones the default engine's pass finds on a table's record
 * (validateCsv.ts): a cell with spaces before a quote (`csv.space-before-quote`, per column in
 * header order), a blank record (every cell empty, a text meaning "no value" included), then the
 * contract's checks in the order the plan runner lists them (a required column missing from the
 * header first, then each planned column's checks, then the columns a closed contract does not
 * name). As in the aggregate, the checks are read on blank records too, as the runner reads them.
 *
 * Two queries: {@link failingGroupsSql} gives each problem's first row (so the caller orders a
 * record's lines as the default engine's issue groups are ordered: by first row, then by the order
 * above); {@link failingLinesSql} then gives one row per failing record, `line`, its lines joined.
 * Each line is the caller's text around two values the SQL writes: the row number and the cell,
 * written as a CSV cell (formula-injection neutralised: a leading apostrophe before `=`, `+`, `-`,
 * `@`, tab, carriage return or apostrophe, then quoted when it holds a quote, comma or line break;
 * csvCells.ts) or as a JSON string (`to_json`, the escapes `JSON.stringify` writes).
 *
 * Constraints:
 * - On a sharded table, the first rows are one aggregate per part (postgres_fdw sends it to the
 *   shard whole) and the lines read the parent: the records filter is written with what
 *   postgres_fdw ships, so only failing records leave a shard.
 * - Names reach SQL only quoted; texts only as literals.
 */

import { CONTRACT_ROW_RULES, type ValidationPlan } from '../contract/index.ts';
import { planFlags, ROW_COLUMN, SPACE_BEFORE_QUOTE_RULE, spaceBeforeQuoteSql } from './compilePlanSql.ts';
import { type DialectSql, dialectSql } from './dialect.ts';

/** Rule id of a blank record, a problem the default engine's pass finds besides the contract's. */
const BLANK_ROW_RULE = 'csv.blank-row';

/** One problem a failing record can have: an issue group of the default engine (rule, location). */
export interface FailingGroup {
  rule: string;
  /** the issue's location: a column's name, or '' for the whole row */
  location: string;
  /** true on a record with the problem */
  flag: string;
}

/** The input {@link failingGroupsSql} reads. */
export interface FailingLinesInput {
  /** the relation with every record (blank ones too), its cells as text and `preflight_row` */
  relation: string;
  /** each part's relation when the input is sharded (every record of the part) */
  parts?: readonly string[];
  /** the columns besides `preflight_row`, in header order */
  header: readonly string[];
  /** the plan the records were checked with; none: blank records and quotes only */
  plan?: ValidationPlan;
}

/** The problems of an input and the query of each one's first row. */
export interface FailingGroupsSql {
  /** in the order the default engine's pass meets them within a record */
  groups: FailingGroup[];
  /** one row: `m<i>` the first row with group i (NULL: none) */
  sql: string;
  /** the typed relation the flags read: a WITH clause ending in `flags` */
  flagsOf(relation: string): string;
}

/**
 * How one issue group's lines of the export are written: the text around the row number and the
 * cell (failingRowsExport.ts `failingLineTexts` makes it from the export's own line functions).
 */
export interface FailingLineText {
  /** the text before the row number */
  beforeRow: string;
  /** the text between the row number and the cell (or the end, without a cell) */
  beforeValue: string;
  /** the group's cell index in the header, or -1: no cell in its lines */
  index: number;
  /** how the cell is written: a CSV cell (`csvField`) or a JSON string (`JSON.stringify`) */
  value: 'csv' | 'json';
  /**
   * the text after the cell: by row ranges, the first whose `below` exceeds the row
   * (`below` undefined: every row left), ascending
   */
  after: readonly { readonly below?: number; readonly text: string }[];
}

const ident = (d: DialectSql, name: string) => d.ident(name);

/** An empty cell for the default engine's pass: NULL, '' or a text meaning "no value". */
function emptySql(d: DialectSql, column: string, missing: readonly string[]): string {
  const c = ident(d, column);
  const none = missing.filter((m) => m !== '');
  return `(${c} IS NULL OR ${c} = ''${none.length > 0 ? ` OR ${c} IN (${none.map(d.text).join(', ')})` : ''})`;
}

/**
 * The problems a failing record of `input` can have, in the order the default engine's pass meets
 * them within a record, and the query of each one's first row (see the file header).
 */
export function failingGroupsSql(input: FailingLinesInput): FailingGroupsSql {
  const d = dialectSql('postgres');
  const { header, plan } = input;
  const missing = (plan?.missingValues ?? []).filter((m) => m !== '');
  const { checks, flags, typedColumns } = plan
    ? planFlags(plan, d, header)
    : { checks: [], flags: [], typedColumns: [] };
  const groups: FailingGroup[] = [];
  const byKey = new Map<string, FailingGroup>();
  // a rule on a column twice (a check written twice) is one issue group: a line per record
  const add = (rule: string, location: string, flag: string) => {
    const key = `${rule}\u0000${location}`;
    const known = byKey.get(key);
    if (known) known.flag = `(${known.flag} OR ${flag})`;
    else {
      const group = { rule, location, flag };
      byKey.set(key, group);
      groups.push(group);
    }
  };
  for (const column of header)
    add(SPACE_BEFORE_QUOTE_RULE, column, spaceBeforeQuoteSql(ident(d, column), emptySql(d, column, missing)));
  add(
    BLANK_ROW_RULE,
    '',
    header.length === 0 ? 'TRUE' : header.map((c) => emptySql(d, c, missing)).join(' AND '),
  );
  // the plan runner lists a required column missing from the header before the others
  const inHeader = new Set(header);
  const order = checks
    .map((check, i) => ({ check, flag: flags[i] as string }))
    .sort(
      (a, b) =>
        Number(inHeader.has(a.check.column) || a.check.rule !== CONTRACT_ROW_RULES.required.id) -
        Number(inHeader.has(b.check.column) || b.check.rule !== CONTRACT_ROW_RULES.required.id),
    );
  for (const { check, flag } of order) add(check.rule, check.column, flag);
  const flagsOf = (relation: string) =>
    [
      'WITH typed AS NOT MATERIALIZED (',
      `  SELECT *${typedColumns.map((t) => `, ${t}`).join('')} FROM ${relation}`,
      '), flags AS NOT MATERIALIZED (',
      `  SELECT ${[ROW_COLUMN, ...header].map((c) => ident(d, c)).join(', ')}${groups
        .map((g, i) => `,\n    ${g.flag} AS g${i}`)
        .join('')}`,
      '  FROM typed',
      ')',
    ].join('\n');
  const row = ident(d, ROW_COLUMN);
  const firstsOf = (relation: string) =>
    `${flagsOf(relation)}\nSELECT ${groups.map((_, i) => `MIN(${row}) FILTER (WHERE g${i}) AS m${i}`).join(', ')} FROM flags`;
  const parts = input.parts;
  // a sharded input: each part's first rows an aggregate its shard computes, the least kept here
  const sql =
    parts === undefined || parts.length === 0
      ? firstsOf(input.relation)
      : `SELECT ${groups.map((_, i) => `MIN(m${i}) AS m${i}`).join(', ')} FROM (\n${parts
          .map((p) => `(${firstsOf(p)})`)
          .join('\nUNION ALL\n')}\n) AS parts`;
  return { groups, sql, flagsOf };
}

/** The cell of `column` written as `how` (see the file header); NULL is an empty cell. */
function cellSql(d: DialectSql, column: string, how: 'csv' | 'json'): string {
  const cell = `COALESCE(${ident(d, column)}, '')`;
  if (how === 'json') return `CAST(to_json(${cell}) AS text)`;
  const safe = `CASE WHEN left(${cell}, 1) IN ('=', '+', '-', '@', chr(9), chr(13), '''') THEN '''' || ${cell} ELSE ${cell} END`;
  return `CASE WHEN ${cell} ~ '[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END`;
}

/**
 * The lines of every failing record of `relation` (see the file header), one row per record in
 * row order (`line`): `groups` in the order their lines come within a record, each with its text.
 */
export function failingLinesSql(
  found: FailingGroupsSql,
  relation: string,
  header: readonly string[],
  texts: readonly { group: number; text: FailingLineText }[],
): string {
  const d = dialectSql('postgres');
  const row = ident(d, ROW_COLUMN);
  const lineOf = ({ group, text }: { group: number; text: FailingLineText }) => {
    const column = text.index >= 0 ? header[text.index] : undefined;
    const after =
      text.after.length === 1
        ? d.text(text.after[0]?.text ?? '')
        : `CASE ${text.after
            .map((a) =>
              a.below === undefined
                ? `ELSE ${d.text(a.text)}`
                : // a literal, and a RangeError for a bound that is not a finite number
                  `WHEN ${row} < ${d.number(a.below)} THEN ${d.text(a.text)}`,
            )
            .join(' ')} END`;
    const parts = [
      d.text(text.beforeRow),
      `CAST(${row} AS text)`,
      d.text(text.beforeValue),
      ...(column === undefined ? [] : [cellSql(d, column, text.value)]),
      after,
    ];
    return `CASE WHEN g${group} THEN ${parts.join(' || ')} ELSE '' END`;
  };
  const any = texts.length === 0 ? 'FALSE' : texts.map((t) => `g${t.group}`).join(' OR ');
  const lines = texts.length === 0 ? "''" : texts.map(lineOf).join('\n    || ');
  return `${found.flagsOf(relation)}\nSELECT ${lines} AS line\nFROM flags WHERE ${any} ORDER BY ${row}`;
}
